//! The pieces of views that several pages show, ready for templates: an
//! incident as a list row, links to terms and incidents, an instant in two
//! zones, headline numbers and action counts, formatted. Every link is a
//! path from the site root (`incidents/x/`, see [`Route`]), which templates
//! prefix with `root`.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::format;
use super::route::Route;
use crate::analysis::actions::ActionCounts;
use crate::analysis::insights::Impact;
use crate::analysis::stats::{Distribution, Summary};
use crate::analysis::{Analysis, TermKind};
use crate::model::Incident;

/// A link to a taxonomy term.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    /// Display name.
    pub name: String,
    /// Page path.
    pub path: String,
}

/// One incident in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    pub started_iso: Option<String>,
    pub severity: Option<String>,
    pub severity_class: String,
    pub severity_rank: usize,
    pub duration: Option<String>,
    pub duration_s: Option<i64>,
    /// The first [`ROW_TERMS`] services; `services_more` says how many
    /// more there are.
    pub services: Vec<TermLink>,
    pub services_more: usize,
    /// The first [`ROW_TERMS`] causes, and how many more.
    pub causes: Vec<TermLink>,
    pub causes_more: usize,
    pub status: &'static str,
}

/// An instant as pages show it: in the site's zone, in UTC (on hover), and
/// in the incident's own zone when that clock reads otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct Moment {
    /// `2024-11-29 16:12 CET`: in the site's zone.
    pub local: String,
    /// `2024-11-29 15:12 UTC`.
    pub utc: String,
    /// RFC 3339 in UTC.
    pub iso: String,
    /// `2024-11-29 10:12 EST`: in the incident's zone, only when its offset
    /// differs from the site's at that instant.
    pub own: Option<String>,
}

/// The page path of an incident.
pub fn incident_path(incident: &Incident) -> String {
    Route::Incident(&incident.slug).path()
}

/// Links to the terms of `kind` that `names` (as written in an incident)
/// file under, each once, in the order written.
pub fn term_links(names: &[String], analysis: &Analysis, kind: TermKind) -> Vec<TermLink> {
    let Some(taxonomy) = analysis.taxonomy(kind) else {
        return Vec::new();
    };
    let mut out: Vec<TermLink> = Vec::with_capacity(names.len());
    for written in names {
        let Some(term) = taxonomy.term_of(written) else {
            continue;
        };
        let path = Route::Term(kind, &term.slug).path();
        if !out.iter().any(|l| l.path == path) {
            out.push(TermLink {
                name: term.name.clone(),
                path,
            });
        }
    }
    out
}

/// At most how many services or causes a row of a list names. A row is in
/// the list of each of its incident's services: naming them all would make
/// the service pages of an incident with many services grow with the
/// square of their number.
pub const ROW_TERMS: usize = 10;

/// `links` cut to [`ROW_TERMS`], and how many were left out.
fn first_links(mut links: Vec<TermLink>) -> (Vec<TermLink>, usize) {
    let more = links.len().saturating_sub(ROW_TERMS);
    links.truncate(ROW_TERMS);
    (links, more)
}

/// The severity's CSS class and its rank (1 = worst, 99 = unknown).
pub fn severity_class(severity: Option<&str>, levels: &[String]) -> (String, usize) {
    match severity.and_then(|s| levels.iter().position(|l| l == s).map(|i| (s, i))) {
        Some((s, i)) => (crate::content::slug::slugify(s), i + 1),
        None => ("unknown".into(), 99),
    }
}

/// An incident as a list row.
pub fn row(incident: &Incident, analysis: &Analysis, levels: &[String], zone: &TimeZone) -> Row {
    let (severity_class, severity_rank) = severity_class(incident.severity.as_deref(), levels);
    let (services, services_more) =
        first_links(term_links(&incident.services, analysis, TermKind::Service));
    let (causes, causes_more) =
        first_links(term_links(&incident.causes, analysis, TermKind::Cause));
    Row {
        path: incident_path(incident),
        title: incident.title.clone(),
        date: incident
            .started
            .map(|s| format::day(zone.to_datetime(s).date())),
        started_iso: incident.started.map(format::iso),
        severity: incident.severity.clone(),
        severity_class,
        severity_rank,
        duration: incident.duration().map(format::duration),
        duration_s: incident.duration().map(|d| d.as_secs()),
        services,
        services_more,
        causes,
        causes_more,
        status: incident.status.as_str(),
    }
}

/// `at` in the site's `zone`, in UTC, as RFC 3339, and in the incident's
/// `own` zone where its clock differs.
pub fn moment(at: Option<Timestamp>, zone: &TimeZone, own: &TimeZone) -> Option<Moment> {
    at.map(|at| Moment {
        local: format::local(at, zone),
        utc: format::utc(at),
        iso: format::iso(at),
        own: clocks_differ(at, zone, own).then(|| format::local(at, own)),
    })
}

/// Whether clocks in `zone` and `own` read differently at `at`.
pub fn clocks_differ(at: Timestamp, zone: &TimeZone, own: &TimeZone) -> bool {
    zone.to_offset(at) != own.to_offset(at)
}

/// A distribution, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct DistributionView {
    pub count: usize,
    pub missing: usize,
    pub median: Option<String>,
    pub p90: Option<String>,
    pub max: Option<String>,
}

impl From<&Distribution> for DistributionView {
    fn from(d: &Distribution) -> Self {
        DistributionView {
            count: d.count,
            missing: d.missing,
            median: d.median.map(format::seconds),
            p90: d.p90.map(format::seconds),
            max: d.max.map(format::seconds),
        }
    }
}

/// Headline numbers of a set of incidents, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    pub count: usize,
    pub total_downtime: String,
    pub total_downtime_s: i64,
    pub incident_hours: String,
    pub time_to_detect: DistributionView,
    pub time_to_acknowledge: DistributionView,
    pub time_to_mitigate: DistributionView,
    pub time_to_resolve: DistributionView,
}

impl From<&Summary> for SummaryView {
    fn from(s: &Summary) -> Self {
        SummaryView {
            count: s.count,
            total_downtime: format::seconds(s.total_downtime_s),
            total_downtime_s: s.total_downtime_s,
            incident_hours: format::hours(s.incident_seconds_sum),
            time_to_detect: (&s.time_to_detect).into(),
            time_to_acknowledge: (&s.time_to_acknowledge).into(),
            time_to_mitigate: (&s.time_to_mitigate).into(),
            time_to_resolve: (&s.time_to_resolve).into(),
        }
    }
}

/// A link to an incident with its date.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRef {
    pub title: String,
    pub path: String,
    pub date: Option<String>,
}

/// A link to an incident.
pub fn incident_ref(incident: &Incident, zone: &TimeZone) -> IncidentRef {
    IncidentRef {
        title: incident.title.clone(),
        path: incident_path(incident),
        date: incident
            .started
            .map(|s| format::day(zone.to_datetime(s).date())),
    }
}

/// Action item counts, with the completion rate as a percentage.
#[derive(Debug, Clone, Serialize)]
pub struct ActionCountsView {
    pub open: usize,
    pub done: usize,
    pub wontfix: usize,
    pub overdue: usize,
    pub total: usize,
    pub completion: Option<String>,
}

impl From<&ActionCounts> for ActionCountsView {
    fn from(c: &ActionCounts) -> Self {
        ActionCountsView {
            open: c.open,
            done: c.done,
            wontfix: c.wontfix,
            overdue: c.overdue,
            total: c.open + c.done + c.wontfix,
            completion: c.completion_rate().map(|r| format!("{:.0} %", r * 100.0)),
        }
    }
}

/// User-weighted downtime, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactView {
    pub weighted_downtime: String,
    pub weighted_downtime_s: i64,
    /// Incidents without a stated share, counted at 100 %.
    pub share_unknown: usize,
}

/// The user-weighted downtime of `impact`, formatted.
pub fn impact_view(impact: &Impact) -> ImpactView {
    ImpactView {
        weighted_downtime: format::seconds(impact.weighted_downtime_s),
        weighted_downtime_s: impact.weighted_downtime_s,
        share_unknown: impact.share_unknown,
    }
}
