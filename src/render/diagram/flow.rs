//! The flow layout: the seed postmortem's hand-drawn picture, drawn for
//! every incident. One box per event down the page (number, time, text),
//! milestones as pills in time order, arrows between them with the lag
//! written beside each arrow. Narrow (360 wide), so it also serves as the
//! phone version of the axis layout.

use jiff::Timestamp;

use super::axis::{Rect, badge_width, draw_badge, draw_legend, legend};
use super::svg::{Svg, num, text_width, wrap};
use super::timeline::{Phase, Timeline, lag_text};

/// The width of the drawing.
pub const WIDTH: f64 = 360.0;
const PAD: f64 = 6.0;
const BODY: f64 = 13.0;
const LINE: f64 = 17.0;
const ARROW: f64 = 24.0;
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
        let day = e.at.to_zoned_datetime(t.zone.clone()).date();
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

/// Draws the flow of `t`; `class` is added to the `<svg>` class, `id`
/// makes element ids unique in the page.
pub fn render(t: &Timeline, id: &str, class: &str) -> String {
    let items = legend(t, WIDTH);
    let mut y = items.iter().map(|(_, r, _)| r.y + r.h).fold(0.0, f64::max) + 12.0;
    let mut body = Svg::fragment();
    let mut previous: Option<(Timestamp, f64)> = None;
    for (at, step) in steps(t) {
        if let Some((before, bottom)) = previous {
            draw_arrow(&mut body, bottom, at.duration_since(before));
            y = bottom + ARROW;
        }
        let phase = t.phase(at);
        let bottom = match &step {
            Step::Milestone(i) => draw_milestone(&mut body, t, *i, y, phase),
            Step::Event(i, clock, lines) => draw_event(&mut body, t, *i, clock, lines, y, phase),
        };
        previous = Some((at, bottom));
    }
    let height = previous.map_or(y, |(_, bottom)| bottom) + PAD;
    let title = format!("Timeline of {}", t.title);
    let class = format!("kb-tl kb-tl-flow {class}");
    let mut svg = Svg::open(id, class.trim_end(), WIDTH, height, &title, &t.summary());
    draw_legend(&mut svg, &items);
    svg.raw(&body.finish_fragment());
    svg.finish()
}

fn draw_arrow(svg: &mut Svg, top: f64, lag: jiff::SignedDuration) {
    let x = BOX_X + 18.0;
    let bottom = top + ARROW;
    svg.line(x, top, x, bottom - 5.0, "kb-tl-arrow");
    svg.path(
        &format!("M{} {}l-4.5 -7h9z", num(x), num(bottom)),
        "kb-tl-arrowhead",
    );
    if lag.as_secs() > 0 {
        svg.text(
            x + 10.0,
            top + ARROW / 2.0 + 4.0,
            "kb-tl-lag",
            None,
            &format!("+{}", lag_text(lag)),
        );
    }
}

fn draw_milestone(svg: &mut Svg, t: &Timeline, i: usize, y: f64, phase: Phase) -> f64 {
    let m = &t.milestones[i];
    let kind = m.kind.name();
    let h = 22.0;
    let words = format!("{} · {}", m.label(), t.clock(m.at, t.spans_days()));
    let w = (text_width(&words, 12.0) * 1.1 + 24.0).min(WIDTH - PAD - BOX_X);
    svg.raw(&format!(
        "<g class=\"kb-tl-milestone kb-ms-{kind} kb-ph-{}\">\n",
        phase.class()
    ));
    svg.rect(BOX_X, y, w, h, h / 2.0, "kb-tl-pill");
    svg.text(BOX_X + 12.0, y + 15.0, "kb-tl-pilltext", None, &words);
    svg.raw("</g>\n");
    y + h
}

fn draw_event(
    svg: &mut Svg,
    t: &Timeline,
    i: usize,
    clock: &str,
    lines: &[String],
    y: f64,
    phase: Phase,
) -> f64 {
    let e = &t.events[i];
    let h = 10.0 + LINE * (lines.len() + 1) as f64;
    svg.raw(&format!(
        "<g class=\"kb-tl-item kb-ph-{}\">\n",
        phase.class()
    ));
    draw_badge(
        svg,
        Rect {
            x: PAD,
            y: y + 4.0,
            w: badge_width(e.number),
            h: 16.0,
        },
        e.number,
    );
    svg.rect(BOX_X, y, WIDTH - PAD - BOX_X, h, 5.0, "kb-tl-box");
    svg.rect(BOX_X, y, 5.0, h, 2.0, "kb-tl-stripe");
    svg.text(BOX_X + 14.0, y + 5.0 + 13.0, "kb-tl-clock", None, clock);
    for (n, line) in lines.iter().enumerate() {
        svg.text(
            BOX_X + 14.0,
            y + 5.0 + 13.0 + LINE * (n + 1) as f64,
            "kb-tl-text",
            None,
            line,
        );
    }
    svg.raw("</g>\n");
    y + h
}
