//! Datetimes as people write them in front matter: RFC 3339 with an offset,
//! or a local `YYYY-MM-DD HH:MM[:SS]` read in a zone; dates; and the zone
//! abbreviations postmortems use (`CET`, `PDT`, ...), read as the fixed offsets
//! they name.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{Offset, TimeZone};

/// A datetime read from text.
#[derive(Debug, Clone)]
pub struct ParsedDateTime {
    /// The instant.
    pub at: Timestamp,
    /// The zone written with it (`Z`, `+02:00`), when one was.
    pub written_zone: Option<TimeZone>,
}

/// Parses `text` as a datetime; a local datetime is read in `zone`.
pub fn parse_datetime(text: &str, zone: &TimeZone) -> Result<ParsedDateTime, String> {
    let text = text.trim();
    let pieces = Pieces::parse(text).map_err(|_| {
        calendar_problem(text).unwrap_or_else(|| {
            format!("`{text}` is not a datetime: write RFC 3339 (`2024-06-08T03:00:00Z`) or `2024-06-08 03:00`")
        })
    })?;
    let Some(time) = pieces.time() else {
        return Err(format!(
            "`{text}` has a date but no time of day: write `{text} 03:00` or the like"
        ));
    };
    let civil = pieces.date().to_datetime(time);
    let written_zone = match pieces.offset() {
        Some(PiecesOffset::Zulu) => Some(TimeZone::UTC),
        Some(offset) => Some(TimeZone::fixed(offset.to_numeric_offset())),
        None => None,
    };
    let in_zone = written_zone.as_ref().unwrap_or(zone);
    let at = civil
        .to_zoned_datetime(in_zone.clone())
        .map_err(|e| format!("`{text}` cannot be placed in its time zone: {e}"))?
        .timestamp();
    Ok(ParsedDateTime { at, written_zone })
}

/// Parses `YYYY-MM-DD` (a datetime's date part is accepted too).
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    Pieces::parse(text).map(|p| p.date()).map_err(|_| {
        calendar_problem(text)
            .unwrap_or_else(|| format!("`{text}` is not a date: write `2025-03-31`"))
    })
}

/// What is wrong with a date that is written right but does not exist:
/// `2024-02-30`, month 13, the year 99999.
fn calendar_problem(text: &str) -> Option<String> {
    let date = text.split(['T', 't', ' ']).next()?;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !(digits(y) && digits(m) && digits(d)) {
        return None;
    }
    let year: i64 = y.parse().ok()?;
    if !(1..=9999).contains(&year) {
        return Some(format!(
            "`{text}`: the year {year} is out of range (kb reads years 1 to 9999)"
        ));
    }
    let month: i8 = m.parse().ok()?;
    let first = Date::new(year as i16, month, 1).ok();
    let Some(first) = first else {
        return Some(format!("`{text}`: there is no month {month}"));
    };
    let day: i64 = d.parse().ok()?;
    (day < 1 || day > i64::from(first.days_in_month())).then(|| {
        format!(
            "`{text}`: {date} is not a day of the calendar ({} has {} days)",
            first.strftime("%B %Y"),
            first.days_in_month()
        )
    })
}

/// The fixed offset a zone abbreviation or a written offset stands for:
/// `UTC`, `GMT`, `Z`, `CET`, `PDT`, `ET`, `UTC+2`, `GMT-05:30`, `+02:00`.
pub fn zone_from_text(text: &str) -> Option<TimeZone> {
    let upper = text.trim().to_ascii_uppercase();
    // US zones written without saying summer or winter ("2:14 p.m. ET",
    // "3pm Pacific") follow their region's clock.
    let region = match upper.as_str() {
        "ET" | "EASTERN" => Some("America/New_York"),
        "CT" => Some("America/Chicago"),
        "MT" | "MOUNTAIN" => Some("America/Denver"),
        "PT" | "PACIFIC" => Some("America/Los_Angeles"),
        _ => None,
    };
    if let Some(name) = region {
        return TimeZone::get(name).ok();
    }
    let hours = match upper.as_str() {
        "UTC" | "GMT" | "Z" | "ZULU" | "WET" => 0.0,
        "BST" | "CET" | "WAT" | "WEST" | "IST-IE" => 1.0,
        "CEST" | "EET" | "CAT" | "SAST" => 2.0,
        "EEST" | "EAT" | "MSK" | "AST-SA" => 3.0,
        "IST" => 5.5,
        "SGT" | "HKT" | "AWST" | "CST-CN" => 8.0,
        "JST" | "KST" => 9.0,
        "AEST" => 10.0,
        "AEDT" => 11.0,
        "NZST" => 12.0,
        "NZDT" => 13.0,
        "AST" | "EDT" => -4.0,
        "EST" | "CDT" => -5.0,
        "CST" | "MDT" => -6.0,
        "MST" | "PDT" => -7.0,
        "PST" | "AKDT" => -8.0,
        "AKST" => -9.0,
        "HST" => -10.0,
        _ => return numeric_offset(&upper).map(TimeZone::fixed),
    };
    let seconds = (hours * 3600.0) as i32;
    Offset::from_seconds(seconds).ok().map(TimeZone::fixed)
}

/// `+02:00`, `-0530`, `+2`, `UTC+2`, `GMT-05:30`.
fn numeric_offset(text: &str) -> Option<Offset> {
    let text = text
        .strip_prefix("UTC")
        .or_else(|| text.strip_prefix("GMT"))
        .unwrap_or(text);
    let (sign, rest) = if let Some(rest) = text.strip_prefix('+') {
        (1, rest)
    } else {
        (-1, text.strip_prefix('-')?)
    };
    if !rest.is_ascii() {
        return None;
    }
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() > 2
        || !(h.chars().chain(m.chars())).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> String {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        parse_datetime(text, &berlin).unwrap().at.to_string()
    }

    #[test]
    fn reads_the_usual_forms() {
        assert_eq!(utc("2024-06-08T03:00:00Z"), "2024-06-08T03:00:00Z");
        assert_eq!(utc("2024-06-08T05:00:00+02:00"), "2024-06-08T03:00:00Z");
        assert_eq!(utc("2024-06-08 05:00"), "2024-06-08T03:00:00Z");
        assert_eq!(utc("2024-01-08T04:00"), "2024-01-08T03:00:00Z");
        assert_eq!(utc("2024-06-08 03:00Z"), "2024-06-08T03:00:00Z");
    }

    #[test]
    fn rejects_what_is_not_a_datetime() {
        let z = TimeZone::UTC;
        assert!(parse_datetime("2024-02-30 10:00", &z).is_err());
        assert!(parse_datetime("yesterday", &z).is_err());
        assert!(
            parse_datetime("2024-06-08", &z)
                .unwrap_err()
                .contains("no time")
        );
        assert!(parse_datetime("99999-01-01T00:00Z", &z).is_err());
    }

    #[test]
    fn zone_abbreviations_are_fixed_offsets() {
        let off = |t: &str| {
            zone_from_text(t)
                .unwrap()
                .to_fixed_offset()
                .unwrap()
                .seconds()
        };
        assert_eq!(off("CET"), 3600);
        assert_eq!(off("pdt"), -7 * 3600);
        assert_eq!(off("UTC+2"), 7200);
        assert_eq!(off("GMT-05:30"), -(5 * 3600 + 1800));
        assert_eq!(off("+0530"), 5 * 3600 + 1800);
        assert!(zone_from_text("XYZ").is_none());
        assert!(zone_from_text("+99").is_none());
        assert!(zone_from_text("+€a").is_none());
    }

    #[test]
    fn us_zones_without_a_season_follow_the_region() {
        let et = zone_from_text("ET").unwrap();
        let offset = |date: jiff::civil::Date| {
            let noon = et
                .to_ambiguous_timestamp(date.at(12, 0, 0, 0))
                .compatible()
                .unwrap();
            et.to_offset(noon).seconds()
        };
        assert_eq!(offset(jiff::civil::date(2025, 7, 22)), -4 * 3600);
        assert_eq!(offset(jiff::civil::date(2025, 1, 22)), -5 * 3600);
        assert!(zone_from_text("Pacific").is_some());
    }
}
