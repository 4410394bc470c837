//! A service's incidents over time: a lane per year, a bar per incident.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::super::clock::MONTHS;
use super::{IncidentSpan, day_start, document, local_date, tooltip};
use crate::render::svg::{Path, Svg, text_width};

/// A service's incidents over time: one lane per year from the first
/// incident's year to the last's, a bar per incident positioned by date and
/// as long as the incident lasted (at least 4 px), coloured by severity and
/// linking to the incident (`root` + path). `None` without incidents.
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
    let mut bars = Svg::fragment();
    for year in first..=last {
        let rows = year_bars(&mut bars, spans, year, y, zone, root);
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
    body.raw(&bars.finish_fragment());
    let n = spans.len();
    let desc = format!(
        "{n} incident{} from {first} to {last}, one lane per year; each bar starts on the day the incident began, is as long as it lasted and is coloured by severity.",
        if n == 1 { "" } else { "s" }
    );
    Some(document(
        "kb-lanes",
        [LANES_W, y + 2.0],
        "Incidents over time",
        &desc,
        body,
    ))
}

const LANES_W: f64 = 760.0;
const LANES_X0: f64 = 48.0;
const LANES_X1: f64 = LANES_W - 8.0;

/// Where month `m` (0-based) starts on a lane.
fn month_x(m: usize) -> f64 {
    LANES_X0 + (LANES_X1 - LANES_X0) * m as f64 / 12.0
}

/// Draws into `bars` the bars of `year`'s lane at `y`, each in the first
/// row where it does not touch the one before; returns how many rows.
fn year_bars(
    bars: &mut Svg,
    spans: &[IncidentSpan<'_>],
    year: i16,
    y: f64,
    zone: &TimeZone,
    root: &str,
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
        let open = if s.resolved.is_none() {
            " kb-bar-open"
        } else {
            ""
        };
        bars.linked_rect(
            [root, s.path],
            [x, y + 6.0 + row as f64 * 12.0, w, 10.0],
            &["kb-bar kb-sev-", s.severity_class, open],
            &tooltip(s, zone),
        );
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
