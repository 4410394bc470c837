//! The axis layout: a horizontal time axis with the impact band coloured
//! by phase, a line and a label for each milestone (`detected +5 min`), and
//! each event as a numbered badge above the axis tied to a numbered list of
//! the events' times and texts below it.
//!
//! Nothing overlaps by construction: badges are dealt round-robin to as
//! many rows as their count needs and pushed apart within a row; milestone
//! labels take the first row where they fit; tick labels that would touch
//! are dropped; the list is stacked. [`layout`] returns the geometry (what
//! the tests check) and [`render`] draws it.

use super::scale::{BREAK_WIDTH, Scale, Tick, drop_crowded};
use super::svg::{Svg, num, text_width, wrap};
use super::timeline::{Phase, Timeline};

/// The width of the drawing.
pub const WIDTH: f64 = 760.0;
const PAD: f64 = 10.0;
const SMALL: f64 = 12.0;
const BODY: f64 = 14.0;
const BADGE_H: f64 = 16.0;
const BADGE_GAP: f64 = 3.0;
const ROW: f64 = 21.0;
const LINE: f64 = 19.0;

/// A box on the drawing, for labels: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether the two boxes share any area.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// A numbered badge for an event, above the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    /// Index into the timeline's events.
    pub event: usize,
    /// The badge.
    pub rect: Rect,
    /// Where the event is on the axis.
    pub at_x: f64,
}

/// A milestone's line and label.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneMark {
    /// Index into the timeline's milestones.
    pub milestone: usize,
    /// The label.
    pub rect: Rect,
    /// Where the milestone is on the axis.
    pub at_x: f64,
    /// The label's words.
    pub label: String,
}

/// One entry of the numbered list under the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    /// Index into the timeline's events.
    pub event: usize,
    /// The clock time shown (with the date on a new day).
    pub clock: String,
    /// The text, wrapped.
    pub lines: Vec<String>,
    /// The whole entry.
    pub rect: Rect,
}

/// The geometry of an axis diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Legend items: phase (or `None` for the zone note), label box, words.
    pub legend: Vec<(Option<Phase>, Rect, String)>,
    /// Milestone lines and labels.
    pub milestones: Vec<MilestoneMark>,
    /// Event badges.
    pub badges: Vec<Badge>,
    /// Band pieces: x from, x to, phase.
    pub band: Vec<(f64, f64, Phase)>,
    /// The band's top and the axis line's y.
    pub band_y: f64,
    /// The axis line.
    pub axis_y: f64,
    /// Hour ticks, and day ticks.
    pub ticks: Vec<Tick>,
    /// Compressed gaps.
    pub breaks: Vec<f64>,
    /// The numbered list.
    pub list: Vec<ListEntry>,
    /// Total height.
    pub height: f64,
    /// x of the clock column and of the text column in the list.
    pub list_columns: (f64, f64),
}

impl Layout {
    /// Every text box of the drawing, to check that none overlap.
    pub fn label_boxes(&self) -> Vec<Rect> {
        let ticks = self.ticks.iter().map(|t| tick_rect(t, self.axis_y));
        let legend = self.legend.iter().map(|(_, r, _)| *r);
        let milestones = self.milestones.iter().map(|m| m.rect);
        let badges = self.badges.iter().map(|b| b.rect);
        let list = self.list.iter().map(|e| e.rect);
        legend
            .chain(milestones)
            .chain(badges)
            .chain(ticks)
            .chain(list)
            .collect()
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

/// The width of the badge showing `number`.
pub fn badge_width(number: usize) -> f64 {
    8.0 + number.to_string().len() as f64 * 7.0
}

/// Lays out `timeline` on a drawing [`WIDTH`] wide.
pub fn layout(t: &Timeline) -> Layout {
    let scale = Scale::new(&t.instants(), PAD + 24.0, WIDTH - PAD - 24.0, BREAK_WIDTH);
    let legend = legend(t, WIDTH);
    let mut y = legend.iter().map(|(_, r, _)| r.y + r.h).fold(0.0, f64::max) + 10.0;

    let (milestones, rows) = milestone_marks(t, &scale, y);
    y += rows as f64 * 16.0 + 6.0;

    let mut order: Vec<usize> = (0..t.events.len()).collect();
    order.sort_by_key(|&i| (t.events[i].at, i));
    let items: Vec<(f64, f64)> = order
        .iter()
        .map(|&i| (scale.x(t.events[i].at), badge_width(t.events[i].number)))
        .collect();
    let placed = place_in_rows(&items, PAD, WIDTH - PAD, BADGE_GAP);
    let badge_rows = placed.iter().map(|p| p.0 + 1).max().unwrap_or(0);
    let band_y = y + badge_rows as f64 * ROW + 6.0;
    let badges = order
        .iter()
        .zip(&placed)
        .zip(&items)
        .map(|((&event, &(row, cx)), &(at_x, w))| {
            let top = band_y - 6.0 - (row + 1) as f64 * ROW;
            Badge {
                event,
                rect: Rect {
                    x: cx - w / 2.0,
                    y: top,
                    w,
                    h: BADGE_H,
                },
                at_x,
            }
        })
        .collect();

    let band: Vec<(f64, f64, Phase)> = t
        .band()
        .into_iter()
        .map(|(a, b, p)| (scale.x(a), scale.x(b), p))
        .collect();
    let axis_y = band_y + 14.0;
    let ticks = scale.ticks(&t.zone, t.dated, SMALL);
    let (days, hours): (Vec<Tick>, Vec<Tick>) = ticks.into_iter().partition(|k| k.day);
    let width = |k: &Tick| text_width(&k.label, SMALL);
    let mut ticks = drop_crowded(hours, |k| k.x, width);
    ticks.extend(drop_crowded(days, |k| k.x, width));
    let has_days = ticks.iter().any(|k| k.day);
    let list_top = axis_y + if has_days { 44.0 } else { 28.0 };
    let (list, list_columns, height) = list(t, list_top);
    Layout {
        legend,
        milestones,
        badges,
        band,
        band_y,
        axis_y,
        ticks,
        breaks: scale.breaks(),
        list,
        height,
        list_columns,
    }
}

/// Deals items `(ideal centre x, width)` (sorted by x) to rows round-robin,
/// using the fewest rows (at most four unless more are needed to fit)
/// that leave every item at its ideal x; failing that, pushes items apart
/// within their row. Returns `(row, centre x)` per item.
pub fn place_in_rows(items: &[(f64, f64)], lo: f64, hi: f64, gap: f64) -> Vec<(usize, f64)> {
    if items.is_empty() {
        return Vec::new();
    }
    let widest = items.iter().map(|i| i.1).fold(0.0, f64::max) + gap;
    let per_row = ((hi - lo + gap) / widest).floor().max(1.0) as usize;
    let needed = items.len().div_ceil(per_row);
    let most = needed.max(4);
    let rows = (needed..=most)
        .find(|&r| fits_at_ideal(items, r, lo, hi, gap))
        .unwrap_or(most);
    let mut out: Vec<(usize, f64)> = items
        .iter()
        .enumerate()
        .map(|(i, &(x, _))| (i % rows, x))
        .collect();
    for row in 0..rows {
        let members: Vec<usize> = (row..items.len()).step_by(rows).collect();
        let mut xs: Vec<f64> = members.iter().map(|&i| items[i].0).collect();
        let ws: Vec<f64> = members.iter().map(|&i| items[i].1).collect();
        let mut right = lo - gap;
        for (x, w) in xs.iter_mut().zip(&ws) {
            *x = x.max(right + gap + w / 2.0);
            right = *x + w / 2.0;
        }
        let mut left = hi + gap;
        for (x, w) in xs.iter_mut().zip(&ws).rev() {
            *x = x.min(left - gap - w / 2.0);
            left = *x - w / 2.0;
        }
        for (&i, x) in members.iter().zip(xs) {
            out[i].1 = x;
        }
    }
    out
}

fn fits_at_ideal(items: &[(f64, f64)], rows: usize, lo: f64, hi: f64, gap: f64) -> bool {
    let mut right = vec![lo - gap; rows];
    items.iter().enumerate().all(|(i, &(x, w))| {
        let r = &mut right[i % rows];
        let ok = x - w / 2.0 >= *r + gap && x + w / 2.0 <= hi;
        *r = x + w / 2.0;
        ok
    })
}

/// Legend items for the phases `t` shows and the zone note, flowed into
/// rows of `width`.
pub fn legend(t: &Timeline, width: f64) -> Vec<(Option<Phase>, Rect, String)> {
    let zone = t.zone_name();
    let mut phases: Vec<Phase> = t
        .band()
        .iter()
        .map(|b| b.2)
        .chain(t.events.iter().map(|e| t.phase(e.at)))
        .collect();
    phases.sort();
    phases.dedup();
    let mut items: Vec<(Option<Phase>, String)> = phases
        .into_iter()
        .map(|p| (Some(p), p.legend().to_owned()))
        .collect();
    let note = if zone.is_empty() {
        "times of day as written".to_owned()
    } else {
        format!("times in {zone}")
    };
    items.push((None, note));
    let (mut x, mut y) = (PAD, 4.0);
    let mut out = Vec::new();
    for (phase, words) in items {
        let swatch = if phase.is_some() { 16.0 } else { 0.0 };
        let w = swatch + text_width(&words, SMALL);
        if x + w > width - PAD && x > PAD {
            (x, y) = (PAD, y + 18.0);
        }
        out.push((phase, Rect { x, y, w, h: 14.0 }, words));
        x += w + 16.0;
    }
    out
}

/// Milestone labels in first-fit rows from `top`; returns the marks and
/// how many rows they took.
fn milestone_marks(t: &Timeline, scale: &Scale, top: f64) -> (Vec<MilestoneMark>, usize) {
    let mut rows: Vec<Vec<Rect>> = Vec::new();
    let mut out = Vec::new();
    for (i, m) in t.milestones.iter().enumerate() {
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
        let mut rect = Rect {
            x,
            y: 0.0,
            w,
            h: 14.0,
        };
        let row = rows.iter().position(|r| {
            r.iter()
                .all(|o| o.x + o.w + 8.0 <= rect.x || rect.x + rect.w + 8.0 <= o.x)
        });
        let row = row.unwrap_or_else(|| {
            rows.push(Vec::new());
            rows.len() - 1
        });
        rect.y = top + row as f64 * 16.0;
        rows[row].push(rect);
        out.push(MilestoneMark {
            milestone: i,
            rect,
            at_x,
            label,
        });
    }
    (out, rows.len())
}

fn list(t: &Timeline, top: f64) -> (Vec<ListEntry>, (f64, f64), f64) {
    let spans_days = t.spans_days();
    let mut clocks = Vec::with_capacity(t.events.len());
    let mut last_day = None;
    for e in &t.events {
        let day = e.at.to_zoned_datetime(t.zone.clone()).date();
        clocks.push(t.clock(e.at, spans_days && last_day != Some(day)));
        last_day = Some(day);
    }
    let widest = t
        .events
        .iter()
        .map(|e| badge_width(e.number))
        .fold(0.0, f64::max);
    let clock_x = PAD + widest + 8.0;
    let clock_w = clocks
        .iter()
        .map(|c| text_width(c, BODY) * 1.1)
        .fold(0.0, f64::max);
    let text_x = clock_x + clock_w + 10.0;
    let mut y = top;
    let mut out = Vec::with_capacity(t.events.len());
    for (i, (e, clock)) in t.events.iter().zip(clocks).enumerate() {
        let lines = wrap(&e.text, BODY, WIDTH - PAD - text_x);
        let h = lines.len() as f64 * LINE;
        out.push(ListEntry {
            event: i,
            clock,
            lines,
            rect: Rect {
                x: PAD,
                y,
                w: WIDTH - 2.0 * PAD,
                h,
            },
        });
        y += h + 4.0;
    }
    (out, (clock_x, text_x), y + 4.0)
}

/// Draws `layout` of `t`; `class` is added to the `<svg>` class, `id`
/// makes element ids unique in the page.
pub fn render(t: &Timeline, l: &Layout, id: &str, class: &str) -> String {
    let title = format!("Timeline of {}", t.title);
    let class = format!("kb-tl kb-tl-axis {class}");
    let mut svg = Svg::open(id, class.trim_end(), WIDTH, l.height, &title, &t.summary());
    draw_legend(&mut svg, &l.legend);
    for m in &l.milestones {
        let kind = t.milestones[m.milestone].kind.name();
        svg.line(
            m.at_x,
            m.rect.y + 2.0,
            m.at_x,
            l.axis_y,
            &format!("kb-tl-ms kb-ms-{kind}"),
        );
        // A label left of its line is anchored at its end, so that a font
        // wider than estimated grows away from the line.
        let (x, anchor) = if m.rect.x < m.at_x {
            (m.rect.x + m.rect.w, Some("end"))
        } else {
            (m.rect.x, None)
        };
        svg.text(
            x,
            m.rect.y + 11.5,
            &format!("kb-tl-mslabel kb-ms-{kind}"),
            anchor,
            &m.label,
        );
    }
    for (a, b, phase) in &l.band {
        svg.rect(
            *a,
            l.band_y,
            b - a,
            l.axis_y - l.band_y,
            0.0,
            &format!("kb-tl-band kb-ph-{}", phase.class()),
        );
    }
    svg.line(PAD, l.axis_y, WIDTH - PAD, l.axis_y, "kb-tl-axisline");
    for x in &l.breaks {
        let (x0, y0, y1) = (x - 4.0, l.band_y - 2.0, l.axis_y + 4.0);
        svg.rect(
            x - BREAK_WIDTH / 4.0,
            y0,
            BREAK_WIDTH / 2.0,
            y1 - y0,
            0.0,
            "kb-tl-gap",
        );
        svg.path(
            &format!(
                "M{} {}l-4 {}M{} {}l-4 {}",
                num(x0 + 2.0),
                num(y0),
                num(y1 - y0),
                num(x0 + 8.0),
                num(y0),
                num(y1 - y0)
            ),
            "kb-tl-break",
        );
    }
    for k in &l.ticks {
        let (len, class) = if k.day {
            (6.0, "kb-tl-tick kb-tl-day")
        } else {
            (4.0, "kb-tl-tick")
        };
        if k.mark {
            svg.line(k.x, l.axis_y, k.x, l.axis_y + len, class);
        }
        let r = tick_rect(k, l.axis_y);
        svg.text(
            k.x,
            r.y + 11.0,
            if k.day {
                "kb-tl-ticklabel kb-tl-day"
            } else {
                "kb-tl-ticklabel"
            },
            Some("middle"),
            &k.label,
        );
    }
    for b in &l.badges {
        let e = &t.events[b.event];
        let phase = t.phase(e.at).class();
        let (cx, bottom) = (b.rect.x + b.rect.w / 2.0, b.rect.y + b.rect.h);
        // No tooltip: the numbered list below holds the text.
        svg.raw(&format!("<g class=\"kb-tl-event kb-ph-{phase}\">\n"));
        svg.line(cx, bottom, b.at_x, l.axis_y, "kb-tl-leader");
        svg.raw(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" class=\"kb-tl-dot\"/>\n",
            num(b.at_x),
            num(l.axis_y)
        ));
        draw_badge(&mut svg, b.rect, e.number);
        svg.raw("</g>\n");
    }
    draw_list(&mut svg, t, l);
    svg.finish()
}

/// A numbered badge in `rect`; its colour comes from the enclosing group's phase class.
pub fn draw_badge(svg: &mut Svg, rect: Rect, number: usize) {
    svg.rect(rect.x, rect.y, rect.w, rect.h, 8.0, "kb-tl-badge");
    svg.text(
        rect.x + rect.w / 2.0,
        rect.y + 12.0,
        "kb-tl-num",
        Some("middle"),
        &number.to_string(),
    );
}

/// Draws legend items made by [`legend`].
pub fn draw_legend(svg: &mut Svg, items: &[(Option<Phase>, Rect, String)]) {
    for (phase, r, words) in items {
        match phase {
            Some(p) => {
                svg.rect(
                    r.x,
                    r.y + 2.0,
                    11.0,
                    11.0,
                    2.0,
                    &format!("kb-tl-swatch kb-ph-{}", p.class()),
                );
                svg.text(r.x + 16.0, r.y + 11.5, "kb-tl-legend", None, words);
            }
            None => svg.text(r.x, r.y + 11.5, "kb-tl-legend kb-tl-note", None, words),
        }
    }
}

fn draw_list(svg: &mut Svg, t: &Timeline, l: &Layout) {
    let (clock_x, text_x) = l.list_columns;
    for entry in &l.list {
        let e = &t.events[entry.event];
        let r = entry.rect;
        svg.raw(&format!(
            "<g class=\"kb-tl-item kb-ph-{}\">\n",
            t.phase(e.at).class()
        ));
        draw_badge(
            svg,
            Rect {
                x: r.x,
                y: r.y,
                w: badge_width(e.number),
                h: BADGE_H,
            },
            e.number,
        );
        svg.text(clock_x, r.y + 13.5, "kb-tl-clock", None, &entry.clock);
        for (n, line) in entry.lines.iter().enumerate() {
            svg.text(
                text_x,
                r.y + 13.5 + n as f64 * LINE,
                "kb-tl-text",
                None,
                line,
            );
        }
        svg.raw("</g>\n");
    }
}
