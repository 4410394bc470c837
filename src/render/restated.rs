//! Whether what an incident page shows in place of an author's section
//! (the event list for the Timeline, the table for the Action Items) says
//! all the section says. Then the page does not fold the author's text
//! under it: the same events or items twice are most of a page's weight
//! for nothing. Anything the comparison does not recognise keeps the
//! author's text.

use memchr::memmem;

use super::incident::ActionView;
use crate::analysis::search::text::html_to_text;
use crate::content::infer::dates::{MONTHS, WEEKDAYS};

/// The longest stamp an item may start with before its text: a date, a
/// time and a zone, with their punctuation (`2024-03-05 14:02 UTC — `).
const MAX_STAMP: usize = 48;

/// Whether `section` (a section's HTML without its heading) says `texts`
/// in order and nothing else, each after at most a time stamp: as a list,
/// as lines of paragraphs, or as a table whose last column is the text.
/// The page's own list of them then loses nothing the author wrote.
pub fn timeline(section: &str, texts: &[&str]) -> bool {
    entries(section.trim()).is_some_and(|entries| {
        entries.len() == texts.len()
            && entries.iter().zip(texts).all(|(entry, text)| {
                let text = text.trim();
                !text.is_empty()
                    && entry.trim().strip_suffix(text).is_some_and(|stamp| {
                        let stamp = html_to_text(stamp);
                        stamp.len() <= MAX_STAMP
                            && stamp.bytes().any(|b| b.is_ascii_digit())
                            && stamp.split(|c: char| !c.is_alphabetic()).all(is_stamp_word)
                    })
            })
    })
}

/// The tags of the blocks a section may be made of.
const BLOCKS: [&str; 8] = [
    "<ul",
    "<ol",
    "<table",
    "<p>",
    "<blockquote",
    "<pre",
    "<h",
    "<div",
];

/// The entries of `html` when it is one flat list, one table, or only
/// paragraphs; `None` when it holds anything else.
fn entries(html: &str) -> Option<Vec<String>> {
    // How many times each tag opens, counted in one pass over the `<`s.
    let tags: Vec<&str> = html.match_indices('<').map(|(at, _)| &html[at..]).collect();
    let count = |tag: &str| tags.iter().filter(|t| t.starts_with(tag)).count();
    let others = |allowed: &[&str]| {
        BLOCKS
            .iter()
            .filter(|b| !allowed.contains(b))
            .any(|b| tags.iter().any(|t| t.starts_with(b)))
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

/// What stands between each `open` and the next `close` in `html` (each
/// `open` ends the piece before it, as `split` would): searched with
/// `memmem`, which the standard library's `split` took ten times as long
/// as.
fn inners<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let bytes = html.as_bytes();
    let close = memmem::Finder::new(close.as_bytes());
    let starts: Vec<usize> = memmem::find_iter(bytes, open.as_bytes()).collect();
    let ends = starts.iter().skip(1).copied().chain([html.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|(&at, next)| {
            let piece = &html[at + open.len()..next];
            close
                .find(piece.as_bytes())
                .map_or(piece, |end| &piece[..end])
        })
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

/// Words an action item's text may hold beside its title, owner, due date,
/// priority and status: the labels of those fields.
const ACTION_WORDS: [&str; 14] = [
    "owner", "owners", "assignee", "due", "by", "priority", "status", "open", "done", "closed",
    "todo", "in", "progress", "wontfix",
];

/// Whether `section` lists `items` in order and nothing else: each entry
/// the item's title with at most its owner, due date, priority and status
/// (and their labels) around it.
pub fn actions(section: &str, items: &[ActionView]) -> bool {
    entries(section.trim()).is_some_and(|entries| {
        entries.len() == items.len()
            && entries
                .iter()
                .zip(items)
                .all(|(entry, item)| says_only(&html_to_text(entry), item))
    })
}

/// Whether `text` is `item`'s title with only its fields around it.
fn says_only(text: &str, item: &ActionView) -> bool {
    let title = item.title.trim();
    let Some(at) = text.find(title).filter(|_| !title.is_empty()) else {
        return false;
    };
    let mut rest = format!("{} {}", &text[..at], &text[at + title.len()..]);
    let fields = [&item.owner, &item.due, &item.priority, &item.closed];
    for field in fields.into_iter().flatten() {
        rest = rest.replacen(field.as_str(), " ", 1);
    }
    let dated = item.due.is_some() || item.closed.is_some();
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .all(|word| {
            ACTION_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
                || word.eq_ignore_ascii_case(item.status)
                || (dated && (word.bytes().all(|b| b.is_ascii_digit()) || is_stamp_word(word)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_stamped_events_is_restated_by_the_event_list() {
        let texts = ["Alerts fire on <code>checkout</code>", "Rolled back"];
        let list = "\n<ul>\n<li>10:41 UTC — Alerts fire on <code>checkout</code></li>\n\
            <li><strong>2024-03-05 11:02</strong>: Rolled back</li>\n</ul>\n";
        assert!(timeline(list, &texts));
        // Loose list items are paragraphs.
        let loose = "<ol>\n<li>\n<p>10:41 Alerts fire on <code>checkout</code></p>\n</li>\n\
            <li>\n<p>11:02 Rolled back</p>\n</li>\n</ol>";
        assert!(timeline(loose, &texts));
    }

    #[test]
    fn lines_of_a_paragraph_and_rows_of_a_table_are_restated() {
        let texts = ["Alerts fire", "Rolled back"];
        let lines = "<p>10:41 - Alerts fire<br />\n11:02 - Rolled back</p>\n";
        assert!(timeline(lines, &texts));
        let table = "<table><thead><tr><th>Time (ET)</th><th>Event</th></tr></thead><tbody>\n\
            <tr><td>2024-11-29 10:12</td><td>Alerts fire</td></tr>\n\
            <tr><td>2024-11-29 11:02</td><td>Rolled back</td></tr>\n</tbody></table>\n";
        assert!(timeline(table, &texts));
        // A third column after the text says more.
        let wider = table.replace("Alerts fire</td>", "Alerts fire</td><td>Sofia</td>");
        assert!(!timeline(&wider, &texts));
        // A line the parser did not take as an event.
        let more = "<p>10:41 - Alerts fire<br />\nThen a long wait.<br />\n11:02 - Rolled back</p>";
        assert!(!timeline(more, &texts));
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
        assert!(!timeline(&more, &texts));
        // An item the parser read differently, or a note before the text.
        assert!(!timeline(
            &item("10:41 Alerts fired", "11:02 Rolled back"),
            &texts
        ));
        assert!(!timeline(
            &item(
                "10:41 (from the pager log, which lagged by minutes) Alerts fire",
                "11:02 Rolled back"
            ),
            &texts
        ));
        // A stamp with a word that is not part of a time says more.
        assert!(!timeline(
            &item("10:41 (approx.) Alerts fire", "11:02 Rolled back"),
            &texts
        ));
        assert!(timeline(
            &item("Tue 5 Mar, 10:41 PM PST: Alerts fire", "11:02 Rolled back"),
            &texts
        ));
        // A stamp with no digit is words, not a time.
        assert!(!timeline(
            &item("Early on: Alerts fire", "11:02 Rolled back"),
            &texts
        ));
        // An item with no event, and a nested list.
        assert!(!timeline(
            &item("10:41 Alerts fire", "11:02 Rolled back"),
            &texts[..1]
        ));
        let nested = "<ul>\n<li>10:41 Alerts fire<ul><li>pager</li></ul></li>\n<li>11:02 Rolled back</li>\n</ul>";
        assert!(!timeline(nested, &texts));
    }

    fn item(
        title: &str,
        owner: Option<&str>,
        due: Option<&str>,
        status: &'static str,
    ) -> ActionView {
        ActionView {
            title: title.to_owned(),
            owner: owner.map(str::to_owned),
            status,
            due: due.map(str::to_owned),
            priority: None,
            url: None,
            closed: None,
            overdue: false,
        }
    }

    #[test]
    fn a_checklist_of_the_items_is_restated_by_their_table() {
        let items = [
            item(
                "Managed certificates on every edge hostname",
                None,
                None,
                "done",
            ),
            item(
                "Bulkheads per payment method",
                Some("dana"),
                Some("2024-05-01"),
                "open",
            ),
        ];
        let list = "<ul>\n<li><input type=\"checkbox\" disabled checked aria-label=\"done\"> \
            Managed certificates on every edge hostname</li>\n\
            <li><input type=\"checkbox\" disabled aria-label=\"to do\"> Bulkheads per payment \
            method (owner: dana, due 2024-05-01)</li>\n</ul>\n";
        assert!(actions(list, &items));
        let table = "<table><thead><tr><th>Action</th><th>Owner</th><th>Status</th></tr></thead><tbody>\n\
            <tr><td>Managed certificates on every edge hostname</td><td></td><td>done</td></tr>\n\
            <tr><td>Bulkheads per payment method</td><td>dana</td><td>open</td></tr>\n</tbody></table>";
        assert!(actions(table, &items));
    }

    #[test]
    fn an_item_that_says_more_than_its_fields_keeps_the_text() {
        let items = [item(
            "Retry budget and jitter in clients",
            None,
            None,
            "done",
        )];
        let more = "<ul>\n<li>Retry budget and jitter in clients (mobile shipped in app version 8.14)</li>\n</ul>";
        assert!(!actions(more, &items));
        // A date the item does not carry as its due date.
        let dated = "<ul>\n<li>Retry budget and jitter in clients by May 3</li>\n</ul>";
        assert!(!actions(dated, &items));
        // A title the parser shortened or changed.
        let other = "<ul>\n<li>Retry budget in clients</li>\n</ul>";
        assert!(!actions(other, &items));
        // Two items written, one in the table.
        let two = "<ul>\n<li>Retry budget and jitter in clients</li>\n<li>Bulkheads</li>\n</ul>";
        assert!(!actions(two, &items));
    }

    /// The pieces before `memmem`, with the standard library's `split`.
    fn inners_by_split<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
        html.split(open)
            .skip(1)
            .map(|piece| piece.split(close).next().unwrap_or(piece))
            .collect()
    }

    #[test]
    fn inners_are_the_pieces_split_makes() {
        // Lists, tables and paragraphs with unclosed, nested and empty
        // items and text in other scripts, drawn from a fixed sequence.
        let pieces = [
            "<li>",
            "</li>",
            "<tr>",
            "</tr>",
            "<p>",
            "</p>",
            "<td>10:02</td>",
            "paged ",
            "Störung ",
            "復旧 ",
            "<li",
            "</",
            "<",
            "\n",
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..5_000 {
            let mut html = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for k in 0..(x % 24) {
                html.push_str(pieces[((x >> (k % 16 * 4)) as usize + k as usize) % pieces.len()]);
            }
            for (open, close) in [("<li>", "</li>"), ("<tr>", "</tr>"), ("<p>", "</p>")] {
                assert_eq!(
                    super::inners(&html, open, close),
                    inners_by_split(&html, open, close),
                    "{html:?}"
                );
            }
        }
    }
}
