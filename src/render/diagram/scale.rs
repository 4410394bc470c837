//! A time scale for the axis: instants to x, linear in pieces. Long quiet
//! gaps (no event or milestone in them) are squeezed to a fixed width and
//! drawn with a break mark, so that a two-day incident with a quiet night
//! still shows its busy hours. Ticks fall on round clock times in the
//! display zone, with day ticks when the span crosses midnight.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::clock;
use crate::render::format;
use crate::render::svg::text_width;

/// Pixels a compressed gap takes in an SVG.
pub const BREAK_WIDTH: f64 = 26.0;

/// One linear piece of the scale.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    t0: i64,
    t1: i64,
    x0: f64,
    x1: f64,
    compressed: bool,
}

/// Instants (seconds) to x.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pieces: Vec<Piece>,
}

/// A tick on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Where.
    pub x: f64,
    /// `05:00`, or `Tue 20 May` for a day tick.
    pub label: String,
    /// A day label (`Tue 20 May`), in the row under the hours.
    pub day: bool,
    /// Whether a tick line is drawn (day labels at the start of a piece of
    /// the axis have none).
    pub mark: bool,
}

/// Round tick steps, in seconds.
const STEPS: [i64; 14] = [
    60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
];

impl Scale {
    /// A scale over `instants` (sorted) from `x0` to `x1`, with a margin
    /// of time on both sides and long gaps compressed to `gap_width` each.
    pub fn new(instants: &[Timestamp], x0: f64, x1: f64, gap_width: f64) -> Scale {
        let secs: Vec<i64> = instants.iter().map(|t| t.as_second()).collect();
        let (first, last) = match (secs.first(), secs.last()) {
            (Some(&a), Some(&b)) if b > a => (a, b),
            (Some(&a), _) => (a - 1800, a + 1800),
            _ => (0, 3600),
        };
        let span = last - first;
        let pad = (span / 25).max(60);
        // A gap is long when it is more than a sixth of the span and at
        // least two hours; it keeps a margin of a quarter of that on each side.
        let long = (span / 6).max(7200);
        let margin = long / 4;
        let mut cuts: Vec<(i64, i64)> = secs
            .windows(2)
            .filter(|w| w[1] - w[0] > long)
            .map(|w| (w[0] + margin, w[1] - margin))
            .collect();
        if cuts.len() * 4 > secs.len() {
            // Mostly gaps: compressing would leave nothing linear worth reading.
            cuts.clear();
        }
        let hidden: i64 = cuts.iter().map(|(a, b)| b - a).sum();
        let linear = (span + 2 * pad - hidden).max(1) as f64;
        let px = (x1 - x0 - gap_width * cuts.len() as f64) / linear;
        let mut pieces = Vec::with_capacity(cuts.len() * 2 + 1);
        let (mut t, mut x) = (first - pad, x0);
        for (a, b) in cuts {
            let xa = x + (a - t) as f64 * px;
            pieces.push(Piece {
                t0: t,
                t1: a,
                x0: x,
                x1: xa,
                compressed: false,
            });
            pieces.push(Piece {
                t0: a,
                t1: b,
                x0: xa,
                x1: xa + gap_width,
                compressed: true,
            });
            (t, x) = (b, xa + gap_width);
        }
        pieces.push(Piece {
            t0: t,
            t1: last + pad,
            x0: x,
            x1,
            compressed: false,
        });
        Scale { pieces }
    }

    /// The x of `at`; instants outside the scale are clamped to its ends.
    pub fn x(&self, at: Timestamp) -> f64 {
        let s = at.as_second();
        let piece = self
            .pieces
            .iter()
            .find(|p| s <= p.t1)
            .or(self.pieces.last());
        match piece {
            Some(p) if p.t1 > p.t0 => {
                let f = ((s - p.t0) as f64 / (p.t1 - p.t0) as f64).clamp(0.0, 1.0);
                p.x0 + f * (p.x1 - p.x0)
            }
            Some(p) => p.x0,
            None => 0.0,
        }
    }

    /// The x of the middle of every compressed gap.
    pub fn breaks(&self) -> Vec<f64> {
        self.pieces
            .iter()
            .filter(|p| p.compressed)
            .map(|p| (p.x0 + p.x1) / 2.0)
            .collect()
    }

    /// Ticks at a round step leaving room for their labels, then day
    /// labels (for spans under a day per tick): at the start of the axis,
    /// after each break and at each midnight.
    pub fn ticks(&self, zone: &TimeZone, dated: bool, font: f64) -> Vec<Tick> {
        let linear: Vec<&Piece> = self
            .pieces
            .iter()
            .filter(|p| !p.compressed && p.t1 > p.t0)
            .collect();
        let step = tick_step(&linear, text_width("00:00", font) * 1.8);
        let mut ticks = TickRows {
            zone,
            step,
            by_day: step >= 86_400,
            dated,
            ticks: Vec::new(),
            days: Vec::new(),
            last_day: None,
        };
        for p in linear {
            ticks.piece(self, p, font);
        }
        ticks.ticks.extend(ticks.days);
        ticks.ticks
    }
}

/// The round step, in seconds, that puts ticks at least `min_gap` apart
/// on the most stretched of the `linear` pieces.
fn tick_step(linear: &[&Piece], min_gap: f64) -> i64 {
    let px = linear
        .iter()
        .map(|p| (p.x1 - p.x0) / (p.t1 - p.t0) as f64)
        .fold(0.0, f64::max);
    // Past a week, whole weeks wide enough apart: a timeline that spans
    // centuries (a mistyped year) gets a dozen ticks, not one a week.
    STEPS
        .iter()
        .copied()
        .find(|&s| s as f64 * px >= min_gap)
        .unwrap_or_else(|| {
            const WEEK: i64 = 604_800;
            let weeks = if px > 0.0 {
                (min_gap / px / WEEK as f64).ceil().clamp(1.0, 1e9)
            } else {
                1.0
            };
            WEEK * weeks as i64
        })
}

/// The ticks and day labels of an axis, made piece by piece.
struct TickRows<'a> {
    zone: &'a TimeZone,
    step: i64,
    /// Whether the step is a day or more: ticks are labelled with days.
    by_day: bool,
    /// Whether the instants are dated (else times of day only).
    dated: bool,
    ticks: Vec<Tick>,
    days: Vec<Tick>,
    /// The day of the last day label.
    last_day: Option<jiff::civil::Date>,
}

impl TickRows<'_> {
    fn day_label(&self, at: Timestamp) -> String {
        clock::day(self.zone.to_datetime(at))
    }

    /// The ticks of linear piece `p` of `scale`, and a day label at its
    /// start when the day changed since the last.
    fn piece(&mut self, scale: &Scale, p: &Piece, font: f64) {
        let Ok(start) = Timestamp::from_second(p.t0) else {
            return;
        };
        let start_day = self.zone.to_datetime(start).date();
        if self.dated && !self.by_day && self.last_day != Some(start_day) {
            let label = self.day_label(start);
            let x = p.x0 + text_width(&label, font) / 2.0;
            self.days.push(Tick {
                x,
                label,
                day: true,
                mark: false,
            });
            self.last_day = Some(start_day);
        }
        let mut t = floor_to(p.t0, self.step, self.zone);
        if t < p.t0 {
            t += self.step;
        }
        while t <= p.t1 {
            let Ok(at) = Timestamp::from_second(t) else {
                break;
            };
            self.tick(scale, at);
            t += self.step;
        }
    }

    /// A tick at `at`, and a day label when it is a midnight.
    fn tick(&mut self, scale: &Scale, at: Timestamp) {
        let local = self.zone.to_datetime(at);
        let label = if self.by_day && self.dated {
            clock::day(local)
        } else {
            format::time(local.time())
        };
        self.ticks.push(Tick {
            x: scale.x(at),
            label,
            day: false,
            mark: true,
        });
        let midnight = local.hour() == 0 && local.minute() == 0;
        if self.dated && !self.by_day && midnight && self.last_day != Some(local.date()) {
            self.days.push(Tick {
                x: scale.x(at),
                label: self.day_label(at),
                day: true,
                mark: true,
            });
            self.last_day = Some(local.date());
        }
    }
}

/// `t` rounded down to a multiple of `step` in the local clock of `zone`
/// (steps of a day or more round to local midnight).
fn floor_to(t: i64, step: i64, zone: &TimeZone) -> i64 {
    let Ok(at) = Timestamp::from_second(t) else {
        return t;
    };
    let offset = i64::from(zone.to_offset(at).seconds());
    let local = t + offset;
    let unit = step.min(86_400);
    local - local.rem_euclid(unit) - offset
}

/// Keeps the labels that do not touch the previous kept one (labels are
/// centred on their x; `width` gives a label's width).
pub fn drop_crowded<T>(items: Vec<T>, x: impl Fn(&T) -> f64, width: impl Fn(&T) -> f64) -> Vec<T> {
    let mut kept: Vec<T> = Vec::with_capacity(items.len());
    let mut right = f64::NEG_INFINITY;
    for item in items {
        let (cx, w) = (x(&item), width(&item));
        if cx - w / 2.0 >= right + 6.0 {
            right = cx + w / 2.0;
            kept.push(item);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn linear_when_there_is_no_long_gap() {
        let instants = [
            ts("2024-06-08T03:00:00Z"),
            ts("2024-06-08T04:00:00Z"),
            ts("2024-06-08T06:00:00Z"),
        ];
        let scale = Scale::new(&instants, 0.0, 700.0, BREAK_WIDTH);
        assert!(scale.breaks().is_empty());
        let (a, b, c) = (
            scale.x(instants[0]),
            scale.x(instants[1]),
            scale.x(instants[2]),
        );
        assert!(
            (b - a) * 2.0 - (c - b) < 0.01,
            "one hour is half of two hours"
        );
        assert!(a > 0.0 && c < 700.0);
    }

    #[test]
    fn long_quiet_gap_is_compressed() {
        let instants = [
            ts("2025-05-19T06:40:00Z"),
            ts("2025-05-19T08:00:00Z"),
            ts("2025-05-19T09:00:00Z"),
            ts("2025-05-19T10:00:00Z"),
            ts("2025-05-21T14:00:00Z"),
            ts("2025-05-21T15:20:00Z"),
        ];
        let scale = Scale::new(&instants, 0.0, 700.0, BREAK_WIDTH);
        assert_eq!(scale.breaks().len(), 1);
        let xs: Vec<f64> = instants.iter().map(|&t| scale.x(t)).collect();
        assert!(xs.windows(2).all(|w| w[1] > w[0]), "order is kept: {xs:?}");
    }

    #[test]
    fn ticks_are_round_and_do_not_crowd() {
        let instants = [ts("2024-06-08T03:00:00Z"), ts("2024-06-08T06:00:00Z")];
        let scale = Scale::new(&instants, 0.0, 700.0, BREAK_WIDTH);
        let (days, ticks): (Vec<Tick>, Vec<Tick>) = scale
            .ticks(&TimeZone::UTC, true, 11.0)
            .into_iter()
            .partition(|t| t.day);
        assert!(ticks.iter().any(|t| t.label == "04:00"));
        assert_eq!(days.len(), 1, "one day label, at the start");
        assert_eq!(days[0].label, "Sat 8 Jun");
        assert!(
            ticks
                .windows(2)
                .all(|w| w[1].x - w[0].x >= text_width("00:00", 11.0))
        );
    }

    #[test]
    fn a_timeline_over_centuries_gets_a_few_ticks_not_one_a_week() {
        let instants = [
            ts("1024-06-08T03:00:00Z"),
            ts("1524-06-08T03:00:00Z"),
            ts("2024-06-08T03:00:00Z"),
        ];
        let scale = Scale::new(&instants, 0.0, 700.0, BREAK_WIDTH);
        let ticks = scale.ticks(&TimeZone::UTC, true, 11.0);
        assert!((1..=30).contains(&ticks.len()), "{} ticks", ticks.len());
    }

    #[test]
    fn floor_is_in_local_time() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // 03:10 UTC is 05:10 CEST; floored to the hour in Berlin: 05:00 CEST = 03:00 UTC.
        let t = ts("2024-06-08T03:10:00Z").as_second();
        assert_eq!(
            floor_to(t, 3600, &berlin),
            ts("2024-06-08T03:00:00Z").as_second()
        );
        // Day steps floor to local midnight: 2024-06-08 00:00 CEST = 06-07 22:00 UTC.
        assert_eq!(
            floor_to(t, 86_400, &berlin),
            ts("2024-06-07T22:00:00Z").as_second()
        );
    }
}
