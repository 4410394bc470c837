//! Plain postmortems, pasted from a document or a wiki, turned into the
//! Markdown that lays them out as their author did: lenient headings
//! (`#Timeline`, `TIMELINE`, `**Timeline**`, `📋 Action items`, a known
//! section name alone, a short `Label:` line), one line on the page per
//! line written, lines that start with a time as a timeline list,
//! `Key: value` lines as a definition list, and ASCII-art diagrams kept
//! monospace. The page and `kb import` both use it; Markdown files are
//! never read this way.

use super::sections::{self, SectionKind};
use super::timeline;

/// Whether a body without front matter is plain text rather than
/// Markdown: it has no ATX heading with a space, no fenced code, no
/// table, no Markdown link and no HTML block.
pub fn is_plain(body: &str) -> bool {
    !body.lines().any(|l| {
        let t = l.trim_start();
        let hashes = t.len() - t.trim_start_matches('#').len();
        ((1..=6).contains(&hashes) && t[hashes..].starts_with(' '))
            || t.starts_with("```")
            || t.starts_with("~~~")
            || (t.starts_with('|') && t.contains("---"))
            || (t.contains("](") && t.contains('['))
            || t.starts_with("<h")
            || t.starts_with("<p>")
            || t.starts_with("<table")
    })
}

/// The summary of a plain body: the first lines of text (not `Key:
/// value` facts, labels or times) of its Summary section, else of the
/// lines before its second heading.
pub fn summary(body: &str) -> Option<String> {
    let lines: Vec<&str> = body.lines().collect();
    let headings: Vec<(usize, Option<SectionKind>)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match classify(l) {
            Line::Heading(_, t) => Some((i, sections::kind_of(t))),
            _ => None,
        })
        .collect();
    let from = headings
        .iter()
        .find(|(_, k)| *k == Some(SectionKind::Summary))
        .or(headings.first())
        .map_or(0, |(i, _)| i + 1);
    let text: Vec<&str> = lines[from..]
        .iter()
        .map(|l| classify(l))
        .take_while(|l| !matches!(l, Line::Heading(..)))
        .skip_while(|l| !matches!(l, Line::Text(_)))
        .map_while(|l| match l {
            Line::Text(t) => Some(t),
            _ => None,
        })
        .collect();
    (!text.is_empty()).then(|| text.join(" ").replace("**", ""))
}

/// What one line of a plain body is.
#[derive(Debug, Clone, PartialEq)]
enum Line<'a> {
    Blank,
    Heading(usize, &'a str),
    /// A time as written, and the text after it.
    Time(&'a str, &'a str),
    /// `Label:` alone.
    Label(&'a str),
    KeyValue(&'a str, &'a str),
    Item(&'a str),
    Text(&'a str),
}

/// The Markdown a plain body stands for, as a page shows it: `Key: value`
/// runs as an HTML definition list.
pub fn to_markdown(body: &str) -> String {
    layout(body, false)
}

/// The Markdown a plain body stands for, as a kb file keeps it (`kb
/// import`): `Key: value` lines as `**Key:** value`, no HTML.
pub fn to_kb_markdown(body: &str) -> String {
    layout(body, true)
}

fn layout(body: &str, file: bool) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let art = art_blocks(&lines);
    let mut out = Writer {
        file,
        ..Writer::default()
    };
    let title = title_line(&lines);
    let mut i = 0;
    while i < lines.len() {
        if let Some(end) = art.iter().find(|r| r.start == i).map(|r| r.end) {
            out.art(&lines[i..end]);
            i = end;
            continue;
        }
        let line = match title {
            Some(t) if t == i => Line::Heading(1, lines[i].trim()),
            _ => classify(lines[i]),
        };
        if let Line::Heading(_, text) = line {
            out.section = sections::kind_of(text);
        }
        out.line(line, lines[i].trim());
        i += 1;
    }
    out.finish()
}

/// The document's first line when it stands alone as a title: short, not
/// a sentence, a blank line (or nothing) after it. It becomes the page's
/// `<h1>`, which the page drops as its title, so it shows once.
fn title_line(lines: &[&str]) -> Option<usize> {
    let first = lines.iter().position(|l| !l.trim().is_empty())?;
    let text = lines[first].trim();
    let alone = lines.get(first + 1).is_none_or(|l| l.trim().is_empty());
    (alone
        && matches!(classify(lines[first]), Line::Text(_))
        && text.chars().count() <= 100
        && !text.ends_with(['.', ':', ',', ';']))
    .then_some(first)
}

/// Builds the Markdown, one block at a time.
#[derive(Default)]
struct Writer {
    out: String,
    /// The open block: "p" paragraph, "ul" list, "dl" definition list.
    open: Option<&'static str>,
    /// The section the lines are in.
    section: Option<SectionKind>,
    /// A `<dd>` is open in the definition list.
    dd: bool,
    /// A blank line followed a list of measures.
    leaving: bool,
    /// For a kb file: no HTML, facts as `**Key:** value` lines.
    file: bool,
    /// The last line written was a `Key: value` one.
    facts: bool,
}

impl Writer {
    fn close(&mut self) {
        match self.open.take() {
            Some("dl") => {
                if self.dd {
                    self.out.push_str("</dd>\n");
                }
                self.out.push_str("</dl>\n\n");
            }
            Some(_) => self.out.push_str("\n\n"),
            None => {}
        }
        self.dd = false;
    }

    fn open(&mut self, block: &'static str) {
        if self.open != Some(block) {
            self.close();
            self.open = Some(block);
            if block == "dl" {
                self.out.push_str("<dl class=\"plain-facts\">\n");
            }
        } else if block != "dl" {
            // One line on the page per line written.
            self.out.push_str(if block == "p" { "\\\n" } else { "\n" });
        }
    }

    fn line(&mut self, line: Line<'_>, whole: &str) {
        // A run of facts starts with a `Key: value` line; a `Label:` and
        // the lines under it go on with it, and only then.
        let facts = matches!(line, Line::KeyValue(..))
            || (self.facts && matches!(line, Line::Label(_) | Line::Text(_)));
        self.write(line, whole);
        self.facts = facts;
    }

    fn write(&mut self, line: Line<'_>, whole: &str) {
        if self.leaving && !matches!(line, Line::Blank | Line::Label(_) | Line::Item(_)) {
            self.section = None;
        }
        if !matches!(line, Line::Blank) {
            self.leaving = false;
        }
        let actions = self.section == Some(SectionKind::Actions);
        match line {
            Line::Blank => {
                // A blank line after a list ends the measures: what follows
                // is text again unless a label or an item goes on with them.
                if actions && self.open == Some("ul") {
                    self.leaving = true;
                }
                self.close();
            }
            Line::Heading(level, text) => {
                self.close();
                self.out
                    .push_str(&format!("{} {}\n\n", "#".repeat(level), escape(text)));
            }
            Line::Time(time, text) => {
                self.open("ul");
                self.out
                    .push_str(&format!("- **{}** {}", escape(time), escape(text)));
            }
            Line::Label(label) if self.file && self.facts => {
                self.open("p");
                self.out.push_str(&format!("**{}:**", escape(label)));
            }
            Line::KeyValue(key, value) if self.file && !actions => {
                self.open("p");
                self.out
                    .push_str(&format!("**{}:** {}", escape(key), escape(value)));
            }
            Line::Label(label) if self.open == Some("dl") => {
                self.term(label);
                self.dd = false;
            }
            Line::Label(label) => {
                self.close();
                self.out.push_str(&format!("### {}\n\n", escape(label)));
            }
            Line::KeyValue(key, value) if !actions => {
                self.open("dl");
                self.term(key);
                self.out.push_str(&format!("<dd>{}</dd>\n", html(value)));
            }
            Line::Text(text) if self.open == Some("dl") => {
                if self.dd {
                    self.out.push_str(&format!("<br>{}", html(text)));
                } else {
                    self.out.push_str(&format!("<dd>{}", html(text)));
                    self.dd = true;
                }
            }
            Line::KeyValue(..) | Line::Text(_) if actions => {
                self.open("ul");
                self.out.push_str(&format!("- {}", escape(whole)));
            }
            Line::Item(text) => {
                self.open("ul");
                let number = &whole
                    [..whole.len() - whole.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
                let marker = if number.is_empty() {
                    "-".to_owned()
                } else {
                    format!("{number}.")
                };
                self.out.push_str(&format!("{marker} {}", escape(text)));
            }
            Line::KeyValue(..) | Line::Text(_) => {
                self.open("p");
                self.out.push_str(&escape(whole));
            }
        }
    }

    fn term(&mut self, key: &str) {
        if self.dd {
            self.out.push_str("</dd>\n");
            self.dd = false;
        }
        self.out.push_str(&format!("<dt>{}</dt>\n", html(key)));
    }

    fn art(&mut self, lines: &[&str]) {
        self.close();
        self.leaving = self.leaving || self.section == Some(SectionKind::Actions);
        let indent = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        self.out.push_str("```text\n");
        for l in lines {
            self.out.push_str(l.get(indent..).unwrap_or("").trim_end());
            self.out.push('\n');
        }
        self.out.push_str("```\n\n");
    }

    fn finish(mut self) -> String {
        self.close();
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        self.out.push('\n');
        self.out
    }
}

/// The kind of one line.
fn classify(line: &str) -> Line<'_> {
    let t = line.trim();
    if t.is_empty() {
        return Line::Blank;
    }
    if let Some((level, text)) = heading(t) {
        return Line::Heading(level, text);
    }
    if let Some((_, text)) = timeline::parse_line(t)
        && let Some(head) = t.strip_suffix(text.as_str())
    {
        let marks = ['-', '*', ' ', '[', '(', '>'];
        let start = head.len() - head.trim_start_matches(marks).len();
        let written = head[start..].trim_end_matches([' ', ':', '-', '—', '–', '|', ']', ')', '*']);
        if !written.is_empty() && !text.is_empty() {
            return Line::Time(written, &t[head.len()..]);
        }
    }
    if let Some((_, rest)) = super::infer::list_item(t) {
        return Line::Item(rest);
    }
    if let Some(label) = t.strip_suffix(':').filter(|k| key_like(k)) {
        return Line::Label(label.trim());
    }
    if let Some((key, value)) = t.split_once(": ").filter(|(k, _)| key_like(k)) {
        return Line::KeyValue(key.trim(), value.trim());
    }
    Line::Text(t)
}

/// A heading, leniently: `#Heading` (any number of `#`, with or without a
/// space), a bold line alone, an ALL-CAPS line, or a known section name on
/// its own (after an emoji, with "(all times UTC)" and the like).
fn heading(t: &str) -> Option<(usize, &str)> {
    let hashes = t.len() - t.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) {
        let text = t[hashes..].trim().trim_end_matches('#').trim();
        return text
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
            .then_some((hashes, text));
    }
    let bold = ["**", "__"]
        .iter()
        .find_map(|m| t.strip_prefix(m)?.strip_suffix(m))
        .map(|b| b.trim().trim_end_matches(':').trim());
    if let Some(b) = bold.filter(|b| !b.is_empty() && b.len() <= 60 && !b.contains("**")) {
        return Some((2, b));
    }
    let words = t.split_whitespace().count();
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let caps = letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase());
    if caps && words <= 8 && t.len() <= 60 && !t.ends_with(['.', ',', ';']) {
        return Some((2, t.trim_end_matches(':').trim()));
    }
    let named = t.trim_start_matches(|c: char| !c.is_ascii() || c == ' ');
    let short = words <= 6 && t.len() <= 50 && !named.ends_with([':', '.', ',', ';']);
    (short && sections::kind_of(named).is_some() && !named.contains(": ")).then_some((2, named))
}

/// A key of a `Key: value` line: one to five words, a letter first, no
/// sentence punctuation.
fn key_like(k: &str) -> bool {
    let k = k.trim();
    let words = k.split_whitespace().count();
    (1..=5).contains(&words)
        && k.len() <= 40
        && k.starts_with(|c: char| c.is_alphabetic())
        && !k.contains(['.', ',', ';', '(', '"', '?', '!'])
}

/// Text escaped for Markdown: every mark that would start emphasis, a
/// link, code, HTML, a heading or a list is taken literally; a line's
/// `**bold**` pairs are kept, a stray `**` dropped.
fn escape(text: &str) -> String {
    let pairs = text.matches("**").count();
    let text = if pairs % 2 == 1 {
        text.replace("**", "")
    } else {
        text.to_owned()
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        if pairs.is_multiple_of(2) && pairs > 0 && rest.starts_with("**") {
            out.push_str("**");
            rest = &rest[2..];
            continue;
        }
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!'
        ) || (out.is_empty() && matches!(c, '-' | '+' | '='))
        {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if let Some(dot) = out.find(['.', ')'])
        && dot > 0
        && out[..dot].bytes().all(|b| b.is_ascii_digit())
    {
        out.insert(dot, '\\');
    }
    out
}

/// Text escaped for HTML.
fn html(text: &str) -> String {
    let text = text.replace("**", "");
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Whether a line is part of an ASCII-art drawing: box corners and edges
/// (`+--+`, `|   |`), arrows (`v`, `^`, `-->`), or a line far indented
/// between such lines.
fn art_line(line: &str) -> bool {
    let t = line.trim();
    let indent = line.len() - line.trim_start().len();
    (t.starts_with('+') && t.contains("--"))
        || t.contains("--+")
        || (t.starts_with('|') && (t.ends_with('|') || indent >= 4))
        || matches!(t, "|" | "v" | "V" | "^")
        || t.contains("-->")
        || t.contains("<--")
        || t.contains("==>")
}

/// The ranges of lines that are drawings: runs of at least three art
/// lines, blank lines inside a run included.
fn art_blocks(lines: &[&str]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !art_line(lines[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut count = 0;
        while i < lines.len() && (art_line(lines[i]) || lines[i].trim().is_empty()) {
            if art_line(lines[i]) {
                count += 1;
                end = i + 1;
            }
            i += 1;
        }
        if count >= 3 {
            out.push(start..end);
        }
        i = end.max(start + 1);
    }
    out
}

#[cfg(test)]
#[path = "plain_tests.rs"]
mod tests;
