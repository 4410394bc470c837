//! An incident's page (`/incidents/SLUG/`): its facts in UTC and in the
//! site's zone, the time-to numbers, the body, the timeline as a list and
//! as a diagram, the action items, the related incidents, previous and next.

use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use super::diagram;
use super::format;
use super::incident_body::{self, BodyPart};
use super::incident_related as related;
use super::page::{Page, PageCtx};
use super::restated;
use super::views::{
    Moment, TermLink, clocks_differ, incident_path, moment, severity_class, term_links,
};
use crate::analysis::{Analysis, TermKind};
use crate::content::markdown;
use crate::content::sections::SectionKind;
use crate::diagnostic::Diagnostic;
use crate::git::view::PageHistory;
use crate::model::{Heading, Incident};

/// The theme's partial that renders one related incident.
const RELATED_ITEM: &str = "partials/related-item.html";

/// The page of incident number `index`.
pub fn page(cx: &PageCtx<'_>, index: usize) -> Result<Page, Diagnostic> {
    let input = cx.input;
    let zone = input.config.time_zone();
    let mut view = view(
        input.incidents,
        index,
        input.analysis,
        &input.config.severities,
        zone,
        input.build_time.to_zoned_datetime(zone.clone()).date(),
    );
    let incident = &input.incidents[index];
    let style = incident
        .timeline_style
        .unwrap_or(input.config.timeline_style);
    view.diagram_svg = diagram::incident_svg(incident, zone, style);
    let git = input.git;
    view.page_history = crate::git::view::page_history(
        &incident.source,
        &git.history,
        git.repo.as_ref(),
        &git.prefix,
        zone,
    );
    let links = &input.analysis.links[index];
    let related = related::merged(links, input.incidents, index, input.analysis);
    let members: Vec<usize> = related.iter().map(|r| r.index).collect();
    let rows = cx.plain_rows_in_order(&members);
    let related = rows
        .iter()
        .zip(&related)
        .map(|(row, r)| {
            let ctx = context! { row => row, why => &r.why, root => "../../" };
            let html = cx.rows.render_partial(input, RELATED_ITEM, ctx)?;
            Ok(minijinja::Value::from_safe_string(html))
        })
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    let related = context! {
        incident => Serde(&view),
        related => related,
        recurrence_of => Serde(super::remediation::of_incident(input, index)),
    };
    Ok(Page {
        template: "incident.html",
        title: view.title,
        description: view.summary,
        view: related,
    })
}

/// A timeline event.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub iso: Option<String>,
    /// The date in the site's zone.
    pub date: Option<String>,
    /// The time of day in the site's zone.
    pub time: String,
    /// `15:12 UTC`, shown on hover.
    pub utc: Option<String>,
    /// The time of day in the incident's zone, when its clock differs.
    pub own: Option<String>,
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
    /// The incident's zone (its IANA name, else its offset at the start),
    /// when its clock differs from the site's at the start.
    pub own_zone: Option<String>,
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
    /// The body cut around its Timeline and Action Items sections, when it
    /// has them and the page has events or items to show in their place
    /// (see [`incident_body`]); empty when the body shows whole.
    pub body_parts: Vec<BodyPart>,
    /// The id of the author's Timeline heading when the event list took
    /// its place.
    pub timeline_in_body: Option<String>,
    /// Whether the action items table took the place of the author's
    /// Action Items section.
    pub actions_in_body: bool,
    /// Whether the body has a Summary section: then the summary is not
    /// repeated above it.
    pub body_has_summary: bool,
    /// First written, last changed, edit and history links (git, forge).
    pub page_history: Option<PageHistory>,
}

/// Everything the incident page of `incidents[index]` shows.
fn view(
    incidents: &[Arc<Incident>],
    index: usize,
    analysis: &Analysis,
    levels: &[String],
    zone: &TimeZone,
    today: Date,
) -> IncidentView {
    let i = &incidents[index];
    let kinds = incident_body::kinds(&i.toc);
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
        started: moment(i.started, zone, &i.timezone),
        detected: moment(i.detected, zone, &i.timezone),
        acknowledged: moment(i.acknowledged, zone, &i.timezone),
        mitigated: moment(i.mitigated, zone, &i.timezone),
        resolved: moment(i.resolved, zone, &i.timezone),
        own_zone: own_zone(i, zone),
        duration: text(i.duration()),
        time_to_detect: text(i.time_to_detect()),
        time_to_acknowledge: text(i.time_to_acknowledge()),
        time_to_mitigate: text(i.time_to_mitigate()),
        time_to_resolve: text(i.time_to_resolve()),
        detection: i.detection.clone(),
        trigger: i.trigger.clone(),
        services: term_links(&i.services, analysis, TermKind::Service),
        causes: term_links(&i.causes, analysis, TermKind::Cause),
        tags: term_links(&i.tags, analysis, TermKind::Tag),
        authors: i.authors.clone(),
        impact: ImpactView {
            users_pct: i.impact.users_pct,
            summary: i.impact.summary.clone(),
        },
        body_html: i.body_html.clone(),
        toc: i.toc.clone(),
        timeline: timeline(i, zone),
        actions: actions(i, today),
        prev: index.checked_sub(1).map(link),
        next: (index + 1 < incidents.len()).then(|| link(index + 1)),
        extra: i.extra.clone(),
        diagram_svg: None,
        body_parts: Vec::new(),
        timeline_in_body: None,
        actions_in_body: false,
        body_has_summary: incident_body::has_section(&kinds, SectionKind::Summary),
        page_history: None,
    }
    .with_body_parts(i, &kinds)
}

impl IncidentView {
    /// The view with the body cut around the sections it shows its own
    /// way; `kinds` are the kinds of its headings.
    fn with_body_parts(mut self, i: &Incident, kinds: &[Option<SectionKind>]) -> IncidentView {
        let mut parts = incident_body::parts(
            &i.body_html,
            &i.toc,
            kinds,
            !self.timeline.is_empty(),
            !self.actions.is_empty(),
        );
        self.timeline_in_body = parts
            .iter()
            .find(|p| p.kind == "timeline")
            .map(|p| p.id.clone());
        self.actions_in_body = parts.iter().any(|p| p.kind == "actions");
        let texts: Vec<&str> = self.timeline.iter().map(|e| e.text_html.as_str()).collect();
        for part in &mut parts {
            part.restated = match part.kind {
                "timeline" => restated::timeline(&part.html, &texts),
                "actions" => restated::actions(&part.html, &self.actions),
                _ => false,
            };
        }
        self.body_parts = parts;
        self
    }
}

/// The name of `i`'s zone when its clock differs from the site's `zone`
/// at the start.
fn own_zone(i: &Incident, zone: &TimeZone) -> Option<String> {
    let at = i.started?;
    clocks_differ(at, zone, &i.timezone).then(|| {
        i.timezone
            .iana_name()
            .map_or_else(|| format!("UTC{}", i.timezone.to_offset(at)), str::to_owned)
    })
}

/// The timeline events of `i` in the site's `zone`, with UTC and, where
/// its clock differs, the incident's own zone.
fn timeline(i: &Incident, zone: &TimeZone) -> Vec<EventView> {
    i.timeline
        .iter()
        .map(|e| EventView {
            iso: e.at.map(format::iso),
            date: e.at.map(|at| format::date(zone.to_datetime(at).date())),
            time: match e.at {
                Some(at) => format::clock(at, zone),
                None if e.untimed => "time unknown".into(),
                None => format::time(e.time),
            },
            utc: e.at.map(|at| format::clock(at, &TimeZone::UTC)),
            own: e
                .at
                .filter(|&at| clocks_differ(at, zone, &i.timezone))
                .map(|at| format::clock(at, &i.timezone)),
            text_html: markdown::render_inline(&e.text),
            kind: e.kind.clone(),
        })
        .collect()
}

/// The action items of `i`, overdue as of `today`.
fn actions(i: &Incident, today: Date) -> Vec<ActionView> {
    i.actions
        .iter()
        .map(|a| ActionView {
            title: a.title.clone(),
            owner: a.owner.clone(),
            status: a.status.as_str(),
            due: a.due.map(format::day),
            priority: a.priority.clone(),
            url: a.url.clone().filter(|u| !markdown::is_script_url(u)),
            closed: a.closed.map(format::day),
            overdue: a.is_overdue(today),
        })
        .collect()
}
