//! Dates, times of day and durations as people write them in prose:
//! "June 8, 2024", "8th of June", "2024-06-08", "08/06/2024" (day or month
//! first as the site says), "03:00 AM UTC", "2100hrs", "3 hours and 15
//! minutes". Scanners return what they found with its byte range, so callers
//! can tell what stands between two finds.

use std::ops::Range;

use jiff::SignedDuration;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use crate::config::DateOrder;
use crate::content::timeline::{Stamp, parse_stamp};

/// A calendar date as written; the year may be missing ("8th June").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenDate {
    /// The year, when written.
    pub year: Option<i16>,
    /// 1 to 12.
    pub month: i8,
    /// 1 to 31.
    pub day: i8,
}

impl WrittenDate {
    /// The date, taking `year` when none was written; `None` when the day
    /// does not exist or no year is known.
    pub fn resolve(self, year: Option<i16>) -> Option<Date> {
        Date::new(self.year.or(year)?, self.month, self.day).ok()
    }
}

/// A time of day found in text, with its date and zone when written.
#[derive(Debug, Clone)]
pub struct FoundTime {
    /// The stamp.
    pub stamp: Stamp,
    /// Where it is in the text.
    pub span: Range<usize>,
}

/// The months' names, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The weekdays' names, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The month a capitalised word names ("June", "Jun", "Sept."), and its length.
fn month_at(s: &str) -> Option<(i8, usize)> {
    let len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = s[..len].to_ascii_lowercase();
    // In lower case a month is one only before a day ("oct 10"), and never
    // "may" or "march", which are words too.
    let day_next = s[len..]
        .strip_prefix(' ')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    let lower_ok = day_next && !["may", "mar", "march"].contains(&word.as_str());
    if !(s.starts_with(|c: char| c.is_ascii_uppercase()) || lower_ok) {
        return None;
    }
    let month = MONTHS.iter().position(|m| {
        *m == word
            || (len >= 3
                && (m.get(..len) == Some(word.as_str()) || (word == "sept" && *m == "september")))
    })?;
    let dot = usize::from(len < 6 && s[len..].starts_with('.'));
    Some((month as i8 + 1, len + dot))
}

fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// A day number with an optional ordinal suffix or dot: "8", "8th", "3.".
fn day_at(s: &str) -> Option<(i8, usize)> {
    let n = digits(s);
    if !(1..=2).contains(&n) {
        return None;
    }
    let day: i8 = s[..n].parse().ok()?;
    let rest = &s[n..];
    let suffix = ["st", "nd", "rd", "th"]
        .iter()
        .find(|x| rest.get(..2).is_some_and(|r| r.eq_ignore_ascii_case(x)))
        .map_or(0, |_| 2);
    let after = &rest[suffix..];
    if after.starts_with(|c: char| c.is_alphanumeric()) || (suffix == 0 && after.starts_with(':')) {
        return None;
    }
    let dot = usize::from(suffix == 0 && after.starts_with(". "));
    (1..=31).contains(&day).then_some((day, n + suffix + dot))
}

/// A four-digit year after optional ", " or spaces, not part of a time.
fn year_at(s: &str) -> Option<(i16, usize)> {
    let trimmed = s.trim_start_matches([',', ' ']);
    let skip = s.len() - trimmed.len();
    if digits(trimmed) != 4 || trimmed[4..].starts_with([':', '.']) && digits(&trimmed[5..]) > 0 {
        return None;
    }
    let year: i16 = trimmed[..4].parse().ok()?;
    (1970..=2200).contains(&year).then_some((year, skip + 4))
}

/// A date starting exactly at the start of `s`, and its length.
pub fn date_at(s: &str, order: Option<DateOrder>) -> Option<(WrittenDate, usize)> {
    if let Some((month, len)) = month_at(s) {
        let rest = &s[len..];
        let space = rest.len() - rest.trim_start_matches(' ').len();
        if space == 0 {
            return None;
        }
        let (day, dlen) = day_at(&rest[space..])?;
        let mut used = len + space + dlen;
        // "March 3-4, 2024": a range of days; the date is its first.
        if let Some(to) = s[used..].strip_prefix(['-', '–']) {
            let n = digits(to);
            if (1..=2).contains(&n) {
                used += s[used..].len() - to.len() + n;
            }
        }
        return Some(with_year(s, used, month, day));
    }
    numeric_date(s, order).or_else(|| day_month(s))
}

/// The date read so far (`used` bytes of `s`), with a year when one follows.
fn with_year(s: &str, used: usize, month: i8, day: i8) -> (WrittenDate, usize) {
    let (year, len) = year_at(&s[used..]).map_or((None, 0), |(y, len)| (Some(y), len));
    (WrittenDate { year, month, day }, used + len)
}

/// "8 June 2024", "8th of June", "3. February 2020".
fn day_month(s: &str) -> Option<(WrittenDate, usize)> {
    let (day, dlen) = day_at(s)?;
    let rest = &s[dlen..];
    let mut skip = rest.len() - rest.trim_start_matches(' ').len();
    if rest[skip..].starts_with("of ") {
        skip += 3;
    }
    if skip == 0 {
        return None;
    }
    let (month, mlen) = month_at(&rest[skip..])?;
    let used = dlen + skip + mlen;
    Some(with_year(s, used, month, day))
}

/// `2024-06-08`, `2024/06/08`, and `08/06/2024`, `08.06.2024`,
/// `08-06-2024` read in the site's order (or when only one reading exists).
fn numeric_date(s: &str, order: Option<DateOrder>) -> Option<(WrittenDate, usize)> {
    let num = |r: Range<usize>| s.get(r).and_then(|p| p.parse::<i16>().ok());
    let first = digits(s);
    let sep = s.as_bytes().get(first).copied()?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    let second = digits(&s[first + 1..]);
    if s.as_bytes().get(first + 1 + second) != Some(&sep) || !(1..=2).contains(&second) {
        return None;
    }
    let third_at = first + 2 + second;
    let third = digits(&s[third_at..]);
    let end = third_at + third;
    if s[end..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let (a, b) = (num(0..first)?, num(first + 1..first + 1 + second)?);
    let c = num(third_at..end)?;
    let (year, month, day) = if first == 4 && (1..=2).contains(&third) && sep != b'.' {
        (a, b, c)
    } else if (1..=2).contains(&first) && third == 4 {
        let dmy = match (order, sep) {
            (_, b'.') => true,
            _ if a > 12 && b <= 12 => true,
            _ if b > 12 && a <= 12 => false,
            (Some(order), _) => order == DateOrder::Dmy,
            (None, _) => return None,
        };
        if dmy { (c, b, a) } else { (c, a, b) }
    } else {
        return None;
    };
    let date = WrittenDate {
        year: Some(year),
        month: i8::try_from(month).ok()?,
        day: i8::try_from(day).ok()?,
    };
    date.resolve(None).map(|_| (date, end))
}

fn word_start(text: &str, i: usize) -> bool {
    !text[..i]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | ':' | '/' | '-' | '+'))
}

/// Every date in `text`, left to right.
pub fn find_dates(text: &str, order: Option<DateOrder>) -> Vec<(WrittenDate, Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text.is_char_boundary(i)
            && word_start(text, i)
            && let Some((date, len)) = date_at(&text[i..], order)
        {
            out.push((date, i..i + len));
            i += len;
            continue;
        }
        i += 1;
    }
    out
}

/// Every time of day in `text`, left to right. A bare hour needs AM/PM
/// (`3 PM`), and "noon"/"midnight" count only after at, by or around.
pub fn find_times(text: &str) -> Vec<FoundTime> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts_word = text.is_char_boundary(i) && word_start(text, i);
        let lead = starts_word
            && text[i..]
                .starts_with(|c: char| c.is_ascii_digit() || matches!(c, 'n' | 'N' | 'm' | 'M'));
        if lead && let Some((stamp, len)) = parse_stamp(&text[i..]) {
            let word = text[i..].starts_with(|c: char| !c.is_ascii_digit());
            // Only the last word before counts: lower-casing all of
            // `text[..i]` per time would be quadratic on a long line.
            let before = text[..i].trim_end().as_bytes();
            if !word
                || ["at", "by", "around", "until", "till", "from", "to", "and"]
                    .iter()
                    .any(|w| {
                        before.len() >= w.len()
                            && before[before.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
                    })
            {
                let len = trim_trailing_space(&text[i..i + len]);
                let found = FoundTime {
                    stamp,
                    span: i..i + len,
                };
                let end = bare_hour_after(text, &found);
                out.push(found);
                i += len.max(1);
                if let Some(end) = end {
                    i = end.span.end;
                    out.push(end);
                }
                continue;
            }
        }
        i += 1;
    }
    out
}

fn trim_trailing_space(s: &str) -> usize {
    s.trim_end().len()
}

/// Adds the zone to stamps that have none (a zone written once at the end
/// of a range applies to the whole range).
/// "4pm to 6", "10 AM - 1 PST": the end of a range written as a bare
/// hour, on the same side of noon as the start when it can be, with the
/// zone written after it.
fn bare_hour_after(text: &str, start: &FoundTime) -> Option<FoundTime> {
    let rest = &text[start.span.end..];
    let after = rest.trim_start();
    let after = ["to ", "until ", "till ", "- ", "– ", "-", "–"]
        .iter()
        .find_map(|w| after.strip_prefix(w))?
        .trim_start();
    let n = after.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&n)
        || after[n..].starts_with([':', '.', '/'])
        || parse_stamp(after).is_some()
    {
        return None;
    }
    let mut hour: i8 = after[..n].parse().ok()?;
    let from = start.stamp.time.hour();
    if from >= 12 && hour < 12 && hour + 12 > from {
        hour += 12;
    }
    let time = Time::new(hour, 0, 0, 0).ok()?;
    let tail = &after[n..];
    let word = tail.trim_start();
    let len = word
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | ':')))
        .unwrap_or(word.len());
    let zone = crate::content::zone_from_text(&word[..len]).filter(|_| len > 0);
    let zone_len = if zone.is_some() {
        tail.len() - word.len() + len
    } else {
        0
    };
    let begin = text.len() - after.len();
    Some(FoundTime {
        stamp: Stamp {
            date: None,
            time,
            zone,
        },
        span: begin..begin + n + zone_len,
    })
}

pub fn share_zone(times: &mut [FoundTime]) {
    let zone: Option<TimeZone> = times.iter().rev().find_map(|t| t.stamp.zone.clone());
    for t in times {
        if t.stamp.zone.is_none() {
            t.stamp.zone.clone_from(&zone);
        }
    }
}

/// The first duration in `text` ("3 hours", "2h 15m", "19 hours 43
/// minutes", "1.5 hours", "11 Days") and its range.
pub fn find_duration(text: &str) -> Option<(SignedDuration, Range<usize>)> {
    let mut i = 0;
    while i < text.len() {
        if text.is_char_boundary(i)
            && word_start(text, i)
            && text[i..].starts_with(|c: char| c.is_ascii_digit())
            && let Some((d, len)) = duration_at(&text[i..])
        {
            return Some((d, i..i + len));
        }
        i += 1;
    }
    None
}

/// A run of number-and-unit parts at the start of `s`.
fn duration_at(s: &str) -> Option<(SignedDuration, usize)> {
    let mut total = 0.0;
    let mut used = 0;
    let mut parts = 0;
    loop {
        let rest = &s[used..];
        let (value, unit, len) = match part_at(rest) {
            Some(p) => p,
            None => break,
        };
        total += value * unit;
        used += len;
        parts += 1;
        let after = &s[used..];
        let sep = after.len() - after.trim_start_matches([' ', ',']).len();
        let and = if after[sep..].starts_with("and ") {
            4
        } else {
            0
        };
        if part_at(&after[sep + and..]).is_none() {
            break;
        }
        used += sep + and;
    }
    (parts > 0 && total > 0.0 && total < 1e9)
        .then(|| (SignedDuration::from_secs(total.round() as i64), used))
}

/// One "3 hours" part: value, seconds per unit, bytes used.
fn part_at(s: &str) -> Option<(f64, f64, usize)> {
    let int = digits(s);
    if int == 0 {
        return None;
    }
    let mut len = int;
    if s[len..].starts_with('.') && digits(&s[len + 1..]) > 0 {
        len += 1 + digits(&s[len + 1..]);
    }
    let value: f64 = s[..len].parse().ok()?;
    let rest = &s[len..];
    let space = rest.len() - rest.trim_start_matches([' ', '-']).len();
    let word_len = rest[space..]
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let word = rest[space..space + word_len].to_ascii_lowercase();
    let unit = match word.as_str() {
        "d" | "day" | "days" => 86400.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        _ => return None,
    };
    Some((value, unit, len + space + word_len))
}

/// The forward distance from `from` to `to` on a clock: a `to` earlier than
/// `from` is on the next day.
pub fn clock_distance(from: Time, to: Time) -> SignedDuration {
    let d = to.duration_since(from);
    if d.is_negative() {
        d + SignedDuration::from_hours(24)
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str, order: Option<DateOrder>) -> Vec<String> {
        find_dates(text, order)
            .into_iter()
            .map(|(d, _)| {
                format!(
                    "{}-{:02}-{:02}",
                    d.year.map_or("????".into(), |y| y.to_string()),
                    d.month,
                    d.day
                )
            })
            .collect()
    }

    #[test]
    fn reads_dates_in_common_forms() {
        assert_eq!(
            dates("Outage on June 8, 2024, 03:00 AM", None),
            ["2024-06-08"]
        );
        assert_eq!(
            dates("On 8 June 2024 and the 9th of June", None),
            ["2024-06-08", "????-06-09"]
        );
        assert_eq!(dates("On Monday 3. February 2020, a", None), ["2020-02-03"]);
        assert_eq!(dates("Tuesday 22nd June 2021", None), ["2021-06-22"]);
        assert_eq!(
            dates("2024-06-08 and 2024/06/09", None),
            ["2024-06-08", "2024-06-09"]
        );
        assert_eq!(dates("Sept. 3 2023", None), ["2023-09-03"]);
    }

    #[test]
    fn numeric_dates_follow_the_site_order() {
        assert_eq!(dates("08/06/2024", Some(DateOrder::Dmy)), ["2024-06-08"]);
        assert_eq!(dates("08/06/2024", Some(DateOrder::Mdy)), ["2024-08-06"]);
        assert!(
            dates("08/06/2024", None).is_empty(),
            "ambiguous without a setting"
        );
        assert_eq!(dates("25/06/2024", None), ["2024-06-25"]);
        assert_eq!(dates("08.06.2024", Some(DateOrder::Mdy)), ["2024-06-08"]);
    }

    #[test]
    fn not_dates() {
        assert!(dates("may 8 be", None).is_empty());
        assert!(dates("version 1.2.3 and 10/20", None).is_empty());
        assert!(dates("June 8 03:00", None) == ["????-06-08"]);
        assert!(dates("31/02/2024", Some(DateOrder::Dmy)).is_empty());
    }

    #[test]
    fn finds_times_in_prose() {
        let t: Vec<String> =
            find_times("At 14:02 UTC the deploy began; by 2:30 PM and at noon, not 3 servers")
                .iter()
                .map(|f| f.stamp.time.strftime("%H:%M").to_string())
                .collect();
        assert_eq!(t, ["14:02", "14:30", "12:00"]);
    }

    #[test]
    fn reads_durations() {
        let d = |s: &str| find_duration(s).map(|(d, _)| d.as_secs() / 60);
        assert_eq!(d("(3 hours)"), Some(180));
        assert_eq!(d("19 hours 43 minutes."), Some(19 * 60 + 43));
        assert_eq!(d("2h 15m"), Some(135));
        assert_eq!(d("lasted 1.5 hours"), Some(90));
        assert_eq!(d("2 hours and 5 minutes"), Some(125));
        assert_eq!(d("11 Days"), Some(11 * 24 * 60));
        assert_eq!(d("N/A"), None);
        assert_eq!(d("v2 of 3 servers"), None);
    }
}
