//! Partial impact: downtime weighted by the share of users an incident hit.
//! User-weighted downtime of a set of incidents is the integral over time
//! of the largest `impact.users_pct / 100` among the incidents active at
//! that instant: overlaps count once, at the worst share. An incident
//! without a share counts as 100 % (and is counted as "share unknown").

use std::collections::BTreeMap;

use super::intervals::Interval;
use crate::model::Incident;

/// The share of users `incident` hit, 0 to 1, and whether it was stated;
/// 1 (all users) when it was not.
pub fn share(incident: &Incident) -> (f64, bool) {
    match incident.impact.users_pct {
        Some(pct) if pct.is_finite() => ((pct / 100.0).clamp(0.0, 1.0), true),
        _ => (1.0, false),
    }
}

/// An incident's [started, resolved) with its share of users (0 to 1).
pub type WeightedSpan = (Interval, f64);

/// The weighted spans of `incidents` that have both ends, and how many of
/// those had no stated share.
pub fn weighted_spans<'a>(
    incidents: impl IntoIterator<Item = &'a Incident>,
) -> (Vec<WeightedSpan>, usize) {
    let mut unknown = 0;
    let spans = incidents
        .into_iter()
        .filter_map(|i| {
            let (s, e) = i.interval()?;
            let (share, stated) = share(i);
            unknown += usize::from(!stated);
            Some(((s.as_second(), e.as_second()), share))
        })
        .collect();
    (spans, unknown)
}

/// User-weighted seconds of one incident: its duration times its share.
pub fn incident_weighted_s(incident: &Incident) -> Option<i64> {
    let (s, e) = incident.interval()?;
    let (share, _) = share(incident);
    Some(((e.as_second() - s.as_second()).max(0) as f64 * share).round() as i64)
}

/// Downtime as disjoint pieces, each weighted by the largest share active
/// in it, so that the weighted length within any period is a binary
/// search away.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeightedUnion {
    /// Sorted, disjoint, non-empty [start, end) with their weight.
    parts: Vec<(i64, i64, f64)>,
}

impl WeightedUnion {
    /// The weighted union of `spans`; empty and reversed spans count for
    /// nothing.
    pub fn of(spans: &[WeightedSpan]) -> WeightedUnion {
        // A sweep over the spans' edges, keeping the active shares as a
        // multiset ordered by value (the bits of a non-negative f64 sort as
        // the number does: -0.0 and NaN would sort above 1, so they count
        // as +0).
        let mut edges: Vec<(i64, bool, u64)> = Vec::with_capacity(spans.len() * 2);
        for &((s, e), share) in spans.iter().filter(|((s, e), _)| e > s) {
            let bits = if share > 0.0 { share.min(1.0) } else { 0.0 }.to_bits();
            edges.push((s, true, bits));
            edges.push((e, false, bits));
        }
        edges.sort_unstable();
        let mut active: BTreeMap<u64, usize> = BTreeMap::new();
        let mut parts: Vec<(i64, i64, f64)> = Vec::new();
        let mut at = 0;
        while at < edges.len() {
            let t = edges[at].0;
            while at < edges.len() && edges[at].0 == t {
                let (_, opens, bits) = edges[at];
                if opens {
                    *active.entry(bits).or_default() += 1;
                } else if let Some(n) = active.get_mut(&bits) {
                    *n -= 1;
                    if *n == 0 {
                        active.remove(&bits);
                    }
                }
                at += 1;
            }
            if let (Some((&bits, _)), Some(&(next, _, _))) =
                (active.last_key_value(), edges.get(at))
            {
                let weight = f64::from_bits(bits);
                match parts.last_mut() {
                    Some((_, end, w)) if *end == t && *w == weight => *end = next,
                    _ => parts.push((t, next, weight)),
                }
            }
        }
        WeightedUnion { parts }
    }

    /// The weighted length, in seconds.
    pub fn length(&self) -> f64 {
        self.parts
            .iter()
            .map(|&(s, e, w)| (e - s) as f64 * w)
            .fold(0.0, |a, b| a + b)
    }

    /// The weighted length of the part within [from, to), in seconds.
    pub fn length_within(&self, from: i64, to: i64) -> f64 {
        let first = self.parts.partition_point(|&(_, end, _)| end <= from);
        self.parts[first..]
            .iter()
            .take_while(|&&(start, _, _)| start < to)
            .map(|&(start, end, w)| (end.min(to) - start.max(from)).max(0) as f64 * w)
            // A fold from +0: an empty `sum` of floats is -0, shown "-0.0 %".
            .fold(0.0, |a, b| a + b)
    }
}

/// Seconds, rounded to the nearest whole one.
pub fn whole_seconds(s: f64) -> i64 {
    s.round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::intervals::Union;
    use proptest::prelude::*;

    const H: i64 = 3600;

    #[test]
    fn overlaps_count_once_at_the_worst_share() {
        // 10-12 at 85 %, 11-14 at 2 %, 13-15 at 50 %:
        // 10-12 0.85 (2 h), 12-13 0.02 (1 h), 13-15 0.5 (2 h)
        // = 1.7 h + 0.02 h + 1 h = 2.72 h = 9792 s.
        let u = WeightedUnion::of(&[
            ((10 * H, 12 * H), 0.85),
            ((11 * H, 14 * H), 0.02),
            ((13 * H, 15 * H), 0.5),
        ]);
        assert!((u.length() - 9792.0).abs() < 1e-6, "{}", u.length());
        // Within 11:30-13:30: 0.5 h at 0.85, 1 h at 0.02, 0.5 h at 0.5
        // = 1530 + 72 + 900 = 2502 s.
        assert!((u.length_within(11 * H + 1800, 13 * H + 1800) - 2502.0).abs() < 1e-6);
        assert_eq!(u.length_within(20 * H, 30 * H), 0.0);
    }

    #[test]
    fn a_negative_zero_share_does_not_hide_a_larger_one() {
        // users_pct: -0.0 is a share of +0: the 50 % incident still counts.
        let u = WeightedUnion::of(&[((0, 10), -0.0), ((0, 10), 0.5), ((20, 30), f64::NAN)]);
        assert_eq!(u.length(), 5.0);
        assert_eq!(u.length_within(0, 10), 5.0);
    }

    #[test]
    fn empty_and_reversed_spans_count_for_nothing() {
        let u = WeightedUnion::of(&[((5, 5), 1.0), ((9, 3), 1.0)]);
        assert_eq!(u.length(), 0.0);
    }

    proptest! {
        #[test]
        fn weighted_is_bounded_by_the_union(
            v in proptest::collection::vec((0i64..1_000, 0i64..200, 0u8..=100), 0..30),
        ) {
            let spans: Vec<WeightedSpan> = v
                .iter()
                .map(|&(s, l, p)| ((s, s + l), f64::from(p) / 100.0))
                .collect();
            let weighted = WeightedUnion::of(&spans).length();
            let plain: Vec<Interval> = spans.iter().map(|(i, _)| *i).collect();
            let union = Union::of(&plain).length() as f64;
            prop_assert!(weighted <= union + 1e-6);
            // Each second weighs the largest share covering it.
            let by_second: f64 = (0..1_200)
                .map(|t| {
                    spans
                        .iter()
                        .filter(|((s, e), _)| *s <= t && t < *e)
                        .map(|(_, w)| *w)
                        .fold(0.0, f64::max)
                })
                .sum();
            prop_assert!((weighted - by_second).abs() < 1e-6);
            // All shares at 100 %: the plain union.
            let full: Vec<WeightedSpan> = plain.iter().map(|i| (*i, 1.0)).collect();
            prop_assert!((WeightedUnion::of(&full).length() - union).abs() < 1e-6);
        }
    }
}
