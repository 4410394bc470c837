//! Error budgets on the pages, formatted: a service's budget per window
//! (table and chart) for its page, which services are over budget in this
//! window and the last for `/services/`, and which overspent this quarter
//! for the home page.

use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::RenderInput;
use super::charts::{Bars, ChartOptions, Size, Unit};
use super::format;
use super::route::Route;
use super::views::TermLink;
use crate::analysis::budget::{ServiceBudget, WindowBudget};
use crate::analysis::periods::Quarter;
use crate::analysis::{Analysis, TermKind};
use crate::config::{SloBasis, SloWindow};

/// One window's budget, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct WindowView {
    pub label: String,
    pub downtime: String,
    pub weighted: String,
    pub budget: String,
    pub used: String,
    /// `226.4 %`.
    pub used_pct: String,
    /// `-2 h 48 min`, negative when overspent.
    pub remaining: String,
    pub remaining_pct: String,
    pub overspent: bool,
}

fn window_view(w: &WindowBudget) -> WindowView {
    WindowView {
        label: w.window.label.clone(),
        downtime: format::seconds(w.downtime_s),
        weighted: format::seconds(w.user_weighted_downtime_s),
        budget: format::seconds(w.budget_s.round() as i64),
        used: format::seconds(w.used_s.round() as i64),
        used_pct: percent(w.used_pct()),
        remaining: format::seconds(w.remaining_s().round() as i64),
        remaining_pct: percent(w.remaining_pct()),
        overspent: w.overspent(),
    }
}

/// `99.9 %`, `-126.4 %`; a percentage to one decimal.
fn percent(p: f64) -> String {
    format!("{p:.1} %")
}

/// The SLO in words: target, window, basis.
#[derive(Debug, Clone, Serialize)]
pub struct SloView {
    /// `99.9 %`.
    pub target: String,
    /// `quarter`, `month`, `30 days`.
    pub window: &'static str,
    /// `downtime` or `user-weighted downtime`.
    pub basis: &'static str,
}

fn slo_view(b: &ServiceBudget) -> SloView {
    SloView {
        target: format!("{} %", b.slo.target),
        window: match b.slo.window {
            SloWindow::Quarter => "quarter",
            SloWindow::Month => "month",
            SloWindow::Rolling30d => "30 days",
        },
        basis: match b.slo.basis {
            SloBasis::Time => "downtime",
            SloBasis::Users => "user-weighted downtime",
        },
    }
}

/// A service page's error budget: its SLO, every window newest first, and
/// a chart of the share of the budget used per window.
pub fn service(budget: &ServiceBudget) -> Value {
    let bars = Bars {
        category_name: "Window".into(),
        value_name: "Budget used, %".into(),
        categories: budget
            .windows
            .iter()
            .map(|w| w.window.label.clone())
            .collect(),
        values: budget
            .windows
            .iter()
            .map(|w| (w.used_pct() * 10.0).round() / 10.0)
            .collect(),
        unit: Unit::Count,
        links: Vec::new(),
        class: String::new(),
    };
    let chart = super::charts::bars(
        &ChartOptions {
            id: "term-budget",
            title: "Error budget used per window, % (100 = all of it)",
            size: Size::Small,
        },
        &bars,
    );
    minijinja::context! {
        slo => Serde(slo_view(budget)),
        windows => Serde(budget.windows.iter().rev().map(window_view).collect::<Vec<_>>()),
        chart => minijinja::context! { svg => chart.svg, table_html => chart.table_html },
    }
}

/// One service of `/services/` with an SLO: this window and the last.
#[derive(Debug, Clone, Serialize)]
pub struct IndexRow {
    pub name: String,
    pub path: String,
    pub slo: SloView,
    pub current: Option<WindowView>,
    pub previous: Option<WindowView>,
}

/// Every service with an SLO, with this window and the last, for
/// `/services/`; empty when no service has one.
pub fn index(analysis: &Analysis) -> Vec<IndexRow> {
    analysis
        .services
        .terms
        .iter()
        .zip(&analysis.insights.service_budgets)
        .filter_map(|(term, b)| {
            let b = b.as_ref()?;
            Some(IndexRow {
                name: term.name.clone(),
                path: Route::Term(TermKind::Service, &term.slug).path(),
                slo: slo_view(b),
                current: b.current().map(window_view),
                previous: b.previous().map(window_view),
            })
        })
        .collect()
}

/// The services with a window of their SLO that overlaps the build's
/// quarter and was overspent, for the home page.
pub fn overspent_this_quarter(input: &RenderInput<'_>) -> Vec<TermLink> {
    let zone = input.config.time_zone();
    let Some((from, to)) = Quarter::of(input.build_time, zone).bounds(zone) else {
        return Vec::new();
    };
    let a = input.analysis;
    a.services
        .terms
        .iter()
        .zip(&a.insights.service_budgets)
        .filter(|(_, b)| b.as_ref().is_some_and(|b| b.overspent_within(from, to)))
        .map(|(term, _)| TermLink {
            name: term.name.clone(),
            path: Route::Term(TermKind::Service, &term.slug).path(),
        })
        .collect()
}
