//! `/services.json` and `/actions.json`: the review numbers for other
//! tools (error budgets per window, every action item with when it was
//! closed). Public interfaces like `/incidents.json`: fields documented in
//! the README, only ever added.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::RenderInput;
use super::format::{self, iso};
use crate::analysis::budget::WindowBudget;
use crate::analysis::followthrough::time_to_close_s;
use crate::analysis::insights::Impact;
use crate::analysis::taxonomy::Term;
use crate::analysis::{TermKind, TermStats};
use crate::config::{SloBasis, SloWindow};
use crate::model::ActionItem;

#[derive(Serialize)]
struct ServicesExport<'a> {
    /// The build's date in the site's zone: the figures are as of it.
    generated: String,
    services: Vec<ServiceExport<'a>>,
}

#[derive(Serialize)]
struct ServiceExport<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    slo: Option<f64>,
    slo_window: Option<&'static str>,
    slo_basis: Option<&'static str>,
    count: usize,
    downtime_s: i64,
    user_weighted_downtime_s: i64,
    share_unknown: usize,
    time_between_s: GapsExport,
    days_since_last: Option<i64>,
    windows: Vec<WindowExport>,
}

#[derive(Serialize)]
struct GapsExport {
    median: Option<i64>,
    p90: Option<i64>,
    count: usize,
}

#[derive(Serialize)]
struct WindowExport {
    period: String,
    start: Option<String>,
    end: Option<String>,
    downtime_s: i64,
    user_weighted_downtime_s: i64,
    availability: f64,
    budget_s: Option<i64>,
    budget_used_s: Option<i64>,
    budget_remaining_s: Option<i64>,
    budget_remaining_pct: Option<f64>,
    over_budget: Option<bool>,
}

fn instant(seconds: i64) -> Option<String> {
    jiff::Timestamp::from_second(seconds).ok().map(iso)
}

fn budget_window(w: &WindowBudget) -> WindowExport {
    WindowExport {
        period: w.window.label.clone(),
        start: instant(w.window.start),
        end: instant(w.window.end),
        downtime_s: w.downtime_s,
        user_weighted_downtime_s: w.user_weighted_downtime_s,
        availability: w.availability,
        budget_s: Some(w.budget_s.round() as i64),
        budget_used_s: Some(w.used_s.round() as i64),
        budget_remaining_s: Some(w.remaining_s().round() as i64),
        budget_remaining_pct: Some((w.remaining_pct() * 100.0).round() / 100.0),
        over_budget: Some(w.overspent()),
    }
}

/// The quarters of a service without an SLO: downtime and availability,
/// no budget.
fn quarter_windows(stats: &TermStats, impact: &Impact, zone: &TimeZone) -> Vec<WindowExport> {
    stats
        .quarters
        .iter()
        .map(|(q, a)| {
            let bounds = q.bounds(zone);
            WindowExport {
                period: q.label(),
                start: bounds.and_then(|(s, _)| instant(s)),
                end: bounds.and_then(|(_, e)| instant(e)),
                downtime_s: a.downtime_s,
                user_weighted_downtime_s: bounds.map_or(0, |(s, e)| {
                    crate::analysis::impact::whole_seconds(impact.union.length_within(s, e))
                }),
                availability: a.availability,
                budget_s: None,
                budget_used_s: None,
                budget_remaining_s: None,
                budget_remaining_pct: None,
                over_budget: None,
            }
        })
        .collect()
}

/// `/services.json`: every service with its SLO and, per window of it
/// (quarters without one), downtime, user-weighted downtime, availability
/// and the error budget.
pub fn services_json(input: &RenderInput<'_>) -> Vec<u8> {
    let a = input.analysis;
    let zone = input.config.time_zone();
    let services = a
        .services
        .terms
        .iter()
        .enumerate()
        .map(|(n, term)| service(input, n, term, zone))
        .collect();
    let export = ServicesExport {
        generated: input.today().to_string(),
        services,
    };
    serde_json::to_vec(&export).unwrap_or_default()
}

fn service<'a>(
    input: &RenderInput<'a>,
    n: usize,
    term: &'a Term,
    zone: &TimeZone,
) -> ServiceExport<'a> {
    let a = input.analysis;
    let insights = &a.insights;
    let impact = &insights.service_impact[n];
    let stats = &a.service_stats[n];
    let budget = insights.service_budgets[n].as_ref();
    ServiceExport {
        slug: &term.slug,
        name: &term.name,
        url: format!(
            "{}{}",
            input.base_url,
            super::route::Route::Term(TermKind::Service, &term.slug).path()
        ),
        slo: budget.map(|b| b.slo.target),
        slo_window: budget.map(|b| match b.slo.window {
            SloWindow::Quarter => "quarter",
            SloWindow::Month => "month",
            SloWindow::Rolling30d => "30d",
        }),
        slo_basis: budget.map(|b| match b.slo.basis {
            SloBasis::Time => "time",
            SloBasis::Users => "users",
        }),
        count: term.incidents.len(),
        downtime_s: stats.summary.total_downtime_s,
        user_weighted_downtime_s: impact.weighted_downtime_s,
        share_unknown: impact.share_unknown,
        time_between_s: GapsExport {
            median: insights.service_gaps[n].median,
            p90: insights.service_gaps[n].p90,
            count: insights.service_gaps[n].count,
        },
        days_since_last: insights.service_gaps[n].days_since_last,
        windows: match budget {
            Some(b) => b.windows.iter().map(budget_window).collect(),
            None => quarter_windows(stats, impact, zone),
        },
    }
}

#[derive(Serialize)]
struct ActionsExport<'a> {
    generated: String,
    actions: Vec<ActionExport<'a>>,
}

#[derive(Serialize)]
struct ActionExport<'a> {
    title: &'a str,
    incident: &'a str,
    owner: Option<&'a str>,
    team: Option<&'a str>,
    status: &'static str,
    priority: Option<&'a str>,
    due: Option<String>,
    closed: Option<String>,
    time_to_close_s: Option<i64>,
    closed_by_due: Option<bool>,
    overdue: bool,
}

/// Closed on or before its due date; unknown without both.
pub fn closed_by_due(action: &ActionItem) -> Option<bool> {
    Some(action.closed? <= action.due?)
}

/// `/actions.json`: every action item of every incident, in the order of
/// the incidents and of their postmortems.
pub fn actions_json(input: &RenderInput<'_>, today: Date) -> Vec<u8> {
    let zone = input.config.time_zone();
    let actions = input
        .incidents
        .iter()
        .flat_map(|i| {
            i.actions.iter().map(move |x| ActionExport {
                title: &x.title,
                incident: &i.slug,
                owner: x.owner.as_deref(),
                team: input.config.team_of(x),
                status: x.status.as_str(),
                priority: x.priority.as_deref(),
                due: x.due.map(format::day),
                closed: x.closed.map(format::day),
                time_to_close_s: time_to_close_s(i, x, zone),
                closed_by_due: closed_by_due(x),
                overdue: x.is_overdue(today),
            })
        })
        .collect();
    // Overdue depends on the date, not the time: the newest moment the
    // postmortems state, as in incidents.json, keeps the file as it was
    // from one build to the next.
    let export = ActionsExport {
        generated: iso(input.content_time()),
        actions,
    };
    serde_json::to_vec(&export).unwrap_or_default()
}
