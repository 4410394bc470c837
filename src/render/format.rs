//! Formatting numbers for people: durations, datetimes in UTC and in the
//! site's zone, percentages. Templates get these strings ready to show.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// A duration the way an on-call engineer says it: `45 min`, `2 h 15 min`,
/// `1 d 4 h`, `30 s`. Rounded to the minute (to the hour past a day).
pub fn duration(d: SignedDuration) -> String {
    seconds(d.as_secs())
}

/// Like [`duration`], from seconds.
pub fn seconds(total: i64) -> String {
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

/// `2024-06-08 03:00 UTC`.
pub fn utc(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// `2024-06-08 05:00 CEST`, in `zone`.
pub fn local(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// RFC 3339 in UTC, whole seconds: `2024-06-08T03:00:00Z`.
pub fn iso(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
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

    #[test]
    fn times_in_both_zones() {
        let at: Timestamp = "2024-06-08T03:00:00Z".parse().unwrap();
        assert_eq!(utc(at), "2024-06-08 03:00 UTC");
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(local(at, &berlin), "2024-06-08 05:00 CEST");
        assert_eq!(iso(at), "2024-06-08T03:00:00Z");
    }
}
