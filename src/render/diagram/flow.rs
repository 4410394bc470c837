//! The flow layout: the seed postmortem's hand-drawn picture, for sites
//! and incidents that choose it. One box per event down the page (number,
//! time, text), milestones as pills in time order, arrows between them
//! with the lag written beside each arrow. Narrow (360 wide), so it reads
//! on a phone as it is.

use jiff::Timestamp;

use super::badge::{self, Badges};
use super::legend;
use super::placement::Rect;
use super::timeline::{Phase, Timeline, lag_text};
use crate::render::svg::{Path, Svg, text_width, wrap};

/// The width of the drawing.
pub const WIDTH: f64 = 360.0;
const PAD: f64 = 6.0;
const BODY: f64 = 13.0;
const LINE: f64 = 17.0;
const ARROW: f64 = 24.0;
const PILL: f64 = 22.0;
const BOX_X: f64 = PAD + 30.0;

/// One step down the flow.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// A milestone pill: index into the timeline's milestones.
    Milestone(usize),
    /// An event box: index into the timeline's events, its clock, its text lines.
    Event(usize, String, Vec<String>),
}

/// The steps in time order (milestones before events at the same instant;
/// events keep their written order among equals).
fn steps(t: &Timeline) -> Vec<(Timestamp, Step)> {
    let mut out: Vec<(Timestamp, u8, usize, Step)> = Vec::new();
    for (i, m) in t.milestones.iter().enumerate() {
        out.push((m.at, 0, i, Step::Milestone(i)));
    }
    let spans_days = t.spans_days();
    let mut order: Vec<usize> = (0..t.events.len()).collect();
    order.sort_by_key(|&i| (t.events[i].at, i));
    let mut last_day = None;
    let text_w = WIDTH - PAD - BOX_X - 20.0;
    for i in order {
        let e = &t.events[i];
        let day = t.day(e.at);
        let clock = t.clock(e.at, spans_days && last_day != Some(day));
        last_day = Some(day);
        out.push((
            e.at,
            1,
            i,
            Step::Event(i, clock, wrap(&e.text, BODY, text_w)),
        ));
    }
    out.sort_by_key(|s| (s.0, s.1, s.2));
    out.into_iter().map(|(at, _, _, step)| (at, step)).collect()
}

/// A step placed on the page: its phase, its top and bottom.
struct Placed {
    at: Timestamp,
    step: Step,
    phase: Phase,
    top: f64,
    bottom: f64,
}

/// Places the steps of `t` down the page from `top`.
fn place(t: &Timeline, top: f64) -> Vec<Placed> {
    let mut y = top;
    let mut out: Vec<Placed> = Vec::new();
    for (at, step) in steps(t) {
        if let Some(last) = out.last() {
            y = last.bottom + ARROW;
        }
        let h = match &step {
            Step::Milestone(_) => PILL,
            Step::Event(_, _, lines) => 10.0 + LINE * (lines.len() + 1) as f64,
        };
        out.push(Placed {
            at,
            step,
            phase: t.phase(at),
            top: y,
            bottom: y + h,
        });
    }
    out
}

/// Draws the flow of `t`.
pub fn render(t: &Timeline) -> String {
    let items = legend::layout(t, WIDTH, PAD, "milestones' lags from the start");
    let placed = place(t, legend::bottom(&items) + 12.0);
    let height = placed.last().map_or(legend::bottom(&items), |p| p.bottom) + PAD;
    let title = format!("Timeline of {}", t.title);
    let mut svg = Svg::open(
        "kb-tl",
        "kb-tl kb-tl-flow",
        WIDTH,
        height,
        &title,
        &t.summary(),
    );
    legend::draw(&mut svg, &items);
    draw_arrows(&mut svg, &placed);
    svg.group("kb-tl-box");
    for p in placed.iter().filter(|p| matches!(p.step, Step::Event(..))) {
        svg.rect(BOX_X, p.top, WIDTH - PAD - BOX_X, p.bottom - p.top, 5.0, "");
    }
    svg.end_group();
    let mut phases: Vec<Phase> = placed.iter().map(|p| p.phase).collect();
    phases.sort();
    phases.dedup();
    for phase in phases {
        draw_phase(
            &mut svg,
            t,
            placed.iter().filter(|p| p.phase == phase),
            phase,
        );
    }
    draw_texts(&mut svg, t, &placed);
    svg.finish()
}

/// An arrow from each step to the next, with the lag beside it.
fn draw_arrows(svg: &mut Svg, placed: &[Placed]) {
    let x = BOX_X + 18.0;
    let mut shafts = Path::new();
    let mut heads = Path::new();
    let mut lags = Svg::fragment();
    for pair in placed.windows(2) {
        let (top, bottom) = (pair[0].bottom, pair[1].top);
        shafts.move_to(x, top).vertical_to(bottom - 5.0);
        heads
            .move_to(x, bottom)
            .line_by(-4.5, -7.0)
            .horizontal_by(9.0)
            .close();
        let lag = pair[1].at.duration_since(pair[0].at);
        if lag.as_secs() > 0 {
            lags.text(
                0.0,
                top + ARROW / 2.0 + 4.0,
                "",
                &format!("+{}", lag_text(lag)),
            );
        }
    }
    svg.path("kb-tl-arrow", &shafts);
    svg.path("kb-tl-arrowhead", &heads);
    let lags = lags.finish_fragment();
    if !lags.is_empty() {
        svg.column("kb-tl-lag", x + 10.0);
        svg.raw(&lags);
        svg.end_group();
    }
}

/// What the steps of one phase draw in its colour: milestone pills, the
/// stripe down the left of event boxes, event badges.
fn draw_phase<'p>(
    svg: &mut Svg,
    t: &Timeline,
    steps: impl Iterator<Item = &'p Placed>,
    phase: Phase,
) {
    svg.group(phase.class());
    svg.newline();
    let mut stripes = Path::new();
    let mut badges = Badges::default();
    for p in steps {
        match &p.step {
            Step::Milestone(i) => {
                let w = pill_width(t, *i);
                svg.rect(BOX_X, p.top, w, PILL, PILL / 2.0, "kb-tl-pill");
            }
            Step::Event(i, _, _) => {
                stripes
                    .move_to(BOX_X + 2.5, p.top + 1.0)
                    .vertical_to(p.bottom - 1.0);
                let number = t.events[*i].number;
                let rect = Rect {
                    x: PAD,
                    y: p.top + 4.0,
                    w: badge::width(number),
                    h: badge::HEIGHT,
                };
                badges.add(rect, number);
            }
        }
    }
    svg.newline();
    svg.path("kb-tl-stripe", &stripes);
    badges.draw(svg);
    svg.end_group();
}

/// The words of milestone `i`'s pill: `detected +5 min · 03:05`.
fn pill_words(t: &Timeline, i: usize) -> String {
    let m = &t.milestones[i];
    format!("{} · {}", m.label(), t.clock(m.at, t.spans_days()))
}

fn pill_width(t: &Timeline, i: usize) -> f64 {
    (text_width(&pill_words(t, i), 12.0) * 1.1 + 24.0).min(WIDTH - PAD - BOX_X)
}

/// The pills' words, then each event's clock and text.
fn draw_texts(svg: &mut Svg, t: &Timeline, placed: &[Placed]) {
    let milestones = || {
        placed
            .iter()
            .filter(|p| matches!(p.step, Step::Milestone(_)))
    };
    if milestones().next().is_some() {
        svg.column("kb-tl-pilltext", BOX_X + 12.0);
        for p in milestones() {
            if let Step::Milestone(i) = p.step {
                svg.text(0.0, p.top + 15.0, "", &pill_words(t, i));
            }
        }
        svg.end_group();
    }
    svg.column("kb-tl-text", BOX_X + 14.0);
    for p in placed {
        if let Step::Event(_, clock, lines) = &p.step {
            svg.text(0.0, p.top + 18.0, "kb-tl-clock", clock);
            for (n, line) in lines.iter().enumerate() {
                svg.text(0.0, p.top + 18.0 + LINE * (n + 1) as f64, "", line);
            }
            svg.newline();
        }
    }
    svg.end_group();
}
