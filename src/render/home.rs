//! The home page (`/`): headline numbers, this quarter against last (a
//! quiet quarter says so), open and overdue actions, incidents per month
//! over the last year, the services that hurt most and the latest
//! incidents.

use minijinja::context;
use minijinja::value::Serde;

use super::page::{Page, PageCtx};
use super::trends;
use super::views::{self, ActionCountsView, SummaryView};
use super::{budgets, format};
use crate::analysis::periods::Quarter;
use crate::diagnostic::Diagnostic;

/// How many of the newest incidents the home page lists.
const LATEST: usize = 10;

/// The home page.
pub fn page(cx: &PageCtx<'_>) -> Result<Page, Diagnostic> {
    let input = cx.input;
    let a = input.analysis;
    let s = &a.summary;
    let n = input.incidents.len();
    let newest: Vec<usize> = (n.saturating_sub(LATEST)..n).collect();
    let this = Quarter::of(input.build_time, input.config.time_zone());
    let quarter = |q: Quarter| {
        let summary = a.quarter(q).map(|s| SummaryView::from(&s.summary));
        let count = summary.as_ref().map_or(0, |s| s.count);
        let resolved = summary.as_ref().map_or(0, |s| s.time_to_resolve.count);
        context! { label => q.label(), count, resolved, summary => Serde(summary) }
    };
    let view = context! {
        stats => context! {
            count => s.count,
            total_downtime => format::seconds(s.total_downtime_s),
            incident_hours => format::hours(s.incident_seconds_sum),
            median_ttr => s.time_to_resolve.median.map(format::seconds),
            p90_ttr => s.time_to_resolve.p90.map(format::seconds),
            ttr_count => s.time_to_resolve.count,
            ttr_missing => s.time_to_resolve.missing,
        },
        overspent => Serde(budgets::overspent_this_quarter(input)),
        impact => Serde(views::impact_view(&a.insights.impact)),
        latest => cx.rows_of(&newest)?,
        summary => Serde(SummaryView::from(&a.summary)),
        this_quarter => quarter(this),
        last_quarter => quarter(this.previous()),
        actions => Serde(ActionCountsView::from(&a.actions.total)),
        home_chart => (!a.months.is_empty()).then(|| trends::home_chart(input)),
        home_services => (s.total_downtime_s > 0).then(|| trends::home_services(input)),
    };
    Ok(Page {
        template: "index.html",
        title: input.config.title.clone(),
        description: None,
        view,
    })
}
