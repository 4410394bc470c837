//! An incident's body cut around the sections the page shows its own way,
//! so that each thing is said once: the Timeline section (the numbered
//! event list tied to the diagram takes its place) and the Action Items
//! section (the table of action items takes its place). The page keeps the
//! author's text of both, folded under what replaced it. The Summary
//! section is found too: the page then does not repeat the summary above
//! the body.

use memchr::memmem;
use serde::Serialize;

use super::format::{concat, push_count};

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
    /// [`super::restated`]): then the page does not repeat the author's text.
    pub restated: bool,
}

/// The kind each heading of `toc` names (see [`kind_of`]), found once for
/// what [`has_section`] and [`parts`] ask.
pub fn kinds(toc: &[Heading]) -> Vec<Option<SectionKind>> {
    toc.iter().map(|h| kind_of(&h.text)).collect()
}

/// Whether the body has a section of `kind` in its table of contents, of
/// whose headings `kinds` are the kinds.
pub fn has_section(kinds: &[Option<SectionKind>], kind: SectionKind) -> bool {
    kinds.contains(&Some(kind))
}

/// `body` in parts around its first Timeline section (when `timeline`, the
/// page has events to list) and its first Action Items section (when
/// `actions`, the page has items for its table); empty when neither is
/// cut out, and the page shows `body` whole. `kinds` are the kinds of the
/// headings of `toc` (see [`kinds`]).
pub fn parts(
    body: &str,
    toc: &[Heading],
    kinds: &[Option<SectionKind>],
    timeline: bool,
    actions: bool,
) -> Vec<BodyPart> {
    let mut cuts: Vec<(usize, usize, usize, &'static str, &Heading)> = Vec::new();
    for (kind, wanted, name) in [
        (SectionKind::Timeline, timeline, "timeline"),
        (SectionKind::Actions, actions, "actions"),
    ] {
        let heading = toc
            .iter()
            .zip(kinds)
            .find(|(_, k)| **k == Some(kind))
            .map(|(h, _)| h);
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

/// Where the section headed by `h` is in `body`: the heading's start, its
/// end, and the start of the next heading of the same or a higher level
/// (or the body's end). Searched with `memmem` (a body is kilobytes; the
/// standard library's search took a tenth of an incident page's own work).
fn section_span(body: &str, h: &Heading) -> Option<(usize, usize, usize)> {
    let find = |hay: &str, needle: &str| memmem::find(hay.as_bytes(), needle.as_bytes());
    // `<hN`, without `format!` (a page looks for two sections, a dozen tags).
    let tag = |prefix: &str, level: u8| {
        let mut tag = String::with_capacity(prefix.len() + 3);
        tag.push_str(prefix);
        push_count(&mut tag, u64::from(level));
        tag
    };
    let level = tag("", h.level);
    let open = concat(&["<h", &level, " id=\"", &h.id, "\""]);
    let start = find(body, &open)?;
    let close = concat(&["</h", &level, ">"]);
    let heading_end = start + find(&body[start..], &close)? + close.len();
    let rest = &body[heading_end..];
    let end = (1..=h.level)
        .filter_map(|l| find(rest, &tag("<h", l)))
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
        let parts = parts(BODY, &toc(), &super::kinds(&toc()), true, true);
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
    fn a_section_with_nothing_to_replace_it_stays() {
        let parts = parts(BODY, &toc(), &super::kinds(&toc()), false, true);
        let kinds: Vec<&str> = parts.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["", "actions"]);
        assert!(parts[0].html.contains("10:00 a"));
        assert!(super::parts(BODY, &toc(), &super::kinds(&toc()), false, false).is_empty());
        assert!(has_section(&super::kinds(&toc()), SectionKind::Summary));
        assert!(!has_section(&super::kinds(&toc()), SectionKind::Impact));
    }

    /// The search before `memmem`, with the standard library's `find`.
    fn section_span_by_str_find(body: &str, h: &Heading) -> Option<(usize, usize, usize)> {
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

    #[test]
    fn sections_are_found_where_the_standard_search_finds_them() {
        // Bodies of headings (levels 1 to 4, some unclosed), paragraphs,
        // rules and headers (`<hr>`, `<header>` also start with `<h`), and
        // text in other scripts, drawn from a fixed sequence.
        let pieces = [
            "<p>Ledger lag grew.</p>\n",
            "<hr />\n",
            "<header>Über die Störung</header>\n",
            "<p>復旧まで 40 分</p>\n",
            "<ul><li>10:02 paged</li></ul>\n",
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n) as usize
        };
        for _ in 0..2_000 {
            let mut body = String::new();
            let mut headings = Vec::new();
            for k in 0..next(12) {
                if next(3) == 0 {
                    let level = next(4) as u8 + 1;
                    let id = ["timeline", "action-items", "summary", "x"][next(4)];
                    let id = format!("{id}-{}", k % 3);
                    body.push_str(&format!("<h{level} id=\"{id}\">Heading</h"));
                    if next(8) != 0 {
                        body.push_str(&format!("{level}>"));
                    }
                    headings.push(Heading {
                        level,
                        id,
                        text: "Timeline".to_owned(),
                    });
                } else {
                    body.push_str(pieces[next(pieces.len() as u64)]);
                }
            }
            headings.push(heading("Missing", "not-there"));
            for h in &headings {
                assert_eq!(
                    section_span(&body, h),
                    section_span_by_str_find(&body, h),
                    "{body:?} {h:?}"
                );
            }
        }
    }
}
