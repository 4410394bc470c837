//! Diagrams across incidents, from plain inputs: a service's incidents over
//! time (one lane per year, bars sized by duration and coloured by
//! severity), and a calendar heatmap of downtime per day over the whole
//! history. Bars and days link to the incidents (relative `href`s).

mod heatmap;
mod lanes;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::model::Incident;
use crate::render::format;
use crate::render::svg::Svg;

pub use heatmap::downtime_heatmap;
pub use lanes::{LINKED_BARS, service_lanes};

/// An incident as the diagrams across incidents need it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentSpan<'a> {
    /// Title.
    pub title: &'a str,
    /// Page path from the site root (`incidents/x/`).
    pub path: &'a str,
    /// Impact began.
    pub started: Timestamp,
    /// Impact ended, when known.
    pub resolved: Option<Timestamp>,
    /// The severity as written (`SEV1`), when known.
    pub severity: Option<&'a str>,
    /// The severity's CSS class suffix (`sev1`, `unknown`).
    pub severity_class: &'a str,
}

impl<'a> IncidentSpan<'a> {
    /// The span of `incident`, whose page is at `path` and whose severity
    /// class is `severity_class`; `None` when its start is unknown.
    pub fn of(
        incident: &'a Incident,
        path: &'a str,
        severity_class: &'a str,
    ) -> Option<IncidentSpan<'a>> {
        Some(IncidentSpan {
            title: &incident.title,
            path,
            started: incident.started?,
            resolved: incident.resolved,
            severity: incident.severity.as_deref(),
            severity_class,
        })
    }

    /// The span clipped to [`from`, `to`]; `None` when it lies outside.
    /// The diagrams draw a row per year and a cell per day: a start typed
    /// `0997` or an end typed `9999` would make them a thousand years long.
    pub fn within(mut self, from: Timestamp, to: Timestamp) -> Option<IncidentSpan<'a>> {
        if self.started > to || self.resolved.is_some_and(|r| r < from) {
            return None;
        }
        self.started = self.started.max(from);
        self.resolved = self.resolved.map(|r| r.min(to));
        Some(self)
    }
}

/// The instant local midnight of `date` in `zone` (the earliest instant of
/// the day when midnight does not exist).
fn day_start(date: Date, zone: &TimeZone) -> i64 {
    date.to_zoned_datetime(zone.clone())
        .map_or(i64::MIN / 4, |z| z.timestamp().as_second())
}

fn local_date(at: Timestamp, zone: &TimeZone) -> Date {
    at.to_zoned_datetime(zone.clone()).date()
}

fn tooltip(s: &IncidentSpan<'_>, zone: &TimeZone) -> String {
    let duration = s.resolved.map_or_else(
        || "duration unknown".to_owned(),
        |r| format::duration(r.duration_since(s.started)),
    );
    let severity = s.severity.map(|v| format!(", {v}")).unwrap_or_default();
    format!(
        "{} ({}, {duration}{severity})",
        s.title,
        local_date(s.started, zone)
    )
}

/// The `<svg>` of diagram `id` (also its class, after `kb-hist`) of
/// `[width, height]` around `body`. Its role is `group` when its bars or
/// days are `linked` (an `img` must not hold links), else `img`.
fn document(
    id: &str,
    [width, height]: [f64; 2],
    title: &str,
    desc: &str,
    body: Svg,
    linked: bool,
) -> String {
    let class = format!("kb-hist {id}");
    let role = if linked { "group" } else { "img" };
    let mut svg = Svg::open_as(role, id, &class, width, height, title, desc);
    svg.raw(&body.finish_fragment());
    svg.finish()
}
