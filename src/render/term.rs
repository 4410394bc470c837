//! The page of one service or cause (`/services/NAME/`, `/causes/NAME/`):
//! its numbers, availability per quarter, recurrences, the other kind's
//! terms among its incidents, its incidents; and the index of all services
//! or causes with their numbers.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::tz::TimeZone;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

use super::page::{Page, PageCtx};
use super::route::{Paginated, Route};
use super::rows::ItemTerms;
use super::views::{self, IncidentRef, SummaryView, incident_ref};
use super::{budgets, diagram, format, pager, trends};
use crate::analysis::stats::PeriodAvailability;
use crate::analysis::taxonomy::Term;
use crate::analysis::{Analysis, TermKind, TermStats};
use crate::content::slug::slugify;
use crate::diagnostic::Diagnostic;
use crate::model::Incident;

/// At most how many causes a service's page names (services a cause's
/// page names); the rest are counted.
const RELATED_TERMS: usize = 24;

/// At most how many recurrences a service's or cause's page lists, the
/// most recent; the rest are counted. At 10,000 postmortems nearly every
/// incident of a service comes within 90 days of the one before: the list
/// of them all was 300 kB of each service's page.
const RECURRENCES_SHOWN: usize = 50;

/// The page of term number `index` of `kind` (a service or a cause).
pub fn page(cx: &PageCtx<'_>, kind: TermKind, index: usize) -> Result<Page, Diagnostic> {
    let input = cx.input;
    let a = input.analysis;
    let term = &a.terms(kind)[index];
    let stats = &a.term_stats(kind)[index];
    let numbers = term_numbers(stats, input.incidents, input.config.time_zone());
    let (title, related_heading, other) = match kind {
        TermKind::Service => (format!("Service: {}", term.name), "Causes", TermKind::Cause),
        TermKind::Cause => (
            format!("Cause: {}", term.name),
            "Services hit",
            TermKind::Service,
        ),
        TermKind::Tag | TermKind::Severity | TermKind::Year => {
            (term.name.clone(), "Services", TermKind::Service)
        }
    };
    // Only a service's page draws its incidents over time.
    let service_diagram = match kind {
        TermKind::Service => diagram::history::service_lanes(
            &cx.spans(&term.incidents),
            input.config.time_zone(),
            "../../",
        ),
        TermKind::Cause | TermKind::Tag | TermKind::Severity | TermKind::Year => None,
    };
    let (related, related_more) = related_terms(cx, term, other);
    // The first page of the list: its newest incidents; the summary above
    // it counts them all.
    let first_page = pager::term_items(&term.incidents, 1);
    let view = context! {
        heading => &title,
        name => &term.name,
        kind => kind.noun(),
        registry => registry(cx, kind, term),
        numbers => Serde(numbers),
        related,
        related_more,
        related_heading,
        rows => cx.items_of(first_page, ItemTerms::of_list(kind))?,
        total => term.incidents.len(),
        pager => pager::pager(Paginated::Term(kind, &term.slug), term.incidents.len(), pager::TERM_ITEMS, 1).map(Serde),
        chart => trends::per_quarter_chart(input, stats),
        service_diagram,
        budget => match kind {
            TermKind::Service => a.insights.service_budgets.get(index).and_then(Option::as_ref).map(budgets::service),
            TermKind::Cause | TermKind::Tag | TermKind::Severity | TermKind::Year => None,
        },
        fixes => match kind {
            TermKind::Cause => Serde(super::remediation::of_cause(input, index)),
            TermKind::Service | TermKind::Tag | TermKind::Severity | TermKind::Year => Serde(Vec::new()),
        },
        gaps => match kind {
            TermKind::Service => a.insights.service_gaps.get(index).map(|g| context! {
                median => g.median.map(format::seconds),
                p90 => g.p90.map(format::seconds),
                count => g.count,
                since_last => g.days_since_last,
            }),
            TermKind::Cause | TermKind::Tag | TermKind::Severity | TermKind::Year => None,
        },
        impact => match kind {
            TermKind::Service => a.insights.service_impact.get(index).map(|i| Serde(views::impact_view(i))),
            TermKind::Cause | TermKind::Tag | TermKind::Severity | TermKind::Year => None,
        },
    };
    Ok(Page {
        template: "term.html",
        title,
        description: None,
        view,
    })
}

/// The [`RELATED_TERMS`] most frequent terms of `other` among `term`'s
/// incidents, most frequent first, and how many more there are.
fn related_terms(cx: &PageCtx<'_>, term: &Term, other: TermKind) -> (Vec<Value>, usize) {
    let a = cx.input.analysis;
    let Some(taxonomy) = a.taxonomy(other) else {
        return (Vec::new(), 0);
    };
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in &term.incidents {
        let names = other.names_in(&cx.input.incidents[i]);
        let mut seen: Vec<usize> = names.iter().filter_map(|n| taxonomy.index_of(n)).collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut related: Vec<(usize, usize)> = counts.into_iter().collect();
    related.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    // The most frequent only: each page listing every other term would
    // grow with the square of the terms an incident names.
    let more = related.len().saturating_sub(RELATED_TERMS);
    related.truncate(RELATED_TERMS);
    let related = related
        .into_iter()
        .map(|(t, n)| {
            let term = &taxonomy.terms[t];
            context! { name => &term.name, path => Route::Term(other, &term.slug).path(), count => n }
        })
        .collect();
    (related, more)
}

/// The registry entry of site.toml for `term`, when there is one.
fn registry(cx: &PageCtx<'_>, kind: TermKind, term: &Term) -> Option<Value> {
    let config = cx.input.config;
    match kind {
        TermKind::Service => config
            .services
            .iter()
            .find(|(k, _)| slugify(k) == term.slug)
            .map(|(_, s)| {
                let tier = s.tier.as_ref().map(ToString::to_string);
                context! { team => &s.team, tier, description => &s.description }
            }),
        TermKind::Cause => config
            .causes
            .iter()
            .find(|(k, _)| slugify(k) == term.slug)
            .map(|(_, c)| context! { group => &c.group, description => &c.description }),
        TermKind::Tag | TermKind::Severity | TermKind::Year => None,
    }
}

/// `/services/` or `/causes/`: every term with its numbers.
pub fn index(cx: &PageCtx<'_>, kind: TermKind) -> Page {
    let heading = match kind {
        TermKind::Service => "Services",
        TermKind::Cause => "Causes",
        TermKind::Tag => "Tags",
        TermKind::Severity => "Severities",
        TermKind::Year => "Years",
    };
    let input = cx.input;
    let rows = term_rows(
        input.analysis,
        kind,
        input.incidents,
        input.config.time_zone(),
    );
    Page {
        template: "taxonomy.html",
        title: heading.to_owned(),
        description: None,
        view: context! {
            heading,
            kind => kind.section(),
            terms => Serde(rows),
            budgets => match kind {
                TermKind::Service => Serde(budgets::index(input.analysis)),
                TermKind::Cause | TermKind::Tag | TermKind::Severity | TermKind::Year => Serde(Vec::new()),
            },
        },
    }
}

/// Availability of one quarter, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct AvailabilityView {
    pub quarter: String,
    pub downtime: String,
    pub downtime_s: i64,
    /// `99.954 %`.
    pub percent: String,
    /// `3.3`, or none for a quarter without downtime.
    pub nines: Option<String>,
}

/// `99.954 %` and the number of nines (`3.3`; none at 100 %).
fn availability_text(a: &PeriodAvailability) -> (String, Option<String>) {
    let percent = format!("{:.3} %", a.availability * 100.0);
    let nines = (a.downtime_s > 0).then(|| format!("{:.1}", -(1.0 - a.availability).log10()));
    (percent, nines)
}

/// Two incidents of one cause at most 90 days apart.
#[derive(Debug, Clone, Serialize)]
pub struct Recurrence {
    pub first: IncidentRef,
    pub second: IncidentRef,
    pub days: i64,
}

/// The numbers of a service or cause page.
#[derive(Debug, Clone, Serialize)]
pub struct TermNumbers {
    pub summary: SummaryView,
    pub availability: Vec<AvailabilityView>,
    /// The [`RECURRENCES_SHOWN`] most recent recurrences, oldest first.
    pub recurrences: Vec<Recurrence>,
    /// How many recurrences there are in all.
    pub recurrences_total: usize,
}

/// A service's or cause's numbers, formatted.
fn term_numbers(stats: &TermStats, incidents: &[Arc<Incident>], zone: &TimeZone) -> TermNumbers {
    TermNumbers {
        summary: (&stats.summary).into(),
        availability: stats
            .quarters
            .iter()
            .map(|(q, a)| {
                let (percent, nines) = availability_text(a);
                AvailabilityView {
                    quarter: q.label(),
                    downtime: format::seconds(a.downtime_s),
                    downtime_s: a.downtime_s,
                    percent,
                    nines,
                }
            })
            .collect(),
        recurrences_total: stats.recurrences.len(),
        recurrences: stats
            .recurrences
            .iter()
            .skip(stats.recurrences.len().saturating_sub(RECURRENCES_SHOWN))
            .map(|&(a, b)| {
                let days = match (incidents[a].started, incidents[b].started) {
                    (Some(x), Some(y)) => (y.as_second() - x.as_second()) / 86_400,
                    _ => 0,
                };
                Recurrence {
                    first: incident_ref(&incidents[a], zone),
                    second: incident_ref(&incidents[b], zone),
                    days,
                }
            })
            .collect(),
    }
}

/// One row of an index of terms (`/services/`, `/causes/`).
#[derive(Debug, Clone, Serialize)]
pub struct TermRow {
    pub name: String,
    pub path: String,
    pub count: usize,
    pub downtime: String,
    pub downtime_s: i64,
    /// User-weighted downtime (services only).
    pub weighted: Option<String>,
    pub weighted_s: Option<i64>,
    pub median_ttr: Option<String>,
    pub last: Option<String>,
    pub recurring: bool,
}

/// The rows of an index of services or causes.
fn term_rows(
    analysis: &Analysis,
    kind: TermKind,
    incidents: &[Arc<Incident>],
    zone: &TimeZone,
) -> Vec<TermRow> {
    let impact = match kind {
        TermKind::Service => analysis.insights.service_impact.as_slice(),
        TermKind::Cause | TermKind::Tag | TermKind::Severity | TermKind::Year => &[],
    };
    analysis
        .terms(kind)
        .iter()
        .zip(analysis.term_stats(kind))
        .enumerate()
        .map(|(t, (term, s))| TermRow {
            name: term.name.clone(),
            path: Route::Term(kind, &term.slug).path(),
            count: term.incidents.len(),
            downtime: format::seconds(s.summary.total_downtime_s),
            downtime_s: s.summary.total_downtime_s,
            weighted: impact
                .get(t)
                .map(|i| format::seconds(i.weighted_downtime_s)),
            weighted_s: impact.get(t).map(|i| i.weighted_downtime_s),
            median_ttr: s.summary.time_to_resolve.median.map(format::seconds),
            last: term
                .incidents
                .iter()
                .rev()
                .find_map(|&i| incidents[i].started)
                .map(|t| format::day(zone.to_datetime(t).date())),
            recurring: !s.recurrences.is_empty(),
        })
        .collect()
}
