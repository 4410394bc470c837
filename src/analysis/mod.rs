//! Analysis: pure functions from incidents to what the site shows about them
//! together: taxonomies, cross-links, downtime as a union of intervals,
//! availability per quarter, distributions of the time-to numbers, recurring
//! causes, action items, the search index. Nothing here is quadratic in the number of incidents.

pub mod actions;
pub mod budget;
pub mod detection;
pub mod followthrough;
pub mod gaps;
pub mod groups;
pub mod impact;
pub mod insights;
pub mod intervals;
pub mod lint;
pub mod periods;
pub mod related;
pub mod remediation;
pub mod search;
pub mod stats;
pub mod taxonomy;

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::config::Config;
use crate::model::Incident;
use intervals::Union;
use periods::{Month, Quarter};
use stats::{Distribution, PeriodAvailability, Summary};
use taxonomy::{Entry, Taxonomy, Term};

pub use groups::TermKind;

/// The numbers of one service or cause.
#[derive(Debug, Clone, PartialEq)]
pub struct TermStats {
    /// Headline numbers over its incidents.
    pub summary: Summary,
    /// Availability per quarter of the site's history (services).
    pub quarters: Vec<(Quarter, PeriodAvailability)>,
    /// Consecutive incidents at most 90 days apart (incident indices).
    pub recurrences: Vec<(usize, usize)>,
    /// Incidents per quarter of the site's history.
    pub per_quarter: Vec<usize>,
}

/// One month of the site's history.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthStats {
    /// The month.
    pub month: Month,
    /// Incidents started in it, per severity level (site order), then
    /// without a known level.
    pub by_severity: Vec<usize>,
    /// Downtime in it: the union of all incidents clipped to the month.
    pub downtime_s: i64,
}

/// One quarter of the site's history.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterStats {
    /// The quarter.
    pub quarter: Quarter,
    /// Headline numbers of the incidents started in it.
    pub summary: Summary,
}

/// What the analysis found about a set of incidents.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Affected services.
    pub services: Taxonomy,
    /// Root-cause categories.
    pub causes: Taxonomy,
    /// Free tags.
    pub tags: Taxonomy,
    /// The years with incidents, oldest first.
    pub years: Vec<Term>,
    /// The severity levels with incidents, worst first.
    pub severities: Vec<Term>,
    /// Headline numbers over all incidents.
    pub summary: Summary,
    /// Cross-links of each incident.
    pub links: Vec<related::Links>,
    /// Numbers per service, parallel to `services.terms`.
    pub service_stats: Vec<TermStats>,
    /// Numbers per cause, parallel to `causes.terms`.
    pub cause_stats: Vec<TermStats>,
    /// Every quarter from the first incident's to the build date's.
    pub quarters: Vec<QuarterStats>,
    /// Every month from the first incident's to the build date's.
    pub months: Vec<MonthStats>,
    /// Incidents per duration bucket (`stats::DURATION_BUCKETS`).
    pub histogram: Vec<usize>,
    /// Action items.
    pub actions: actions::ActionStats,
    /// The build date in the site's zone.
    pub today: Option<Date>,
    /// Error budgets, partial impact, fixes that did not hold.
    pub insights: insights::Insights,
}

impl Analysis {
    /// Every term of `kind`, each with its incidents.
    pub fn terms(&self, kind: TermKind) -> &[Term] {
        match kind {
            TermKind::Service => &self.services.terms,
            TermKind::Cause => &self.causes.terms,
            TermKind::Tag => &self.tags.terms,
            TermKind::Severity => &self.severities,
            TermKind::Year => &self.years,
        }
    }

    /// The taxonomy of written names of `kind`; years and severities are
    /// grouped without one.
    pub fn taxonomy(&self, kind: TermKind) -> Option<&Taxonomy> {
        match kind {
            TermKind::Service => Some(&self.services),
            TermKind::Cause => Some(&self.causes),
            TermKind::Tag => Some(&self.tags),
            TermKind::Severity | TermKind::Year => None,
        }
    }

    /// The numbers of each term of `kind`, parallel to [`Analysis::terms`];
    /// only services and causes are measured.
    pub fn term_stats(&self, kind: TermKind) -> &[TermStats] {
        match kind {
            TermKind::Service => &self.service_stats,
            TermKind::Cause => &self.cause_stats,
            TermKind::Tag | TermKind::Severity | TermKind::Year => &[],
        }
    }

    /// The stats of the quarter `q`, if the history has it.
    pub fn quarter(&self, q: Quarter) -> Option<&QuarterStats> {
        self.quarters.iter().find(|s| s.quarter == q)
    }
}

fn registry<T>(
    entries: &std::collections::BTreeMap<String, T>,
    f: impl Fn(&T) -> (Option<String>, Vec<String>),
) -> Vec<Entry> {
    entries
        .iter()
        .map(|(key, e)| {
            let (name, aliases) = f(e);
            Entry {
                key: key.clone(),
                name,
                aliases,
            }
        })
        .collect()
}

/// The services and the causes of `incidents`, with site.toml's registries.
fn services_and_causes(incidents: &[Arc<Incident>], config: &Config) -> (Taxonomy, Taxonomy) {
    rayon::join(
        || {
            Taxonomy::build(
                incidents,
                |i| TermKind::Service.names_in(i),
                &registry(&config.services, |s| (s.name.clone(), s.aliases.clone())),
            )
        },
        || {
            Taxonomy::build(
                incidents,
                |i| TermKind::Cause.names_in(i),
                &registry(&config.causes, |c| (c.name.clone(), c.aliases.clone())),
            )
        },
    )
}

/// Analyses `incidents` (sorted by start) as of `now`.
pub fn analyse(incidents: &[Arc<Incident>], config: &Config, now: Timestamp) -> Analysis {
    let zone = config.time_zone().clone();
    let (services, causes) = services_and_causes(incidents, config);
    let today = now.to_zoned_datetime(zone.clone()).date();
    // The links between incidents take as long as the rest together: they
    // are found beside it.
    let ((links, insights), (service_stats, cause_stats, quarters, months, actions, summary, tags)) =
        rayon::join(
            || {
                rayon::join(
                    || related::links(incidents, &services, &causes),
                    || insights::insights(incidents, &services, &causes, config, now),
                )
            },
            || {
                let history = History::new(incidents, now, &zone);
                let term_stats = |t: &Taxonomy| -> Vec<TermStats> {
                    t.terms
                        .iter()
                        .map(|term| term_stats(term, incidents, &history))
                        .collect()
                };
                let all: Vec<&Incident> = incidents.iter().map(Arc::as_ref).collect();
                (
                    term_stats(&services),
                    term_stats(&causes),
                    quarter_stats(incidents, &history),
                    month_stats(incidents, &history, &config.severities, &zone),
                    actions::action_stats(incidents, today),
                    stats::summarize(&all),
                    Taxonomy::build(incidents, |i| TermKind::Tag.names_in(i), &[]),
                )
            },
        );
    Analysis {
        links,
        service_stats,
        cause_stats,
        quarters,
        months,
        histogram: stats::histogram(
            incidents
                .iter()
                .filter_map(|i| i.duration())
                .map(|d| d.as_secs()),
        ),
        actions,
        summary,
        tags,
        years: groups::by_year(incidents, &zone),
        severities: groups::by_severity(incidents, &config.severities),
        insights,
        services,
        causes,
        today: Some(today),
    }
}

/// The months and quarters of the site's history, and where each incident
/// falls in them: the start of each is read in the site's zone once.
struct History {
    quarters: Vec<Quarter>,
    /// [start, end) of each quarter, `None` outside the range of dates.
    quarter_bounds: Vec<Option<(i64, i64)>>,
    months: Vec<Month>,
    /// Each incident's position in `quarters`, when it started in one.
    quarter_of: Vec<Option<usize>>,
    /// Each incident's position in `months`, when it started in one.
    month_of: Vec<Option<usize>>,
}

/// The most years of history the series per month and per quarter cover,
/// back from the build date. A start typed with a wrong year (`0223`)
/// would otherwise stretch every chart of months and quarters, on /trends/
/// and on each service's and cause's page, over eighteen centuries (a
/// 300-byte postmortem made a 5.6 MB /trends/). Older incidents count in
/// every total, not in these series.
pub const MAX_HISTORY_YEARS: i16 = 30;

/// The first day the series cover: January 1st [`MAX_HISTORY_YEARS`]
/// before `today`'s year.
pub fn history_start(today: Date) -> Option<Date> {
    Date::new(today.year().saturating_sub(MAX_HISTORY_YEARS), 1, 1).ok()
}

impl History {
    /// Every quarter and month from the first incident's (at most
    /// [`MAX_HISTORY_YEARS`] back) to `now`'s.
    fn new(incidents: &[Arc<Incident>], now: Timestamp, zone: &TimeZone) -> History {
        let dates: Vec<Option<Date>> = incidents
            .iter()
            .map(|i| i.started.map(|s| s.to_zoned_datetime(zone.clone()).date()))
            .collect();
        let first = incidents
            .iter()
            .filter_map(|i| i.started)
            .min()
            .map(|f| f.to_zoned_datetime(zone.clone()).date());
        let today = now.to_zoned_datetime(zone.clone()).date();
        let earliest = history_start(today);
        let first = first.map(|f| earliest.map_or(f, |e| f.max(e)));
        let quarters = first.map_or_else(Vec::new, |f| {
            let first = Quarter::of_date(f);
            periods::quarters(first, Quarter::of(now, zone).max(first))
        });
        let months = first.map_or_else(Vec::new, |f| {
            let first = Month::of_date(f);
            periods::months(first, Month::of(now, zone).max(first))
        });
        History {
            quarter_bounds: quarters.iter().map(|q| q.bounds(zone)).collect(),
            quarter_of: dates
                .iter()
                .map(|d| d.and_then(|d| quarters.binary_search(&Quarter::of_date(d)).ok()))
                .collect(),
            month_of: dates
                .iter()
                .map(|d| d.and_then(|d| months.binary_search(&Month::of_date(d)).ok()))
                .collect(),
            quarters,
            months,
        }
    }
}

fn term_stats(term: &Term, incidents: &[Arc<Incident>], history: &History) -> TermStats {
    let members: Vec<&Incident> = term.incidents.iter().map(|&i| &*incidents[i]).collect();
    let downtime = Union::of(&stats::downtime_intervals(members.iter().copied()));
    let starts: Vec<(i64, usize)> = term
        .incidents
        .iter()
        .filter_map(|&i| incidents[i].started.map(|s| (s.as_second(), i)))
        .collect();
    let seconds: Vec<i64> = starts.iter().map(|(s, _)| *s).collect();
    let recurrences = stats::recurrences(&seconds)
        .into_iter()
        .map(|(a, b)| (starts[a].1, starts[b].1))
        .collect();
    let mut per_quarter = vec![0; history.quarters.len()];
    for &i in &term.incidents {
        if let Some(q) = history.quarter_of[i] {
            per_quarter[q] += 1;
        }
    }
    TermStats {
        summary: stats::summarize(&members),
        quarters: history
            .quarters
            .iter()
            .zip(&history.quarter_bounds)
            .filter_map(|(q, bounds)| {
                bounds.map(|(s, e)| (*q, stats::availability(&downtime, s, e)))
            })
            .collect(),
        recurrences,
        per_quarter,
    }
}

fn quarter_stats(incidents: &[Arc<Incident>], history: &History) -> Vec<QuarterStats> {
    let mut grouped: Vec<Vec<&Incident>> = vec![Vec::new(); history.quarters.len()];
    for (incident, q) in incidents.iter().zip(&history.quarter_of) {
        if let Some(q) = q {
            grouped[*q].push(incident);
        }
    }
    history
        .quarters
        .iter()
        .zip(grouped)
        .map(|(q, members)| QuarterStats {
            quarter: *q,
            summary: stats::summarize(&members),
        })
        .collect()
}

fn month_stats(
    incidents: &[Arc<Incident>],
    history: &History,
    levels: &[String],
    zone: &TimeZone,
) -> Vec<MonthStats> {
    let mut out: Vec<MonthStats> = history
        .months
        .iter()
        .map(|m| MonthStats {
            month: *m,
            by_severity: vec![0; levels.len() + 1],
            downtime_s: 0,
        })
        .collect();
    let downtime = Union::of(&stats::downtime_intervals(
        incidents.iter().map(Arc::as_ref),
    ));
    for (incident, m) in incidents.iter().zip(&history.month_of) {
        let Some(pos) = m else {
            continue;
        };
        let level = incident
            .severity
            .as_ref()
            .and_then(|s| levels.iter().position(|l| l == s))
            .unwrap_or(levels.len());
        out[*pos].by_severity[level] += 1;
    }
    for stats in &mut out {
        let start = jiff::civil::Date::new(stats.month.year, stats.month.month, 1)
            .ok()
            .and_then(|d| d.to_zoned_datetime(zone.clone()).ok());
        let next = stats.month.next();
        let end = jiff::civil::Date::new(next.year, next.month, 1)
            .ok()
            .and_then(|d| d.to_zoned_datetime(zone.clone()).ok());
        if let (Some(s), Some(e)) = (start, end) {
            stats.downtime_s = stats::availability(
                &downtime,
                s.timestamp().as_second(),
                e.timestamp().as_second(),
            )
            .downtime_s;
        }
    }
    out
}

/// The distribution of time to resolve of the incidents of quarter `q`.
pub fn quarter_time_to_resolve(analysis: &Analysis, q: Quarter) -> Distribution {
    analysis
        .quarter(q)
        .map(|s| s.summary.time_to_resolve.clone())
        .unwrap_or_default()
}
