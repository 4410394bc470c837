//! Statistics over incidents, as DESIGN.md defines them: distributions as
//! count, median, p90 and max (with how many incidents lack the data), total
//! downtime as a union of intervals beside the plain sum.

use jiff::SignedDuration;

use super::intervals::{self, Interval, Union};
use crate::model::Incident;

/// A distribution of durations in seconds.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Distribution {
    /// How many values.
    pub count: usize,
    /// How many incidents had no value.
    pub missing: usize,
    /// The median (linear interpolation between the two middle values).
    pub median: Option<i64>,
    /// The 90th percentile (linear interpolation between closest ranks).
    pub p90: Option<i64>,
    /// The largest value.
    pub max: Option<i64>,
}

impl Distribution {
    /// The distribution of `values`; `None`s are counted as missing.
    pub fn of(values: impl IntoIterator<Item = Option<SignedDuration>>) -> Distribution {
        let mut missing = 0;
        let mut seconds: Vec<i64> = values
            .into_iter()
            .filter_map(|v| {
                if v.is_none() {
                    missing += 1;
                }
                v.map(|d| d.as_secs())
            })
            .collect();
        seconds.sort_unstable();
        Distribution {
            count: seconds.len(),
            missing,
            median: percentile(&seconds, 0.5),
            p90: percentile(&seconds, 0.9),
            max: seconds.last().copied(),
        }
    }
}

/// The `q` quantile of sorted `values`, interpolating linearly between the
/// closest ranks (the method numpy and most spreadsheets use by default),
/// rounded to the nearest second.
pub fn percentile(sorted: &[i64], q: f64) -> Option<i64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = q * last as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let frac = rank - lo as f64;
    let value = sorted[lo] as f64 + (sorted[hi] - sorted[lo]) as f64 * frac;
    Some(value.round() as i64)
}

/// The headline numbers of a set of incidents.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Incidents.
    pub count: usize,
    /// Length of the union of [started, resolved) intervals, seconds.
    pub total_downtime_s: i64,
    /// Plain sum of durations with both ends known, seconds.
    pub incident_seconds_sum: i64,
    /// Time to resolve.
    pub time_to_resolve: Distribution,
    /// Time to detect.
    pub time_to_detect: Distribution,
    /// Time to acknowledge.
    pub time_to_acknowledge: Distribution,
    /// Time to mitigate.
    pub time_to_mitigate: Distribution,
}

/// The [started, resolved) intervals of `incidents` that have both.
pub fn downtime_intervals<'a>(incidents: impl IntoIterator<Item = &'a Incident>) -> Vec<Interval> {
    incidents
        .into_iter()
        .filter_map(Incident::interval)
        .map(|(s, e)| intervals::from_timestamps(s, e))
        .collect()
}

/// Headline numbers of `incidents`.
pub fn summarize(incidents: &[&Incident]) -> Summary {
    let spans = downtime_intervals(incidents.iter().copied());
    Summary {
        count: incidents.len(),
        total_downtime_s: intervals::union_length(&spans),
        incident_seconds_sum: intervals::sum_length(&spans),
        time_to_resolve: Distribution::of(incidents.iter().map(|i| i.time_to_resolve())),
        time_to_detect: Distribution::of(incidents.iter().map(|i| i.time_to_detect())),
        time_to_acknowledge: Distribution::of(incidents.iter().map(|i| i.time_to_acknowledge())),
        time_to_mitigate: Distribution::of(incidents.iter().map(|i| i.time_to_mitigate())),
    }
}

/// Downtime of one period: the union of intervals clipped to it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PeriodAvailability {
    /// Seconds of downtime in the period.
    pub downtime_s: i64,
    /// Length of the period in seconds.
    pub period_s: i64,
    /// 1 - downtime / period.
    pub availability: f64,
}

/// Availability over [from, to) given the union of downtime (clipped there).
pub fn availability(downtime: &Union, from: i64, to: i64) -> PeriodAvailability {
    let period_s = (to - from).max(1);
    let downtime_s = downtime.length_within(from, to);
    PeriodAvailability {
        downtime_s,
        period_s,
        availability: 1.0 - downtime_s as f64 / period_s as f64,
    }
}

/// The widening buckets of the duration histogram: upper bound in seconds
/// (inclusive) and label; the last bucket takes the rest.
pub const DURATION_BUCKETS: [(i64, &str); 9] = [
    (30 * 60, "≤ 30 min"),
    (3600, "≤ 1 h"),
    (2 * 3600, "≤ 2 h"),
    (4 * 3600, "≤ 4 h"),
    (8 * 3600, "≤ 8 h"),
    (86_400, "≤ 1 d"),
    (3 * 86_400, "≤ 3 d"),
    (7 * 86_400, "≤ 7 d"),
    (i64::MAX, "> 7 d"),
];

/// How many durations (seconds) fall in each of `DURATION_BUCKETS`.
pub fn histogram(durations: impl IntoIterator<Item = i64>) -> Vec<usize> {
    let mut counts = vec![0; DURATION_BUCKETS.len()];
    for d in durations {
        let bucket = DURATION_BUCKETS
            .iter()
            .position(|(max, _)| d <= *max)
            .unwrap_or(DURATION_BUCKETS.len() - 1);
        counts[bucket] += 1;
    }
    counts
}

/// The window within which a cause seen twice is recurring.
pub const RECURRENCE_DAYS: i64 = 90;

/// Pairs of consecutive starts (seconds, sorted) at most 90 days apart, as
/// positions in `starts`.
pub fn recurrences(starts: &[i64]) -> Vec<(usize, usize)> {
    starts
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[1] - w[0] <= RECURRENCE_DAYS * 86_400)
        .map(|(i, _)| (i, i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        let v = [60, 120, 180, 240];
        assert_eq!(percentile(&v, 0.5), Some(150));
        // rank 0.9 * 3 = 2.7 -> 180 + 0.7 * 60 = 222
        assert_eq!(percentile(&v, 0.9), Some(222));
        assert_eq!(percentile(&[7], 0.9), Some(7));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn availability_clips_at_the_period_edges() {
        // An incident from 1 h before the period to 2 h into it counts 2 h.
        let a = availability(&Union::of(&[(-3600, 7200)]), 0, 86_400);
        assert_eq!(a.downtime_s, 7200);
        assert!((a.availability - (1.0 - 7200.0 / 86_400.0)).abs() < 1e-12);
    }

    #[test]
    fn histogram_buckets_are_inclusive() {
        assert_eq!(
            histogram([0, 1800, 1801, 3600, 8 * 86_400]),
            vec![2, 2, 0, 0, 0, 0, 0, 0, 1]
        );
    }

    #[test]
    fn recurrence_within_ninety_days() {
        let day = 86_400;
        assert_eq!(
            recurrences(&[0, 90 * day, 181 * day, 182 * day]),
            vec![(0, 1), (2, 3)]
        );
    }

    #[test]
    fn missing_values_are_counted_not_zero() {
        let d = Distribution::of([
            Some(SignedDuration::from_secs(600)),
            None,
            Some(SignedDuration::from_secs(0)),
        ]);
        assert_eq!(
            (d.count, d.missing, d.median, d.max),
            (2, 1, Some(300), Some(600))
        );
    }
}
