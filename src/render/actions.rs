//! `/actions/`: every follow-up of every incident for a weekly review. Open
//! items come first, overdue before the rest, then by due date (undated
//! last); done and won't-fix items follow, folded. A table gives each
//! owner's counts. Each row is rendered by the theme's partial in parallel
//! and carries its owner, team, priority and services for the page's filters.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use jiff::civil::Date;
use minijinja::value::Serde;
use minijinja::{Value, context};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rayon::prelude::*;
use serde::Serialize;

use super::format;
use super::page::{Page, PageCtx};
use super::pager;
use super::route::Paginated;
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
    /// The item's team, or its owner's in `[owners]`.
    team: Option<String>,
    status: &'static str,
    due: Option<String>,
    closed: Option<String>,
    priority: Option<String>,
    overdue: bool,
    incident: IncidentRef,
    /// The display names of the incident's services, for the filter.
    services: Vec<String>,
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

/// The filter's value for items without an owner (or a team).
const NO_OWNER: &str = "none";

/// Every action item in review order, with the filters' choices: what
/// every page of `/actions/` reads, made once.
pub struct Tracker {
    /// Every item as its incident's number and its own among the
    /// incident's: a page makes the rows of its own items only (the rows
    /// of all 40,000 items of a 10,000-postmortem site, kept for all the
    /// pages, took 20 MB).
    order: Vec<(usize, usize)>,
    /// How many of `order` (the first) are open.
    open: usize,
    choices: Value,
}

/// The action items of the site, for the pages of `/actions/`.
pub fn tracker(cx: &PageCtx<'_>) -> Tracker {
    let input = cx.input;
    let today = input.analysis.today;
    let mut keys: Vec<ReviewKey<'_>> = Vec::new();
    let mut owners: BTreeSet<&str> = BTreeSet::new();
    let mut teams: BTreeSet<&str> = BTreeSet::new();
    let mut priorities: BTreeSet<&str> = BTreeSet::new();
    let mut services: BTreeSet<String> = BTreeSet::new();
    let (mut teamless, mut unowned) = (false, false);
    for (i, incident) in input.incidents.iter().enumerate() {
        if incident.actions.is_empty() {
            continue;
        }
        services.extend(service_names(cx, incident));
        for (j, action) in incident.actions.iter().enumerate() {
            let team = input.config.team_of(action);
            owners.extend(action.owner.as_deref());
            teams.extend(team);
            priorities.extend(action.priority.as_deref());
            unowned |= action.owner.is_none();
            teamless |= team.is_none();
            keys.push(ReviewKey::of((i, j), action, today));
        }
    }
    // Small keys are sorted, not whole rows: moving rows, and cloning
    // their due dates at each comparison, was most of the time here.
    keys.sort_by(review_order);
    let choices = context! {
        owners => owned(owners),
        teams => owned(teams),
        teamless,
        priorities => owned(priorities),
        services => Vec::from_iter(services),
        unowned,
    };
    let open = keys
        .iter()
        .take_while(|k| k.action.status == ActionStatus::Open)
        .count();
    Tracker {
        order: keys.iter().map(|k| k.at).collect(),
        open,
        choices,
    }
}

/// Page `n` of `/actions/`: a page's worth of `tracker`'s rows, open ones
/// and closed ones apart, with the filters; the counts, the owners'
/// table and the follow-through only on the first page.
pub fn page(cx: &PageCtx<'_>, tracker: &Tracker, n: usize) -> Result<Page, Diagnostic> {
    let input = cx.input;
    let a = input.analysis;
    let total = tracker.order.len();
    let shown = pager::range(total, pager::ACTION_ROWS, n);
    let split = tracker.open.clamp(shown.start, shown.end);
    let root = Paginated::Actions.nth(n).root();
    let html = |items: &[(usize, usize)]| -> Result<Vec<Value>, Diagnostic> {
        items
            .par_iter()
            .take(cx.most)
            .map(|&(i, j)| {
                let row = numbered_row(cx, i, j);
                let ctx = context! { a => Serde(row), root => &root };
                cx.rows
                    .render_partial(input, ACTION_ROW_TEMPLATE, ctx)
                    .map(Value::from_safe_string)
            })
            .collect()
    };
    let open = html(&tracker.order[shown.start..split])?;
    let closed = html(&tracker.order[split..shown.end])?;
    let pager = pager::pager(Paginated::Actions, total, pager::ACTION_ROWS, n);
    let title = super::list::paged_title("Action items", pager.as_ref(), n);
    let first = n == 1;
    Ok(Page {
        template: "actions.html",
        title,
        description: None,
        view: context! {
            totals => Serde(ActionCountsView::from(&a.actions.total)),
            open,
            closed,
            // Whether the whole list has open or closed items: the table
            // of each is there (empty, hidden) on a page without any, for
            // the rows of the others pages that kb.js brings in.
            any_open => tracker.open > 0,
            any_closed => tracker.open < total,
            owners => Serde(if first { by_workload(owner_counts(cx)) } else { Vec::new() }),
            choices => &tracker.choices,
            follow_through => if first { super::followthrough::actions_page(input) } else { None },
            first,
            pager => pager.map(Serde),
        },
    })
}

/// Item `j` of incident `i` as a row.
fn numbered_row(cx: &PageCtx<'_>, i: usize, j: usize) -> ActionRow {
    let incident = &cx.input.incidents[i];
    item_row(cx, incident, j, &service_names(cx, incident))
}

/// The display names of `incident`'s services.
fn service_names(cx: &PageCtx<'_>, incident: &Incident) -> Vec<String> {
    term_links(&incident.services, cx.input.analysis, TermKind::Service)
        .into_iter()
        .map(|l| l.name)
        .collect()
}

/// Item `j` of `incident` (whose services are `services`) as a row.
fn item_row(cx: &PageCtx<'_>, incident: &Incident, j: usize, services: &[String]) -> ActionRow {
    let action = &incident.actions[j];
    let team = cx.input.config.team_of(action);
    let zone = cx.input.config.time_zone();
    action_row(
        action,
        team,
        incident,
        services,
        zone,
        cx.input.analysis.today,
    )
}

/// `action` of `incident` (of `team`) as a row, overdue as of `today`.
fn action_row(
    action: &ActionItem,
    team: Option<&str>,
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
        team: team.map(str::to_owned),
        status: action.status.as_str(),
        due: action.due.map(format::day),
        closed: action.closed.map(format::day),
        priority: action.priority.clone(),
        overdue: today.is_some_and(|t| action.is_overdue(t)),
        incident: incident_ref(incident, zone),
        services: services.to_vec(),
    }
}

/// What the review order reads of action item `at` (its incident's
/// number and its own), as the item's row shows it.
struct ReviewKey<'a> {
    at: (usize, usize),
    action: &'a ActionItem,
    overdue: bool,
}

impl<'a> ReviewKey<'a> {
    /// The key of `action`, item `at`, overdue as of `today`.
    fn of(at: (usize, usize), action: &'a ActionItem, today: Option<Date>) -> ReviewKey<'a> {
        ReviewKey {
            at,
            action,
            overdue: today.is_some_and(|t| action.is_overdue(t)),
        }
    }
}

/// The order of a weekly review: overdue, then open, then done, then won't
/// fix; open items by due date (undated last), closed ones most recently
/// closed first; then by title.
fn review_order(x: &ReviewKey<'_>, y: &ReviewKey<'_>) -> std::cmp::Ordering {
    let rank = |k: &ReviewKey<'_>| match (k.overdue, k.action.status) {
        (true, _) => 0,
        (false, ActionStatus::Open) => 1,
        (false, ActionStatus::Done) => 2,
        _ => 3,
    };
    let due = |k: &ReviewKey<'_>| (k.action.due.is_none(), k.action.due);
    rank(x)
        .cmp(&rank(y))
        .then_with(|| due(x).cmp(&due(y)))
        .then_with(|| Reverse(x.action.closed).cmp(&Reverse(y.action.closed)))
        .then_with(|| x.action.title.cmp(&y.action.title))
}

/// Each owner's counts (no owner: "No owner"), with the query of the
/// filter that shows their items.
fn owner_counts(cx: &PageCtx<'_>) -> Vec<OwnerCounts> {
    cx.input
        .analysis
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
        .collect()
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

/// The names of `set`, in its order, as owned strings.
fn owned(set: BTreeSet<&str>) -> Vec<String> {
    set.into_iter().map(str::to_owned).collect()
}
