//! The numbers for a quarterly review beyond counts and times: downtime
//! weighted by the share of users hit ([`impact`](super::impact)), per
//! service and over the site, each service's error budget
//! ([`budget`](super::budget)) and the fixes that did not hold
//! ([`remediation`](super::remediation)). Computed once per build beside the other
//! statistics; each part is a module of its own.

use std::sync::Arc;

use jiff::Timestamp;
use rustc_hash::FxHashMap;

use super::budget::{self, ServiceBudget, Window};
use super::detection::{self, Detection};
use super::followthrough::{self, FollowThroughs};
use super::gaps::{self, Gaps};
use super::impact::{self, WeightedUnion};
use super::intervals::Union;
use super::remediation::{self, Remediation};
use super::stats;
use super::taxonomy::Taxonomy;
use crate::config::{Config, SloWindow};
use crate::content::slug::slugify;
use crate::model::Incident;

/// User-weighted downtime of a set of incidents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Impact {
    /// The weighted union, to clip to any period.
    pub union: WeightedUnion,
    /// Its whole length, in seconds (rounded).
    pub weighted_downtime_s: i64,
    /// Incidents with both ends and no stated share (counted at 100 %).
    pub share_unknown: usize,
}

impl Impact {
    /// The user-weighted downtime of `incidents`.
    pub fn of<'a>(incidents: impl IntoIterator<Item = &'a Incident>) -> Impact {
        let (spans, share_unknown) = impact::weighted_spans(incidents);
        let union = WeightedUnion::of(&spans);
        Impact {
            weighted_downtime_s: impact::whole_seconds(union.length()),
            union,
            share_unknown,
        }
    }
}

/// What [`insights`] found.
#[derive(Debug, Clone, Default)]
pub struct Insights {
    /// Over every incident.
    pub impact: Impact,
    /// Per service, parallel to the services' terms.
    pub service_impact: Vec<Impact>,
    /// Per service with an SLO, parallel to the services' terms.
    pub service_budgets: Vec<Option<ServiceBudget>>,
    /// Fixes that did not hold.
    pub remediation: Remediation,
    /// Time between incidents per service, parallel to the services' terms.
    pub service_gaps: Vec<Gaps>,
    /// How incidents were found.
    pub detection: Detection,
    /// Follow-through on action items.
    pub follow_through: FollowThroughs,
}

/// The insights of `incidents` (sorted by start) with their `services`,
/// as of `now`.
pub fn insights(
    incidents: &[Arc<Incident>],
    services: &Taxonomy,
    causes: &Taxonomy,
    config: &Config,
    now: Timestamp,
) -> Insights {
    let service_impact: Vec<Impact> = services
        .terms
        .iter()
        .map(|t| Impact::of(t.incidents.iter().map(|&i| &*incidents[i])))
        .collect();
    let first = incidents.iter().filter_map(|i| i.started).min();
    let zone = config.time_zone();
    let today = now.to_zoned_datetime(zone.clone()).date();
    // Each registry key by its slug (the first key of a slug, as a search
    // in order would find), slugged once rather than once per service.
    let mut registered: FxHashMap<String, &str> = FxHashMap::default();
    for key in config.services.keys() {
        registered.entry(slugify(key)).or_insert(key.as_str());
    }
    // The windows of each kind, made once for every service that uses it.
    let mut kinds: Vec<(SloWindow, Vec<Window>)> = Vec::new();
    let service_budgets = services
        .terms
        .iter()
        .zip(&service_impact)
        .map(|(term, impact)| {
            let key = registered.get(term.slug.as_str()).copied();
            let slo = config.slo(key)?;
            let first = first?;
            let at = match kinds.iter().position(|(k, _)| *k == slo.window) {
                Some(at) => at,
                None => {
                    kinds.push((slo.window, budget::windows(slo.window, first, now, zone)));
                    kinds.len() - 1
                }
            };
            let downtime = Union::of(&stats::downtime_intervals(
                term.incidents.iter().map(|&i| &*incidents[i]),
            ));
            Some(budget::service_budget(
                slo,
                &kinds[at].1,
                &downtime,
                &impact.union,
            ))
        })
        .collect();
    Insights {
        impact: Impact::of(incidents.iter().map(Arc::as_ref)),
        service_impact,
        service_budgets,
        detection: detection::detection(incidents, zone),
        follow_through: followthrough::follow_through(incidents, config, today),
        service_gaps: services
            .terms
            .iter()
            .map(|t| gaps::gaps(t.incidents.iter().map(|&i| &*incidents[i]), today, zone))
            .collect(),
        remediation: remediation::remediation(
            incidents,
            services,
            causes,
            config.remediation_window_days,
            zone,
        ),
    }
}
