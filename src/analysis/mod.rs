//! Analysis: pure functions from incidents to what the site shows about them
//! together: taxonomies, cross-links, downtime as a union of intervals,
//! availability per quarter, distributions of the time-to numbers, recurring
//! causes, action items, the search index. Nothing here is quadratic in the number of incidents.

pub mod actions;
pub mod intervals;
pub mod lint;
pub mod periods;
pub mod related;
pub mod search;
pub mod stats;
pub mod taxonomy;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::config::Config;
use crate::model::Incident;
use periods::{Month, Quarter};
use stats::{Distribution, PeriodAvailability, Summary};
use taxonomy::{Entry, Taxonomy, Term};

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
}

impl Analysis {
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

/// Analyses `incidents` (sorted by start) as of `now`.
pub fn analyse(incidents: &[Incident], config: &Config, now: Timestamp) -> Analysis {
    let zone = config.time_zone().unwrap_or(TimeZone::UTC);
    let services = Taxonomy::build(
        incidents,
        |i| &i.services,
        &registry(&config.services, |s| (s.name.clone(), s.aliases.clone())),
    );
    let causes = Taxonomy::build(
        incidents,
        |i| &i.causes,
        &registry(&config.causes, |c| (c.name.clone(), c.aliases.clone())),
    );
    let all: Vec<&Incident> = incidents.iter().collect();
    let today = now.to_zoned_datetime(zone.clone()).date();
    let first = incidents.iter().filter_map(|i| i.started).min();
    let quarter_range = first.map_or_else(Vec::new, |f| {
        periods::quarters(
            Quarter::of(f, &zone),
            Quarter::of(now, &zone).max(Quarter::of(f, &zone)),
        )
    });
    let month_range = first.map_or_else(Vec::new, |f| {
        periods::months(
            Month::of(f, &zone),
            Month::of(now, &zone).max(Month::of(f, &zone)),
        )
    });
    let term_stats = |t: &Taxonomy| -> Vec<TermStats> {
        t.terms
            .iter()
            .map(|term| term_stats(term, incidents, &quarter_range, &zone))
            .collect()
    };
    Analysis {
        links: related::links(incidents, &services, &causes),
        service_stats: term_stats(&services),
        cause_stats: term_stats(&causes),
        quarters: quarter_stats(incidents, &quarter_range, &zone),
        months: month_stats(incidents, &month_range, &config.severities, &zone),
        histogram: stats::histogram(
            incidents
                .iter()
                .filter_map(|i| i.duration())
                .map(|d| d.as_secs()),
        ),
        actions: actions::action_stats(incidents, today),
        summary: stats::summarize(&all),
        tags: Taxonomy::build(incidents, |i| &i.tags, &[]),
        services,
        causes,
        today: Some(today),
    }
}

fn term_stats(
    term: &Term,
    incidents: &[Incident],
    quarters: &[Quarter],
    zone: &TimeZone,
) -> TermStats {
    let members: Vec<&Incident> = term.incidents.iter().map(|&i| &incidents[i]).collect();
    let spans = stats::downtime_intervals(members.iter().copied());
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
    let per_quarter = quarters
        .iter()
        .map(|q| {
            members
                .iter()
                .filter(|i| i.started.is_some_and(|s| Quarter::of(s, zone) == *q))
                .count()
        })
        .collect();
    TermStats {
        summary: stats::summarize(&members),
        quarters: quarters
            .iter()
            .filter_map(|q| {
                q.bounds(zone)
                    .map(|(s, e)| (*q, stats::availability(&spans, s, e)))
            })
            .collect(),
        recurrences,
        per_quarter,
    }
}

fn quarter_stats(
    incidents: &[Incident],
    quarters: &[Quarter],
    zone: &TimeZone,
) -> Vec<QuarterStats> {
    let mut grouped: Vec<Vec<&Incident>> = vec![Vec::new(); quarters.len()];
    for incident in incidents {
        if let Some(pos) = incident
            .started
            .and_then(|s| quarters.binary_search(&Quarter::of(s, zone)).ok())
        {
            grouped[pos].push(incident);
        }
    }
    quarters
        .iter()
        .zip(grouped)
        .map(|(q, members)| QuarterStats {
            quarter: *q,
            summary: stats::summarize(&members),
        })
        .collect()
}

fn month_stats(
    incidents: &[Incident],
    months: &[Month],
    levels: &[String],
    zone: &TimeZone,
) -> Vec<MonthStats> {
    let mut out: Vec<MonthStats> = months
        .iter()
        .map(|m| MonthStats {
            month: *m,
            by_severity: vec![0; levels.len() + 1],
            downtime_s: 0,
        })
        .collect();
    let spans = stats::downtime_intervals(incidents);
    for incident in incidents {
        let Some(pos) = incident
            .started
            .and_then(|s| months.binary_search(&Month::of(s, zone)).ok())
        else {
            continue;
        };
        let level = incident
            .severity
            .as_ref()
            .and_then(|s| levels.iter().position(|l| l == s))
            .unwrap_or(levels.len());
        out[pos].by_severity[level] += 1;
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
            stats.downtime_s =
                stats::availability(&spans, s.timestamp().as_second(), e.timestamp().as_second())
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
