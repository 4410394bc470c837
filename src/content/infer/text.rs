//! The text inference reads. HTML fragments pasted into a postmortem become
//! the Markdown they stand for (`<h2>` a heading, `<li>` a list item, `<tr>`
//! a table row), each resulting line keeping the file line it came from; and
//! the `Key: value` metadata a document states in bold lines, lists ("Stats")
//! and two-column tables is collected under canonical keys.

/// The body as logical lines, each with its 1-based file line.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    /// The logical lines joined with `\n`.
    pub text: String,
    /// For logical line `i`, the file line it came from.
    pub file_line: Vec<usize>,
}

impl Lines {
    /// The file line of logical line `i` (0-based).
    pub fn file_line(&self, i: usize) -> usize {
        self.file_line.get(i).copied().unwrap_or(1)
    }
}

/// Turns `body` (starting at file line `body_line`) into logical lines.
pub fn normalize(body: &str, body_line: usize) -> Lines {
    let mut out = Lines::default();
    let mut in_comment = false;
    for (i, line) in body.lines().enumerate() {
        let uncommented = without_comments(line, &mut in_comment);
        let line = uncommented.as_str();
        let pieces = if has_tag(line) {
            html_line(line)
        } else {
            vec![line.to_owned()]
        };
        for piece in pieces {
            if !out.file_line.is_empty() {
                out.text.push('\n');
            }
            out.text.push_str(&piece);
            out.file_line.push(body_line + i);
        }
    }
    out
}

/// `line` less its HTML comments (`<!-- ... -->`, which may span lines:
/// `in_comment` carries that from line to line). Nothing in a comment is
/// read.
fn without_comments(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        }
        match rest.find("<!--") {
            Some(start) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + 4..];
                *in_comment = true;
            }
            None => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

const TAGS: [&str; 27] = [
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "br", "li", "ul", "ol", "tr", "td", "th",
    "table", "thead", "tbody", "strong", "b", "em", "i", "span", "a", "code", "section", "hr",
];

/// The tag name at the start of `s` (just after `<`), when it is one kb knows.
fn tag_name(s: &str) -> Option<(bool, &'static str)> {
    let (closing, rest) = match s.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = rest[..len].to_ascii_lowercase();
    let after = rest[len..].chars().next();
    let known = TAGS.iter().find(|t| **t == name)?;
    matches!(after, Some('>' | ' ' | '/')).then_some((closing, *known))
}

/// Whether `line` is HTML: it starts with a tag kb knows, or closes one
/// (`<li>` in the middle of a chat line is someone's nickname).
fn has_tag(line: &str) -> bool {
    let t = line.trim_start();
    t.strip_prefix('<')
        .is_some_and(|rest| tag_name(rest).is_some())
        || line
            .match_indices("</")
            .any(|(i, _)| tag_name(&line[i + 1..]).is_some())
}

/// One line with HTML tags, as the Markdown lines it stands for.
fn html_line(line: &str) -> Vec<String> {
    let mut md = String::with_capacity(line.len());
    let mut rest = line;
    let last_gt = line.rfind('>');
    while let Some(lt) = rest.find('<') {
        md.push_str(&rest[..lt]);
        // With no `>` after this `<` no tag can close: the rest is text.
        // (Looking for one per `<` would be quadratic on a long line.)
        if last_gt.is_none_or(|gt| gt < line.len() - rest.len() + lt) {
            rest = &rest[lt..];
            break;
        }
        let after = &rest[lt + 1..];
        match tag_name(after).and_then(|tag| Some((tag, after.find('>')?))) {
            Some(((closing, name), gt)) => {
                md.push_str(markdown_for(name, closing));
                rest = &after[gt + 1..];
            }
            _ => {
                md.push('<');
                rest = after;
            }
        }
    }
    md.push_str(rest);
    let md = decode_entities(&md);
    let lines: Vec<String> = md
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

fn markdown_for(tag: &str, closing: bool) -> &'static str {
    match (tag, closing) {
        ("h1", false) => "\n# ",
        ("h2", false) => "\n## ",
        ("h3", false) => "\n### ",
        ("h4" | "h5" | "h6", false) => "\n#### ",
        ("li", false) => "\n- ",
        ("tr", false) => "\n|",
        ("td" | "th", false) => " ",
        ("td" | "th", true) => " |",
        ("strong" | "b", _) => "**",
        (
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "div" | "li" | "tr" | "br" | "table"
            | "ul" | "ol" | "hr",
            _,
        ) => "\n",
        _ => "",
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    [
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&mdash;", "—"),
        ("&ndash;", "–"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(s.to_owned(), |acc, (from, to)| acc.replace(from, to))
}

/// What a metadata key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKey {
    /// The incident's date.
    Date,
    /// When impact began.
    Start,
    /// When impact ended.
    End,
    /// How long it lasted, or the range it lasted.
    Duration,
    /// Time from start to detection.
    TimeToDetect,
    /// Time from start to recovery.
    TimeToRecover,
    /// Severity level.
    Severity,
    /// Affected services.
    Services,
    /// A category, kept as a tag.
    Category,
    /// The root cause.
    RootCause,
    /// The impact, in words.
    Impact,
    /// Who wrote it.
    Authors,
}

/// One `Key: value` a document states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The canonical key.
    pub key: MetaKey,
    /// The key as written, for messages ("Duration of Outage").
    pub label: String,
    /// The value, trimmed, Markdown emphasis removed.
    pub value: String,
    /// 1-based file line.
    pub line: usize,
}

fn normalize_key(key: &str) -> String {
    let words: String = key
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical key a written key names.
pub fn meta_key(key: &str) -> Option<MetaKey> {
    let key = normalize_key(key);
    let key = key.as_str();
    Some(match key {
        "date" | "incident date" | "date of incident" | "date of outage" => MetaKey::Date,
        "start" | "started" | "start time" | "started at" | "began" | "impact start"
        | "incident start" | "outage start" | "start of impact" => MetaKey::Start,
        "end" | "ended" | "end time" | "ended at" | "resolved" | "resolved at"
        | "resolution time" | "impact end" | "incident end" | "outage end" | "end of impact"
        | "recovered" => MetaKey::End,
        "duration" | "duration of outage" | "outage duration" | "incident duration"
        | "total downtime" | "downtime" | "duration of impact" | "impact window"
        | "outage window" | "incident window" => MetaKey::Duration,
        "time to detection" | "time to detect" | "ttd" | "mttd" => MetaKey::TimeToDetect,
        "time to recovery" | "time to recover" | "time to resolve" | "time to resolution"
        | "ttr" | "mttr" => MetaKey::TimeToRecover,
        "severity" | "sev" | "severity level" => MetaKey::Severity,
        "services"
        | "service"
        | "affected services"
        | "affected service"
        | "services affected"
        | "systems affected"
        | "affected systems"
        | "product"
        | "products"
        | "components"
        | "affected components" => MetaKey::Services,
        "category" | "categories" => MetaKey::Category,
        "root cause" | "root causes" => MetaKey::RootCause,
        "impact" | "users affected" | "affected users" | "customer impact" | "user impact" => {
            MetaKey::Impact
        }
        "author" | "authors" | "written by" => MetaKey::Authors,
        _ => return None,
    })
}

/// Words that a time follows in a sentence.
const TIME_LEADS: [&str; 10] = [
    "from", "at", "until", "till", "since", "by", "around", "to", "after", "before",
];

/// Lines with hard-wrapped sentences joined, each at the file line it
/// starts on: a line of prose joins the one right above it unless that
/// ends a sentence, this one opens a list item or a timeline entry, or
/// `alone` says either stands alone (a `Key: value` line).
pub fn unwrap(lines: &[(usize, &str)], alone: impl Fn(usize) -> bool) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut last = None;
    for &(line, text) in lines {
        // A time a hard wrap put at a line's start goes on with the
        // sentence above when that ends on a word that asks for it ("...
        // From" / "10:15 every write failed").
        let asks_for_time = out.last().is_some_and(|(_, joined)| {
            let last = joined.split_whitespace().next_back().unwrap_or("");
            TIME_LEADS.contains(&last.to_lowercase().as_str())
                && crate::content::timeline::parse_line(joined).is_none()
        });
        let continues = !alone(line)
            && !text.trim().is_empty()
            && !text.contains(['\t', '|'])
            && list_item(text).is_none()
            && (asks_for_time || crate::content::timeline::parse_line(text).is_none());
        if let Some((first, joined)) = out.last_mut()
            && continues
            && last.is_some_and(|l| l + 1 == line)
            && !alone(*first)
            && !joined.trim().is_empty()
            && !joined.contains(['\t', '|'])
            && !joined.trim_end().ends_with(['.', ':', '!', '?'])
        {
            joined.push(' ');
            joined.push_str(text.trim());
        } else {
            out.push((line, text.to_owned()));
        }
        last = Some(line);
    }
    out
}

/// Markdown emphasis and code marks removed, trimmed.
pub fn plain(s: &str) -> String {
    s.replace("**", "")
        .replace("__", "")
        .replace('`', "")
        .trim()
        .to_owned()
}

/// A list marker (`- `, `* `, `+ `, `1. `) stripped, with its indent.
pub fn list_item(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if let Some(rest) = trimmed.strip_prefix(['-', '*', '+'])
        && rest.starts_with(' ')
    {
        return Some((indent, rest.trim_start()));
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let rest = trimmed[digits..].strip_prefix(['.', ')'])?;
    (digits > 0 && digits < 4 && rest.starts_with(' ')).then(|| (indent, rest.trim_start()))
}

/// The metadata of one line: `**Key:** value`, `Key: value`, `- Key: value`
/// or a two-cell table row `| Key | value |`.
pub fn line_meta(line: &str, file_line: usize) -> Option<Meta> {
    let trimmed = line.trim();
    let (label, value) = if trimmed.starts_with('|') {
        let cells: Vec<&str> = trimmed
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        match cells.as_slice() {
            [key, value] => (plain(key).trim_end_matches(':').to_owned(), plain(value)),
            _ => return None,
        }
    } else {
        let item = list_item(trimmed).map_or(trimmed, |(_, rest)| rest);
        let unbold = plain(item);
        let (key, value) = unbold.split_once(':')?;
        (key.trim().to_owned(), value.trim().to_owned())
    };
    let key = meta_key(&label)?;
    (!value.is_empty() && label.len() < 40).then_some(Meta {
        key,
        label,
        value,
        line: file_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_sentences_are_joined() {
        let lines = [
            (5, "the cluster went red. From"),
            (6, "10:15 every write failed; reads"),
            (7, "kept working."),
            (8, "10:40 rolling restart, handed over to"),
            (9, "10:55 restart done"),
        ];
        let got = unwrap(&lines, |_| false);
        assert_eq!(
            got,
            [
                (
                    5,
                    "the cluster went red. From 10:15 every write failed; reads kept working."
                        .to_owned()
                ),
                (8, "10:40 rolling restart, handed over to".to_owned()),
                (9, "10:55 restart done".to_owned()),
            ]
        );
    }

    #[test]
    fn html_becomes_markdown_lines() {
        let lines = normalize(
            "<h1>DB outage</h1>\n<ul><li>10:02 alert</li><li>10:15 <b>rollback</b></li></ul>\nplain",
            3,
        );
        let text: Vec<&str> = lines.text.lines().collect();
        assert_eq!(
            text,
            [
                "# DB outage",
                "- 10:02 alert",
                "- 10:15 **rollback**",
                "plain"
            ]
        );
        assert_eq!(lines.file_line, [3, 4, 4, 5]);
    }

    #[test]
    fn html_tables_become_rows() {
        let lines = normalize(
            "<table><tr><td>10:02</td><td>Alert &amp; page</td></tr></table>",
            1,
        );
        assert_eq!(lines.text.trim(), "| 10:02 | Alert & page |");
    }

    #[test]
    fn a_nickname_is_no_tag() {
        assert_eq!(
            normalize("[10:12] <li> keys leaked", 1).text,
            "[10:12] <li> keys leaked"
        );
    }

    #[test]
    fn comments_are_not_read() {
        let lines = normalize("a <!-- b -->c\n<!-- 14:05 x\n14:09 y -->\nd", 1);
        assert_eq!(lines.text, "a c\n\n\nd");
    }

    #[test]
    fn autolinks_are_not_tags() {
        assert_eq!(
            normalize("see <https://x.example> a < b", 1).text,
            "see <https://x.example> a < b"
        );
    }

    #[test]
    fn reads_metadata_lines() {
        let m = line_meta("**Duration of Outage:** 3 hours", 4).unwrap();
        assert_eq!(
            (m.key, m.label.as_str(), m.value.as_str(), m.line),
            (MetaKey::Duration, "Duration of Outage", "3 hours", 4)
        );
        assert_eq!(
            line_meta("- Time to recovery: 31 minutes", 1).unwrap().key,
            MetaKey::TimeToRecover
        );
        assert_eq!(
            line_meta("| **Severity** | SEV2 |", 1).unwrap().value,
            "SEV2"
        );
        assert_eq!(
            line_meta("**Root Cause**: a leak", 1).unwrap().value,
            "a leak"
        );
        assert!(line_meta("03:00 AM: alert", 1).is_none());
        assert!(line_meta("Impact:", 1).is_none());
    }
}
