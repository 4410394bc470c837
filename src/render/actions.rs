//! `/actions/`: every follow-up of every incident for a weekly review. Open
//! items come first, overdue before the rest, then by due date (undated
//! last); done and won't-fix items follow, folded. A table gives each
//! owner's counts. Each row is rendered by the theme's partial in parallel
//! and carries its owner, priority and services for the page's filters.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use jiff::civil::Date;
use minijinja::value::Serde;
use minijinja::{Value, context};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rayon::prelude::*;
use serde::Serialize;

use super::page::{Page, PageCtx};
use super::views::{ActionCountsView, IncidentRef, incident_ref, term_links};
use crate::analysis::TermKind;
use crate::diagnostic::Diagnostic;
use crate::model::{ActionItem, ActionStatus, Incident};

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
    /// The display names of the incident's services, for the filter.
    services: Vec<String>,
    /// The row as the theme's `partials/action-row.html` renders it, made
    /// in parallel: `/actions/` of a large site has tens of thousands.
    html: String,
}

/// One owner's counts (no owner: "No owner").
#[derive(Debug, Clone, Serialize)]
struct OwnerCounts {
    owner: String,
    /// The query (`?owner=...`) of the filter that shows this owner's items.
    query: String,
    counts: ActionCountsView,
}

/// The theme's template for one row of `/actions/` (and of an incident's
/// action items).
const ACTION_ROW_TEMPLATE: &str = "partials/action-row.html";

/// The filter's value for items without an owner.
const NO_OWNER: &str = "none";

/// `/actions/`.
pub fn page(cx: &PageCtx<'_>) -> Result<Page, Diagnostic> {
    let input = cx.input;
    let a = input.analysis;
    let mut rows = all_rows(cx);
    rows.sort_by(review_order);
    rows.par_iter_mut()
        .try_for_each(|row| -> Result<(), Diagnostic> {
            let ctx = context! { a => Serde(&*row), root => "../" };
            row.html = cx.rows.render_partial(input, ACTION_ROW_TEMPLATE, ctx)?;
            Ok(())
        })?;
    let choices = context! {
        owners => distinct(rows.iter().filter_map(|r| r.owner.clone())),
        priorities => distinct(rows.iter().filter_map(|r| r.priority.clone())),
        services => distinct(rows.iter().flat_map(|r| r.services.clone())),
        unowned => rows.iter().any(|r| r.owner.is_none()),
    };
    let (open, closed): (Vec<ActionRow>, Vec<ActionRow>) = rows
        .into_iter()
        .partition(|r| r.status == ActionStatus::Open.as_str());
    let owners: Vec<OwnerCounts> = a
        .actions
        .by_owner
        .iter()
        .map(|(owner, counts)| OwnerCounts {
            owner: if owner.is_empty() {
                "No owner".to_owned()
            } else {
                owner.clone()
            },
            query: format!(
                "?owner={}",
                utf8_percent_encode(
                    if owner.is_empty() { NO_OWNER } else { owner },
                    NON_ALPHANUMERIC
                )
            ),
            counts: counts.into(),
        })
        .collect();
    Ok(Page {
        template: "actions.html",
        title: "Action items".to_owned(),
        description: None,
        view: context! {
            totals => Serde(ActionCountsView::from(&a.actions.total)),
            open => html_rows(open),
            closed => html_rows(closed),
            owners => Serde(by_workload(owners)),
            choices => choices,
            follow_through => super::followthrough::actions_page(input),
        },
    })
}

/// Every action item as a row, in the order of the incidents.
fn all_rows(cx: &PageCtx<'_>) -> Vec<ActionRow> {
    let today = cx.input.analysis.today;
    let zone = cx.input.config.time_zone();
    let mut rows = Vec::new();
    for incident in cx.input.incidents {
        let services: Vec<String> =
            term_links(&incident.services, cx.input.analysis, TermKind::Service)
                .into_iter()
                .map(|l| l.name)
                .collect();
        for action in &incident.actions {
            rows.push(action_row(action, incident, &services, zone, today));
        }
    }
    rows
}

/// `action` of `incident` as a row, overdue as of `today`.
fn action_row(
    action: &ActionItem,
    incident: &Incident,
    services: &[String],
    zone: &jiff::tz::TimeZone,
    today: Option<Date>,
) -> ActionRow {
    ActionRow {
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
        services: services.to_vec(),
        html: String::new(),
    }
}

/// The order of a weekly review: overdue, then open, then done, then won't
/// fix; open items by due date (undated last), closed ones most recently
/// closed first; then by title.
fn review_order(x: &ActionRow, y: &ActionRow) -> std::cmp::Ordering {
    let rank = |r: &ActionRow| match (r.overdue, r.status) {
        (true, _) => 0,
        (false, s) if s == ActionStatus::Open.as_str() => 1,
        (false, s) if s == ActionStatus::Done.as_str() => 2,
        _ => 3,
    };
    let due = |r: &ActionRow| (r.due.is_none(), r.due.clone());
    rank(x)
        .cmp(&rank(y))
        .then_with(|| due(x).cmp(&due(y)))
        .then_with(|| Reverse(&x.closed).cmp(&Reverse(&y.closed)))
        .then_with(|| x.title.cmp(&y.title))
}

/// Owners with the most overdue, then the most open items first.
fn by_workload(mut owners: Vec<OwnerCounts>) -> Vec<OwnerCounts> {
    owners.sort_by(|a, b| {
        (Reverse(a.counts.overdue), Reverse(a.counts.open), &a.owner).cmp(&(
            Reverse(b.counts.overdue),
            Reverse(b.counts.open),
            &b.owner,
        ))
    });
    owners
}

/// Each row's rendered HTML, moved into the page's values uncopied.
fn html_rows(rows: Vec<ActionRow>) -> Vec<Value> {
    rows.into_iter()
        .map(|row| Value::from_safe_string(row.html))
        .collect()
}

/// The distinct values of `names`, sorted.
fn distinct(names: impl Iterator<Item = String>) -> Vec<String> {
    names.collect::<BTreeSet<String>>().into_iter().collect()
}
