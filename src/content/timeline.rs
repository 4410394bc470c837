//! Timeline parsing: every line, list item or table row of a Timeline section
//! that starts with a time is an event (`03:00 AM: ...`, `- 15:04 UTC — ...`,
//! `**09:14** ...`, `| 2024-06-08 03:00 | ... |`). Times without a date take
//! the previous event's date (or `started`'s) and roll over midnight.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use super::datetime::zone_from_text;
use crate::model::TimelineEvent;

/// A time stamp at the start of a line, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    /// The date, when written.
    pub date: Option<Date>,
    /// The time of day.
    pub time: Time,
    /// The zone, when written.
    pub zone: Option<TimeZone>,
}

/// An event line before its date and zone are resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent {
    /// The stamp.
    pub stamp: Stamp,
    /// The text after the stamp.
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
    /// Its time is unknown (see [`TimelineEvent::untimed`]).
    pub untimed: bool,
}

/// Reads the events of a Timeline section's lines (`(file line, text)`).
pub fn parse_lines<'a>(lines: impl IntoIterator<Item = (usize, &'a str)>) -> Vec<RawEvent> {
    let mut fence = false;
    let mut events = Vec::new();
    for (line_no, line) in lines {
        let t = line.trim_start();
        if one_line_code(t) {
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        if let Some((stamp, text)) = parse_line(line) {
            events.push(RawEvent {
                stamp,
                text,
                line: line_no,
                untimed: false,
            });
        }
    }
    events
}

/// A line of code fenced on itself (```` ``` SELECT ... ``` ````): read as
/// nothing, and no fence opens.
pub fn one_line_code(t: &str) -> bool {
    ["```", "~~~"]
        .iter()
        .any(|f| t.starts_with(f) && t[3..].trim_end().ends_with(f) && t.trim_end().len() > 6)
}

/// One line: the stamp it starts with and the text after it.
pub fn parse_line(line: &str) -> Option<(Stamp, String)> {
    let line = strip_list_marker(line.trim().trim_start_matches('>').trim());
    if line.starts_with('|') {
        return parse_table_row(line);
    }
    let (bold, rest) = match line.get(..2) {
        Some("**") | Some("__") => (true, &line[2..]),
        _ => (false, line),
    };
    let rest = rest.strip_prefix(['[', '(', '~']).unwrap_or(rest);
    let (stamp, used) = parse_stamp(rest).or_else(|| parse_stamp(&dotted(rest)?))?;
    let text = strip_separators(&rest[used..], bold);
    Some((stamp, clean_text(text)))
}

/// `15.25 ...` read as `15:25 ...`: a time written with a dot, at the
/// start of a timeline line only (elsewhere it may be a version or a
/// number).
fn dotted(s: &str) -> Option<String> {
    let h = s.bytes().take_while(u8::is_ascii_digit).count();
    let b = s.as_bytes();
    let two = b
        .get(h + 1..h + 3)
        .is_some_and(|m| m.iter().all(u8::is_ascii_digit));
    let ends = b
        .get(h + 3)
        .is_none_or(|c| matches!(c, b' ' | b':' | b'-' | b'\t'));
    ((1..=2).contains(&h) && b.get(h) == Some(&b'.') && two && ends).then(|| {
        let mut t = s.to_owned();
        t.replace_range(h..=h, ":");
        t
    })
}

fn strip_list_marker(line: &str) -> &str {
    let line = if let Some(rest) = line.strip_prefix(['-', '*', '+']) {
        if rest.starts_with(' ') {
            rest.trim_start()
        } else {
            line
        }
    } else {
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after = &line[digits..];
        match after.strip_prefix(['.', ')']) {
            Some(rest) if digits > 0 && digits < 4 && rest.starts_with(' ') => rest.trim_start(),
            _ => line,
        }
    };
    line.strip_prefix("[ ] ")
        .or_else(|| line.strip_prefix("[x] "))
        .or_else(|| line.strip_prefix("[X] "))
        .unwrap_or(line)
}

fn parse_table_row(row: &str) -> Option<(Stamp, String)> {
    let cells: Vec<&str> = row
        .trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().trim_matches(['*', '_', '~']).trim())
        .collect();
    let first = *cells.first()?;
    let (stamp, rest_cells) = match parse_stamp(first) {
        Some((stamp, used)) if first[used..].trim().is_empty() => (stamp, &cells[1..]),
        _ => {
            let date = parse_date_prefix(first)
                .filter(|(_, used)| first[*used..].trim().is_empty())?
                .0;
            let second = cells.get(1)?;
            let (mut stamp, used) = parse_stamp(second)?;
            if !second[used..].trim().is_empty() {
                return None;
            }
            stamp.date = Some(date);
            (stamp, &cells[2..])
        }
    };
    let text = rest_cells
        .iter()
        .filter(|c| !c.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" — ");
    Some((stamp, clean_text(&text)))
}

fn strip_separators(text: &str, bold: bool) -> &str {
    let mut rest = text;
    loop {
        let before = rest.len();
        rest = rest.trim_start();
        for sep in [":", "-", "—", "–", "|", "]", ")", ","] {
            if let Some(r) = rest.strip_prefix(sep) {
                rest = r;
            }
        }
        if bold {
            for mark in ["**", "__"] {
                if let Some(r) = rest.strip_prefix(mark) {
                    rest = r;
                }
            }
        }
        if rest.len() == before {
            return rest;
        }
    }
}

fn clean_text(text: &str) -> String {
    text.trim().trim_end_matches('\\').trim().to_owned()
}

/// `YYYY-MM-DD` or `YYYY/MM/DD` at the start of `s`, and the bytes it used
/// with the separator after it (`T`, spaces, a comma).
fn parse_date_prefix(s: &str) -> Option<(Date, usize)> {
    let b = s.as_bytes();
    if b.len() < 10 || !(b[4] == b'-' || b[4] == b'/') || b[7] != b[4] {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i16> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let date = Date::new(num(0..4)?, num(5..7)? as i8, num(8..10)? as i8).ok()?;
    let rest = &s[10..];
    let sep = rest.len() - rest.trim_start_matches(['T', ' ', ',', '\t']).len();
    Some((date, 10 + sep.min(3)))
}

/// A time stamp at the start of `s` and the bytes it used: an optional date,
/// `H:MM[:SS]`, an optional AM/PM, an optional zone.
pub fn parse_stamp(s: &str) -> Option<(Stamp, usize)> {
    let (date, mut pos) = match parse_date_prefix(s) {
        Some((d, used)) => (Some(d), used),
        None => (None, 0),
    };
    let (mut hour, minute, second, used, bare_hour) = parse_clock(&s[pos..])?;
    pos += used;
    let (pm, used) = parse_meridiem(&s[pos..]);
    pos += used;
    match pm {
        None if bare_hour => return None,
        // `00:25 AM`: midnight written on a 24-hour clock.
        Some(false) if hour == 0 && !bare_hour => {}
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(true) if hour != 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let time = Time::new(hour as i8, minute as i8, second as i8, 0).ok()?;
    pos += hours_suffix(&s[pos..]);
    let (zone, used) = parse_zone(&s[pos..]);
    pos += used;
    if s[pos..].chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some((Stamp { date, time, zone }, pos))
}

/// `H:MM[:SS]`, `2100hrs`, `noon`, `midnight`, or a bare hour that only
/// counts with an AM/PM after it (`3 PM`): hour, minute, second, bytes used
/// and whether it was a bare hour.
fn parse_clock(s: &str) -> Option<(u32, u32, u32, usize, bool)> {
    for (word, hour) in [("noon", 12), ("midnight", 0)] {
        if s.get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
            && !s[word.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            return Some((hour, 0, 0, word.len(), false));
        }
    }
    let digits = |from: usize| s[from..].bytes().take_while(u8::is_ascii_digit).count();
    let h_len = digits(0);
    if h_len == 4 && hours_suffix(&s[4..]) > 0 {
        let (hour, minute): (u32, u32) = (s[..2].parse().ok()?, s[2..4].parse().ok()?);
        return (hour < 24 && minute < 60).then_some((hour, minute, 0, 4, false));
    }
    if (1..=2).contains(&h_len) && s.as_bytes().get(h_len) != Some(&b':') {
        let hour: u32 = s[..h_len].parse().ok()?;
        return Some((hour, 0, 0, h_len, true));
    }
    if !(1..=2).contains(&h_len) || s.as_bytes().get(h_len) != Some(&b':') {
        return None;
    }
    let m_len = digits(h_len + 1);
    if m_len != 2 {
        return None;
    }
    let hour: u32 = s[..h_len].parse().ok()?;
    let minute: u32 = s[h_len + 1..h_len + 3].parse().ok()?;
    let mut used = h_len + 3;
    let mut second = 0;
    if s.as_bytes().get(used) == Some(&b':') && digits(used + 1) == 2 {
        second = s[used + 1..used + 3].parse().ok()?;
        used += 3;
    }
    (hour < 24 && minute < 60 && second < 60).then_some((hour, minute, second, used, false))
}

/// The bytes of an `hrs` suffix (`2100hrs`, `21:00 hrs`, `2100h`), or 0.
fn hours_suffix(s: &str) -> usize {
    let trimmed = s.trim_start_matches(' ');
    let space = s.len() - trimmed.len();
    for word in ["hours", "hrs", "hr", "h"] {
        if trimmed
            .get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
            && !trimmed[word.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
            && (space == 0 || word != "h")
        {
            return space + word.len();
        }
    }
    0
}

fn parse_meridiem(s: &str) -> (Option<bool>, usize) {
    let trimmed = s.trim_start();
    let space = s.len() - trimmed.len();
    for (word, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
        if trimmed
            .get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
        {
            let after = &trimmed[word.len()..];
            if !after.chars().next().is_some_and(char::is_alphanumeric) {
                return (Some(pm), space + word.len());
            }
        }
    }
    (None, 0)
}

fn parse_zone(s: &str) -> (Option<TimeZone>, usize) {
    let trimmed = s.trim_start();
    let space = s.len() - trimmed.len();
    let (inner, paren) = match trimmed.strip_prefix('(') {
        Some(rest) => (rest, 1),
        None => (trimmed, 0),
    };
    let len = inner
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | ':')))
        .map_or(inner.len(), |(i, _)| i);
    // No zone is longer than `GMT-05:30`; a longer word would make the
    // shrinking loop below quadratic in the line's length.
    let mut word = &inner[..len.min(9)];
    while !word.is_empty() {
        // A zone ends its word: "ETL" is no "ET".
        let ends_word = !inner[word.len()..].starts_with(|c: char| c.is_ascii_alphabetic());
        if ends_word
            && word
                .chars()
                .any(|c| c.is_ascii_alphabetic() || c == '+' || c == '-')
            && let Some(zone) = zone_from_text(word)
        {
            let close = usize::from(paren == 1 && inner[word.len()..].starts_with(')'));
            if paren == 1 && close == 0 {
                return (None, 0);
            }
            return (Some(zone), space + paren + word.len() + close);
        }
        word = &word[..word.len() - word.chars().last().map_or(1, char::len_utf8)];
    }
    (None, 0)
}

/// Resolves raw events to instants. A stamp's zone wins; otherwise `zone`.
/// A stamp without a date takes the previous event's date, or `started`'s
/// date in the zone, and rolls to the next day when its time goes backwards.
/// With no date anywhere, events keep only their time of day.
pub fn resolve(
    raw: Vec<RawEvent>,
    started: Option<Timestamp>,
    zone: &TimeZone,
) -> Vec<TimelineEvent> {
    let mut current: Option<(Date, Time)> = None;
    raw.into_iter()
        .map(|event| {
            let event_zone = event.stamp.zone.clone().unwrap_or_else(|| zone.clone());
            let date = match (event.stamp.date, current) {
                _ if event.untimed => None,
                (Some(date), _) => Some(date),
                (None, Some((date, prev))) if event.stamp.time < prev => date.tomorrow().ok(),
                (None, Some((date, _))) => Some(date),
                (None, None) => started.map(|s| s.to_zoned_datetime(event_zone.clone()).date()),
            };
            if let Some(date) = date {
                current = Some((date, event.stamp.time));
            }
            let at = date.and_then(|d| {
                d.to_datetime(event.stamp.time)
                    .to_zoned_datetime(event_zone)
                    .ok()
                    .map(|z| z.timestamp())
            });
            TimelineEvent {
                at,
                time: event.stamp.time,
                text: event.text,
                kind: None,
                line: event.line,
                untimed: event.untimed,
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
