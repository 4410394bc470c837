//! Timeline events of a plain postmortem: the lines, list items, table rows
//! and bold times the timeline parser reads, plus what pasted documents do
//! besides: dates written out ("June 8, 2024 03:00 ..."), date lines that
//! head the events under them ("### June 9"), a zone stated once for the
//! whole timeline ("All times in CET"), and run-on paragraphs holding
//! several times ("At 14:02 the deploy began. At 14:09 errors spiked.").

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::dates::{self, WrittenDate};
use super::{text, untimed};
use crate::config::DateOrder;
use crate::content::datetime::zone_from_text;
use crate::content::timeline::{self, RawEvent};

/// What the timeline section gave.
#[derive(Debug, Default)]
pub struct Timeline {
    /// The events, dates as written (or from a date line above them).
    pub events: Vec<RawEvent>,
    /// The zone the timeline states for all its times, and its line.
    pub zone: Option<(TimeZone, usize)>,
    /// Rows with a date but no time ("2022-06-02 HH:mm"), with how many
    /// timed events came before each: they say the timed events are not
    /// all. (They are events too, untimed.)
    pub untimed: Vec<(Date, usize)>,
}

/// Reads the timeline from its heading and lines (`(file line, text)`).
/// `year` completes dates written without one.
pub fn read(
    heading: (usize, &str),
    lines: &[(usize, &str)],
    order: Option<DateOrder>,
    year: Option<i16>,
) -> Timeline {
    let mut out = Timeline {
        zone: stated_zone(heading.1).map(|z| (z, heading.0)),
        ..Timeline::default()
    };
    let mut fence = false;
    // A date in the heading ("Timeline (UTC, 2024-11-05)") dates the
    // entries below it.
    let mut pending_date = dates::find_dates(heading.1, order)
        .first()
        .and_then(|(d, _)| d.resolve(year));
    for &(line_no, line) in lines {
        let t = line.trim_start();
        if timeline::one_line_code(t) {
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence || t.is_empty() {
            continue;
        }
        let before = out.events.len();
        read_line(&mut out, (line_no, line), order, year, &mut pending_date);
        if out.events.len() == before {
            if out.zone.is_none() {
                out.zone = stated_zone(line).map(|z| (z, line_no));
            }
        } else if let Some(first) = out.events.get_mut(before) {
            first.stamp.date = first.stamp.date.or(pending_date.take());
        }
    }
    out
}

/// The events of one line: a timed entry, a date heading the entries
/// below, an untimed entry, or the times of a run-on paragraph.
fn read_line(
    out: &mut Timeline,
    (line_no, line): (usize, &str),
    order: Option<DateOrder>,
    year: Option<i16>,
    pending_date: &mut Option<Date>,
) {
    let timed = out.events.iter().filter(|e| !e.untimed).count();
    let event = |stamp, text, untimed| RawEvent {
        stamp,
        text,
        line: line_no,
        untimed,
    };
    if let Some((stamp, text)) = timeline::parse_line(line) {
        let (text, next) = second_entry(line, &text);
        out.events.push(event(stamp, text, false));
        if let Some((stamp, text)) = next.and_then(timeline::parse_line) {
            out.events.push(event(stamp, text, false));
        }
        return;
    }
    if let Some((date, text)) = untimed::entry(line) {
        out.untimed.extend(date.map(|d| (d, timed)));
        let stamp = timeline::Stamp {
            date,
            time: jiff::civil::Time::midnight(),
            zone: None,
        };
        out.events.push(event(stamp, text, true));
        return;
    }
    let Some((date, rest)) = date_prefix(line, order) else {
        run_on(line, line_no, order, year, &mut out.events);
        return;
    };
    let date = date.resolve(year);
    match timeline::parse_line(rest) {
        Some((mut stamp, text)) => {
            stamp.date = stamp.date.or(date);
            out.events.push(event(stamp, text, false));
        }
        None if is_date_line(rest) => *pending_date = date.or(*pending_date),
        None => {
            out.untimed.extend(date.map(|d| (d, timed)));
            run_on(line, line_no, order, year, &mut out.events);
        }
    }
}

/// The lines of a document without a Timeline section that are its
/// timeline all the same: the longest run of at least three lines that
/// start with a time (a chat log, a shift log), blank lines between them
/// allowed.
pub fn implicit<'a>(all: &[(usize, &'a str)]) -> Vec<(usize, &'a str)> {
    let timed = |l: &str| timeline::parse_line(l).is_some();
    let mut best: &[(usize, &str)] = &[];
    let mut i = 0;
    while i < all.len() {
        if !timed(all[i].1) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < all.len() && (timed(all[i].1) || all[i].1.trim().is_empty()) {
            if timed(all[i].1) {
                end = i + 1;
            }
            i += 1;
        }
        let run = &all[start..end];
        if run.iter().filter(|(_, l)| timed(l)).count() >= 3 && run.len() > best.len() {
            best = run;
        }
        i = end.max(start + 1);
    }
    best.to_vec()
}

/// Two entries on one line ("00:40 AM template rolled back 00:44 AM first
/// labels print"): the first entry's text, and the second entry, when a
/// time written like the first stands in the text after a word that is
/// not a preposition ("deploy at 09:30" is no entry).
fn second_entry<'a>(line: &'a str, text: &str) -> (String, Option<&'a str>) {
    if line.trim_start().starts_with('|') || !line.ends_with(text) {
        return (text.to_owned(), None);
    }
    let offset = line.len() - text.len();
    let meridiem = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains(" am") || s.contains(" pm")
    };
    let lead_meridiem = meridiem(&line[..offset]);
    let found = dates::find_times(text).into_iter().find(|t| {
        let before = text[..t.span.start].trim_end();
        let word = before.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
        let written = &text[t.span.clone()];
        !before.is_empty()
            && !before.ends_with([',', '(', '@'])
            && written.contains(':')
            && meridiem(&format!(" {written}")) == lead_meridiem
            && ![
                "at", "by", "around", "until", "till", "from", "to", "and", "since", "before",
                "after", "about", "~",
            ]
            .contains(&word.as_str())
            && text[t.span.end..]
                .trim_start()
                .starts_with(char::is_alphanumeric)
    });
    match found {
        Some(t) => (
            text[..t.span.start].trim_end().to_owned(),
            Some(&line[offset + t.span.start..]),
        ),
        None => (text.to_owned(), None),
    }
}

/// A date at the start of a line, after list, heading and bold marks, and
/// the rest of the line after it.
fn date_prefix(line: &str, order: Option<DateOrder>) -> Option<(WrittenDate, &str)> {
    let t = line
        .trim_start()
        .trim_start_matches(['#', '|', '~'])
        .trim_start();
    let t = text::list_item(t).map_or(t, |(_, rest)| rest);
    let t = t.trim_start_matches(['*', '_', '[']).trim_start();
    let t = skip_weekday(t);
    let (date, used) = dates::date_at(t, order)?;
    let rest = t[used..].trim_start_matches([',', ' ', '*', '_', ']']);
    let rest = rest.strip_prefix("at ").unwrap_or(rest);
    Some((date, rest))
}

fn skip_weekday(t: &str) -> &str {
    let len = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = t[..len].to_ascii_lowercase();
    if len >= 3 && dates::WEEKDAYS.iter().any(|d| d.starts_with(&word)) {
        t[len..].trim_start_matches(['.', ',', ' '])
    } else {
        t
    }
}

/// Nothing but marks left after a date: the line heads the events below.
fn is_date_line(rest: &str) -> bool {
    rest.trim()
        .trim_matches(['*', '_', ':', '#', '-', ' ', '(', ')'])
        .is_empty()
}

/// The zone a line states for all times ("All times in CET", "Date and
/// Time in CET", "Timeline (times UTC)"): an upper-case zone word in a line
/// that speaks of times.
pub fn stated_zone(line: &str) -> Option<TimeZone> {
    let lower = line.to_lowercase();
    if !(lower.contains("time") || lower.contains("zone")) {
        return None;
    }
    line.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | ':')))
        .filter(|w| w.len() >= 2 && w.starts_with(|c: char| c.is_ascii_uppercase()))
        .filter(|w| {
            w.chars().all(|c| {
                c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '+' | '-' | ':')
            })
        })
        .find_map(zone_from_text)
}

/// A paragraph with several times: one event per time, its text the
/// sentence it stands in (less the leading "At 14:02,").
fn run_on(
    line: &str,
    line_no: usize,
    order: Option<DateOrder>,
    year: Option<i16>,
    events: &mut Vec<RawEvent>,
) {
    if line.trim_start().starts_with('|') {
        return;
    }
    let found = dates::find_times(line);
    if found.is_empty() {
        return;
    }
    let found_dates = dates::find_dates(line, order);
    let breaks = sentence_breaks(line);
    for f in found {
        let (start, end) = sentence_around(line, &breaks, f.span.start, f.span.end);
        // The dates of this sentence before the stamp (dates are in order).
        let lo = found_dates.partition_point(|(_, r)| r.start < start);
        let hi = found_dates.partition_point(|(_, r)| r.end <= f.span.start);
        let before = found_dates.get(lo..hi).unwrap_or_default();
        let mut stamp = f.stamp;
        if stamp.date.is_none() {
            stamp.date = before.last().and_then(|(d, _)| d.resolve(year));
        }
        // "At 14:02", "On 12 February 2025 at 14:02": only the stamp's lead.
        let mut lead = line[start..f.span.start].to_owned();
        for (_, r) in before {
            lead = lead.replace(&line[r.clone()], " ");
        }
        let lead_only = lead.trim().trim_matches('*').split_whitespace().all(|w| {
            ["at", "by", "around", "approximately", "about", "on", "~"]
                .contains(&w.to_lowercase().trim_matches(','))
        });
        let text = if lead_only {
            line[f.span.end..end].trim_start_matches(['*', ',', ':', ' ', '-', '—', '–'])
        } else {
            &line[start..end]
        };
        let text = text.trim().trim_end_matches(['*']).trim();
        events.push(RawEvent {
            stamp,
            text: text.to_owned(),
            line: line_no,
            untimed: false,
        });
    }
}

/// Where sentences (and `;` clauses) end: the byte offsets of ". ", "; ",
/// "! " and "? ".
fn sentence_breaks(line: &str) -> Vec<usize> {
    line.char_indices()
        .filter(|&(i, c)| matches!(c, '.' | ';' | '!' | '?') && line[i + 1..].starts_with(' '))
        .map(|(i, _)| i)
        .collect()
}

/// The byte range of the sentence (or `;` clause, or bold-time segment)
/// that holds `from..to`.
fn sentence_around(line: &str, breaks: &[usize], from: usize, to: usize) -> (usize, usize) {
    let before = breaks.partition_point(|&b| b < from);
    let start = before
        .checked_sub(1)
        .and_then(|i| breaks.get(i))
        .map_or(0, |b| b + 2)
        .min(from);
    let end = breaks
        .get(breaks.partition_point(|&b| b < to))
        .map_or(line.len(), |b| b + 1)
        .max(to);
    let bold_start = line[start..from]
        .rfind("**")
        .map(|b| start + b)
        .filter(|&b| line[b + 2..from].trim().is_empty());
    let next_bold = line[to..end]
        .find("**")
        .map(|b| to + b)
        .filter(|&b| timeline::parse_stamp(line[b + 2..].trim_start()).is_some());
    (bold_start.unwrap_or(start), next_bold.unwrap_or(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(lines: &[&str]) -> Vec<(String, String)> {
        let numbered: Vec<(usize, &str)> =
            lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
        read((0, "Timeline"), &numbered, None, Some(2024))
            .events
            .into_iter()
            .map(|e| {
                let date = e.stamp.date.map(|d| format!("{d} ")).unwrap_or_default();
                (format!("{date}{}", e.stamp.time.strftime("%H:%M")), e.text)
            })
            .collect()
    }

    #[test]
    fn run_on_paragraphs_give_one_event_per_time() {
        let got = events(&[
            "At 14:02 UTC the deploy began. At 14:09 errors spiked; we paged on-call at 14:12.",
        ]);
        let times: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(times, ["14:02", "14:09", "14:12"]);
        assert_eq!(got[0].1, "the deploy began.");
        assert_eq!(got[2].1, "we paged on-call at 14:12.");
    }

    #[test]
    fn code_is_never_read_for_times() {
        let got = events(&[
            "10:01 alert",
            "```SELECT now() -- 10:15 took 41 s```",
            "```",
            "10:20 in a block",
            "```",
            "10:30 fixed",
        ]);
        let times: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(times, ["10:01", "10:30"]);
    }

    #[test]
    fn two_entries_on_one_line() {
        let got = events(&["00:40 AM template rolled back 00:44 AM first labels print again"]);
        assert_eq!(
            got[0],
            ("00:40".to_owned(), "template rolled back".to_owned())
        );
        assert_eq!(
            got[1],
            ("00:44".to_owned(), "first labels print again".to_owned())
        );
        let one = events(&["09:45 the only change was the deploy at 09:30, rolling it back"]);
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn date_lines_head_the_events_below() {
        let got = events(&[
            "### June 8",
            "- 23:40 first",
            "**June 9, 2024**",
            "- 00:10 second",
            "June 10 at 3 PM: third",
        ]);
        assert_eq!(got[0].0, "2024-06-08 23:40");
        assert_eq!(got[1].0, "2024-06-09 00:10");
        assert_eq!(got[2], ("2024-06-10 15:00".to_owned(), "third".to_owned()));
    }

    #[test]
    fn zone_stated_once() {
        assert_eq!(
            stated_zone("All times in CET.")
                .unwrap()
                .to_fixed_offset()
                .unwrap()
                .seconds(),
            3600
        );
        assert!(stated_zone("| Date and Time in CET | Event |").is_some());
        assert!(stated_zone("We ate a CAT").is_none());
        assert!(stated_zone("Times: as they happened").is_none());
    }
}
