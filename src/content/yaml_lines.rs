//! The commonest YAML front matter read line by line, without a YAML
//! parser: block mappings of simple keys, block sequences (of mappings
//! too), one-line values that are plain text, quotes without escapes or
//! flow lists of plain items. Values are typed as serde_saphyr types them
//! ([`super::yaml_scalar`]). Anything else (a comment after a value, a `#`,
//! a tag, an anchor, a block scalar, a flow mapping, a value on two lines,
//! odd indentation, a repeated key, a control character) gives up, and the
//! caller reads the text with the parser ([`super::yaml_direct`]).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::yaml_scalar;

/// Nesting read here; the library allows 64.
const MAX_DEPTH: usize = 32;
/// Front matter read here, in bytes.
const MAX_LEN: usize = 1 << 20;
/// Key length read here; the parser looks 1,024 characters ahead for the
/// `:` of a key.
const MAX_KEY: usize = 128;

/// One line that holds something: its indentation and the rest, without
/// trailing spaces.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// The top-level mapping of `text` when it is written in the subset this
/// reading knows; `None` otherwise.
pub(super) fn mapping(text: &str) -> Option<Map<String, Value>> {
    if text.len() > MAX_LEN || !plain_characters(text) {
        return None;
    }
    let lines: Vec<Line<'_>> = text
        .split('\n')
        .filter_map(|line| {
            let text = line.trim_start_matches(' ');
            let text = text.trim_end_matches(' ');
            (!text.is_empty() && !text.starts_with('#')).then(|| Line {
                indent: line.len() - line.trim_start_matches(' ').len(),
                text,
            })
        })
        .collect();
    if lines.first()?.indent != 0 {
        return None;
    }
    let mut reader = Reader {
        lines,
        pos: 0,
        depth: 0,
    };
    let map = reader.mapping(0, None)?;
    (reader.pos == reader.lines.len()).then_some(map)
}

/// No control character, and none of the characters YAML reads as a line
/// break or does not allow.
fn plain_characters(text: &str) -> bool {
    let ascii_ok = !text.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f);
    ascii_ok
        && (text.is_ascii()
            || !text.chars().any(|c| {
                matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{feff}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
    /// Mappings and sequences open.
    depth: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.pos).copied()
    }

    /// The entries of a block mapping at `indent`, starting with `first`
    /// (the key and the rest of a `- key: value` line) when given.
    fn mapping(
        &mut self,
        indent: usize,
        first: Option<(String, &'a str)>,
    ) -> Option<Map<String, Value>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut map = Map::new();
        if let Some((key, rest)) = first {
            let value = self.value(rest, indent)?;
            map.insert(key, value);
        }
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            self.pos += 1;
            let value = self.value(rest, indent)?;
            if map.insert(key, value).is_some() {
                return None;
            }
        }
        self.depth -= 1;
        Some(map)
    }

    /// The value after `key:` of an entry at `indent`: inline, or the
    /// block on the lines below, or null.
    fn value(&mut self, rest: &'a str, indent: usize) -> Option<Value> {
        let rest = rest.trim_start_matches(' ');
        if !rest.is_empty() {
            // A line below indented more (a second line of the value) stops
            // the mapping's reading, which then gives up.
            return inline(rest);
        }
        match self.peek() {
            Some(n) if n.indent > indent && is_item(n.text) => self.sequence(n.indent),
            Some(n) if n.indent > indent => self.mapping(n.indent, None).map(Value::Object),
            // `key:` then `- item` at the key's own indentation, at the top.
            Some(n) if n.indent == 0 && indent == 0 && is_item(n.text) => self.sequence(0),
            _ => Some(Value::Null),
        }
    }

    /// The items of a block sequence at `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Value> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let after = line.text.strip_prefix("- ")?;
            let content = after.trim_start_matches(' ');
            let column = indent + 2 + after.len() - content.len();
            self.pos += 1;
            if is_item(content) || content == "-" {
                return None;
            }
            let item = match split_key(content) {
                Some(first) => Value::Object(self.mapping(column, Some(first))?),
                None => inline(content)?,
            };
            items.push(item);
        }
        self.depth -= 1;
        Some(Value::Array(items))
    }
}

/// Whether a line's text is a sequence item (`- ...`).
fn is_item(text: &str) -> bool {
    text.starts_with("- ")
}

/// `key:` and what follows, for a key of ASCII letters, digits, `_` and `-`
/// starting with a letter, which the library reads as text (not `yes`,
/// `null`...).
fn split_key(text: &str) -> Option<(String, &str)> {
    let end = text.find(':')?;
    let (key, rest) = (&text[..end], &text[end + 1..]);
    let simple = key.len() <= MAX_KEY
        && key.as_bytes().first()?.is_ascii_alphabetic()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !simple || !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    match yaml_scalar::plain(Cow::Borrowed(key))? {
        Value::String(key) => Some((key, rest)),
        _ => None,
    }
}

/// A one-line value: a quoted string without escapes, a flow list of
/// plain items, or plain text.
fn inline(text: &str) -> Option<Value> {
    match text.as_bytes()[0] {
        quote @ (b'"' | b'\'') => {
            let inner = &text[1..];
            let close = inner.find(char::from(quote))?;
            let content = &inner[..close];
            let clean = !(quote == b'"' && content.contains('\\'));
            (clean && inner[close + 1..].is_empty()).then(|| Value::String(content.to_owned()))
        }
        b'[' => {
            let inner = text.strip_prefix('[')?.strip_suffix(']')?;
            if inner.contains(['[', ']', '{', '}', '"', '\'', ':']) {
                return None;
            }
            if inner.trim_start_matches(' ').is_empty() {
                return Some(Value::Array(Vec::new()));
            }
            inner
                .split(',')
                .map(|item| plain(item.trim_matches(' ')))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array)
        }
        _ => plain(text),
    }
}

/// Plain text that starts with a letter, a digit, a non-ASCII character,
/// or a sign or dot before a digit (or is `~`), and holds no `#`, no `: ` and no
/// brackets or braces.
fn plain(text: &str) -> Option<Value> {
    let bytes = text.as_bytes();
    let starts = match bytes.first()? {
        b if b.is_ascii_alphanumeric() || *b >= 0x80 => true,
        b'-' | b'+' | b'.' => bytes.get(1).is_some_and(u8::is_ascii_digit),
        b'~' => bytes.len() == 1,
        _ => false,
    };
    if !starts
        || text.contains(['#', '[', ']', '{', '}'])
        || text.contains(": ")
        || text.ends_with(':')
    {
        return None;
    }
    yaml_scalar::plain(Cow::Owned(text.to_owned()))
}
