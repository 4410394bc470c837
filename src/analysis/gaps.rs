//! Time between incidents: the gaps between consecutive starts of a set of
//! incidents (median and p90, as every distribution here) and the days
//! since the last start, as of the build's date (so a figure changes once
//! a day, not once a second).

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::stats::percentile;
use crate::model::Incident;

/// Time between incidents of one set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gaps {
    /// How many gaps (starts − 1).
    pub count: usize,
    /// Median gap, seconds.
    pub median: Option<i64>,
    /// 90th percentile gap, seconds.
    pub p90: Option<i64>,
    /// Whole days from the last start's date to the build's date, both in
    /// the site's zone (none without a start, or when the last starts
    /// after the build).
    pub days_since_last: Option<i64>,
}

/// The gaps between the starts of `incidents`, as of the build's date
/// `today` in `zone`.
pub fn gaps<'a>(
    incidents: impl IntoIterator<Item = &'a Incident>,
    today: Date,
    zone: &TimeZone,
) -> Gaps {
    let mut starts: Vec<i64> = incidents
        .into_iter()
        .filter_map(|i| i.started.map(|s| s.as_second()))
        .collect();
    starts.sort_unstable();
    let mut between: Vec<i64> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    between.sort_unstable();
    Gaps {
        count: between.len(),
        median: percentile(&between, 0.5),
        p90: percentile(&between, 0.9),
        days_since_last: starts
            .last()
            .and_then(|&last| jiff::Timestamp::from_second(last).ok())
            .and_then(|last| {
                let day = last.to_zoned_datetime(zone.clone()).date();
                day.until((jiff::Unit::Day, today)).ok()
            })
            .map(|span| i64::from(span.get_days()))
            .filter(|&d| d >= 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::related::tests::incident;

    #[test]
    fn gaps_between_consecutive_starts() {
        let day = 86_400;
        // Starts on days 0, 10, 11 and 41 (given out of order): gaps 10, 1
        // and 30 days; sorted 1, 10, 30: median 10 d, p90 at rank 1.8 =
        // 10 + 0.8 x 20 = 26 days. Built on day 50: 9 days since the last.
        // Day 0 is 1970-01-01, so day 50 is 1970-02-20.
        let v = [0, 41, 10, 11].map(|d| incident("x", Some(d * day), &[], &[]));
        let utc = TimeZone::UTC;
        let g = gaps(&v, jiff::civil::date(1970, 2, 20), &utc);
        assert_eq!(
            (g.count, g.median, g.p90, g.days_since_last),
            (3, Some(10 * day), Some(26 * day), Some(9))
        );
        let one = gaps(&v[..1], jiff::civil::date(1970, 1, 2), &utc);
        assert_eq!(
            (one.count, one.median, one.days_since_last),
            (0, None, Some(1))
        );
        // The day counts in the site's zone: 23:30 UTC on day 0 is already
        // 1970-01-02 in Berlin, one day before 1970-01-03.
        let late = [incident("x", Some(day - 1800), &[], &[])];
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(
            gaps(&late, jiff::civil::date(1970, 1, 3), &berlin).days_since_last,
            Some(1)
        );
    }
}
