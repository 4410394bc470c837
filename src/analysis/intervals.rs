//! Interval arithmetic for downtime: the length of a union of [start, end)
//! intervals, so that overlapping incidents count once, and clipping to a
//! period.

use jiff::Timestamp;

/// A half-open interval [start, end) in seconds since the Unix epoch.
pub type Interval = (i64, i64);

/// An incident's [started, resolved) as seconds.
pub fn from_timestamps(start: Timestamp, end: Timestamp) -> Interval {
    (start.as_second(), end.as_second())
}

/// The total length of the union of `intervals`, in seconds. Empty and
/// reversed intervals count for nothing.
pub fn union_length(intervals: &[Interval]) -> i64 {
    let mut sorted: Vec<Interval> = intervals.iter().copied().filter(|(s, e)| e > s).collect();
    sorted.sort_unstable();
    let mut total = 0;
    let mut current: Option<Interval> = None;
    for (start, end) in sorted {
        current = match current {
            Some((cs, ce)) if start <= ce => Some((cs, ce.max(end))),
            Some((cs, ce)) => {
                total += ce - cs;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    total + current.map_or(0, |(s, e)| e - s)
}

/// The plain sum of the lengths (incident-seconds).
pub fn sum_length(intervals: &[Interval]) -> i64 {
    intervals.iter().map(|(s, e)| (e - s).max(0)).sum()
}

/// `intervals` cut to [from, to); what falls outside is dropped.
pub fn clip(intervals: &[Interval], from: i64, to: i64) -> Vec<Interval> {
    intervals
        .iter()
        .map(|&(s, e)| (s.max(from), e.min(to)))
        .filter(|(s, e)| e > s)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const H: i64 = 3600;

    #[test]
    fn overlapping_incidents_count_once() {
        // 10:00-12:00 and 11:00-13:00: 3 h of downtime, 4 incident-hours.
        let v = [(10 * H, 12 * H), (11 * H, 13 * H)];
        assert_eq!(union_length(&v), 3 * H);
        assert_eq!(sum_length(&v), 4 * H);
    }

    #[test]
    fn touching_nested_and_empty() {
        assert_eq!(union_length(&[(0, 10), (10, 20)]), 20);
        assert_eq!(union_length(&[(0, 100), (10, 20), (30, 40)]), 100);
        assert_eq!(union_length(&[(5, 5), (9, 3)]), 0);
        assert_eq!(union_length(&[]), 0);
    }

    #[test]
    fn clipping_splits_at_the_edge() {
        assert_eq!(clip(&[(0, 10), (20, 30)], 5, 25), vec![(5, 10), (20, 25)]);
    }

    proptest! {
        #[test]
        fn union_is_bounded(v in proptest::collection::vec((0i64..10_000, 0i64..5_000), 0..40)) {
            let v: Vec<Interval> = v.into_iter().map(|(s, l)| (s, s + l)).collect();
            let union = union_length(&v);
            prop_assert!(union <= sum_length(&v));
            let longest = v.iter().map(|(s, e)| e - s).max().unwrap_or(0);
            prop_assert!(union >= longest);
            if let (Some(lo), Some(hi)) = (v.iter().map(|i| i.0).min(), v.iter().map(|i| i.1).max()) {
                prop_assert!(union <= hi - lo);
            }
        }
    }
}
