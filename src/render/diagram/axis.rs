//! The axis layout: a horizontal time axis with the impact band coloured
//! by phase, a line and a label for each milestone (`detected +5 min`),
//! and each event as a numbered badge above the axis. A short event's text
//! is drawn beside its badge where it fits; the page lists every event,
//! numbered the same way.
//!
//! Nothing overlaps by construction: badges are dealt round-robin to as
//! many rows as their count needs and pushed apart within a row; milestone
//! labels take the first row where they fit; an event's text goes right of
//! its badge (else left of it) only when it touches no other box and crosses no line (a
//! badge's leader, a milestone's line); tick labels that would touch are
//! dropped. [`layout`] returns the geometry (what the tests check) and
//! [`render`] draws it.

use super::badge;
use super::legend::{self, LegendItem};
use super::placement::{FirstFitRows, Rect, place_in_rows};
use super::scale::{BREAK_WIDTH, Scale, Tick, drop_crowded};
use super::timeline::{Phase, Timeline};
use crate::render::svg::{Path, Svg, text_width};

/// The width of the drawing.
pub const WIDTH: f64 = 760.0;
const PAD: f64 = 10.0;
/// The legend's rows are this wide: what a phone shows of the diagram (at
/// its least width, 40rem, before it scrolls), so the key is in view
/// before the reader scrolls sideways.
const LEGEND_WIDTH: f64 = 420.0;
const SMALL: f64 = 12.0;
const BADGE_GAP: f64 = 3.0;
const ROW: f64 = 21.0;
const MILESTONE_ROW: f64 = 16.0;

/// A numbered badge for an event, above the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    /// The event's number.
    pub number: usize,
    /// The badge.
    pub rect: Rect,
    /// Where the event is on the axis.
    pub at_x: f64,
    /// The phase the event falls in: the badge's colour.
    pub phase: Phase,
}

/// A short event's text beside its badge.
#[derive(Debug, Clone, PartialEq)]
pub struct EventLabel {
    /// The event's number.
    pub number: usize,
    /// The text's box, right of the badge, else left of it.
    pub rect: Rect,
    /// The badge's left edge.
    pub badge_x: f64,
    /// The event's text.
    pub text: String,
}

/// An event's text is drawn beside its badge only when it has at most
/// this many characters (a longer one would be cut, and the list has it).
pub const EVENT_LABEL_CHARS: usize = 40;

/// A milestone's line and label.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneMark {
    /// The label.
    pub rect: Rect,
    /// Where the milestone is on the axis.
    pub at_x: f64,
    /// The label's words.
    pub label: String,
}

/// The geometry of an axis diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Legend items.
    pub legend: Vec<LegendItem>,
    /// Milestone lines and labels.
    pub milestones: Vec<MilestoneMark>,
    /// Event badges, in time order.
    pub badges: Vec<Badge>,
    /// The texts of short events, beside their badges where they fit.
    pub event_labels: Vec<EventLabel>,
    /// Band pieces: x from, x to, phase.
    pub band: Vec<(f64, f64, Phase)>,
    /// The band's top.
    pub band_y: f64,
    /// The axis line, the band's bottom.
    pub axis_y: f64,
    /// Hour ticks, and day ticks.
    pub ticks: Vec<Tick>,
    /// Compressed gaps.
    pub breaks: Vec<f64>,
    /// Total height.
    pub height: f64,
}

impl Layout {
    /// Every text box of the drawing, to check that none overlap.
    pub fn label_boxes(&self) -> Vec<Rect> {
        let ticks = self.ticks.iter().map(|t| tick_rect(t, self.axis_y));
        let legend = self.legend.iter().map(|i| i.rect);
        let milestones = self.milestones.iter().map(|m| m.rect);
        let badges = self.badges.iter().map(|b| b.rect);
        let events = self.event_labels.iter().map(|e| e.rect);
        legend
            .chain(milestones)
            .chain(badges)
            .chain(events)
            .chain(ticks)
            .collect()
    }

    /// The boxes the lines take above the band, each a pixel either side:
    /// each badge's leader down to the band, each milestone's line.
    pub fn line_boxes(&self) -> Vec<Rect> {
        let leaders = self.badges.iter().map(|b| {
            let cx = b.rect.x + b.rect.w / 2.0;
            let top = b.rect.y + b.rect.h;
            Rect {
                x: cx.min(b.at_x) - 1.0,
                y: top,
                w: (cx - b.at_x).abs() + 2.0,
                h: (self.band_y - top).max(0.0),
            }
        });
        let milestones = self.milestones.iter().map(|m| Rect {
            x: m.at_x - 1.0,
            y: m.rect.y + 2.0,
            w: 2.0,
            h: (self.band_y - m.rect.y - 2.0).max(0.0),
        });
        leaders.chain(milestones).collect()
    }
}

fn tick_rect(t: &Tick, axis_y: f64) -> Rect {
    let w = text_width(&t.label, SMALL);
    let y = if t.day { axis_y + 20.0 } else { axis_y + 5.0 };
    Rect {
        x: t.x - w / 2.0,
        y,
        w,
        h: 14.0,
    }
}

/// Lays out `timeline` on a drawing [`WIDTH`] wide.
pub fn layout(t: &Timeline) -> Layout {
    let scale = Scale::new(&t.instants(), PAD + 24.0, WIDTH - PAD - 24.0, BREAK_WIDTH);
    let legend = legend::layout(t, LEGEND_WIDTH, PAD, "lags from the start");
    let mut y = legend::bottom(&legend) + 10.0;

    let (milestones, rows) = milestone_marks(t, &scale, y);
    y += rows as f64 * MILESTONE_ROW + 6.0;

    let (badges, band_y) = badges(t, &scale, y);
    let band: Vec<(f64, f64, Phase)> = t
        .band()
        .into_iter()
        .map(|(a, b, p)| (scale.x(a), scale.x(b), p))
        .collect();
    let axis_y = band_y + 14.0;
    let (days, hours): (Vec<Tick>, Vec<Tick>) = scale
        .ticks(&t.zone, t.dated, SMALL)
        .into_iter()
        .partition(|k| k.day);
    let width = |k: &Tick| text_width(&k.label, SMALL);
    let mut ticks = drop_crowded(hours, |k| k.x, width);
    ticks.extend(drop_crowded(days, |k| k.x, width));
    let labels_bottom = ticks
        .iter()
        .map(|k| tick_rect(k, axis_y))
        .map(|r| r.y + r.h)
        .fold(axis_y, f64::max);
    let mut layout = Layout {
        legend,
        milestones,
        badges,
        event_labels: Vec::new(),
        band,
        band_y,
        axis_y,
        ticks,
        breaks: scale.breaks(),
        height: labels_bottom + 4.0,
    };
    layout.event_labels = event_labels(t, &layout);
    layout
}

/// The texts of short events right of their badges, in time order, each
/// where it touches no box (with a gap) and crosses no line of `l`.
fn event_labels(t: &Timeline, l: &Layout) -> Vec<EventLabel> {
    const GAP: f64 = 3.0;
    let mut taken = l.label_boxes();
    let lines = l.line_boxes();
    let mut out = Vec::new();
    for b in &l.badges {
        let Some(e) = t.events.iter().find(|e| e.number == b.number) else {
            continue;
        };
        let text = e.text.trim();
        if text.is_empty() || text.chars().count() > EVENT_LABEL_CHARS {
            continue;
        }
        let w = text_width(text, SMALL);
        let y = b.rect.y + (b.rect.h - 14.0) / 2.0;
        let fits = |rect: &Rect| {
            let padded = Rect {
                x: rect.x - GAP,
                y: rect.y,
                w: rect.w + 2.0 * GAP,
                h: rect.h,
            };
            rect.x >= PAD
                && rect.x + rect.w <= WIDTH - PAD
                && !taken.iter().any(|r| *r != b.rect && r.overlaps(&padded))
                && !lines.iter().any(|r| r.overlaps(rect))
        };
        // Right of the badge, else left of it.
        let right = Rect {
            x: b.rect.x + b.rect.w + GAP,
            y,
            w,
            h: 14.0,
        };
        let left = Rect {
            x: b.rect.x - GAP - w,
            ..right
        };
        let Some(rect) = [right, left].into_iter().find(|r| fits(r)) else {
            continue;
        };
        taken.push(rect);
        out.push(EventLabel {
            number: b.number,
            rect,
            badge_x: b.rect.x,
            text: text.to_owned(),
        });
    }
    out
}

/// The events' numbered badges in rows above the band, from `top`;
/// returns them and the band's top.
fn badges(t: &Timeline, scale: &Scale, top: f64) -> (Vec<Badge>, f64) {
    let mut order: Vec<usize> = (0..t.events.len()).collect();
    order.sort_by_key(|&i| (t.events[i].at, i));
    let items: Vec<(f64, f64)> = order
        .iter()
        .map(|&i| (scale.x(t.events[i].at), badge::width(t.events[i].number)))
        .collect();
    let placed = place_in_rows(&items, PAD, WIDTH - PAD, BADGE_GAP);
    let badge_rows = placed.iter().map(|p| p.0 + 1).max().unwrap_or(0);
    let band_y = top + badge_rows as f64 * ROW + 6.0;
    let badges = order
        .iter()
        .zip(&placed)
        .zip(&items)
        .map(|((&event, &(row, cx)), &(at_x, w))| Badge {
            number: t.events[event].number,
            rect: Rect {
                x: cx - w / 2.0,
                y: band_y - 6.0 - (row + 1) as f64 * ROW,
                w,
                h: badge::HEIGHT,
            },
            at_x,
            phase: t.phase(t.events[event].at),
        })
        .collect();
    (badges, band_y)
}

/// Milestone labels in first-fit rows from `top`; returns the marks and
/// how many rows they took.
fn milestone_marks(t: &Timeline, scale: &Scale, top: f64) -> (Vec<MilestoneMark>, usize) {
    let mut rows = FirstFitRows::default();
    let mut out = Vec::with_capacity(t.milestones.len());
    for m in &t.milestones {
        let label = m.label();
        let at_x = scale.x(m.at);
        // Milestone labels are bold: a tenth wider.
        let w = text_width(&label, SMALL) * 1.1;
        let x = if at_x + 3.0 + w > WIDTH - PAD {
            at_x - 3.0 - w
        } else {
            at_x + 3.0
        };
        let x = x.max(PAD);
        let row = rows.take(x, w, 8.0);
        out.push(MilestoneMark {
            rect: Rect {
                x,
                y: top + row as f64 * MILESTONE_ROW,
                w,
                h: 14.0,
            },
            at_x,
            label,
        });
    }
    (out, rows.count())
}

/// Draws `layout` of `t`.
pub fn render(t: &Timeline, l: &Layout) -> String {
    let title = format!("Timeline of {}", t.title);
    // Badges are links: a diagram with links is a group, not a picture.
    let role = if l.badges.is_empty() { "img" } else { "group" };
    let mut svg = Svg::open_as(
        role,
        "kb-tl",
        "kb-tl kb-tl-axis",
        WIDTH,
        l.height,
        &title,
        &t.summary(),
    );
    legend::draw(&mut svg, &l.legend);
    draw_band(&mut svg, l);
    draw_milestones(&mut svg, l);
    draw_ticks(&mut svg, l);
    draw_events(&mut svg, l);
    draw_event_labels(&mut svg, l);
    svg.finish()
}

/// The band, the axis line and the breaks in both.
fn draw_band(svg: &mut Svg, l: &Layout) {
    // The band is a line as thick as the band is high, through its middle.
    let mid = (l.band_y + l.axis_y) / 2.0;
    if !l.band.is_empty() {
        svg.group("kb-tl-band");
        svg.newline();
        for &(a, b, phase) in &l.band {
            let mut d = Path::new();
            d.move_to(a, mid).horizontal_to(b);
            svg.path(phase.class(), &d);
        }
        svg.end_group();
    }
    let mut axis = Path::new();
    axis.move_to(PAD, l.axis_y).horizontal_to(WIDTH - PAD);
    svg.path("kb-tl-axisline", &axis);
    let (y0, y1) = (l.band_y - 2.0, l.axis_y + 4.0);
    let mut zigzags = Path::new();
    for &x in &l.breaks {
        svg.rect(
            x - BREAK_WIDTH / 4.0,
            y0,
            BREAK_WIDTH / 2.0,
            y1 - y0,
            0.0,
            "kb-tl-gap",
        );
        for dx in [-2.0, 4.0] {
            zigzags.move_to(x + dx, y0).line_by(-4.0, y1 - y0);
        }
    }
    svg.path("kb-tl-break", &zigzags);
}

/// Milestone lines down to the axis, and their labels (see [`text_in`]).
fn draw_milestones(svg: &mut Svg, l: &Layout) {
    let mut lines = Path::new();
    for m in &l.milestones {
        lines.move_to(m.at_x, m.rect.y + 2.0).vertical_to(l.axis_y);
    }
    svg.path("kb-tl-ms", &lines);
    if l.milestones.is_empty() {
        return;
    }
    svg.group("kb-tl-mslabel");
    for m in &l.milestones {
        text_in(svg, &m.rect, m.rect.x < m.at_x, &m.label);
    }
    svg.end_group();
}

/// Tick marks and their labels, hours above days.
fn draw_ticks(svg: &mut Svg, l: &Layout) {
    for day in [false, true] {
        let mut marks = Path::new();
        let len = if day { 6.0 } else { 4.0 };
        let ticks = || l.ticks.iter().filter(move |k| k.day == day);
        for k in ticks().filter(|k| k.mark) {
            marks.move_to(k.x, l.axis_y).vertical_by(len);
        }
        let (mark_class, label_class) = if day {
            ("kb-tl-tick kb-tl-day", "kb-tl-ticklabel kb-tl-day")
        } else {
            ("kb-tl-tick", "kb-tl-ticklabel")
        };
        svg.path(mark_class, &marks);
        if ticks().next().is_none() {
            continue;
        }
        svg.group(label_class);
        for k in ticks() {
            svg.text(k.x, tick_rect(k, l.axis_y).y + 11.0, "", &k.label);
        }
        svg.end_group();
    }
}

/// Leaders from the badges to the axis, a dot where each event is, and
/// the badges, grouped by phase so each phase's colour is set once. Each
/// badge links to its event in the page's list, which names the link (the
/// diagram does not repeat the events' words): the badge is focusable, and
/// the page's script ties it to the list item (`#event-N`) and shows the
/// item's words as its tooltip.
fn draw_events(svg: &mut Svg, l: &Layout) {
    let mut leaders = Path::new();
    let mut halos = Path::new();
    for b in &l.badges {
        let cx = b.rect.x + b.rect.w / 2.0;
        leaders
            .move_to(cx, b.rect.y + b.rect.h)
            .line_to(cx, b.at_x, l.axis_y);
        halos.move_to(b.at_x, l.axis_y).horizontal_by(0.0);
    }
    svg.path("kb-tl-leader", &leaders);
    svg.path("kb-tl-halo", &halos);
    let mut phases: Vec<Phase> = l.badges.iter().map(|b| b.phase).collect();
    phases.sort();
    phases.dedup();
    for phase in phases {
        svg.group(phase.class());
        svg.newline();
        let mut dots = Path::new();
        let badges = || l.badges.iter().filter(|b| b.phase == phase);
        for b in badges() {
            dots.move_to(b.at_x, l.axis_y).horizontal_by(0.0);
        }
        svg.path("kb-tl-dot", &dots);
        for b in badges() {
            badge::draw_linked(svg, b.rect, b.number);
        }
        svg.end_group();
    }
}

/// `text` in box `r`; end-anchored when `left` of what it labels, so that a
/// font wider than estimated grows away from it.
fn text_in(svg: &mut Svg, r: &Rect, left: bool, text: &str) {
    if left {
        svg.text(r.x + r.w, r.y + 11.5, "kb-end", text);
    } else {
        svg.text(r.x, r.y + 11.5, "", text);
    }
}

/// The short events' texts beside their badges.
fn draw_event_labels(svg: &mut Svg, l: &Layout) {
    if l.event_labels.is_empty() {
        return;
    }
    svg.group("kb-tl-evlabel");
    for e in &l.event_labels {
        text_in(svg, &e.rect, e.rect.x < e.badge_x, &e.text);
    }
    svg.end_group();
}
