//! Numbers on and along the axes: formatted values, nice ticks, coordinates
//! with one decimal, and which category labels fit.

use super::Unit;
use crate::render::format;
use crate::render::svg;

/// Font size of every label, in SVG units.
pub(super) const FONT: f64 = 12.0;

/// Round durations an axis may step by, in seconds.
const DURATION_STEPS: [f64; 22] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
    10_800.0, 14_400.0, 21_600.0, 43_200.0, 86_400.0, 172_800.0, 432_000.0, 604_800.0,
];

/// The most intervals between ticks; with zero that is at most five ticks.
const MAX_INTERVALS: f64 = 4.0;

impl Unit {
    /// A value as people read it: `4`, `2.5`, `3 h`, `45 min`.
    pub(super) fn format(self, value: f64) -> String {
        match self {
            Unit::Count => count(value),
            Unit::Seconds => format::seconds(value.round() as i64),
        }
    }

    /// A tick's label: like [`Unit::format`], but zero is plain `0`.
    pub(super) fn tick(self, value: f64) -> String {
        if value == 0.0 {
            "0".into()
        } else {
            self.format(value)
        }
    }

    /// Ticks from zero to at least `max`, evenly spaced at a round step:
    /// two to five of them.
    pub(super) fn ticks(self, max: f64) -> Vec<f64> {
        let max = if max > 0.0 && max.is_finite() {
            max
        } else {
            1.0
        };
        let step = match self {
            Unit::Count => count_step(max),
            Unit::Seconds => duration_step(max),
        };
        let intervals = (max / step - 1e-9).ceil().max(1.0) as usize;
        (0..=intervals).map(|i| i as f64 * step).collect()
    }
}

fn count(value: f64) -> String {
    if (value - value.round()).abs() < 0.05 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

/// The smallest of 1, 2, 5 × 10ⁿ (at least 1: counts are whole) that
/// covers `max` in at most four intervals.
fn count_step(max: f64) -> f64 {
    let mut magnitude = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            let step = m * magnitude;
            if max / step <= MAX_INTERVALS + 1e-9 {
                return step;
            }
        }
        magnitude *= 10.0;
    }
}

/// The smallest round duration that covers `max` in at most four
/// intervals; past a week, whole weeks at a count step.
fn duration_step(max: f64) -> f64 {
    DURATION_STEPS
        .iter()
        .copied()
        .find(|step| max / step <= MAX_INTERVALS + 1e-9)
        .unwrap_or_else(|| 604_800.0 * count_step(max / 604_800.0))
}

/// How many times the next highest value the highest must be to be cut
/// off the scale: one long incident must not flatten every other column.
const OUTLIER_RATIO: f64 = 3.0;

/// The value an axis should reach for `values`: the highest, or, when the
/// highest is more than [`OUTLIER_RATIO`] times the next highest (and that
/// is above zero), a quarter above the next highest: the outlier is drawn
/// clipped at the top and labelled with its value.
pub(super) fn axis_reach(values: impl Iterator<Item = f64>) -> f64 {
    let (mut first, mut second) = (0.0_f64, 0.0_f64);
    for v in values.filter(|v| v.is_finite() && *v > 0.0) {
        if v > first {
            second = first;
            first = v;
        } else if v > second {
            second = v;
        }
    }
    if second > 0.0 && first > OUTLIER_RATIO * second {
        second * 1.25
    } else {
        first
    }
}

/// About how wide `text` is drawn at the label font size (see
/// [`svg::text_width`], the one table charts and diagrams measure with).
pub(super) fn text_width(text: &str) -> f64 {
    svg::text_width(text, FONT)
}

/// Every how many categories a label is shown so that labels of `widest`
/// units do not overlap in slots of `slot` units.
pub(super) fn label_every(widest: f64, slot: f64) -> usize {
    if slot <= 0.0 {
        return 1;
    }
    ((widest + 8.0) / slot).ceil().max(1.0) as usize
}

/// Whether category `i` of `n` is labelled when every `every`-th is: counted
/// from the last, so the latest category always has its label.
pub(super) fn labelled(i: usize, n: usize, every: usize) -> bool {
    (n - 1 - i).is_multiple_of(every)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_outlier_is_cut_off_the_scale() {
        // 2 d 9 h (205,200 s) against at most 2 h (7,200 s): more than
        // three times, so the axis reaches 1.25 × 7,200 = 9,000 s.
        let months = [3600.0, 0.0, 205_200.0, 7200.0, 1800.0];
        assert_eq!(axis_reach(months.into_iter()), 9000.0);
        // 5 against 2: not three times; the axis reaches the highest.
        assert_eq!(axis_reach([2.0, 5.0, 1.0].into_iter()), 5.0);
        // One value alone is never an outlier.
        assert_eq!(axis_reach([0.0, 7.0].into_iter()), 7.0);
    }

    #[test]
    fn count_ticks_are_round() {
        assert_eq!(Unit::Count.ticks(4.0), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(Unit::Count.ticks(7.0), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(Unit::Count.ticks(38.0), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(Unit::Count.ticks(0.0), vec![0.0, 1.0]);
        assert_eq!(Unit::Count.ticks(1.0), vec![0.0, 1.0]);
    }

    #[test]
    fn duration_ticks_are_round_durations() {
        let ticks = Unit::Seconds.ticks(3.0 * 3600.0 + 100.0);
        assert_eq!(ticks, vec![0.0, 3600.0, 7200.0, 10_800.0, 14_400.0]);
        let labels: Vec<_> = ticks.iter().map(|t| Unit::Seconds.tick(*t)).collect();
        assert_eq!(labels, ["0", "1 h", "2 h", "3 h", "4 h"]);
        assert_eq!(Unit::Seconds.ticks(40.0 * 86_400.0).len(), 4);
    }

    #[test]
    fn labels_are_measured_by_character() {
        // 12 px: "Mar 2025" is M .92 + a .6 + r .4 + space .4 + four
        // digits .6 each = 4.72 em = 56.64; narrow letters take less room
        // than wide ones, as drawn.
        assert!((text_width("Mar 2025") - 56.64).abs() < 1e-9);
        assert!(text_width("illicit") < text_width("MWMWMWM") / 2.0);
    }

    #[test]
    fn the_latest_label_is_always_shown() {
        let shown: Vec<_> = (0..7).filter(|&i| labelled(i, 7, 3)).collect();
        assert_eq!(shown, [0, 3, 6]);
    }
}
