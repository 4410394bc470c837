//! Views of the analysis: headline numbers, per-service and per-cause
//! numbers, availability per quarter, action items by owner, formatted for
//! templates.

use std::sync::Arc;

use serde::Serialize;

use super::format;
use super::views::incident_path;
use crate::analysis::actions::ActionCounts;
use crate::analysis::stats::{Distribution, PeriodAvailability, Summary};
use crate::analysis::{Analysis, TermStats};
use crate::model::Incident;

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

/// Availability of one quarter, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct AvailabilityView {
    pub quarter: String,
    pub downtime: String,
    pub downtime_s: i64,
    /// `99.954 %`.
    pub percent: String,
    /// `3.3`, or none for a quarter without downtime.
    pub nines: Option<String>,
}

/// `99.954 %` and the number of nines (`3.3`; none at 100 %).
pub fn availability_text(a: &PeriodAvailability) -> (String, Option<String>) {
    let percent = format!("{:.3} %", a.availability * 100.0);
    let nines = (a.downtime_s > 0).then(|| format!("{:.1}", -(1.0 - a.availability).log10()));
    (percent, nines)
}

/// A link to an incident with its date.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRef {
    pub title: String,
    pub path: String,
    pub date: Option<String>,
}

/// A link to an incident.
pub fn incident_ref(incident: &Incident, zone: &jiff::tz::TimeZone) -> IncidentRef {
    IncidentRef {
        title: incident.title.clone(),
        path: incident_path(incident),
        date: incident
            .started
            .map(|s| s.to_zoned_datetime(zone.clone()).date().to_string()),
    }
}

/// Two incidents of one cause at most 90 days apart.
#[derive(Debug, Clone, Serialize)]
pub struct Recurrence {
    pub first: IncidentRef,
    pub second: IncidentRef,
    pub days: i64,
}

/// The numbers of a service or cause page.
#[derive(Debug, Clone, Serialize)]
pub struct TermNumbers {
    pub summary: SummaryView,
    pub availability: Vec<AvailabilityView>,
    pub recurrences: Vec<Recurrence>,
}

/// A service's or cause's numbers, formatted.
pub fn term_numbers(
    stats: &TermStats,
    incidents: &[Arc<Incident>],
    zone: &jiff::tz::TimeZone,
) -> TermNumbers {
    TermNumbers {
        summary: (&stats.summary).into(),
        availability: stats
            .quarters
            .iter()
            .map(|(q, a)| {
                let (percent, nines) = availability_text(a);
                AvailabilityView {
                    quarter: q.label(),
                    downtime: format::seconds(a.downtime_s),
                    downtime_s: a.downtime_s,
                    percent,
                    nines,
                }
            })
            .collect(),
        recurrences: stats
            .recurrences
            .iter()
            .map(|&(a, b)| {
                let days = match (incidents[a].started, incidents[b].started) {
                    (Some(x), Some(y)) => (y.as_second() - x.as_second()) / 86_400,
                    _ => 0,
                };
                Recurrence {
                    first: incident_ref(&incidents[a], zone),
                    second: incident_ref(&incidents[b], zone),
                    days,
                }
            })
            .collect(),
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

/// One row of an index of terms (`/services/`, `/causes/`).
#[derive(Debug, Clone, Serialize)]
pub struct TermRow {
    pub name: String,
    pub path: String,
    pub count: usize,
    pub downtime: String,
    pub downtime_s: i64,
    pub median_ttr: Option<String>,
    pub last: Option<String>,
    pub recurring: bool,
}

/// The rows of an index of services or causes.
pub fn term_rows(
    analysis: &Analysis,
    section: &str,
    incidents: &[Arc<Incident>],
    zone: &jiff::tz::TimeZone,
) -> Vec<TermRow> {
    let (taxonomy, stats) = if section == "services" {
        (&analysis.services, &analysis.service_stats)
    } else {
        (&analysis.causes, &analysis.cause_stats)
    };
    taxonomy
        .terms
        .iter()
        .zip(stats)
        .map(|(term, s)| TermRow {
            name: term.name.clone(),
            path: format!("{section}/{}/", term.slug),
            count: term.incidents.len(),
            downtime: format::seconds(s.summary.total_downtime_s),
            downtime_s: s.summary.total_downtime_s,
            median_ttr: s.summary.time_to_resolve.median.map(format::seconds),
            last: term
                .incidents
                .iter()
                .rev()
                .find_map(|&i| incidents[i].started)
                .map(|t| t.to_zoned_datetime(zone.clone()).date().to_string()),
            recurring: !s.recurrences.is_empty(),
        })
        .collect()
}
