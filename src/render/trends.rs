//! `/trends/`: the analysis' series as charts, each with its numbers as a
//! table, and the calendar of downtime; also the two small charts the home
//! page and a service's or cause's page show.

use minijinja::{Value, context};

use super::RenderInput;
use super::charts::{
    BarSeries, Bars, Bucket, Chart, ChartOptions, Histogram, LineSeries, Lines, RankedBars,
    RankedItem, Size, StackedBars, Unit,
};
use super::page::{Page, PageCtx};
use super::route::Route;
use crate::analysis::stats::{DURATION_BUCKETS, Distribution};
use crate::analysis::{Analysis, MonthStats, TermKind, TermStats};

/// `/trends/`.
pub fn page(cx: &PageCtx<'_>) -> Page {
    let all: Vec<usize> = (0..cx.input.incidents.len()).collect();
    let heatmap = super::diagram::history::downtime_heatmap(
        &cx.spans(&all),
        cx.input.config.time_zone(),
        "../",
    );
    Page {
        template: "trends.html",
        title: "Trends".to_owned(),
        description: None,
        view: context! {
            heatmap,
            charts => charts(cx.input),
            fixes_chart => super::remediation::per_quarter_chart(cx.input),
            detection => super::detection::trends(cx.input),
        },
    }
}

/// A chart as a template value: `svg` and `table_html`.
fn value(chart: Chart) -> Value {
    context! { svg => chart.svg, table_html => chart.table_html }
}

fn options<'a>(id: &'a str, title: &'a str, size: Size) -> ChartOptions<'a> {
    ChartOptions { id, title, size }
}

/// Links from each month to the list of incidents filtered to it (the
/// list's filter matches the rows' dates), for the months with any;
/// `root` leads to the site's root from the page.
fn month_links(
    months: &[MonthStats],
    root: &str,
    any: impl Fn(&MonthStats) -> bool,
) -> Vec<String> {
    months
        .iter()
        .map(|m| {
            if any(m) {
                format!("{root}incidents/?q={}", m.month.label())
            } else {
                String::new()
            }
        })
        .collect()
}

/// Incidents per month, stacked by severity, each month linked to its
/// incidents from a page `root` away from the site's root.
fn per_month(input: &RenderInput<'_>, months: &[MonthStats], id: &str, root: &str) -> Chart {
    let levels = &input.config.severities;
    let mut series: Vec<BarSeries> = levels
        .iter()
        .enumerate()
        .map(|(k, level)| BarSeries {
            name: level.clone(),
            class: super::views::severity_class(Some(level), levels).0,
            values: months.iter().map(|m| m.by_severity[k] as f64).collect(),
        })
        .collect();
    if months.iter().any(|m| m.by_severity[levels.len()] > 0) {
        series.push(BarSeries {
            name: "No severity".into(),
            class: "unknown".into(),
            values: months
                .iter()
                .map(|m| m.by_severity[levels.len()] as f64)
                .collect(),
        });
    }
    let data = StackedBars {
        category_name: "Month".into(),
        categories: months.iter().map(|m| m.month.label()).collect(),
        series,
        unit: Unit::Count,
        links: month_links(months, root, |m| m.by_severity.iter().any(|&n| n > 0)),
        series_param: Some("severity".into()),
    };
    super::charts::stacked_bars(
        &options(id, "Incidents per month by severity", Size::Full),
        &data,
    )
}

/// The ten terms of `kind` with the most incidents, or downtime.
fn ranked(analysis: &Analysis, kind: TermKind, by_downtime: bool) -> RankedBars {
    ranked_top(analysis, kind, by_downtime, 10)
}

/// The `most` terms of `kind` with the most incidents, or downtime.
fn ranked_top(analysis: &Analysis, kind: TermKind, by_downtime: bool, most: usize) -> RankedBars {
    let mut items: Vec<(f64, &str, String)> = analysis
        .terms(kind)
        .iter()
        .zip(analysis.term_stats(kind))
        .map(|(term, s)| {
            let value = if by_downtime {
                s.summary.total_downtime_s as f64
            } else {
                term.incidents.len() as f64
            };
            (
                value,
                term.name.as_str(),
                format!("../{}", Route::Term(kind, &term.slug).path()),
            )
        })
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    items.truncate(most);
    RankedBars {
        item_name: match kind {
            TermKind::Service => "Service",
            TermKind::Cause => "Cause",
            TermKind::Tag => "Tag",
            TermKind::Severity => "Severity",
            TermKind::Year => "Year",
        }
        .into(),
        value_name: if by_downtime { "Downtime" } else { "Incidents" }.into(),
        items: items
            .into_iter()
            .map(|(value, label, href)| RankedItem {
                label: label.to_owned(),
                href: Some(href),
                value,
            })
            .collect(),
        unit: if by_downtime {
            Unit::Seconds
        } else {
            Unit::Count
        },
    }
}

fn quarter_lines(
    input: &RenderInput<'_>,
    pick: impl Fn(&crate::analysis::stats::Summary) -> &Distribution,
) -> Lines {
    let quarters = &input.analysis.quarters;
    let series = |name: &str, f: &dyn Fn(&Distribution) -> Option<i64>| LineSeries {
        name: name.into(),
        class: String::new(),
        values: quarters
            .iter()
            .map(|q| f(pick(&q.summary)).map(|v| v as f64))
            .collect(),
    };
    Lines {
        category_name: "Quarter".into(),
        categories: quarters.iter().map(|q| q.quarter.label()).collect(),
        series: vec![series("Median", &|d| d.median), series("p90", &|d| d.p90)],
        unit: Unit::Seconds,
    }
}

/// Every chart of `/trends/`.
fn charts(input: &RenderInput<'_>) -> Value {
    let a = input.analysis;
    let downtime = Bars {
        category_name: "Month".into(),
        value_name: "Downtime".into(),
        categories: a.months.iter().map(|m| m.month.label()).collect(),
        values: a.months.iter().map(|m| m.downtime_s as f64).collect(),
        unit: Unit::Seconds,
        links: month_links(&a.months, "../", |m| m.downtime_s > 0),
        class: String::new(),
    };
    let histogram = Histogram {
        bucket_name: "Duration".into(),
        count_name: "Incidents".into(),
        buckets: DURATION_BUCKETS
            .iter()
            .zip(&a.histogram)
            .map(|((_, label), &count)| Bucket {
                label: (*label).to_owned(),
                count: count as u64,
            })
            .collect(),
    };
    let c = super::charts::ranked_bars;
    context! {
        per_month => value(per_month(input, &a.months, "trend-per-month", "../")),
        downtime => value(super::charts::bars(&options("trend-downtime", "Downtime per month", Size::Full), &downtime)),
        resolve => value(super::charts::lines(&options("trend-resolve", "Time to resolve per quarter", Size::Full), &quarter_lines(input, |s| &s.time_to_resolve))),
        detect => value(super::charts::lines(&options("trend-detect", "Time to detect per quarter", Size::Full), &quarter_lines(input, |s| &s.time_to_detect))),
        causes_count => value(c(&options("trend-causes", "Top causes by incidents", Size::Wide), &ranked(a, TermKind::Cause, false))),
        causes_downtime => value(c(&options("trend-causes-downtime", "Top causes by downtime", Size::Wide), &ranked(a, TermKind::Cause, true))),
        services_count => value(c(&options("trend-services", "Top services by incidents", Size::Wide), &ranked(a, TermKind::Service, false))),
        services_downtime => value(c(&options("trend-services-downtime", "Top services by downtime", Size::Wide), &ranked(a, TermKind::Service, true))),
        histogram => value(super::charts::histogram(&options("trend-durations", "Incidents by duration", Size::Wide), &histogram)),
    }
}

/// A service's or cause's incidents per quarter, small.
pub fn per_quarter_chart(input: &RenderInput<'_>, stats: &TermStats) -> Value {
    let data = Bars {
        category_name: "Quarter".into(),
        value_name: "Incidents".into(),
        categories: input
            .analysis
            .quarters
            .iter()
            .map(|q| q.quarter.label())
            .collect(),
        values: stats.per_quarter.iter().map(|&n| n as f64).collect(),
        unit: Unit::Count,
        links: Vec::new(),
        class: String::new(),
    };
    value(super::charts::bars(
        &options("term-per-quarter", "Incidents per quarter", Size::Full),
        &data,
    ))
}

/// The home page's services that hurt most: the five with the most downtime.
pub fn home_services(input: &RenderInput<'_>) -> Value {
    let data = ranked_top(input.analysis, TermKind::Service, true, 5);
    let data = RankedBars {
        items: data
            .items
            .into_iter()
            .filter(|i| i.value > 0.0)
            .map(|i| RankedItem {
                href: i.href.map(|h| h.trim_start_matches("../").to_owned()),
                ..i
            })
            .collect(),
        ..data
    };
    value(super::charts::ranked_bars(
        &options(
            "home-services",
            "Services by downtime, all time",
            Size::Wide,
        ),
        &data,
    ))
}

/// The home page's chart: incidents per month over the last year.
pub fn home_chart(input: &RenderInput<'_>) -> Value {
    let months = &input.analysis.months;
    let last_year = &months[months.len().saturating_sub(12)..];
    value(per_month(input, last_year, "home-per-month", ""))
}
