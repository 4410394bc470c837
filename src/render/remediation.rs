//! Fixes that did not hold, on the pages: the earlier incidents an
//! incident's page links to, a cause's pairs, and the pairs per quarter on
//! `/trends/`.

use minijinja::{Value, context};
use serde::Serialize;

use super::RenderInput;
use super::charts::{Bars, ChartOptions, Size, Unit};
use super::format;
use super::views::{IncidentRef, incident_ref};
use crate::analysis::periods::Quarter;
use crate::analysis::remediation::remediated_on;

/// A: an incident that happened again after its follow-ups were closed.
#[derive(Debug, Clone, Serialize)]
pub struct FixView {
    /// The earlier incident.
    pub first: IncidentRef,
    /// The later one.
    pub again: IncidentRef,
    /// The day the last of the first's done follow-ups was closed.
    pub closed: Option<String>,
    /// Whole days between their starts.
    pub days: i64,
}

fn fix(input: &RenderInput<'_>, a: usize, b: usize) -> FixView {
    let zone = input.config.time_zone();
    let (first, again) = (&input.incidents[a], &input.incidents[b]);
    FixView {
        first: incident_ref(first, zone),
        again: incident_ref(again, zone),
        closed: remediated_on(first).map(format::day),
        days: match (first.started, again.started) {
            (Some(x), Some(y)) => (y.as_second() - x.as_second()) / 86_400,
            _ => 0,
        },
    }
}

/// The earlier incidents incident `index` is a recurrence of.
pub fn of_incident(input: &RenderInput<'_>, index: usize) -> Vec<FixView> {
    input.analysis.insights.remediation.recurrence_of[index]
        .iter()
        .map(|&a| fix(input, a, index))
        .collect()
}

/// The pairs of cause number `cause`, newest first.
pub fn of_cause(input: &RenderInput<'_>, cause: usize) -> Vec<FixView> {
    input
        .analysis
        .insights
        .remediation
        .by_cause
        .get(cause)
        .map(|pairs| pairs.iter().rev().map(|&(a, b)| fix(input, a, b)).collect())
        .unwrap_or_default()
}

/// Pairs per quarter of the later incident's start, as a chart; none when
/// there are no pairs.
pub fn per_quarter_chart(input: &RenderInput<'_>) -> Option<Value> {
    let a = input.analysis;
    let pairs = &a.insights.remediation.pairs;
    if pairs.is_empty() {
        return None;
    }
    let zone = input.config.time_zone();
    let mut counts = vec![0.0; a.quarters.len()];
    for &(_, b) in pairs {
        let Some(started) = input.incidents[b].started else {
            continue;
        };
        let q = Quarter::of(started, zone);
        if let Ok(at) = a.quarters.binary_search_by(|s| s.quarter.cmp(&q)) {
            counts[at] += 1.0;
        }
    }
    let bars = Bars {
        category_name: "Quarter".into(),
        value_name: "Fixes that did not hold".into(),
        categories: a.quarters.iter().map(|q| q.quarter.label()).collect(),
        values: counts,
        unit: Unit::Count,
        links: Vec::new(),
        class: String::new(),
    };
    let chart = super::charts::bars(
        &ChartOptions {
            id: "trend-fixes",
            title: "Fixes that did not hold per quarter",
            size: Size::Wide,
        },
        &bars,
    );
    Some(context! { svg => chart.svg, table_html => chart.table_html })
}
