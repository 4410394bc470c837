//! Markdown to HTML with pulldown-cmark: CommonMark plus tables, footnotes,
//! strikethrough, task lists, heading attributes and GFM alerts. Headings get
//! anchor ids and are shifted so the body nests under the page's `<h1>`.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::model::Heading;

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The HTML.
    pub html: String,
    /// Headings for a table of contents.
    pub toc: Vec<Heading>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders a postmortem body. A leading `# Title` is dropped (the page shows
/// `title`), and headings are shifted so the highest is an `<h2>`. Unless
/// `unsafe_html`, raw HTML is sanitised and script URLs in links removed.
pub fn render(markdown: &str, title: &str, unsafe_html: bool) -> Body {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    if !unsafe_html {
        events.iter_mut().for_each(defuse_link);
    }
    drop_leading_title(&mut events, title);
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let shift = 2usize.saturating_sub(top);
    let mut toc = Vec::new();
    let mut used_ids = std::collections::HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i]
        {
            let end = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let text = plain_text(&events[i + 1..end]);
            let wanted = id
                .as_ref()
                .map_or_else(|| anchor(&text), |id| id.to_string());
            let id = unique(&mut used_ids, wanted);
            let level = shifted(*level, shift);
            toc.push(Heading {
                level: level as u8,
                id: id.clone(),
                text,
            });
            events[i] = Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            });
            if let Some(Event::End(TagEnd::Heading(_))) = events.get(end) {
                events[end] = Event::End(TagEnd::Heading(level));
            }
            i = end;
        }
        i += 1;
    }
    let has_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter().map(labelled_task_marker));
    if has_html && !unsafe_html {
        out = sanitize(&out);
    }
    // Kept for the whole build: the room reserved above is given back.
    out.shrink_to_fit();
    Body { html: out, toc }
}

/// A task list checkbox with an accessible name (a bare disabled checkbox
/// is an unlabelled form control).
fn labelled_task_marker(event: Event<'_>) -> Event<'_> {
    match event {
        Event::TaskListMarker(done) => Event::InlineHtml(CowStr::from(if done {
            r#"<input type="checkbox" disabled checked aria-label="done"> "#
        } else {
            r#"<input type="checkbox" disabled aria-label="to do"> "#
        })),
        other => other,
    }
}

/// Renders one line of Markdown without the paragraph around it, sanitised.
pub fn render_inline(markdown: &str) -> String {
    if let Some(text) = plain_line(markdown) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(markdown.len() + 16);
    let events = Parser::new_ext(markdown, options())
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .map(|mut e| {
            defuse_link(&mut e);
            e
        });
    html::push_html(&mut out, events);
    let out = out.trim_end();
    if out.contains('<') {
        sanitize(out)
    } else {
        out.to_owned()
    }
}

/// Removes what can run code from rendered HTML (scripts, event handlers,
/// `javascript:` URLs, styles), keeping harmless markup: tables, details,
/// images, headings with their anchors, task list checkboxes.
pub fn sanitize(html: &str) -> String {
    static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["id", "class", "aria-label", "aria-hidden"])
                .add_tags([
                    "input",
                    "details",
                    "summary",
                    "figure",
                    "figcaption",
                    "mark",
                ])
                .add_tag_attributes("input", ["type", "checked", "disabled"])
                .add_tag_attributes("ol", ["start"])
                .add_tag_attributes("th", ["align"])
                .add_tag_attributes("td", ["align"])
                .add_tag_attribute_values("input", "type", ["checkbox"])
                .link_rel(None);
            b
        });
    CLEANER.clean(html).to_string()
}

/// Points a Markdown link or image with a script URL at nothing.
fn defuse_link(event: &mut Event<'_>) {
    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event
        && is_script_url(dest_url)
    {
        *dest_url = CowStr::from("#");
    }
}

/// True for URLs a browser would run as script when followed
/// (`javascript:`, `vbscript:`, `data:text/html`), however they are cased or
/// spaced.
pub fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    scheme.starts_with("javascript:")
        || scheme.starts_with("vbscript:")
        || scheme.starts_with("data:text")
}

/// One line of Markdown as plain text: the words without the marks, for
/// places that cannot hold HTML (SVG, the terminal).
pub fn inline_plain(markdown: &str) -> String {
    if let Some(text) = plain_line(markdown) {
        return text.to_owned();
    }
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    plain_text(&events).trim().to_owned()
}

/// `markdown` without its trailing spaces when it is one line of plain words,
/// which Markdown renders as itself: it opens with a letter (so it is a
/// paragraph, not a list, heading, quote or block of code) and holds no
/// character that can open markup, an entity or an escape, nor one the
/// HTML writer escapes. Most timeline lines are such; they skip the parser.
fn plain_line(markdown: &str) -> Option<&str> {
    let text = markdown.trim_end();
    let opens_with_letter = text.chars().next().is_some_and(char::is_alphabetic);
    let plain = text.chars().all(|c| {
        !c.is_control()
            && !matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '"'
            )
    });
    (opens_with_letter && plain).then_some(text)
}

/// Drops the body's first block when it is an `<h1>` that is the document's
/// title: the only `<h1>`, or one whose text holds the page title.
fn drop_leading_title(events: &mut Vec<Event<'_>>, title: &str) {
    if !matches!(
        events.first(),
        Some(Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }))
    ) {
        return;
    }
    let Some(end) = events
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
    else {
        return;
    };
    let h1_count = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })
            )
        })
        .count();
    let text = plain_text(&events[1..end]).to_lowercase();
    let title = title.trim().to_lowercase();
    if h1_count == 1 || (!title.is_empty() && (text.contains(&title) || title.contains(&text))) {
        events.drain(..=end);
    }
}

fn shifted(level: HeadingLevel, shift: usize) -> HeadingLevel {
    match (level as usize + shift).min(6) {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    text
}

/// An anchor id from heading text: lower case, runs of other characters to `-`.
pub fn anchor(text: &str) -> String {
    let slug = super::slug::slugify(text);
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

fn unique(used: &mut std::collections::HashSet<String>, wanted: String) -> String {
    let mut id = wanted.clone();
    let mut n = 1;
    while reserved(&id) || !used.insert(id.clone()) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    id
}

/// Whether the incident page gives `id` to something of its own: its
/// timeline's events are `event-N`, which the diagram's badges are named by.
fn reserved(id: &str) -> bool {
    id.strip_prefix("event-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `render_inline` and `inline_plain` through the parser, as they are
    /// for a line that is not plain.
    fn parsed(markdown: &str) -> (String, String) {
        let mut out = String::new();
        let events = Parser::new_ext(markdown, options()).filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
        html::push_html(&mut out, events);
        let html = out.trim_end().to_owned();
        let events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
        (html, plain_text(&events).trim().to_owned())
    }

    #[test]
    fn a_plain_line_reads_as_the_parser_reads_it() {
        let lines = [
            "Paged the on-call engineer.",
            "Rolled back v2.3.1 at 14:05 (see the runbook: step 4).",
            "Team's dashboard showed 98% disk use; it's fixed.",
            "Café crème à 10 € — résumé, naïve, 東京, Zürich.",
            "Alerts fired   twice  ",
            "Opened https://status.example.com/incidents/42 for customers",
            "Wrote to ops@example.com, then #incidents on Slack",
            "Error rate 5 % -- then 0 % ... recovered! {ok} $5 = fine?",
            "Fixed (#123) + (issue 7)",
            "Trailing no-break space\u{a0}",
        ];
        for line in lines {
            assert!(plain_line(line).is_some(), "{line:?} should be plain");
            let (html, plain) = parsed(line);
            assert_eq!(render_inline(line), html, "{line:?}");
            assert_eq!(inline_plain(line), plain, "{line:?}");
        }
        for line in [
            "1. step",
            "- item",
            "# heading",
            "> quote",
            "    code",
            "*bold* move",
            "Some `code`",
            "A [link](x)",
            "Fish & chips",
            "a <b>",
            "Quote \"this\"",
            "Under_score",
            "Line\nbreak",
            "",
            "  indented",
            "Nul\u{0}here",
            "A\tb",
        ] {
            assert!(plain_line(line).is_none(), "{line:?} should be parsed");
        }
    }

    /// Every line made of words, spaces and the punctuation `plain_line`
    /// lets through renders as the parser renders it.
    #[test]
    fn plain_lines_from_many_characters_match_the_parser() {
        let alphabet: Vec<char> = "aZé 9.,;:!?'()/%+-=#@{}$^\u{a0}".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut checked = 0;
        for _ in 0..20_000 {
            let len = 1 + (seed >> 60) as usize;
            let mut line = String::from("W");
            for _ in 0..len {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                line.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            if plain_line(&line).is_some() {
                checked += 1;
                let (html, plain) = parsed(&line);
                assert_eq!(render_inline(&line), html, "{line:?}");
                assert_eq!(inline_plain(&line), plain, "{line:?}");
            }
        }
        assert_eq!(checked, 20_000);
    }

    #[test]
    fn a_heading_never_takes_an_events_id() {
        let body = render("## Event 1\n\n## Event 1b\n\n## Event\n", "T", false);
        let ids: Vec<&str> = body.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["event-1-1", "event-1b", "event"]);
        assert!(body.html.contains("<h2 id=\"event-1-1\">Event 1</h2>"));
    }

    #[test]
    fn headings_get_ids_and_nest_under_the_title() {
        let body = render(
            "# Outage\n\n# Summary\n\ntext\n\n## Details\n\n# Summary\n",
            "Outage",
            false,
        );
        assert!(
            body.html.starts_with("<h2 id=\"summary\">Summary</h2>"),
            "{}",
            body.html
        );
        assert!(body.html.contains("<h3 id=\"details\">"));
        assert!(body.html.contains("<h2 id=\"summary-1\">"));
        let levels: Vec<u8> = body.toc.iter().map(|h| h.level).collect();
        assert_eq!(levels, [2, 3, 2]);
    }

    #[test]
    fn title_among_several_h1_is_dropped() {
        let body = render(
            "# Postmortem: Outage on June 8\n\n# Issue Summary\n\n# Timeline\n",
            "Outage on June 8",
            false,
        );
        assert_eq!(body.toc.len(), 2);
        assert!(body.html.starts_with("<h2 id=\"issue-summary\">"));
    }

    #[test]
    fn single_title_is_dropped() {
        let body = render("# Postmortem: Outage\n\n## Impact\n\nx\n", "", false);
        assert_eq!(body.toc.len(), 1);
        assert!(!body.html.contains("Postmortem"));
    }

    #[test]
    fn extensions_are_on() {
        let html = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ x[^1]\n\n[^1]: note\n\n- [x] done\n",
            "",
            false,
        )
        .html;
        for needle in ["<table>", "<del>old</del>", "footnote", "checkbox"] {
            assert!(html.contains(needle), "{needle} in {html}");
        }
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let md = "<details><summary>Logs</summary>\n\nok\n\n</details>\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y]( JAVASCRIPT:alert(1))\n";
        let safe = render(md, "", false).html;
        for bad in ["<script", "onerror", "javascript:", "JAVASCRIPT"] {
            assert!(!safe.contains(bad), "{bad} in {safe}");
        }
        assert!(
            safe.contains("<details>") && safe.contains("<summary>Logs</summary>"),
            "{safe}"
        );
        assert!(
            render(md, "", true)
                .html
                .contains("<script>alert(1)</script>")
        );
        assert!(!render_inline("<b onclick=x>bold</b> [a](javascript:x)").contains("onclick"));
    }

    #[test]
    fn inline_has_no_paragraph() {
        assert_eq!(
            render_inline("**Alert** fired"),
            "<strong>Alert</strong> fired"
        );
    }
}
