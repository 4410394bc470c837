//! Cross-links between incidents: similar incidents (sharing services or
//! causes), the explicit `related` list, and backlinks ("referenced by").
//!
//! Similar incidents are ranked by how many services and causes they share,
//! then by closeness in time. To stay linear in the number of incidents,
//! candidates are the `WINDOW` nearest incidents in time on each side within
//! each shared service or cause (exact for terms with fewer incidents).

use std::collections::HashMap;

use super::taxonomy::Taxonomy;
use crate::model::Incident;

/// How many neighbours in time, on each side, are considered per term.
pub const WINDOW: usize = 32;
/// How many similar incidents a page lists.
pub const MAX_SIMILAR: usize = 5;

/// The links of one incident, as indices into the incident list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links {
    /// Incidents sharing services or causes, best first.
    pub similar: Vec<usize>,
    /// The incidents its `related` list names, in that order.
    pub explicit: Vec<usize>,
    /// Incidents whose `related` list names it.
    pub referenced_by: Vec<usize>,
    /// Slugs in `related` that name no incident.
    pub unknown: Vec<String>,
}

/// Links for every incident (`incidents` sorted by start).
pub fn links(incidents: &[Incident], services: &Taxonomy, causes: &Taxonomy) -> Vec<Links> {
    let terms = term_ids(incidents, services, causes);
    let lists = term_lists(&terms);
    let by_slug: HashMap<&str, usize> = incidents
        .iter()
        .enumerate()
        .map(|(i, x)| (x.slug.as_str(), i))
        .collect();
    let mut out: Vec<Links> = (0..incidents.len())
        .map(|i| Links {
            similar: similar(i, incidents, &terms, &lists),
            ..Links::default()
        })
        .collect();
    for (i, incident) in incidents.iter().enumerate() {
        for slug in &incident.related {
            match by_slug.get(slug.as_str()) {
                Some(&j) if j != i => {
                    if !out[i].explicit.contains(&j) {
                        out[i].explicit.push(j);
                        out[j].referenced_by.push(i);
                    }
                }
                Some(_) => {}
                None => out[i].unknown.push(slug.clone()),
            }
        }
    }
    out
}

/// Each incident's terms as small integers: services first, then causes.
fn term_ids(incidents: &[Incident], services: &Taxonomy, causes: &Taxonomy) -> Vec<Vec<usize>> {
    let offset = services.terms.len();
    incidents
        .iter()
        .map(|incident| {
            let mut ids: Vec<usize> = incident
                .services
                .iter()
                .filter_map(|s| services.index_of(s))
                .chain(
                    incident
                        .causes
                        .iter()
                        .filter_map(|c| causes.index_of(c).map(|i| i + offset)),
                )
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect()
}

/// For each term, its incidents in order (the incident order is by start).
fn term_lists(terms: &[Vec<usize>]) -> HashMap<usize, Vec<usize>> {
    let mut lists: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, ids) in terms.iter().enumerate() {
        for &t in ids {
            lists.entry(t).or_default().push(i);
        }
    }
    lists
}

fn similar(
    i: usize,
    incidents: &[Incident],
    terms: &[Vec<usize>],
    lists: &HashMap<usize, Vec<usize>>,
) -> Vec<usize> {
    let mut candidates: Vec<usize> = Vec::new();
    for t in &terms[i] {
        let Some(list) = lists.get(t) else { continue };
        let at = list.partition_point(|&j| j < i);
        let from = at.saturating_sub(WINDOW);
        let to = (at + WINDOW + 1).min(list.len());
        candidates.extend(list[from..to].iter().copied().filter(|&j| j != i));
    }
    candidates.sort_unstable();
    candidates.dedup();
    let start = incidents[i].started.map(|s| s.as_second());
    let mut ranked: Vec<(usize, i64, &str, usize)> = candidates
        .into_iter()
        .map(|j| {
            let shared = terms[j]
                .iter()
                .filter(|t| terms[i].binary_search(t).is_ok())
                .count();
            let distance = match (start, incidents[j].started) {
                (Some(a), Some(b)) => (a - b.as_second()).abs(),
                _ => i64::MAX,
            };
            (shared, distance, incidents[j].slug.as_str(), j)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2)));
    ranked
        .into_iter()
        .take(MAX_SIMILAR)
        .map(|(_, _, _, j)| j)
        .collect()
}
