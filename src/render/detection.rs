//! How incidents are found, on `/trends/`: the share of each `detection`
//! value per quarter as a chart, and the time to detect per value.

use minijinja::{Value, context};
use serde::Serialize;

use super::RenderInput;
use super::charts::{BarSeries, ChartOptions, Size, StackedBars, Unit};
use super::format;

/// One detection value's time to detect, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct MethodView {
    pub name: String,
    pub count: usize,
    pub median: Option<String>,
    pub p90: Option<String>,
    /// Incidents without a known time to detect.
    pub missing: usize,
}

/// The detection block of `/trends/`; none when no incident says how it
/// was found.
pub fn trends(input: &RenderInput<'_>) -> Option<Value> {
    let a = input.analysis;
    let d = &a.insights.detection;
    if d.methods.is_empty() {
        return None;
    }
    let mut names: Vec<String> = d.methods.iter().map(|m| m.name.clone()).collect();
    names.push("Not stated".into());
    let shares: Vec<Vec<f64>> = a
        .quarters
        .iter()
        .map(|q| {
            let counts = d.per_quarter.get(&q.quarter);
            let total: usize = counts.map_or(0, |c| c.iter().sum());
            (0..names.len())
                .map(|k| match counts {
                    Some(c) if total > 0 => (1000.0 * c[k] as f64 / total as f64).round() / 10.0,
                    _ => 0.0,
                })
                .collect()
        })
        .collect();
    let series = names
        .iter()
        .enumerate()
        .filter(|&(k, _)| k < d.methods.len() || d.unstated > 0)
        .map(|(k, name)| BarSeries {
            name: name.clone(),
            class: String::new(),
            values: shares.iter().map(|s| s[k]).collect(),
        })
        .collect();
    let chart = super::charts::stacked_bars(
        &ChartOptions {
            id: "trend-detection",
            title: "How incidents were found, % of the quarter's incidents",
            size: Size::Wide,
        },
        &StackedBars {
            category_name: "Quarter".into(),
            categories: a.quarters.iter().map(|q| q.quarter.label()).collect(),
            series,
            unit: Unit::Count,
            links: Vec::new(),
            series_param: None,
        },
    );
    let methods: Vec<MethodView> = d
        .methods
        .iter()
        .map(|m| MethodView {
            name: m.name.clone(),
            count: m.count,
            median: m.time_to_detect.median.map(format::seconds),
            p90: m.time_to_detect.p90.map(format::seconds),
            missing: m.time_to_detect.missing,
        })
        .collect();
    Some(context! {
        chart => context! { svg => chart.svg, table_html => chart.table_html },
        methods => minijinja::value::Serde(methods),
        unstated => d.unstated,
    })
}
