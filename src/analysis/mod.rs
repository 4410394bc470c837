//! Analysis: pure functions from incidents to what the site shows about them
//! together: taxonomies, downtime as a union of intervals, distributions of
//! the time-to numbers, the search index.

pub mod intervals;
pub mod search;
pub mod stats;
pub mod taxonomy;

use crate::config::Config;
use crate::model::Incident;
use taxonomy::{Entry, Taxonomy};

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
    pub summary: stats::Summary,
}

/// Analyses `incidents` (sorted by start) with the site's registries.
pub fn analyse(incidents: &[Incident], config: &Config) -> Analysis {
    let services: Vec<Entry> = config
        .services
        .iter()
        .map(|(key, s)| Entry { key: key.clone(), name: s.name.clone(), aliases: s.aliases.clone() })
        .collect();
    let causes: Vec<Entry> = config
        .causes
        .iter()
        .map(|(key, c)| Entry { key: key.clone(), name: c.name.clone(), aliases: c.aliases.clone() })
        .collect();
    let all: Vec<&Incident> = incidents.iter().collect();
    Analysis {
        services: Taxonomy::build(incidents, |i| &i.services, &services),
        causes: Taxonomy::build(incidents, |i| &i.causes, &causes),
        tags: Taxonomy::build(incidents, |i| &i.tags, &[]),
        summary: stats::summarize(&all),
    }
}
