//! Contexts of the pages that show the analysis: a service's or cause's
//! page, the indexes of services and causes, /trends/, /actions/, and the
//! headline numbers of the home page.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use super::RenderInput;
use super::summaries::{
    self, ActionCountsView, IncidentRef, SummaryView, incident_ref, term_numbers,
};
use crate::analysis::actions::ActionCounts;
use crate::analysis::periods::Quarter;
use crate::diagnostic::Diagnostic;
use crate::model::ActionStatus;

/// At most how many causes a service's page names (services a cause's
/// page names); the rest are counted.
const RELATED_TERMS: usize = 24;

/// The page of service or cause number `index` (`section` is "services" or
/// "causes"): its incidents, numbers and registry entry.
pub fn term_page(
    input: &RenderInput<'_>,
    section: &str,
    index: usize,
    rows: Vec<Value>,
    zone: &TimeZone,
) -> (String, Value) {
    let a = input.analysis;
    let (taxonomy, stats) = if section == "services" {
        (&a.services, &a.service_stats)
    } else {
        (&a.causes, &a.cause_stats)
    };
    let term = &taxonomy.terms[index];
    let numbers = term_numbers(&stats[index], input.incidents, zone);
    // The other taxonomy's terms among this term's incidents, most frequent first.
    let (other_section, other) = if section == "services" {
        ("causes", &a.causes)
    } else {
        ("services", &a.services)
    };
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in &term.incidents {
        let incident = &input.incidents[i];
        let names = if section == "services" {
            &incident.causes
        } else {
            &incident.services
        };
        let mut seen: Vec<usize> = names.iter().filter_map(|n| other.index_of(n)).collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut related: Vec<(usize, usize)> = counts.into_iter().collect();
    related.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    // The most frequent only: each page listing every other term would
    // grow with the square of the terms an incident names.
    let related_more = related.len().saturating_sub(RELATED_TERMS);
    related.truncate(RELATED_TERMS);
    let related: Vec<Value> = related
        .into_iter()
        .map(|(t, n)| context! { name => &other.terms[t].name, path => format!("{other_section}/{}/", other.terms[t].slug), count => n })
        .collect();
    let registry = match section {
        "services" => input.config.services.iter().find(|(k, _)| crate::content::slug::slugify(k) == term.slug).map(|(_, s)| {
            context! { team => &s.team, tier => s.tier.as_ref().map(ToString::to_string), description => &s.description }
        }),
        _ => input.config.causes.iter().find(|(k, _)| crate::content::slug::slugify(k) == term.slug).map(|(_, c)| context! { group => &c.group, description => &c.description }),
    };
    let title = if section == "services" {
        format!("Service: {}", term.name)
    } else {
        format!("Cause: {}", term.name)
    };
    let ctx = context! {
        heading => &title,
        name => &term.name,
        kind => if section == "services" { "service" } else { "cause" },
        registry,
        numbers => Serde(numbers),
        related,
        related_more,
        related_heading => if section == "services" { "Causes" } else { "Services hit" },
        rows,
        chart => super::trend_charts::per_quarter(input, &stats[index]),
    };
    (title, ctx)
}

/// `/services/` or `/causes/`: every term with its numbers.
pub fn term_index(input: &RenderInput<'_>, section: &str, zone: &TimeZone) -> (String, Value) {
    let rows = summaries::term_rows(input.analysis, section, input.incidents, zone);
    let heading = if section == "services" {
        "Services"
    } else {
        "Causes"
    };
    (
        heading.to_owned(),
        context! { heading, kind => section, terms => Serde(rows) },
    )
}

/// One action item on `/actions/`.
#[derive(Debug, Clone, Serialize)]
struct ActionRow {
    title: String,
    url: Option<String>,
    owner: Option<String>,
    status: &'static str,
    due: Option<String>,
    closed: Option<String>,
    priority: Option<String>,
    overdue: bool,
    incident: IncidentRef,
    /// The row as the theme's `partials/action-row.html` renders it, made
    /// in parallel: `/actions/` of a large site has tens of thousands.
    html: String,
}

/// The follow-ups of one owner; each item is `{html}`, its row rendered.
#[derive(Debug, Clone, Serialize)]
struct OwnerGroup {
    owner: String,
    anchor: String,
    counts: ActionCountsView,
    items: Vec<Value>,
}

/// The theme's template for one row of `/actions/` (and of an incident's
/// action items).
const ACTION_ROW_TEMPLATE: &str = "partials/action-row.html";

/// `/actions/`: every follow-up, grouped by owner, open and overdue first.
pub fn actions(
    input: &RenderInput<'_>,
    env: &Environment<'static>,
    zone: &TimeZone,
) -> Result<Value, Diagnostic> {
    let a = input.analysis;
    let today = a.today;
    let mut groups: BTreeMap<String, Vec<ActionRow>> = BTreeMap::new();
    for incident in input.incidents {
        for action in &incident.actions {
            let owner = action.owner.clone().unwrap_or_default();
            groups.entry(owner).or_default().push(ActionRow {
                title: action.title.clone(),
                url: action
                    .url
                    .clone()
                    .filter(|u| !crate::content::markdown::is_script_url(u)),
                owner: action.owner.clone(),
                status: action.status.as_str(),
                due: action.due.map(|d| d.to_string()),
                closed: action.closed.map(|d| d.to_string()),
                priority: action.priority.clone(),
                overdue: today.is_some_and(|t| action.is_overdue(t)),
                incident: incident_ref(incident, zone),
                html: String::new(),
            });
        }
    }
    let rank = |r: &ActionRow| match (r.overdue, r.status) {
        (true, _) => 0,
        (false, s) if s == ActionStatus::Open.as_str() => 1,
        (false, s) if s == ActionStatus::Done.as_str() => 2,
        _ => 3,
    };
    let mut rows: Vec<&mut ActionRow> = groups.values_mut().flatten().collect();
    rows.par_iter_mut()
        .try_for_each(|row| -> Result<(), Diagnostic> {
            let ctx = context! { a => Serde(&**row), root => "../" };
            let max = super::bounds::MAX_FRAGMENT_BYTES;
            row.html = super::bounds::render(env, input.theme, ACTION_ROW_TEMPLATE, ctx, max)?;
            Ok(())
        })?;
    let groups: Vec<OwnerGroup> = groups
        .into_iter()
        .map(|(owner, mut items)| {
            items.sort_by(|x, y| {
                rank(x)
                    .cmp(&rank(y))
                    .then(x.due.cmp(&y.due))
                    .then(x.title.cmp(&y.title))
            });
            let counts = a.actions.by_owner.get(&owner).map(ActionCountsView::from);
            let name = if owner.is_empty() {
                "No owner".to_owned()
            } else {
                owner
            };
            let anchor = format!("owner-{}", crate::content::slug::slugify(&name));
            // The rows' HTML moves into the page's values, uncopied.
            let items = items
                .into_iter()
                .map(|row| context! { html => Value::from_safe_string(row.html) })
                .collect();
            OwnerGroup {
                anchor,
                counts: counts.unwrap_or_else(|| (&ActionCounts::default()).into()),
                owner: name,
                items,
            }
        })
        .collect();
    Ok(
        context! { totals => Serde(ActionCountsView::from(&a.actions.total)), groups => Serde(groups) },
    )
}

/// The home page's numbers: headline numbers, time to resolve this quarter
/// against last, open and overdue actions.
pub fn home_numbers(input: &RenderInput<'_>, zone: &TimeZone) -> Value {
    let a = input.analysis;
    let this = Quarter::of(input.build_time, zone);
    let quarter = |q: Quarter| {
        let summary = a.quarter(q).map(|s| SummaryView::from(&s.summary));
        context! { label => q.label(), summary => Serde(summary) }
    };
    context! {
        summary => Serde(SummaryView::from(&a.summary)),
        this_quarter => quarter(this),
        last_quarter => quarter(this.previous()),
        actions => Serde(ActionCountsView::from(&a.actions.total)),
        home_chart => (!a.months.is_empty()).then(|| super::trend_charts::home(input)),
    }
}

/// `/trends/`: the charts, each with its numbers as a table.
pub fn trends(input: &RenderInput<'_>) -> Value {
    context! { charts => super::trend_charts::trends(input) }
}
