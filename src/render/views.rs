//! Views: the data templates get, ready to show. Built from the model and the
//! analysis; every link is a path from the site root (`incidents/x/`), which
//! templates prefix with `root`.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::format;
use crate::analysis::Analysis;
use crate::analysis::taxonomy::Taxonomy;
use crate::content::markdown;
use crate::model::{Heading, Incident};

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
    pub services: Vec<TermLink>,
    pub causes: Vec<TermLink>,
    pub status: &'static str,
    /// The row as a list item (`incident_item` macro) for pages two levels
    /// down, rendered once and reused by every list it is in.
    pub item_html: String,
    /// The row as a table row (`incident_row` macro) for `/incidents/`.
    pub row_html: String,
}

/// An instant in UTC and in the site's zone.
#[derive(Debug, Clone, Serialize)]
pub struct Moment {
    pub utc: String,
    pub local: String,
    pub iso: String,
}

/// A timeline event.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub iso: Option<String>,
    pub date: Option<String>,
    pub time: String,
    pub text_html: String,
    pub kind: Option<String>,
}

/// An action item.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub title: String,
    pub owner: Option<String>,
    pub status: &'static str,
    pub due: Option<String>,
    pub priority: Option<String>,
    pub url: Option<String>,
    pub closed: Option<String>,
    pub overdue: bool,
}

/// Impact.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactView {
    pub users_pct: Option<f64>,
    pub summary: Option<String>,
}

/// A link to another incident.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentLink {
    pub title: String,
    pub path: String,
}

/// Everything an incident page shows.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    pub title: String,
    pub path: String,
    pub summary: Option<String>,
    pub status: &'static str,
    pub severity: Option<String>,
    pub severity_class: String,
    pub started: Option<Moment>,
    pub detected: Option<Moment>,
    pub acknowledged: Option<Moment>,
    pub mitigated: Option<Moment>,
    pub resolved: Option<Moment>,
    pub duration: Option<String>,
    pub time_to_detect: Option<String>,
    pub time_to_acknowledge: Option<String>,
    pub time_to_mitigate: Option<String>,
    pub time_to_resolve: Option<String>,
    pub detection: Option<String>,
    pub trigger: Option<String>,
    pub services: Vec<TermLink>,
    pub causes: Vec<TermLink>,
    pub tags: Vec<TermLink>,
    pub authors: Vec<String>,
    pub impact: ImpactView,
    pub body_html: String,
    pub toc: Vec<Heading>,
    pub timeline: Vec<EventView>,
    pub actions: Vec<ActionView>,
    pub prev: Option<IncidentLink>,
    pub next: Option<IncidentLink>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub diagram_svg: Option<String>,
}

/// The page path of an incident.
pub fn incident_path(incident: &Incident) -> String {
    format!("incidents/{}/", incident.slug)
}

fn links(names: &[String], taxonomy: &Taxonomy, section: &str) -> Vec<TermLink> {
    let mut out: Vec<TermLink> = Vec::with_capacity(names.len());
    for written in names {
        let Some(term) = taxonomy.term_of(written) else {
            continue;
        };
        let path = format!("{section}/{}/", term.slug);
        if !out.iter().any(|l| l.path == path) {
            out.push(TermLink {
                name: term.name.clone(),
                path,
            });
        }
    }
    out
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
    Row {
        path: incident_path(incident),
        title: incident.title.clone(),
        date: incident
            .started
            .map(|s| s.to_zoned_datetime(zone.clone()).date().to_string()),
        started_iso: incident.started.map(format::iso),
        severity: incident.severity.clone(),
        severity_class,
        severity_rank,
        duration: incident.duration().map(format::duration),
        duration_s: incident.duration().map(|d| d.as_secs()),
        services: links(&incident.services, &analysis.services, "services"),
        causes: links(&incident.causes, &analysis.causes, "causes"),
        status: incident.status.as_str(),
        item_html: String::new(),
        row_html: String::new(),
    }
}

fn moment(at: Option<Timestamp>, zone: &TimeZone) -> Option<Moment> {
    at.map(|at| Moment {
        utc: format::utc(at),
        local: format::local(at, zone),
        iso: format::iso(at),
    })
}

/// Everything the incident page of `incidents[index]` shows.
pub fn incident(
    incidents: &[Arc<Incident>],
    index: usize,
    analysis: &Analysis,
    levels: &[String],
    zone: &TimeZone,
    today: Date,
) -> IncidentView {
    let i = &incidents[index];
    let link = |j: usize| IncidentLink {
        title: incidents[j].title.clone(),
        path: incident_path(&incidents[j]),
    };
    let (severity_class, _) = severity_class(i.severity.as_deref(), levels);
    let text = |d: Option<jiff::SignedDuration>| d.map(format::duration);
    IncidentView {
        title: i.title.clone(),
        path: incident_path(i),
        summary: i.summary.clone(),
        status: i.status.as_str(),
        severity: i.severity.clone(),
        severity_class,
        started: moment(i.started, zone),
        detected: moment(i.detected, zone),
        acknowledged: moment(i.acknowledged, zone),
        mitigated: moment(i.mitigated, zone),
        resolved: moment(i.resolved, zone),
        duration: text(i.duration()),
        time_to_detect: text(i.time_to_detect()),
        time_to_acknowledge: text(i.time_to_acknowledge()),
        time_to_mitigate: text(i.time_to_mitigate()),
        time_to_resolve: text(i.time_to_resolve()),
        detection: i.detection.clone(),
        trigger: i.trigger.clone(),
        services: links(&i.services, &analysis.services, "services"),
        causes: links(&i.causes, &analysis.causes, "causes"),
        tags: links(&i.tags, &analysis.tags, "tags"),
        authors: i.authors.clone(),
        impact: ImpactView {
            users_pct: i.impact.users_pct,
            summary: i.impact.summary.clone(),
        },
        body_html: i.body_html.clone(),
        toc: i.toc.clone(),
        timeline: i
            .timeline
            .iter()
            .map(|e| EventView {
                iso: e.at.map(format::iso),
                date: e
                    .at
                    .map(|at| format::date(i.timezone.to_datetime(at).date())),
                time: match e.at {
                    Some(at) => format::clock(at, &i.timezone),
                    None if e.untimed => "time unknown".into(),
                    None => format::time(e.time),
                },
                text_html: markdown::render_inline(&e.text),
                kind: e.kind.clone(),
            })
            .collect(),
        actions: i
            .actions
            .iter()
            .map(|a| ActionView {
                title: a.title.clone(),
                owner: a.owner.clone(),
                status: a.status.as_str(),
                due: a.due.map(|d| d.to_string()),
                priority: a.priority.clone(),
                url: a.url.clone().filter(|u| !markdown::is_script_url(u)),
                closed: a.closed.map(|d| d.to_string()),
                overdue: a.is_overdue(today),
            })
            .collect(),
        prev: index.checked_sub(1).map(link),
        next: (index + 1 < incidents.len()).then(|| link(index + 1)),
        extra: i.extra.clone(),
        diagram_svg: None,
    }
}
