//! A service's incidents over time: a lane per year, a bar per incident.
//! Up to [`LINKED_BARS`] incidents each bar links to its incident with a
//! tooltip; above that the bars of each severity are one path (bars a few
//! pixels wide among hundreds are no targets to aim at, and the page's list
//! links every incident), which keeps a busy service's page light.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::super::clock::MONTHS;
use super::{IncidentSpan, day_start, document, local_date, tooltip};
use crate::render::svg::{Path, Svg, text_width};

/// The most incidents whose bars are links: above it, bars are drawn
/// without links or tooltips.
pub const LINKED_BARS: usize = 100;

/// A service's incidents over time: one lane per year from the first
/// incident's year to the last's, a bar per incident positioned by date and
/// as long as the incident lasted (at least 4 px), coloured by severity;
/// with at most [`LINKED_BARS`] incidents each bar links to its incident
/// (`root` + path). `None` without incidents.
pub fn service_lanes(spans: &[IncidentSpan<'_>], zone: &TimeZone, root: &str) -> Option<String> {
    let first = spans
        .iter()
        .map(|s| local_date(s.started, zone).year())
        .min()?;
    let last = spans
        .iter()
        .map(|s| local_date(s.resolved.unwrap_or(s.started), zone).year())
        .max()?;
    let mut body = Svg::fragment();
    let mut y = severity_legend(&mut body, spans, LANES_W) + 6.0;
    body.group("kb-hist-month");
    for (m, label) in MONTHS.iter().enumerate() {
        body.text(month_x(m) + 3.0, y + 10.0, "", label);
    }
    body.end_group();
    y += 16.0;
    let mut lanes = Svg::fragment();
    let mut grid = Path::new();
    let mut years = Svg::fragment();
    let mut bars = Bars::new(spans.len() <= LINKED_BARS, root, zone);
    for year in first..=last {
        let rows = year_bars(&mut bars, spans, year, y, zone);
        let h = rows.max(1) as f64 * 12.0 + 10.0;
        lanes.rect(LANES_X0, y, LANES_X1 - LANES_X0, h, 0.0, "");
        for m in 1..12 {
            grid.move_to(month_x(m), y).vertical_by(h);
        }
        years.text(LANES_X0 - 6.0, y + h / 2.0 + 4.0, "", &year.to_string());
        y += h + 4.0;
    }
    for (class, part) in [("kb-hist-lane", lanes), ("kb-hist-year kb-end", years)] {
        body.group(class);
        body.raw(&part.finish_fragment());
        body.end_group();
    }
    body.path("kb-hist-grid", &grid);
    let linked = bars.draw(&mut body);
    let n = spans.len();
    let desc = format!(
        "{n} incident{} from {first} to {last}, one lane per year; each bar starts on the day the incident began, is as long as it lasted and is coloured by severity.{}",
        if n == 1 { "" } else { "s" },
        if linked {
            ""
        } else {
            " The list of the service's incidents links each of them."
        }
    );
    Some(document(
        "kb-lanes",
        [LANES_W, y + 2.0],
        "Incidents over time",
        &desc,
        body,
        linked,
    ))
}

/// The bars being drawn: links with tooltips, or one path per look
/// (severity, and whether the incident is still open).
enum Bars<'r> {
    Linked {
        svg: Svg,
        root: &'r str,
        zone: &'r TimeZone,
    },
    Paths(std::collections::BTreeMap<(&'r str, bool), Path>),
}

impl<'r> Bars<'r> {
    fn new(linked: bool, root: &'r str, zone: &'r TimeZone) -> Bars<'r> {
        if linked {
            Bars::Linked {
                svg: Svg::fragment(),
                root,
                zone,
            }
        } else {
            Bars::Paths(std::collections::BTreeMap::new())
        }
    }

    /// A bar for `s` at `[x, y, w]`, 10 high.
    fn add(&mut self, s: &IncidentSpan<'r>, [x, y, w]: [f64; 3]) {
        let open = s.resolved.is_none();
        match self {
            Bars::Linked { svg, root, zone } => svg.linked_rect(
                [root, s.path],
                [x, y, w, BAR_H],
                &[
                    "kb-bar kb-sev-",
                    s.severity_class,
                    if open { " kb-bar-open" } else { "" },
                ],
                &tooltip(s, zone),
            ),
            Bars::Paths(paths) => {
                paths
                    .entry((s.severity_class, open))
                    .or_default()
                    .move_to(x, y)
                    .horizontal_by(w)
                    .vertical_by(BAR_H)
                    .horizontal_by(-w)
                    .close();
            }
        }
    }

    /// Draws the bars into `svg`; whether they are links.
    fn draw(self, svg: &mut Svg) -> bool {
        match self {
            Bars::Linked { svg: bars, .. } => {
                svg.raw(&bars.finish_fragment());
                true
            }
            Bars::Paths(paths) => {
                for ((severity, open), d) in paths {
                    let open = if open { " kb-bar-open" } else { "" };
                    svg.path(&format!("kb-bar kb-sev-{severity}{open}"), &d);
                }
                false
            }
        }
    }
}

/// A bar's height.
const BAR_H: f64 = 10.0;

const LANES_W: f64 = 760.0;
const LANES_X0: f64 = 48.0;
const LANES_X1: f64 = LANES_W - 8.0;

/// Where month `m` (0-based) starts on a lane.
fn month_x(m: usize) -> f64 {
    LANES_X0 + (LANES_X1 - LANES_X0) * m as f64 / 12.0
}

/// Draws into `bars` the bars of `year`'s lane at `y`, each in the first
/// row where it does not touch the one before; returns how many rows.
fn year_bars<'r>(
    bars: &mut Bars<'r>,
    spans: &[IncidentSpan<'r>],
    year: i16,
    y: f64,
    zone: &TimeZone,
) -> usize {
    let start = day_start(Date::constant(year, 1, 1), zone);
    let end = Date::new(year + 1, 1, 1).map_or(start + 366 * 86_400, |d| day_start(d, zone));
    let px = (LANES_X1 - LANES_X0) / (end - start).max(1) as f64;
    let mut rows: Vec<f64> = Vec::new();
    for s in spans {
        let (a, b) = (
            s.started.as_second(),
            s.resolved.map_or(s.started.as_second(), |r| r.as_second()),
        );
        let (a, b) = (a.max(start), b.min(end));
        if a >= end || b < start || (a == b && s.started.as_second() < start) {
            continue;
        }
        let x = LANES_X0 + (a - start) as f64 * px;
        let w = ((b - a) as f64 * px).max(4.0).min(LANES_X1 - x);
        let row = rows
            .iter()
            .position(|&right| right + 1.0 <= x)
            .unwrap_or(rows.len());
        if row == rows.len() {
            rows.push(0.0);
        }
        rows[row] = x + w;
        bars.add(s, [x, y + 6.0 + row as f64 * 12.0, w]);
    }
    rows.len()
}

/// Draws the severity legend of `spans` into `svg`, flowed into `width`;
/// returns the y below it.
fn severity_legend(svg: &mut Svg, spans: &[IncidentSpan<'_>], width: f64) -> f64 {
    let mut levels: Vec<(&str, &str)> = spans
        .iter()
        .map(|s| (s.severity_class, s.severity.unwrap_or("unknown severity")))
        .collect();
    levels.sort();
    levels.dedup();
    let (mut x, mut y) = (8.0, 4.0);
    svg.group("kb-hist-legend");
    for (class, label) in levels {
        let w = 16.0 + text_width(label, 11.0);
        if x + w > width - 8.0 && x > 8.0 {
            (x, y) = (8.0, y + 18.0);
        }
        svg.rect(
            x,
            y + 2.0,
            11.0,
            11.0,
            2.0,
            &format!("kb-bar kb-sev-{class}"),
        );
        svg.text(x + 16.0, y + 11.5, "", label);
        x += w + 16.0;
    }
    svg.end_group();
    y + 16.0
}
