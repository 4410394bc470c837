//! Front matter: splits a file into its front matter (TOML between `+++`
//! lines, YAML between `---` lines) and its body, and parses the front matter
//! into a JSON-like map whose keys can be found again in the text for errors.

use serde_json::{Map, Value};

/// The language of a file's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

/// A file cut into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter's language, `None` when the file has none.
    pub format: Option<Format>,
    /// The front matter text, without its fences.
    pub front: &'a str,
    /// The 1-based line of the file where `front` starts.
    pub front_line: usize,
    /// The body.
    pub body: &'a str,
    /// The 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// A problem with the front matter: a message and a 1-based line and column
/// in the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// What is wrong.
    pub message: String,
    /// Line in the file.
    pub line: usize,
    /// Column in the line.
    pub column: usize,
}

fn fence_format(line: &str) -> Option<Format> {
    match line.trim_end() {
        "+++" => Some(Format::Toml),
        "---" => Some(Format::Yaml),
        _ => None,
    }
}

impl<'a> Split<'a> {
    /// `text` as a body without front matter.
    pub fn plain(text: &'a str) -> Self {
        Split {
            format: None,
            front: "",
            front_line: 1,
            body: text,
            body_line: 1,
        }
    }
}

/// Cuts `text` (with `\n` line ends) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let Some(format) = fence_format(&text[..first_end]) else {
        return Ok(Split::plain(text));
    };
    let front_start = (first_end + 1).min(text.len());
    let mut offset = front_start;
    for (line_no, line) in (2..).zip(super::lines::inclusive(&text[front_start..])) {
        let closes = match format {
            Format::Toml => line.trim_end() == "+++",
            Format::Yaml => matches!(line.trim_end(), "---" | "..."),
        };
        if closes {
            let body_start = offset + line.len();
            return Ok(Split {
                format: Some(format),
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    let fence = if format == Format::Toml { "+++" } else { "---" };
    Err(FrontMatterError {
        message: format!(
            "front matter opened with `{fence}` on line 1 is never closed: add a `{fence}` line after it"
        ),
        line: 1,
        column: 1,
    })
}

impl Split<'_> {
    /// The 1-based file line and column where `key` is written in the
    /// front matter, found by looking for the key at the start of a line
    /// (or after a `.` of a dotted TOML key). The first line of the front
    /// matter when not found. Needs no parsing.
    pub fn locate(&self, key: &str) -> (usize, usize) {
        for (i, line) in self.front.lines().enumerate() {
            if let Some(column) = key_column(line, key) {
                return (self.front_line + i, column);
            }
        }
        (self.front_line, 1)
    }

    /// Like `locate`, for the `nth` (0-based) time `key` appears.
    pub fn locate_nth(&self, key: &str, nth: usize) -> (usize, usize) {
        self.front
            .lines()
            .enumerate()
            .filter_map(|(i, line)| key_column(line, key).map(|c| (self.front_line + i, c)))
            .nth(nth)
            .unwrap_or_else(|| self.locate(key))
    }
}

/// Parsed front matter: the values, and the text to find keys in.
#[derive(Debug, Clone)]
pub struct FrontMatter<'a> {
    /// Top-level keys and their values.
    pub map: Map<String, Value>,
    split: Split<'a>,
}

impl<'a> FrontMatter<'a> {
    /// Parses the front matter of `split`; an empty map when there is none.
    pub fn parse(split: &Split<'a>) -> Result<FrontMatter<'a>, FrontMatterError> {
        let map = match split.format {
            None => Map::new(),
            Some(Format::Toml) => parse_toml(split)?,
            Some(Format::Yaml) => parse_yaml(split)?,
        };
        Ok(FrontMatter {
            map,
            split: split.clone(),
        })
    }

    /// Where `key` is written: [`Split::locate`].
    pub fn locate(&self, key: &str) -> (usize, usize) {
        self.split.locate(key)
    }

    /// Where `key` is written the `nth` time: [`Split::locate_nth`].
    pub fn locate_nth(&self, key: &str, nth: usize) -> (usize, usize) {
        self.split.locate_nth(key, nth)
    }
}

/// The 1-based column of `key` when `line` assigns it (`key =`, `key:`,
/// `[key]`, `a.key =`, `- key:`).
fn key_column(line: &str, key: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches([' ', '\t', '-', '[']);
    let indent = line.len() - trimmed.len();
    let key_part = &trimmed[..trimmed.find(['=', ':', ']']).unwrap_or(0)];
    let starts = std::iter::once(0).chain(key_part.match_indices('.').map(|(i, _)| i + 1));
    for start in starts {
        let segment = key_part[start..].split('.').next().unwrap_or_default();
        if segment.trim().trim_matches(['"', '\'']) == key {
            let column = line[..indent + start].chars().count() + 1;
            return Some(column + segment.len() - segment.trim_start().len());
        }
    }
    None
}

fn error_at(split: &Split<'_>, offset: usize, message: String) -> FrontMatterError {
    let (line, column) = crate::diagnostic::line_column(split.front, offset);
    FrontMatterError {
        message,
        line: split.front_line + line - 1,
        column,
    }
}

fn parse_toml(split: &Split<'_>) -> Result<Map<String, Value>, FrontMatterError> {
    let invalid = |e: toml::de::Error| {
        let offset = e.span().map_or(0, |s| s.start);
        error_at(
            split,
            offset,
            format!("invalid TOML: {}", e.message().trim()),
        )
    };
    let document = toml::de::DeTable::parse(split.front).map_err(invalid)?;
    if let Some(map) = de_table_to_json(document.get_ref()) {
        return Ok(map);
    }
    // What the direct reading leaves (see `de_to_json`) goes the long way,
    // which refuses it with the library's own message.
    let table: toml::Table = toml::from_str(split.front).map_err(invalid)?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect())
}

/// The key `toml` gives a datetime under when it reads one into a
/// `toml::Value`: a table holding it is read the long way.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

/// A parsed TOML table as JSON values, read straight from the parser's
/// tree as [`toml_to_json`] reads a `toml::Table` built from it (one copy
/// of each value rather than two); `None` for what only the long way
/// reads: an integer past `i64`, a float that overflows, a table with
/// `toml`'s datetime key.
fn de_table_to_json(table: &toml::de::DeTable<'_>) -> Option<Map<String, Value>> {
    table
        .iter()
        .map(|(key, value)| {
            let key = key.get_ref();
            if key == TOML_DATETIME_KEY {
                return None;
            }
            Some((key.to_string(), de_to_json(value.get_ref())?))
        })
        .collect()
}

/// One value of [`de_table_to_json`].
fn de_to_json(value: &toml::de::DeValue<'_>) -> Option<Value> {
    use toml::de::DeValue;
    Some(match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => Value::from(i64::from_str_radix(i.as_str(), i.radix()).ok()?),
        DeValue::Float(f) => {
            let x: f64 = f.as_str().parse().ok()?;
            if x.is_infinite() && !f.as_str().contains("inf") {
                return None;
            }
            Value::from(x)
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| de_to_json(v.get_ref()))
                .collect::<Option<_>>()?,
        ),
        DeValue::Table(t) => Value::Object(de_table_to_json(t)?),
    })
}

/// TOML values as JSON values; datetimes become their RFC 3339 text.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn parse_yaml(split: &Split<'_>) -> Result<Map<String, Value>, FrontMatterError> {
    if split.front.trim().is_empty() {
        return Ok(Map::new());
    }
    if let Some(tab) = super::lines::lines(split.front).position(|l| l.starts_with('\t')) {
        return Err(FrontMatterError {
            message: "invalid YAML: a tab indents this line; YAML indents with spaces only".into(),
            line: split.front_line + tab,
            column: 1,
        });
    }
    let direct = super::yaml_lines::mapping(split.front)
        .or_else(|| super::yaml_direct::mapping(split.front));
    if let Some(map) = direct {
        return Ok(map);
    }
    let value: Value = serde_saphyr::from_str(split.front).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        FrontMatterError {
            message: format!("invalid YAML: {}", yaml_message(&e)),
            line: split.front_line + line.max(1) - 1,
            column: column.max(1),
        }
    })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(FrontMatterError {
            message: "front matter must be a mapping of keys to values".into(),
            line: split.front_line,
            column: 1,
        }),
    }
}

/// The YAML error's message without the position the library appends.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or_default();
    let first = first.find(" at line ").map_or(first, |i| &first[..i]);
    // Say what the library's limits mean, not how to lift them.
    if first.contains("budget breached") {
        return "the front matter expands to too many values (aliases repeated inside \
                aliases, as in a \"billion laughs\" attack): write the values out"
            .to_owned();
    }
    first
        .find(", set DuplicateKeyPolicy")
        .map_or(first, |i| &first[..i])
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!(s.format, Some(Format::Toml));
        assert_eq!(s.front, "title = \"a\"\n");
        assert_eq!((s.body, s.body_line), ("body\n", 4));
        let y = split("---\ntitle: a\n---\n# x\n").unwrap();
        assert_eq!(y.format, Some(Format::Yaml));
        assert_eq!(y.body, "# x\n");
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\n\ntext").unwrap();
        assert_eq!(s.format, None);
        assert_eq!(s.body, "# Title\n\ntext");
    }

    #[test]
    fn unterminated_front_matter_points_at_line_one() {
        let e = split("+++\ntitle = \"a\"\n\nbody").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
    }

    #[test]
    fn toml_error_position_is_in_the_file() {
        let s = split("+++\ntitle = \"a\"\nseverity = \n+++\n").unwrap();
        let e = FrontMatter::parse(&s).unwrap_err();
        assert_eq!(e.line, 3);
    }

    #[test]
    fn yaml_error_position_is_in_the_file() {
        let s = split("---\ntitle: a\nservices: [a, b\n---\n").unwrap();
        let e = FrontMatter::parse(&s).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
    }

    #[test]
    fn locates_keys() {
        let s = split("+++\ntitle = \"a\"\n[impact]\nusers_pct = 3\nimpact.summary = \"x\"\n+++\n")
            .unwrap();
        let fm = FrontMatter::parse(&s).unwrap();
        assert_eq!(fm.locate("title"), (2, 1));
        assert_eq!(fm.locate("users_pct"), (4, 1));
        assert_eq!(fm.locate("summary"), (5, 8));
    }

    /// Reading TOML straight from the parser's tree gives what reading it
    /// through a `toml::Table` gives.
    #[test]
    fn toml_read_directly_as_through_a_table() {
        let text = r#"title = "a \"quoted\" \u00e9 title"
n = 0x1F
m = 1_000
neg = -7
f = 3.5e2
inf = -inf
nan = nan
b = true
d1 = 2024-06-08T03:00:00Z
d2 = 2024-06-08T03:00:00.120+02:00
d3 = 2024-06-08
d4 = 03:00
d5 = 2024-06-08 03:00:00
list = [1, "two", [3.0], { x = 1 }]
a.b.c = "dotted"
[impact]
users_pct = 12.5
[[actions]]
title = "one"
due = 2025-01-01
[[actions]]
title = "two"
"#;
        let parsed = toml::de::DeTable::parse(text).unwrap();
        let direct = de_table_to_json(parsed.get_ref()).unwrap();
        let table: toml::Table = toml::from_str(text).unwrap();
        let long: Map<String, Value> = table
            .into_iter()
            .map(|(k, v)| (k, toml_to_json(v)))
            .collect();
        assert_eq!(direct, long);
        assert_eq!(direct["d2"], "2024-06-08T03:00:00.12+02:00");
        assert_eq!(direct["actions"][0]["due"], "2025-01-01");
    }

    /// What the direct reading leaves goes the long way: an integer past
    /// `i64` is still an error at its line.
    #[test]
    fn toml_integers_past_i64_are_refused() {
        let text = "title = \"a\"\nbig = 9223372036854775808\n";
        let parsed = toml::de::DeTable::parse(text).unwrap();
        assert!(de_table_to_json(parsed.get_ref()).is_none());
        let file = format!("+++\n{text}+++\n");
        let s = split(&file).unwrap();
        let e = FrontMatter::parse(&s).unwrap_err();
        assert!(e.message.starts_with("invalid TOML: "), "{e:?}");
    }

    #[test]
    fn toml_datetimes_become_text() {
        let s = split("+++\nstarted = 2024-06-08T03:00:00Z\n+++\n").unwrap();
        let fm = FrontMatter::parse(&s).unwrap();
        assert_eq!(fm.map["started"], "2024-06-08T03:00:00Z");
    }
}
