//! An incident's body cut around the sections the page shows its own way,
//! so that each thing is said once: the Timeline section (the numbered
//! event list tied to the diagram takes its place) and the Action Items
//! section (the table of action items takes its place). The page keeps the
//! author's text of both, folded under what replaced it. The Summary
//! section is found too: the page then does not repeat the summary above
//! the body.

use serde::Serialize;

use crate::content::infer::dates::{MONTHS, WEEKDAYS};
use crate::content::sections::{SectionKind, kind_of};
use crate::model::Heading;

/// A piece of the body, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyPart {
    /// `timeline`, `actions`, or empty for the body's other HTML.
    pub kind: &'static str,
    /// The section's heading as written (with its id); empty for other HTML.
    pub heading: String,
    /// The heading's id; empty for other HTML.
    pub id: String,
    /// The section's content without its heading, or the other HTML.
    pub html: String,
    /// Whether what took the section's place says all it says (see
    /// [`restates`]): then the page does not repeat the author's text.
    pub restated: bool,
}

/// Whether the body has a section of `kind` in its table of contents.
pub fn has_section(toc: &[Heading], kind: SectionKind) -> bool {
    toc.iter().any(|h| kind_of(&h.text) == Some(kind))
}

/// `body` in parts around its first Timeline section (when `timeline`, the
/// page has events to list) and its first Action Items section (when
/// `actions`, the page has items for its table); empty when neither is
/// cut out, and the page shows `body` whole.
pub fn parts(body: &str, toc: &[Heading], timeline: bool, actions: bool) -> Vec<BodyPart> {
    let mut cuts: Vec<(usize, usize, usize, &'static str, &Heading)> = Vec::new();
    for (kind, wanted, name) in [
        (SectionKind::Timeline, timeline, "timeline"),
        (SectionKind::Actions, actions, "actions"),
    ] {
        let heading = toc.iter().find(|h| kind_of(&h.text) == Some(kind));
        if let (true, Some(h)) = (wanted, heading)
            && let Some((start, heading_end, end)) = section_span(body, h)
        {
            cuts.push((start, heading_end, end, name, h));
        }
    }
    cuts.sort_by_key(|c| c.0);
    // A section inside the other (a Timeline under Action Items) is left
    // as written.
    cuts.dedup_by(|later, earlier| later.0 < earlier.2);
    let mut out = Vec::new();
    let mut at = 0;
    for (start, heading_end, end, kind, h) in cuts {
        if start > at {
            out.push(other(&body[at..start]));
        }
        out.push(BodyPart {
            kind,
            heading: body[start..heading_end].to_owned(),
            id: h.id.clone(),
            html: body[heading_end..end].to_owned(),
            restated: false,
        });
        at = end;
    }
    if !out.is_empty() && at < body.len() {
        out.push(other(&body[at..]));
    }
    out
}

fn other(html: &str) -> BodyPart {
    BodyPart {
        kind: "",
        heading: String::new(),
        id: String::new(),
        html: html.to_owned(),
        restated: false,
    }
}

/// The longest stamp an item may start with before its text: a date, a
/// time and a zone, with their punctuation (`2024-03-05 14:02 UTC — `).
const MAX_STAMP: usize = 48;

/// Whether `section` (a section's HTML without its heading) says `texts`
/// in order and nothing else, each after at most a time stamp: as a list,
/// as lines of paragraphs, or as a table whose last column is the text.
/// The page's own list of them then loses nothing the author wrote.
pub fn restates(section: &str, texts: &[&str]) -> bool {
    entries(section.trim()).is_some_and(|entries| {
        entries.len() == texts.len()
            && entries.iter().zip(texts).all(|(entry, text)| {
                let text = text.trim();
                !text.is_empty()
                    && entry.trim().strip_suffix(text).is_some_and(|stamp| {
                        let stamp = stamp_text(stamp);
                        stamp.len() <= MAX_STAMP
                            && stamp.bytes().any(|b| b.is_ascii_digit())
                            && stamp.split(|c: char| !c.is_alphabetic()).all(is_stamp_word)
                    })
            })
    })
}

/// The entries of `html` when it is one flat list, one table, or only
/// paragraphs; `None` when it holds anything else.
fn entries(html: &str) -> Option<Vec<String>> {
    let blocks = [
        "<ul",
        "<ol",
        "<table",
        "<p>",
        "<blockquote",
        "<pre",
        "<h",
        "<div",
    ];
    let count = |tag: &str| html.matches(tag).count();
    let others = |allowed: &[&str]| {
        blocks
            .iter()
            .filter(|b| !allowed.contains(b))
            .any(|b| count(b) > 0)
    };
    if (html.starts_with("<ul") || html.starts_with("<ol")) && count("<ul") + count("<ol") == 1 {
        let closed = html.ends_with("</ul>") || html.ends_with("</ol>");
        if !closed || others(&["<ul", "<ol", "<p>"]) {
            return None;
        }
        let items = inners(html, "<li>", "</li>");
        let paragraphs = items.iter().map(|item| {
            let item = item.trim();
            item.strip_prefix("<p>")
                .and_then(|i| i.strip_suffix("</p>"))
                .unwrap_or(item)
                .to_owned()
        });
        return (items.len() == count("<li")).then(|| paragraphs.collect());
    }
    if html.starts_with("<table") && count("<table") == 1 && html.ends_with("</table>") {
        if others(&["<table"]) {
            return None;
        }
        let body = html.split("<tbody>").nth(1)?;
        let rows = inners(body, "<tr>", "</tr>");
        return Some(
            rows.iter()
                .map(|row| {
                    let cells: Vec<&str> = row
                        .split("<td")
                        .skip(1)
                        .filter_map(|cell| cell.split_once('>'))
                        .map(|(_, cell)| cell.split("</td>").next().unwrap_or(cell))
                        .collect();
                    cells.join(" ")
                })
                .collect(),
        );
    }
    if html.starts_with("<p>") && !others(&["<p>"]) {
        let lines = inners(html, "<p>", "</p>");
        return Some(
            lines
                .iter()
                .flat_map(|p| p.split("<br />").flat_map(|line| line.split('\n')))
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
        );
    }
    None
}

/// What stands between each `open` and the next `close` in `html`.
fn inners<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    html.split(open)
        .skip(1)
        .map(|piece| piece.split(close).next().unwrap_or(piece))
        .collect()
}

/// Whether `word` belongs in a time stamp: a month, a weekday, a zone's
/// abbreviation (`UTC`, `PDT`), `AM` and `PM`, `hrs` (`2100hrs`), and the little words
/// between them. A stamp with any other word says more than its time.
fn is_stamp_word(word: &str) -> bool {
    const WORDS: [&str; 8] = ["am", "pm", "at", "on", "t", "z", "h", "hrs"];
    let named = |name: &&str| {
        name.eq_ignore_ascii_case(word)
            || (word.len() == 3 && name.get(..3).is_some_and(|n| n.eq_ignore_ascii_case(word)))
    };
    word.is_empty()
        || WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
        || (word.len() <= 5 && word.chars().all(|c| c.is_ascii_uppercase()))
        || MONTHS.iter().chain(&WEEKDAYS).any(named)
}

/// `html` without its tags.
fn stamp_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Where the section headed by `h` is in `body`: the heading's start, its
/// end, and the start of the next heading of the same or a higher level
/// (or the body's end).
fn section_span(body: &str, h: &Heading) -> Option<(usize, usize, usize)> {
    let open = format!("<h{} id=\"{}\"", h.level, h.id);
    let start = body.find(&open)?;
    let close = format!("</h{}>", h.level);
    let heading_end = start + body[start..].find(&close)? + close.len();
    let rest = &body[heading_end..];
    let end = (1..=h.level)
        .filter_map(|l| rest.find(&format!("<h{l}")))
        .min()
        .map_or(body.len(), |e| heading_end + e);
    Some((start, heading_end, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(text: &str, id: &str) -> Heading {
        Heading {
            level: 2,
            id: id.to_owned(),
            text: text.to_owned(),
        }
    }

    const BODY: &str = "<h2 id=\"summary\">Summary</h2>\n<p>S</p>\n\
        <h2 id=\"timeline\">Timeline</h2>\n<p>10:00 a</p>\n<h3 id=\"x\">Detail</h3>\n<p>d</p>\n\
        <h2 id=\"action-items\">Action Items</h2>\n<ul><li>fix</li></ul>\n";

    fn toc() -> Vec<Heading> {
        vec![
            heading("Summary", "summary"),
            heading("Timeline", "timeline"),
            Heading {
                level: 3,
                ..heading("Detail", "x")
            },
            heading("Action Items", "action-items"),
        ]
    }

    #[test]
    fn both_sections_are_cut_out_with_their_subsections() {
        let parts = parts(BODY, &toc(), true, true);
        let kinds: Vec<&str> = parts.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["", "timeline", "actions"]);
        assert_eq!(parts[0].html, "<h2 id=\"summary\">Summary</h2>\n<p>S</p>\n");
        assert_eq!(parts[1].heading, "<h2 id=\"timeline\">Timeline</h2>");
        // The h3 belongs to the Timeline section; the next h2 ends it.
        assert_eq!(
            parts[1].html,
            "\n<p>10:00 a</p>\n<h3 id=\"x\">Detail</h3>\n<p>d</p>\n"
        );
        assert_eq!(parts[2].id, "action-items");
        assert_eq!(parts[2].html, "\n<ul><li>fix</li></ul>\n");
        // Nothing is lost: the parts put back together are the body.
        let joined: String = parts
            .iter()
            .map(|p| format!("{}{}", p.heading, p.html))
            .collect();
        assert_eq!(joined, BODY);
    }

    #[test]
    fn a_list_of_stamped_events_is_restated_by_the_event_list() {
        let texts = ["Alerts fire on <code>checkout</code>", "Rolled back"];
        let list = "\n<ul>\n<li>10:41 UTC — Alerts fire on <code>checkout</code></li>\n\
            <li><strong>2024-03-05 11:02</strong>: Rolled back</li>\n</ul>\n";
        assert!(restates(list, &texts));
        // Loose list items are paragraphs.
        let loose = "<ol>\n<li>\n<p>10:41 Alerts fire on <code>checkout</code></p>\n</li>\n\
            <li>\n<p>11:02 Rolled back</p>\n</li>\n</ol>";
        assert!(restates(loose, &texts));
    }

    #[test]
    fn lines_of_a_paragraph_and_rows_of_a_table_are_restated() {
        let texts = ["Alerts fire", "Rolled back"];
        let lines = "<p>10:41 - Alerts fire<br />\n11:02 - Rolled back</p>\n";
        assert!(restates(lines, &texts));
        let table = "<table><thead><tr><th>Time (ET)</th><th>Event</th></tr></thead><tbody>\n\
            <tr><td>2024-11-29 10:12</td><td>Alerts fire</td></tr>\n\
            <tr><td>2024-11-29 11:02</td><td>Rolled back</td></tr>\n</tbody></table>\n";
        assert!(restates(table, &texts));
        // A third column after the text says more.
        let wider = table.replace("Alerts fire</td>", "Alerts fire</td><td>Sofia</td>");
        assert!(!restates(&wider, &texts));
        // A line the parser did not take as an event.
        let more = "<p>10:41 - Alerts fire<br />\nThen a long wait.<br />\n11:02 - Rolled back</p>";
        assert!(!restates(more, &texts));
    }

    #[test]
    fn a_section_that_says_more_than_its_events_is_kept() {
        let texts = ["Alerts fire", "Rolled back"];
        let item = |a: &str, b: &str| format!("<ul>\n<li>{a}</li>\n<li>{b}</li>\n</ul>");
        // A paragraph beside the list.
        let more = format!(
            "<p>All times are approximate.</p>\n{}",
            item("10:41 Alerts fire", "11:02 Rolled back")
        );
        assert!(!restates(&more, &texts));
        // An item the parser read differently, or a note before the text.
        assert!(!restates(
            &item("10:41 Alerts fired", "11:02 Rolled back"),
            &texts
        ));
        assert!(!restates(
            &item(
                "10:41 (from the pager log, which lagged by minutes) Alerts fire",
                "11:02 Rolled back"
            ),
            &texts
        ));
        // A stamp with a word that is not part of a time says more.
        assert!(!restates(
            &item("10:41 (approx.) Alerts fire", "11:02 Rolled back"),
            &texts
        ));
        assert!(restates(
            &item("Tue 5 Mar, 10:41 PM PST: Alerts fire", "11:02 Rolled back"),
            &texts
        ));
        // A stamp with no digit is words, not a time.
        assert!(!restates(
            &item("Early on: Alerts fire", "11:02 Rolled back"),
            &texts
        ));
        // An item with no event, and a nested list.
        assert!(!restates(
            &item("10:41 Alerts fire", "11:02 Rolled back"),
            &texts[..1]
        ));
        let nested = "<ul>\n<li>10:41 Alerts fire<ul><li>pager</li></ul></li>\n<li>11:02 Rolled back</li>\n</ul>";
        assert!(!restates(nested, &texts));
    }

    #[test]
    fn a_section_with_nothing_to_replace_it_stays() {
        let parts = parts(BODY, &toc(), false, true);
        let kinds: Vec<&str> = parts.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["", "actions"]);
        assert!(parts[0].html.contains("10:00 a"));
        assert!(super::parts(BODY, &toc(), false, false).is_empty());
        assert!(has_section(&toc(), SectionKind::Summary));
    }
}
