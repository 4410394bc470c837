//! `/actions/`: every follow-up of every incident, grouped by owner, open
//! and overdue first, each row rendered by the theme's partial in parallel.

use std::collections::BTreeMap;

use jiff::civil::Date;
use minijinja::value::Serde;
use minijinja::{Value, context};
use rayon::prelude::*;
use serde::Serialize;

use super::page::{Page, PageCtx};
use super::views::{ActionCountsView, IncidentRef, incident_ref};
use crate::analysis::actions::ActionCounts;
use crate::content::slug::slugify;
use crate::diagnostic::Diagnostic;
use crate::model::{ActionItem, ActionStatus};

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

/// `/actions/`.
pub fn page(cx: &PageCtx<'_>) -> Result<Page, Diagnostic> {
    let input = cx.input;
    let a = input.analysis;
    let mut groups = by_owner(cx);
    let mut rows: Vec<&mut ActionRow> = groups.values_mut().flatten().collect();
    rows.par_iter_mut()
        .try_for_each(|row| -> Result<(), Diagnostic> {
            let ctx = context! { a => Serde(&**row), root => "../" };
            row.html = cx.rows.render_partial(input, ACTION_ROW_TEMPLATE, ctx)?;
            Ok(())
        })?;
    let groups: Vec<OwnerGroup> = groups
        .into_iter()
        .map(|(owner, items)| owner_group(cx, owner, items))
        .collect();
    Ok(Page {
        template: "actions.html",
        title: "Action items".to_owned(),
        description: None,
        view: context! {
            totals => Serde(ActionCountsView::from(&a.actions.total)),
            groups => Serde(groups),
            follow_through => super::followthrough::actions_page(input),
        },
    })
}

/// Every action item as a row, by owner (no owner: the empty name).
fn by_owner(cx: &PageCtx<'_>) -> BTreeMap<String, Vec<ActionRow>> {
    let today = cx.input.analysis.today;
    let zone = cx.input.config.time_zone();
    let mut groups: BTreeMap<String, Vec<ActionRow>> = BTreeMap::new();
    for incident in cx.input.incidents {
        for action in &incident.actions {
            let owner = action.owner.clone().unwrap_or_default();
            let incident = incident_ref(incident, zone);
            groups
                .entry(owner)
                .or_default()
                .push(action_row(action, incident, today));
        }
    }
    groups
}

/// `action` of `incident` as a row, overdue as of `today`.
fn action_row(action: &ActionItem, incident: IncidentRef, today: Option<Date>) -> ActionRow {
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
        incident,
        html: String::new(),
    }
}

/// Where a row goes in its owner's list: overdue, open, done, won't fix.
fn rank(r: &ActionRow) -> u8 {
    match (r.overdue, r.status) {
        (true, _) => 0,
        (false, s) if s == ActionStatus::Open.as_str() => 1,
        (false, s) if s == ActionStatus::Done.as_str() => 2,
        _ => 3,
    }
}

/// The rows of `owner`, rendered, sorted, with the owner's counts.
fn owner_group(cx: &PageCtx<'_>, owner: String, mut items: Vec<ActionRow>) -> OwnerGroup {
    let a = cx.input.analysis;
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
    let anchor = format!("owner-{}", slugify(&name));
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
}
