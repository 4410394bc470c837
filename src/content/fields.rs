//! Typed reading of front matter values: strings, lists, datetimes, dates,
//! numbers, with `[fields]` name mapping, and an error at the key's line for
//! every value of the wrong type. Keys nobody read are kept as `extra`.

use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rustc_hash::FxHashSet;
use serde_json::{Map, Value};

use super::datetime::{self, ParsedDateTime};
use super::frontmatter::FrontMatter;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};

/// Reads the values of one file's front matter, collecting diagnostics.
pub struct Reader<'a> {
    fm: &'a FrontMatter<'a>,
    config: &'a Config,
    path: &'a Path,
    source: &'a str,
    /// The top-level keys asked for, as written.
    used: FxHashSet<&'a str>,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// A reader over `fm`, a part of `source` (the whole file at `path`).
    pub fn new(
        fm: &'a FrontMatter<'a>,
        config: &'a Config,
        path: &'a Path,
        source: &'a str,
    ) -> Self {
        Reader {
            fm,
            config,
            path,
            source,
            used: FxHashSet::default(),
            diagnostics: Vec::new(),
        }
    }

    /// The value of canonical `key`, under the name the site maps it to.
    /// A single string is accepted for a list only under a mapped name. A
    /// dotted mapped name (`customer.share`) is a path into tables.
    fn get(&mut self, key: &'a str) -> Option<(&'a str, &'a Value)> {
        let name = self.config.field_name(key);
        let top_value = self.fm.map.get(name);
        let value = match top_value {
            Some(v) => Some(v),
            None if name.contains('.') && name != key => lookup_path(&self.fm.map, name),
            None => None,
        };
        let top = if value.is_some() && top_value.is_none() {
            name.split('.').next().unwrap_or(name)
        } else {
            name
        };
        self.used.insert(top);
        match value {
            None | Some(Value::Null) => None,
            Some(v) => Some((name, v)),
        }
    }

    /// Records an error at the line where `name` is written.
    pub fn error(&mut self, code: Code, name: &str, message: String) {
        let (line, column) = self.fm.locate(name);
        self.diagnostics
            .push(Diagnostic::error(code, self.path, message).at(self.source, line, column));
    }

    /// The line where `name` is written (the front matter's first line
    /// when it is not).
    pub fn line_of(&self, name: &str) -> usize {
        self.fm.locate(name).0
    }

    fn wrong_type(&mut self, name: &str, expected: &str, value: &Value) {
        let found = describe(value);
        self.error(
            Code::WrongType,
            name,
            format!("`{name}` must be {expected}, found {found}"),
        );
    }

    /// A string value; numbers and booleans are taken as their text.
    pub fn string(&mut self, key: &'a str) -> Option<String> {
        let (name, value) = self.get(key)?;
        match value {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                self.wrong_type(name, "a string", other);
                None
            }
        }
    }

    /// A list of strings. A bare string is refused for a canonical key (it
    /// is usually a list written wrong) but taken under a mapped name.
    pub fn list(&mut self, key: &'a str) -> Vec<String> {
        let Some((name, value)) = self.get(key) else {
            return Vec::new();
        };
        match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                        Value::String(_) => {}
                        Value::Number(n) => out.push(n.to_string()),
                        other => {
                            self.wrong_type(name, "a list of strings", other);
                            return Vec::new();
                        }
                    }
                }
                out
            }
            Value::String(s) if name != key => vec![s.trim().to_owned()],
            Value::String(s) => {
                self.error(
                    Code::WrongType,
                    name,
                    format!("`{name}` must be a list of strings: write `{name} = [\"{s}\"]` (TOML) or `{name}: [{s}]` (YAML)"),
                );
                Vec::new()
            }
            other => {
                self.wrong_type(name, "a list of strings", other);
                Vec::new()
            }
        }
    }

    /// A datetime, read in `zone` when it has no offset.
    pub fn datetime(&mut self, key: &'a str, zone: &TimeZone) -> Option<ParsedDateTime> {
        let (name, value) = self.get(key)?;
        let Value::String(text) = value else {
            self.wrong_type(name, "a datetime such as 2024-06-08T03:00:00Z", value);
            return None;
        };
        if text.trim().is_empty() {
            let (line, column) = self.fm.locate(name);
            let message = format!("`{name}` is an empty string: the date is unknown");
            self.diagnostics
                .push(Diagnostic::warning(Code::EmptyDate, self.path, message).at(
                    self.source,
                    line,
                    column,
                ));
            return None;
        }
        match datetime::parse_datetime(text, zone) {
            Ok(dt) => Some(dt),
            Err(message) => {
                self.error(Code::InvalidDatetime, name, format!("`{name}`: {message}"));
                None
            }
        }
    }

    /// A number.
    pub fn number(&mut self, key: &str, value: Option<&'a Value>) -> Option<f64> {
        let value = value?;
        match value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => match s.trim().trim_end_matches('%').trim().parse::<f64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    self.wrong_type(key, "a number", value);
                    None
                }
            },
            other => {
                self.wrong_type(key, "a number", other);
                None
            }
        }
    }

    /// The raw value of canonical `key` (for nested tables and lists).
    pub fn raw(&mut self, key: &'a str) -> Option<(&'a str, &'a Value)> {
        self.get(key)
    }

    /// Every key nobody asked for.
    pub fn extra(&self) -> Map<String, Value> {
        self.fm
            .map
            .iter()
            .filter(|(k, _)| !self.used.contains(k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Records an error at the `nth` line where `name` is written.
    pub fn error_nth(&mut self, code: Code, name: &str, nth: usize, message: String) {
        let (line, column) = self.fm.locate_nth(name, nth);
        self.diagnostics
            .push(Diagnostic::error(code, self.path, message).at(self.source, line, column));
    }
}

/// The value at a dotted path of nested tables (`impact.share`).
fn lookup_path<'v>(map: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.');
    let mut value = map.get(parts.next()?)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    Some(value)
}

/// A date from a table's string value, or an error message.
pub fn date_value(value: &Value) -> Result<Date, String> {
    match value {
        Value::String(s) => datetime::parse_date(s),
        other => Err(format!(
            "must be a date such as 2025-03-31, found {}",
            describe(other)
        )),
    }
}

/// "a string `x`", "a list", ... for error messages.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a table".into(),
    }
}
