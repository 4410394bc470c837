//! Formatting numbers for people: durations, datetimes in UTC and in the
//! site's zone, percentages. Templates get these strings ready to show.
//! Datetimes are written digit by digit from jiff's civil fields rather
//! than with `strftime`: a build writes dozens per incident, and these few
//! forms are all it needs (the tests hold them to `strftime`'s output).

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// A duration the way an on-call engineer says it: `45 min`, `2 h 15 min`,
/// `1 d 4 h`, `30 s`. Rounded to the minute (to the hour past a day).
pub fn duration(d: SignedDuration) -> String {
    seconds(d.as_secs())
}

/// Like [`duration`], from seconds. Written without `format!` (pages show
/// several durations per incident, and diagrams more).
pub fn seconds(total: i64) -> String {
    let s = total.unsigned_abs();
    // The larger unit, and the smaller one when it is not zero.
    let (first, second) = if s < 60 {
        ((s, "s"), None)
    } else if s < 86_400 {
        let minutes = (s + 30) / 60;
        match (minutes / 60, minutes % 60) {
            (0, m) => ((m, "min"), None),
            (h, 0) => ((h, "h"), None),
            (h, m) => ((h, "h"), Some((m, "min"))),
        }
    } else {
        let hours = (s + 1800) / 3600;
        match (hours / 24, hours % 24) {
            (d, 0) => ((d, "d"), None),
            (d, h) => ((d, "d"), Some((h, "h"))),
        }
    };
    let mut out = String::with_capacity(16);
    if total < 0 {
        out.push('-');
    }
    for (i, (n, unit)) in [Some(first), second].into_iter().flatten().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_count(&mut out, n);
        out.push(' ');
        out.push_str(unit);
    }
    out
}

/// `parts` joined, in a string of their length: paths, tags and labels
/// made for every row, link or diagram, where `format!` cost about a
/// thousand instructions a string.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Appends `n` in decimal.
pub fn push_count(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut rest = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits[i..].iter().for_each(|&d| out.push(char::from(d)));
}

/// `2024-06-08 03:00 UTC`.
pub fn utc(at: Timestamp) -> String {
    let mut out = String::with_capacity(20);
    push_date_time(&mut out, TimeZone::UTC.to_datetime(at));
    out.push_str(" UTC");
    out
}

/// `2024-06-08 05:00 CEST`, in `zone`.
pub fn local(at: Timestamp, zone: &TimeZone) -> String {
    let info = zone.to_offset_info(at);
    let mut out = String::with_capacity(24);
    push_date_time(&mut out, info.offset().to_datetime(at));
    out.push(' ');
    out.push_str(info.abbreviation());
    out
}

/// `05:00 CEST`: the time of day in `zone`.
pub fn clock(at: Timestamp, zone: &TimeZone) -> String {
    let info = zone.to_offset_info(at);
    let mut out = String::with_capacity(10);
    push_time(&mut out, info.offset().to_datetime(at).time());
    out.push(' ');
    out.push_str(info.abbreviation());
    out
}

/// RFC 3339 in UTC, whole seconds: `2024-06-08T03:00:00Z`.
pub fn iso(at: Timestamp) -> String {
    let dt = TimeZone::UTC.to_datetime(at);
    let mut out = String::with_capacity(20);
    push_date(&mut out, dt.date());
    out.push('T');
    push_time(&mut out, dt.time());
    out.push(':');
    push_two(&mut out, dt.second());
    out.push('Z');
    out
}

/// `2024-06-08`: `d` as jiff writes a date (`d.to_string()`), without
/// the formatting machinery for the years 0 to 9999 (rows, references and
/// action items write one or two dates each).
pub fn day(d: Date) -> String {
    if (0..=9999).contains(&d.year()) {
        date(d)
    } else {
        d.to_string()
    }
}

/// `2024-06-08`.
pub fn date(d: Date) -> String {
    let mut out = String::with_capacity(10);
    push_date(&mut out, d);
    out
}

/// `05:00`.
pub fn time(t: Time) -> String {
    let mut out = String::with_capacity(5);
    push_time(&mut out, t);
    out
}

/// Appends `2024-06-08 03:00`.
fn push_date_time(out: &mut String, dt: DateTime) {
    push_date(out, dt.date());
    out.push(' ');
    push_time(out, dt.time());
}

/// Appends `2024-06-08`; a year outside 0-9999 as `strftime` writes it.
fn push_date(out: &mut String, d: Date) {
    let year = d.year();
    if !(0..=9999).contains(&year) {
        out.push_str(&d.strftime("%Y-%m-%d").to_string());
        return;
    }
    push_two(out, (year / 100) as i8);
    push_two(out, (year % 100) as i8);
    out.push('-');
    push_two(out, d.month());
    out.push('-');
    push_two(out, d.day());
}

/// Appends `05:00`.
pub fn push_time(out: &mut String, t: Time) {
    push_two(out, t.hour());
    out.push(':');
    push_two(out, t.minute());
}

/// Appends `n` (0..100) with two digits.
pub fn push_two(out: &mut String, n: i8) {
    let n = n.clamp(0, 99) as u8;
    out.push(char::from(b'0' + n / 10));
    out.push(char::from(b'0' + n % 10));
}

/// Hours with one decimal: `37.5`.
pub fn hours(seconds: i64) -> String {
    format!("{:.1}", seconds as f64 / 3600.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(seconds(0), "0 s");
        assert_eq!(seconds(45 * 60), "45 min");
        assert_eq!(seconds(3 * 3600), "3 h");
        assert_eq!(seconds(2 * 3600 + 15 * 60), "2 h 15 min");
        assert_eq!(seconds(28 * 3600 + 10 * 60), "1 d 4 h");
        assert_eq!(seconds(-300), "-5 min");
        assert_eq!(seconds(3599), "1 h");
    }

    /// The durations before they were written without `format!`.
    fn seconds_by_format(total: i64) -> String {
        let sign = if total < 0 { "-" } else { "" };
        let s = total.unsigned_abs();
        let text = if s < 60 {
            format!("{s} s")
        } else if s < 86_400 {
            let minutes = (s + 30) / 60;
            match (minutes / 60, minutes % 60) {
                (0, m) => format!("{m} min"),
                (h, 0) => format!("{h} h"),
                (h, m) => format!("{h} h {m} min"),
            }
        } else {
            let hours = (s + 1800) / 3600;
            match (hours / 24, hours % 24) {
                (d, 0) => format!("{d} d"),
                (d, h) => format!("{d} d {h} h"),
            }
        };
        format!("{sign}{text}")
    }

    #[test]
    fn durations_are_what_format_wrote() {
        let mut cases: Vec<i64> = vec![i64::MIN, i64::MAX, i64::MIN + 1, 86_399, 86_400, -86_400];
        cases.extend(-200_000..200_000);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push((x >> (x % 40)) as i64);
            cases.push(-((x >> (x % 50)) as i64));
        }
        for total in cases {
            assert_eq!(seconds(total), seconds_by_format(total), "{total}");
        }
    }

    #[test]
    fn days_are_what_jiff_writes() {
        let mut days: Vec<Date> = Vec::new();
        for year in [-9999, -1000, -1, 0, 1, 99, 999, 1000, 1970, 2024, 9999] {
            for (month, day) in [(1, 1), (2, 28), (6, 8), (12, 31)] {
                days.push(Date::new(year, month, day).unwrap());
            }
        }
        let mut d = Date::new(1999, 1, 1).unwrap();
        for _ in 0..12_000 {
            days.push(d);
            d = d.tomorrow().unwrap();
        }
        for d in days {
            assert_eq!(day(d), d.to_string(), "{d:?}");
        }
    }

    #[test]
    fn times_in_both_zones() {
        let at: Timestamp = "2024-06-08T03:00:00Z".parse().unwrap();
        assert_eq!(utc(at), "2024-06-08 03:00 UTC");
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(local(at, &berlin), "2024-06-08 05:00 CEST");
        assert_eq!(iso(at), "2024-06-08T03:00:00Z");
    }

    #[test]
    fn same_as_strftime() {
        let zones = [
            TimeZone::UTC,
            TimeZone::get("Europe/Berlin").unwrap(),
            TimeZone::get("America/New_York").unwrap(),
            TimeZone::get("Asia/Kolkata").unwrap(),
            TimeZone::fixed(jiff::tz::offset(-3)),
        ];
        let instants = [
            "2024-06-08T03:00:07Z",
            "2024-12-31T23:59:59.9Z",
            "0099-01-01T00:00:00Z",
            "-000001-03-01T12:00:00Z",
            "2025-03-30T01:30:00Z",
        ];
        for at in instants.map(|s| s.parse::<Timestamp>().unwrap()) {
            assert_eq!(utc(at), at.strftime("%Y-%m-%d %H:%M UTC").to_string());
            assert_eq!(iso(at), at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
            for zone in &zones {
                let zoned = at.to_zoned_datetime(zone.clone());
                assert_eq!(
                    local(at, zone),
                    zoned.strftime("%Y-%m-%d %H:%M %Z").to_string()
                );
                assert_eq!(clock(at, zone), zoned.strftime("%H:%M %Z").to_string());
                assert_eq!(date(zoned.date()), zoned.strftime("%Y-%m-%d").to_string());
                assert_eq!(time(zoned.time()), zoned.strftime("%H:%M").to_string());
            }
        }
    }
}
