//! Time between incidents: the gaps between consecutive starts of a set of
//! incidents (median and p90, as every distribution here) and the time
//! since the last start, as of the build time.

use jiff::Timestamp;

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
    /// From the last start to the build time, seconds (none without a
    /// start, or when the last starts after the build).
    pub since_last: Option<i64>,
}

/// The gaps between the starts of `incidents`, as of `now`.
pub fn gaps<'a>(incidents: impl IntoIterator<Item = &'a Incident>, now: Timestamp) -> Gaps {
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
        since_last: starts
            .last()
            .map(|&last| now.as_second() - last)
            .filter(|&s| s >= 0),
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
        let v = [0, 41, 10, 11].map(|d| incident("x", Some(d * day), &[], &[]));
        let g = gaps(&v, Timestamp::from_second(50 * day).unwrap());
        assert_eq!(
            (g.count, g.median, g.p90, g.since_last),
            (3, Some(10 * day), Some(26 * day), Some(9 * day))
        );
        let one = gaps(&v[..1], Timestamp::from_second(day).unwrap());
        assert_eq!(
            (one.count, one.median, one.since_last),
            (0, None, Some(day))
        );
    }
}
