//! Interval arithmetic for downtime: the length of a union of [start, end)
//! intervals, so that overlapping incidents count once, in all or within a
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
    Union::of(intervals).length()
}

/// A union of intervals, kept as sorted, disjoint, non-empty intervals, so
/// that its length within any period is a binary search away.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Union {
    parts: Vec<Interval>,
}

impl Union {
    /// The union of `intervals`; empty and reversed ones count for nothing.
    pub fn of(intervals: &[Interval]) -> Union {
        let mut sorted: Vec<Interval> = intervals.iter().copied().filter(|(s, e)| e > s).collect();
        sorted.sort_unstable();
        let mut parts: Vec<Interval> = Vec::with_capacity(sorted.len());
        for (start, end) in sorted {
            match parts.last_mut() {
                Some((_, last_end)) if start <= *last_end => *last_end = (*last_end).max(end),
                _ => parts.push((start, end)),
            }
        }
        Union { parts }
    }

    /// The total length, in seconds.
    pub fn length(&self) -> i64 {
        sum_length(&self.parts)
    }

    /// The length of the part within [from, to), in seconds.
    pub fn length_within(&self, from: i64, to: i64) -> i64 {
        let first = self.parts.partition_point(|&(_, end)| end <= from);
        self.parts[first..]
            .iter()
            .take_while(|&&(start, _)| start < to)
            .map(|&(start, end)| (end.min(to) - start.max(from)).max(0))
            .sum()
    }
}

/// The plain sum of the lengths (incident-seconds).
pub fn sum_length(intervals: &[Interval]) -> i64 {
    intervals.iter().map(|(s, e)| (e - s).max(0)).sum()
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
    fn length_within_a_period() {
        let u = Union::of(&[(30, 40), (0, 10), (5, 12), (50, 50)]);
        assert_eq!(u.length(), 22);
        assert_eq!(u.length_within(8, 35), 9);
        assert_eq!(u.length_within(12, 30), 0);
        assert_eq!(u.length_within(-100, 100), 22);
        assert_eq!(u.length_within(40, 20), 0);
    }

    proptest! {
        #[test]
        fn length_within_is_the_clipped_union(
            v in proptest::collection::vec((0i64..1_000, 0i64..200), 0..40),
            from in -50i64..1_100,
            len in 0i64..600,
        ) {
            let v: Vec<Interval> = v.into_iter().map(|(s, l)| (s, s + l)).collect();
            // The seconds of [from, from + len) that some interval covers.
            let covered = (from..from + len)
                .filter(|&t| v.iter().any(|&(s, e)| s <= t && t < e))
                .count() as i64;
            prop_assert_eq!(Union::of(&v).length_within(from, from + len), covered);
        }

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
