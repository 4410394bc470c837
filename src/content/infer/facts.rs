//! The facts besides the window: the title, the share of users affected,
//! the root cause sentence, and the action items of the measures or tasks
//! section.

use std::path::Path;

use super::text::{self, list_item, plain};
use crate::model::{ActionItem, ActionStatus};

/// The title from the first heading's text, without a "Postmortem:" lead.
pub fn title_from_heading(heading: &str) -> Option<String> {
    let mut t = plain(heading);
    for lead in [
        "postmortem",
        "post-mortem",
        "post mortem",
        "incident report",
        "incident",
    ] {
        if t.get(..lead.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(lead))
        {
            let rest = t[lead.len()..].trim_start();
            if let Some(rest) = rest.strip_prefix([':', '-', '—', '–']) {
                t = rest.trim().to_owned();
                break;
            }
        }
    }
    (!t.is_empty()).then_some(t)
}

/// The title from the file name.
pub fn title_from_path(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().trim().to_owned())
        .unwrap_or_default()
}

/// A title from a line of text: its first sentence, cut at a word to at
/// most 70 characters with an ellipsis. `None` for a line with no words.
pub fn title_from_sentence(line: &str) -> Option<String> {
    let t = plain(line.trim().trim_start_matches(['#', '>', '-', '*', ' ']));
    if !t.chars().any(char::is_alphabetic) || t.starts_with(['|', '<', '`']) {
        return None;
    }
    let sentence = t.split_inclusive(". ").next().unwrap_or(&t);
    let sentence = sentence.trim().trim_end_matches('.');
    if sentence.chars().count() <= 70 {
        return Some(sentence.to_owned());
    }
    let cut: String = sentence.chars().take(70).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    Some(format!("{}…", cut[..at].trim_end_matches([',', ';', ':'])))
}

pub const USER_WORDS: [&str; 14] = [
    "user",
    "partner",
    "customer",
    "client",
    "visitor",
    "subscriber",
    "shopper",
    "player",
    "member",
    "account",
    "merchant",
    "tenant",
    "people",
    "buyer",
];
const NOT_USERS: [&str; 10] = [
    "request",
    "traffic",
    "cpu",
    "memory",
    "disk",
    "capacity",
    "error",
    "utili",
    "threshold",
    "ip",
];

/// The share of users affected ("85% of users", "approximately 85 percent
/// of customers"): a percentage in a sentence about users, not followed by
/// a word for something else (requests, CPU, ...).
pub fn users_pct(line: &str) -> Option<f64> {
    let lower = line.to_lowercase();
    lower
        .split(". ")
        .filter(|sentence| USER_WORDS.iter().any(|w| sentence.contains(w)))
        .flat_map(percentages)
        .find_map(|(pct, after)| {
            let next = after
                .trim_start()
                .trim_start_matches("of ")
                .trim_start_matches("all ")
                .trim_start_matches("our ")
                .trim_start_matches("the ");
            (!NOT_USERS.iter().any(|w| next.starts_with(w))).then_some(pct)
        })
}

/// Each percentage from 0 to 100 in `text` ("85%", "12.5 percent") that
/// does not end a word or version number, with the text after its sign.
pub fn percentages(text: &str) -> Vec<(f64, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        let len = rest[i..]
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let number = rest[i..i + len].trim_end_matches('.');
        let after = rest[i + len..].trim_start();
        let preceded = rest[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '.');
        let sign = ["%", "percent", "per cent"]
            .iter()
            .find_map(|s| after.strip_prefix(s));
        if let (Some(after), false, Ok(pct)) = (sign, preceded, number.parse::<f64>())
            && (0.0..=100.0).contains(&pct)
        {
            out.push((pct, after));
        }
        rest = &rest[i + len.max(1)..];
    }
    out
}

/// The first sentence of `text`, Markdown marks removed.
pub fn first_sentence(text: &str) -> Option<String> {
    let text = plain(text);
    let mut end = text.len();
    for (i, _) in text.match_indices(". ") {
        if text[i + 2..].starts_with(|c: char| c.is_uppercase()) {
            end = i + 1;
            break;
        }
    }
    let s = text[..end].trim();
    (s.len() > 3).then(|| s.to_owned())
}

/// A summary sentence that names the root cause ("The root cause was ...").
pub fn root_cause_sentence(line: &str) -> Option<String> {
    let text = plain(line);
    let lower = text.to_ascii_lowercase();
    let at = lower
        .find("root cause was")
        .or_else(|| lower.find("root cause is"))
        .or_else(|| lower.find("caused by"))?;
    let start = text[..at].rfind(". ").map_or(0, |i| i + 2);
    first_sentence(&text[start..])
}

/// The root cause from a Root Cause section's lines: the first sentence of
/// its first paragraph or list item that is not a label, outside fenced
/// code. A sentence that ends with a colon to introduce a block below it
/// ("... still probed the old path:") is prose, not a label.
pub fn root_cause_in_section(lines: &[(usize, &str)]) -> Option<(String, usize)> {
    let mut fence: Option<&str> = None;
    lines.iter().find_map(|&(n, line)| {
        let t = line.trim();
        if let Some(open) = fence {
            if t.starts_with(open) {
                fence = None;
            }
            return None;
        }
        if let Some(mark) = ["```", "~~~"].into_iter().find(|m| t.starts_with(m)) {
            fence = Some(mark);
            return None;
        }
        let t = list_item(t).map_or(t, |(_, rest)| rest);
        let bare = plain(t);
        if bare.is_empty() || is_label(&bare) || t.starts_with(['#', '|', '`', '<', '>']) {
            return None;
        }
        let sentence = first_sentence(t)?;
        let sentence = match sentence.strip_suffix(':') {
            Some(lead) => format!("{}.", lead.trim_end()),
            None => sentence,
        };
        Some((sentence, n))
    })
}

/// A line that only names what follows: it ends with a colon and is a few
/// words long ("Root Cause:", "Contributing factors:").
fn is_label(bare: &str) -> bool {
    bare.ends_with(':') && bare.split_whitespace().count() <= 5
}

/// Labels of the list that holds the tasks, when a section also lists
/// improvements or lessons.
pub const TASK_LABELS: [&str; 8] = [
    "tasks",
    "action items",
    "actions",
    "follow-ups",
    "follow ups",
    "todo",
    "to do",
    "next steps",
];

/// The action items of a measures or tasks section: the lines under a
/// "Tasks:" label when there is one, else the section's top-level list
/// items, else its table rows, else the lines of its first paragraph.
pub fn actions(lines: &[(usize, &str)]) -> Vec<(ActionItem, usize)> {
    let label = lines.iter().position(|(_, l)| {
        let bare = plain(l).to_lowercase();
        let bare = bare.trim();
        TASK_LABELS.contains(&bare.strip_suffix(':').unwrap_or(bare).trim())
    });
    if let Some(at) = label {
        let block = lines
            .iter()
            .skip(at + 1)
            .skip_while(|(_, l)| l.trim().is_empty())
            .take_while(|(_, l)| !l.trim().is_empty());
        return block
            .filter_map(|&(n, l)| item(list_item(l).map_or(l, |(_, r)| r)).map(|a| (a, n)))
            .collect();
    }
    let base = lines
        .iter()
        .filter_map(|(_, l)| list_item(l).map(|(indent, _)| indent))
        .min();
    if let Some(base) = base {
        return lines
            .iter()
            .filter_map(|&(n, l)| {
                list_item(l)
                    .filter(|(indent, _)| *indent == base)
                    .and_then(|(_, r)| item(r))
                    .map(|a| (a, n))
            })
            .collect();
    }
    let rows = table_actions(lines);
    if !rows.is_empty() {
        return rows;
    }
    let paragraph: Vec<(usize, &str)> = lines
        .iter()
        .skip_while(|(_, l)| l.trim().is_empty())
        .take_while(|(_, l)| !l.trim().is_empty())
        .copied()
        .collect();
    if let Some(promises) = commitments(&paragraph) {
        return promises;
    }
    paragraph
        .iter()
        .filter_map(|&(n, l)| item(l).map(|a| (a, n)))
        .collect()
}

/// A hard-wrapped paragraph of prose that makes several promises ("We
/// will ask ..., we will add ..., and we will give ..."): one action per
/// "we will", at the paragraph's first line. None when the lines are not
/// one wrapped paragraph (each line ends a sentence: one action a line)
/// or it makes fewer than two promises.
fn commitments(paragraph: &[(usize, &str)]) -> Option<Vec<(ActionItem, usize)>> {
    let (&(first, _), init) = paragraph.split_first()?;
    let wrapped = !init.is_empty()
        && paragraph[..paragraph.len() - 1]
            .iter()
            .all(|(_, l)| !l.trim_end().ends_with(['.', '!', '?', ':', ';']));
    if !wrapped {
        return None;
    }
    let text = paragraph
        .iter()
        .map(|(_, l)| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    // ASCII lower case keeps byte offsets, so they index `text` too.
    let lower = text.to_ascii_lowercase();
    let mut starts: Vec<(usize, usize)> = ["we will ", "we'll "]
        .iter()
        .flat_map(|w| lower.match_indices(w).map(|(i, _)| (i, w.len())))
        .collect();
    if starts.len() < 2 {
        return None;
    }
    starts.sort_unstable();
    let mut out = Vec::new();
    for (k, &(at, len)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(text.len(), |&(next, _)| next);
        let promise = text[at + len..end]
            .trim_end_matches(|c: char| c == ',' || c == '.' || c.is_whitespace())
            .trim_end_matches(" and")
            .trim_end_matches(',');
        let mut chars = promise.chars();
        let Some(head) = chars.next() else { continue };
        let title = format!("{}{}", head.to_uppercase(), chars.as_str());
        out.extend(item(&title).map(|a| (a, first)));
    }
    (out.len() >= 2).then_some(out)
}

/// One action from the text of an item: `[x]` and a trailing "(done)" mark
/// it done.
fn item(text: &str) -> Option<ActionItem> {
    let mut t = text.trim();
    let mut status = ActionStatus::Open;
    for (mark, s) in [
        ("[ ]", ActionStatus::Open),
        ("[x]", ActionStatus::Done),
        ("[X]", ActionStatus::Done),
    ] {
        if let Some(rest) = t.strip_prefix(mark) {
            t = rest.trim_start();
            status = s;
        }
    }
    let mut title = plain(t);
    if let Some(rest) = title.strip_suffix("(done)") {
        title = rest.trim().to_owned();
        status = ActionStatus::Done;
    }
    if title.is_empty()
        || title.starts_with(['|', '+', '#'])
        || title.chars().all(|c| !c.is_alphanumeric())
    {
        return None;
    }
    let (title, owner) = owner_of(&title);
    Some(ActionItem {
        title,
        owner,
        status,
        due: None,
        priority: None,
        url: None,
        closed: None,
        team: None,
    })
}

/// An item's owner when its text ends by naming one: "(owner: netops)",
/// "(dana)", "-- Jonas", "— @priya". The name is one to three words of
/// letters, and no word of state or priority ("(high priority)" is none).
fn owner_of(title: &str) -> (String, Option<String>) {
    let t = title.trim_end();
    let split = t
        .strip_suffix(')')
        .and_then(|inner| inner.rfind('(').map(|i| (&t[..i], &inner[i + 1..])))
        .or_else(|| {
            ["--", "—", "–"]
                .iter()
                .filter_map(|d| t.rfind(&format!(" {d} ")).map(|i| (i, d.len() + 2)))
                .max()
                .map(|(i, len)| (&t[..i], &t[i + len..]))
        });
    let Some((rest, who)) = split else {
        return (title.to_owned(), None);
    };
    let who = who.trim();
    let who = who
        .strip_prefix("owner:")
        .or_else(|| who.strip_prefix("Owner:"))
        .unwrap_or(who)
        .trim()
        .trim_start_matches('@');
    const NOT_NAMES: [&str; 28] = [
        "priority", "urgent", "done", "todo", "blocked", "wip", "p0", "p1", "p2", "p3", "optional",
        "ongoing", "tbd", "it", "is", "was", "are", "the", "a", "an", "to", "and", "or", "we",
        "for", "of", "then", "see",
    ];
    let words: Vec<&str> = who.split_whitespace().collect();
    // Several words are a name when each starts with a capital ("Priya
    // Shah", not "issue created"); one word is a handle unless it reads as
    // a state ("monitoring", "deployed", "weekly").
    let named = match words.as_slice() {
        [one] => {
            let lower = one.to_lowercase();
            one.starts_with(char::is_uppercase)
                || !["ing", "ed", "ly"].iter().any(|s| lower.ends_with(s))
        }
        several => several.iter().all(|w| w.starts_with(char::is_uppercase)),
    };
    let name = named
        && (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\''))
                && !NOT_NAMES.contains(&w.to_lowercase().as_str())
        })
        && !rest.trim().is_empty();
    if name {
        (rest.trim_end().to_owned(), Some(who.to_owned()))
    } else {
        (title.to_owned(), None)
    }
}

/// The action items of a table: a Markdown table (a rule under its
/// header) or rows pasted with tabs under a header of column names
/// ("Owner<TAB>Action<TAB>Due"), one item a row.
fn table_actions(lines: &[(usize, &str)]) -> Vec<(ActionItem, usize)> {
    let piped: Vec<(usize, Vec<String>)> = lines
        .iter()
        .filter(|(_, l)| l.trim().starts_with('|'))
        .map(|&(n, l)| {
            (
                n,
                l.trim().trim_matches('|').split('|').map(plain).collect(),
            )
        })
        .collect();
    let rule = |cells: &[String]| {
        cells
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
    };
    if let Some(((_, header), body)) = piped.split_first() {
        // A table has a rule under its header; box drawings do not.
        if body.first().is_some_and(|(_, cells)| rule(cells)) {
            let body: Vec<&(usize, Vec<String>)> =
                body.iter().filter(|(_, cells)| !rule(cells)).collect();
            return rows(header, &body);
        }
        return Vec::new();
    }
    let tabbed: Vec<(usize, Vec<String>)> = lines
        .iter()
        .filter(|(_, l)| l.contains('\t'))
        .map(|&(n, l)| (n, l.split('\t').map(plain).collect()))
        .collect();
    match tabbed.split_first() {
        Some(((_, header), body)) if is_header(header) => {
            rows(header, &body.iter().collect::<Vec<_>>())
        }
        _ => Vec::new(),
    }
}

/// Column names of an action table.
const COLUMNS: [&str; 14] = [
    "action",
    "task",
    "item",
    "title",
    "description",
    "owner",
    "assignee",
    "who",
    "status",
    "state",
    "due",
    "priority",
    "ticket",
    "team",
];

/// A row of column names only, one of them naming the action.
fn is_header(cells: &[String]) -> bool {
    let named = |c: &String| {
        let c = c.to_lowercase();
        COLUMNS.iter().any(|n| c.contains(n))
    };
    cells.iter().filter(|c| !c.is_empty()).all(named)
        && cells.iter().any(|c| {
            ["action", "task", "item"]
                .iter()
                .any(|n| c.to_lowercase().contains(n))
        })
}

/// One action a row, its title, owner and status from the columns the
/// header names.
fn rows(header: &[String], body: &[&(usize, Vec<String>)]) -> Vec<(ActionItem, usize)> {
    let col = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.to_lowercase().contains(n)))
    };
    let title_col = col(&["action", "task", "item", "title", "description"]).unwrap_or(0);
    let owner_col = col(&["owner", "assignee", "who"]);
    let status_col = col(&["status", "state"]);
    body.iter()
        .filter_map(|(n, cells)| {
            let mut a = item(cells.get(title_col)?)?;
            if let Some(owner) = owner_col
                .and_then(|c| cells.get(c))
                .filter(|o| !o.is_empty())
            {
                a.owner = Some(owner.clone());
            }
            if let Some(s) = status_col
                .and_then(|c| cells.get(c))
                .and_then(|s| ActionStatus::parse(s))
            {
                a.status = s;
            }
            Some((a, *n))
        })
        .collect()
}

/// A metadata list value split into items: "a, b and c".
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .map(|p| text::plain(p).trim_end_matches('.').trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            title_from_heading("Postmortem: Outage on June 8, 2024").unwrap(),
            "Outage on June 8, 2024"
        );
        assert_eq!(
            title_from_heading("Incident report - DB failover").unwrap(),
            "DB failover"
        );
        assert_eq!(
            title_from_heading("Incidental **DNS** trouble").unwrap(),
            "Incidental DNS trouble"
        );
    }

    #[test]
    fn shares_of_users() {
        assert_eq!(
            users_pct("Approximately 85% of users were affected."),
            Some(85.0)
        );
        assert_eq!(
            users_pct("approximately 85 percent of our customers"),
            Some(85.0)
        );
        assert_eq!(
            users_pct("Users saw errors on 12.5% of page loads"),
            Some(12.5)
        );
        assert_eq!(users_pct("users hit errors: 40% of requests failed"), None);
        assert_eq!(users_pct("threshold raised from 85% to 90%"), None);
        assert_eq!(users_pct("v1.5% users"), None);
    }

    #[test]
    fn root_cause_sentences() {
        assert_eq!(
            root_cause_sentence(
                "In the afternoon it failed. The root cause was a Grafana Agent pod. Then more."
            )
            .unwrap(),
            "The root cause was a Grafana Agent pod."
        );
        let lines = [
            (1, "Root Cause:"),
            (2, "The outage was caused by a leak. It grew."),
        ];
        assert_eq!(
            root_cause_in_section(&lines).unwrap(),
            ("The outage was caused by a leak.".into(), 2)
        );
        // A sentence that introduces a code block is the cause; the code is
        // never read, even when the sentence is missing.
        let lines = [
            (1, "Contributing factors:"),
            (2, "The proxy still probed the old health check path:"),
            (3, "```yaml"),
            (4, "path: /healthz   # 404 on 4.18"),
            (5, "```"),
        ];
        assert_eq!(
            root_cause_in_section(&lines).unwrap(),
            (
                "The proxy still probed the old health check path.".into(),
                2
            )
        );
        assert_eq!(root_cause_in_section(&[lines[2], lines[3], lines[4]]), None);
    }

    #[test]
    fn owners_named_at_the_end() {
        let of = |t: &str| owner_of(t);
        let pair = |t: &str, o: Option<&str>| (t.to_owned(), o.map(str::to_owned));
        assert_eq!(
            of("Alert on expiring certificates (owner: netops)"),
            pair("Alert on expiring certificates", Some("netops"))
        );
        assert_eq!(
            of("pin libvips and add a load test (dana)"),
            pair("pin libvips and add a load test", Some("dana"))
        );
        assert_eq!(
            of("Make the job fail on timeout -- Mo"),
            pair("Make the job fail on timeout", Some("Mo"))
        );
        assert_eq!(of("Page on disk use — @priya").1.as_deref(), Some("priya"));
        for kept in [
            "Raise the limit (high priority)",
            "Upgrade to v1.2 (see INC-12)",
            "Retry once (then alert the on-call team lead now)",
            "Read the config -- it is stale",
            "Alert when logs are not shipped (issue created)",
            "Add alarms for Fluentd (per node)",
            "Scan the images (monitoring)",
        ] {
            assert_eq!(of(kept), pair(kept, None), "{kept}");
        }
    }

    #[test]
    fn rows_pasted_with_tabs_under_column_names() {
        let lines = [
            (20, "Owner\tAction\tDue"),
            (
                21,
                "Sam\tPool connections in the dashboard service\t2025-02-25",
            ),
            (22, "Ines\tAlert on the connection count\t2025-02-18"),
        ];
        let got: Vec<(String, Option<String>, usize)> = actions(&lines)
            .into_iter()
            .map(|(a, n)| (a.title, a.owner, n))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Pool connections in the dashboard service".into(),
                    Some("Sam".into()),
                    21
                ),
                (
                    "Alert on the connection count".into(),
                    Some("Ines".into()),
                    22
                ),
            ]
        );
        // Tab-separated lines under no header of column names are lines.
        let lines = [(1, "Sam\tpool connections"), (2, "Ines\talert")];
        assert_eq!(actions(&lines).len(), 2);
    }

    #[test]
    fn promises_in_a_wrapped_paragraph() {
        let lines = [
            (
                12,
                "We will ask the provider to include us in their change notifications, we",
            ),
            (
                13,
                "will add a synthetic card transaction every five minutes, and we will give",
            ),
            (14, "store managers a fallback procedure."),
        ];
        let got: Vec<(String, usize)> = actions(&lines)
            .into_iter()
            .map(|(a, n)| (a.title, n))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Ask the provider to include us in their change notifications".into(),
                    12
                ),
                (
                    "Add a synthetic card transaction every five minutes".into(),
                    12
                ),
                ("Give store managers a fallback procedure".into(), 12),
            ]
        );
        // Text whose lower case is longer than it ("İ") cuts where it should.
        let lines = [
            (1, "We will ask İstanbul ops to page us, we"),
            (2, "will add an alert."),
        ];
        let titles: Vec<String> = actions(&lines).into_iter().map(|(a, _)| a.title).collect();
        assert_eq!(titles, ["Ask İstanbul ops to page us", "Add an alert"]);
        // One sentence a line is one action a line, "we will" or not.
        let lines = [
            (1, "We will check pool limits."),
            (2, "We will add an alert."),
        ];
        assert_eq!(actions(&lines).len(), 2);
    }

    #[test]
    fn actions_under_a_tasks_label() {
        let lines = [
            (1, "Improvements:"),
            (2, "Improve things."),
            (3, "Tasks:"),
            (4, "Patch: fix it."),
            (5, "Upgrade**: more."),
            (6, ""),
            (7, "junk"),
        ];
        let got: Vec<String> = actions(&lines).into_iter().map(|(a, _)| a.title).collect();
        assert_eq!(got, ["Patch: fix it.", "Upgrade: more."]);
    }

    #[test]
    fn actions_from_lists_and_tables() {
        let lines = [
            (1, "- [x] **Pin** the AMI"),
            (2, "    - sub item"),
            (3, "- Add alerts (done)"),
            (4, "- Write docs"),
        ];
        let got = actions(&lines);
        assert_eq!(got.len(), 3);
        assert_eq!(
            (got[0].0.title.as_str(), got[0].0.status),
            ("Pin the AMI", ActionStatus::Done)
        );
        assert_eq!(got[1].0.status, ActionStatus::Done);
        let table = [
            (1, "| Action | Owner | Status |"),
            (2, "|---|---|---|"),
            (3, "| Add alert | ana | done |"),
        ];
        let got = actions(&table);
        assert_eq!(
            (got[0].0.owner.as_deref(), got[0].0.status),
            (Some("ana"), ActionStatus::Done)
        );
    }
}
