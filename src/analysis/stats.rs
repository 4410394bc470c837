//! Statistics over incidents, as DESIGN.md defines them: distributions as
//! count, median, p90 and max (with how many incidents lack the data), total
//! downtime as a union of intervals beside the plain sum.

use jiff::SignedDuration;

use super::intervals::{self, Interval};
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
    }
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
