//! The numbers for a quarterly review beyond counts and times: downtime
//! weighted by the share of users hit ([`impact`](super::impact)), per
//! service and over the site. Computed once per build beside the other
//! statistics; each part is a module of its own.

use std::sync::Arc;

use super::impact::{self, WeightedUnion};
use super::taxonomy::Taxonomy;
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
}

/// The insights of `incidents` (sorted by start) with their `services`.
pub fn insights(incidents: &[Arc<Incident>], services: &Taxonomy) -> Insights {
    Insights {
        impact: Impact::of(incidents.iter().map(Arc::as_ref)),
        service_impact: services
            .terms
            .iter()
            .map(|t| Impact::of(t.incidents.iter().map(|&i| &*incidents[i])))
            .collect(),
    }
}
