//! YAML front matter read straight from the parser's events into JSON
//! values, as serde_saphyr reads it into a `serde_json::Value` but without
//! its deserializer's layers (most of the cost of a front matter). Only the
//! plain subset real front matter uses is read: a mapping of string keys to
//! untagged scalars, sequences and mappings. On anything else (a parse
//! error, an anchor, an alias, a tag, a merge key, a repeated key, a key
//! that is not plain text, a second document, an infinity, great depth or
//! size) the reading gives up and the caller goes the library's way, which
//! keeps every value and every message as the library makes them.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, StrInput};
use serde_json::{Map, Value};

use super::yaml_scalar;

/// Nesting read directly; the library allows 64.
const MAX_DEPTH: usize = 32;
/// Events read directly; the library allows 1,000,000.
const MAX_EVENTS: usize = 100_000;
/// Front matter read directly, in bytes: its scalars then stay far below
/// the library's 64 MiB (an escape makes at most 3 bytes of 2).
const MAX_LEN: usize = 1 << 20;

/// The top-level mapping of `text`, read as `serde_saphyr::from_str` reads
/// it into a `serde_json::Value`; `None` when this reading gives up.
pub(super) fn mapping(text: &str) -> Option<Map<String, Value>> {
    if text.len() > MAX_LEN {
        return None;
    }
    let mut events = Events::new(text);
    if !matches!(events.next()?, Event::StreamStart)
        || !matches!(events.next()?, Event::DocumentStart(false, None))
        || !matches!(events.next()?, Event::MappingStart(_, 0, None))
    {
        return None;
    }
    let map = events.mapping(1)?;
    let end = matches!(events.next()?, Event::DocumentEnd)
        && matches!(events.next()?, Event::StreamEnd)
        && events.parser.next().is_none();
    end.then_some(map)
}

/// The parser's events, counted.
struct Events<'a> {
    parser: Parser<'a, StrInput<'a>>,
    count: usize,
}

impl<'a> Events<'a> {
    fn new(text: &'a str) -> Self {
        // The options serde_saphyr gives the parser (`Budget::parser_options`
        // with the default budget, comments off), so both see the same events.
        let mut options = granit_parser::Options::default();
        options.simple_key_max_lookahead = 1024;
        options.flow_nesting_limit = 255;
        options.block_nesting_limit = 255;
        options.emit_comments = false;
        Events {
            parser: Parser::with_options(StrInput::new(text), options),
            count: 0,
        }
    }

    /// The next event; `None` at the end, on an error, or past the limit.
    fn next(&mut self) -> Option<Event<'a>> {
        self.count += 1;
        if self.count > MAX_EVENTS {
            return None;
        }
        self.parser.next()?.ok().map(|(event, _span)| event)
    }

    /// The node that starts with `event`, at nesting `depth`.
    fn node(&mut self, event: Event<'a>, depth: usize) -> Option<Value> {
        match event {
            Event::Scalar(text, style, 0, None) => match style {
                ScalarStyle::Plain => yaml_scalar::plain(text),
                _ => Some(Value::String(text.into_owned())),
            },
            Event::SequenceStart(_, 0, None) if depth < MAX_DEPTH => self.sequence(depth + 1),
            Event::MappingStart(_, 0, None) if depth < MAX_DEPTH => {
                self.mapping(depth + 1).map(Value::Object)
            }
            _ => None,
        }
    }

    /// The items of a sequence whose start was read, up to its end.
    fn sequence(&mut self, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        loop {
            match self.next()? {
                Event::SequenceEnd => return Some(Value::Array(items)),
                event => items.push(self.node(event, depth)?),
            }
        }
    }

    /// The entries of a mapping whose start was read, up to its end.
    fn mapping(&mut self, depth: usize) -> Option<Map<String, Value>> {
        let mut map = Map::new();
        loop {
            let key = match self.next()? {
                Event::MappingEnd => return Some(map),
                Event::Scalar(text, style, 0, None) => key(text, style)?,
                _ => return None,
            };
            let event = self.next()?;
            let value = self.node(event, depth)?;
            if map.insert(key, value).is_some() {
                return None;
            }
        }
    }
}

/// A key as the library gives it to `serde_json`: its text when it is
/// quoted or a block scalar, or plain text that is no null, boolean or
/// number, no merge key `<<`, and does not start like a number (the
/// library finds `0x10` and `16` to be the same key).
fn key(text: Cow<'_, str>, style: ScalarStyle) -> Option<String> {
    if style != ScalarStyle::Plain {
        return Some(text.into_owned());
    }
    if text == "<<"
        || text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    match yaml_scalar::plain(text)? {
        Value::String(key) => Some(key),
        _ => None,
    }
}

#[cfg(test)]
#[path = "yaml_direct_tests.rs"]
mod tests;
