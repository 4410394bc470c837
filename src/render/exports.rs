//! `/incidents.json` and `/incidents.csv`: every incident's data and
//! computed numbers, for other tools (with `/services.json` and
//! `/actions.json` from [`review_exports`]). A public interface: field names and
//! meanings are documented in the README and must stay stable.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::RenderInput;
use super::format::{self, iso};
use super::review_exports;
use super::views::incident_path;
use crate::analysis::stats::Distribution;
use crate::model::Incident;

#[derive(Serialize)]
struct Export<'a> {
    generated: String,
    incidents: Vec<IncidentExport<'a>>,
    stats: Stats,
}

#[derive(Serialize)]
struct ActionExport<'a> {
    title: &'a str,
    owner: Option<&'a str>,
    status: &'static str,
    due: Option<String>,
    priority: Option<&'a str>,
}

#[derive(Serialize)]
struct IncidentExport<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    status: &'static str,
    severity: Option<&'a str>,
    services: Vec<String>,
    causes: Vec<String>,
    tags: Vec<String>,
    started: Option<String>,
    detected: Option<String>,
    acknowledged: Option<String>,
    mitigated: Option<String>,
    resolved: Option<String>,
    duration_s: Option<i64>,
    time_to_detect_s: Option<i64>,
    time_to_acknowledge_s: Option<i64>,
    time_to_mitigate_s: Option<i64>,
    time_to_resolve_s: Option<i64>,
    users_pct: Option<f64>,
    user_weighted_downtime_s: Option<i64>,
    recurrence_of: Vec<&'a str>,
    actions: Vec<ActionExport<'a>>,
}

#[derive(Serialize)]
struct DistributionExport {
    median: Option<i64>,
    p90: Option<i64>,
    max: Option<i64>,
    count: usize,
    missing: usize,
}

impl From<&Distribution> for DistributionExport {
    fn from(d: &Distribution) -> Self {
        DistributionExport {
            median: d.median,
            p90: d.p90,
            max: d.max,
            count: d.count,
            missing: d.missing,
        }
    }
}

#[derive(Serialize)]
struct TermExport {
    count: usize,
    downtime_s: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_weighted_downtime_s: Option<i64>,
}

#[derive(Serialize)]
struct ActionTotals {
    open: usize,
    done: usize,
    overdue: usize,
}

#[derive(Serialize)]
struct Stats {
    count: usize,
    total_downtime_s: i64,
    user_weighted_downtime_s: i64,
    share_unknown: usize,
    incident_seconds_sum: i64,
    time_to_resolve_s: DistributionExport,
    time_to_detect_s: DistributionExport,
    by_service: BTreeMap<String, TermExport>,
    by_cause: BTreeMap<String, TermExport>,
    actions: ActionTotals,
}

fn time(at: Option<Timestamp>) -> Option<String> {
    at.map(iso)
}

fn incident_export<'a>(
    input: &RenderInput<'a>,
    index: usize,
    i: &'a Incident,
) -> IncidentExport<'a> {
    let a = input.analysis;
    let slugs = |names: &[String], t: &crate::analysis::taxonomy::Taxonomy| {
        let mut out: Vec<String> = Vec::with_capacity(names.len());
        for n in names {
            let s = t.slug_of(n);
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    };
    let secs = |d: Option<jiff::SignedDuration>| d.map(|d| d.as_secs());
    IncidentExport {
        slug: &i.slug,
        url: format!("{}{}", input.base_url, incident_path(i)),
        title: &i.title,
        status: i.status.as_str(),
        severity: i.severity.as_deref(),
        services: slugs(&i.services, &a.services),
        causes: slugs(&i.causes, &a.causes),
        tags: slugs(&i.tags, &a.tags),
        started: time(i.started),
        detected: time(i.detected),
        acknowledged: time(i.acknowledged),
        mitigated: time(i.mitigated),
        resolved: time(i.resolved),
        duration_s: secs(i.duration()),
        time_to_detect_s: secs(i.time_to_detect()),
        time_to_acknowledge_s: secs(i.time_to_acknowledge()),
        time_to_mitigate_s: secs(i.time_to_mitigate()),
        time_to_resolve_s: secs(i.time_to_resolve()),
        users_pct: i.impact.users_pct,
        user_weighted_downtime_s: crate::analysis::impact::incident_weighted_s(i),
        recurrence_of: a.insights.remediation.recurrence_of[index]
            .iter()
            .map(|&r| input.incidents[r].slug.as_str())
            .collect(),
        actions: i
            .actions
            .iter()
            .map(|x| ActionExport {
                title: &x.title,
                owner: x.owner.as_deref(),
                status: x.status.as_str(),
                due: x.due.map(format::day),
                priority: x.priority.as_deref(),
            })
            .collect(),
    }
}

fn by_term(
    t: &crate::analysis::taxonomy::Taxonomy,
    stats: &[crate::analysis::TermStats],
    impact: &[crate::analysis::insights::Impact],
) -> BTreeMap<String, TermExport> {
    t.terms
        .iter()
        .zip(stats)
        .enumerate()
        .map(|(n, (term, s))| {
            (
                term.slug.clone(),
                TermExport {
                    count: term.incidents.len(),
                    downtime_s: s.summary.total_downtime_s,
                    user_weighted_downtime_s: impact.get(n).map(|i| i.weighted_downtime_s),
                },
            )
        })
        .collect()
}

/// The files [`each`] makes.
pub const NAMES: [&str; 4] = [
    "incidents.csv",
    "incidents.json",
    "services.json",
    "actions.json",
];

/// Makes `/incidents.csv` and `/incidents.json` (from one pass over the
/// incidents), `/services.json` and `/actions.json` one after another,
/// handing each to `emit` as soon as it is made: together they are 24 MB
/// at 10,000 postmortems, which need not be in memory at once.
pub fn each(input: &RenderInput<'_>, emit: &mut dyn FnMut(&'static str, Vec<u8>)) {
    let incidents = incident_exports(input);
    emit(NAMES[0], csv(&incidents));
    emit(NAMES[1], json(input, incidents));
    emit(NAMES[2], review_exports::services_json(input));
    emit(NAMES[3], review_exports::actions_json(input, today(input)));
}

/// The file of [`NAMES`] at `path` alone, as [`each`] makes it (for
/// `kb serve`, which renders what is asked for); `None` for another path.
pub fn one(input: &RenderInput<'_>, path: &str) -> Option<Vec<u8>> {
    Some(match NAMES.iter().position(|n| *n == path)? {
        0 => csv(&incident_exports(input)),
        1 => json(input, incident_exports(input)),
        2 => review_exports::services_json(input),
        _ => review_exports::actions_json(input, today(input)),
    })
}

/// Every incident as the exports give it.
fn incident_exports<'a>(input: &RenderInput<'a>) -> Vec<IncidentExport<'a>> {
    input
        .incidents
        .iter()
        .enumerate()
        .map(|(n, i)| incident_export(input, n, i))
        .collect()
}

/// The build's date in the site's zone, which overdue items are judged by.
fn today(input: &RenderInput<'_>) -> jiff::civil::Date {
    input
        .build_time
        .to_zoned_datetime(input.config.time_zone().clone())
        .date()
}

fn json(input: &RenderInput<'_>, incidents: Vec<IncidentExport<'_>>) -> Vec<u8> {
    let a = input.analysis;
    let export = Export {
        generated: iso(input.content_time()),
        incidents,
        stats: Stats {
            count: a.summary.count,
            total_downtime_s: a.summary.total_downtime_s,
            user_weighted_downtime_s: a.insights.impact.weighted_downtime_s,
            share_unknown: a.insights.impact.share_unknown,
            incident_seconds_sum: a.summary.incident_seconds_sum,
            time_to_resolve_s: (&a.summary.time_to_resolve).into(),
            time_to_detect_s: (&a.summary.time_to_detect).into(),
            by_service: by_term(&a.services, &a.service_stats, &a.insights.service_impact),
            by_cause: by_term(&a.causes, &a.cause_stats, &[]),
            actions: ActionTotals {
                open: a.actions.total.open,
                done: a.actions.total.done,
                overdue: a.actions.total.overdue,
            },
        },
    };
    serde_json::to_vec(&export).unwrap_or_default()
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 19] = [
    "slug",
    "url",
    "title",
    "status",
    "severity",
    "services",
    "causes",
    "tags",
    "started",
    "detected",
    "acknowledged",
    "mitigated",
    "resolved",
    "duration_s",
    "time_to_detect_s",
    "time_to_acknowledge_s",
    "time_to_mitigate_s",
    "time_to_resolve_s",
    "users_pct",
];

/// `/incidents.csv`: a row per incident with the scalar columns of the JSON
/// export; lists joined with `;`.
fn csv(incidents: &[IncidentExport<'_>]) -> Vec<u8> {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for e in incidents {
        let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        let cells = [
            e.slug.to_owned(),
            e.url.clone(),
            e.title.to_owned(),
            e.status.to_owned(),
            e.severity.unwrap_or_default().to_owned(),
            e.services.join(";"),
            e.causes.join(";"),
            e.tags.join(";"),
            e.started.clone().unwrap_or_default(),
            e.detected.clone().unwrap_or_default(),
            e.acknowledged.clone().unwrap_or_default(),
            e.mitigated.clone().unwrap_or_default(),
            e.resolved.clone().unwrap_or_default(),
            num(e.duration_s),
            num(e.time_to_detect_s),
            num(e.time_to_acknowledge_s),
            num(e.time_to_mitigate_s),
            num(e.time_to_resolve_s),
            e.users_pct.map(|p| p.to_string()).unwrap_or_default(),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// A CSV cell (RFC 4180): quoted when it holds a comma, quote or line end.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::site::{self, BuildOptions};

    /// An export made alone, as `kb serve` makes what is asked for, is the
    /// file the whole build writes.
    #[test]
    fn an_export_made_alone_is_the_one_the_build_makes() {
        let options = BuildOptions {
            drafts: false,
            base_url: None,
            build_time: jiff::Timestamp::UNIX_EPOCH,
            git: crate::git::log::GitHistory::Off,
        };
        let build = site::build(Path::new("tests/fixtures/basic"), &options);
        let site = build.site.expect("the fixture builds");
        let files = site.files().expect("every file renders");
        for name in super::NAMES {
            let alone = site.render_file(name).expect(name).expect(name);
            assert!(!alone.is_empty(), "{name}");
            assert_eq!(alone, files[name], "{name}");
        }
    }
}
