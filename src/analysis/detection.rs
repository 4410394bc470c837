//! How incidents are found: incidents by their `detection` value
//! (monitoring, customer report, ...; spellings grouped as names are)
//! per quarter of their start, and the time to detect per value.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::tz::TimeZone;
use rustc_hash::FxHashMap;

use super::periods::Quarter;
use super::stats::Distribution;
use crate::content::slug::slugify;
use crate::model::Incident;

/// One detection value.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// As first written (incidents in order of start).
    pub name: String,
    /// Incidents found this way.
    pub count: usize,
    /// Their time to detect.
    pub time_to_detect: Distribution,
}

/// Incidents by how they were found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detection {
    /// Every value, most incidents first (then by name).
    pub methods: Vec<Method>,
    /// Incidents without a `detection`.
    pub unstated: usize,
    /// Per quarter of start: incidents per method (parallel to `methods`),
    /// then those without one.
    pub per_quarter: BTreeMap<Quarter, Vec<usize>>,
}

/// How `incidents` were found; quarters in `zone`.
pub fn detection(incidents: &[Arc<Incident>], zone: &TimeZone) -> Detection {
    // Each incident's method as a group number, groups in order of first
    // use. Spellings repeat: each is made a slug once.
    let mut groups: FxHashMap<String, usize> = FxHashMap::default();
    let mut spellings: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let method: Vec<Option<usize>> = incidents
        .iter()
        .map(|i| {
            let written = i.detection.as_deref()?;
            *spellings.entry(written).or_insert_with(|| {
                let slug = slugify(written);
                if slug.is_empty() {
                    return None;
                }
                let next = groups.len();
                let g = *groups.entry(slug).or_insert(next);
                if g == names.len() {
                    names.push(written);
                }
                Some(g)
            })
        })
        .collect();
    let mut members: Vec<Vec<&Incident>> = vec![Vec::new(); names.len()];
    for (i, m) in incidents.iter().zip(&method) {
        if let Some(g) = m {
            members[*g].push(i);
        }
    }
    // Most incidents first: `rank[g]` is where group `g` goes.
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        members[b]
            .len()
            .cmp(&members[a].len())
            .then(names[a].cmp(names[b]))
    });
    let mut rank = vec![0; names.len()];
    for (r, &g) in order.iter().enumerate() {
        rank[g] = r;
    }
    let mut per_quarter: BTreeMap<Quarter, Vec<usize>> = BTreeMap::new();
    for (i, m) in incidents.iter().zip(&method) {
        let Some(started) = i.started else {
            continue;
        };
        let counts = per_quarter
            .entry(Quarter::of(started, zone))
            .or_insert_with(|| vec![0; names.len() + 1]);
        counts[m.map_or(names.len(), |g| rank[g])] += 1;
    }
    Detection {
        methods: order
            .iter()
            .map(|&g| Method {
                name: names[g].to_owned(),
                count: members[g].len(),
                time_to_detect: Distribution::of(members[g].iter().map(|i| i.time_to_detect())),
            })
            .collect(),
        unstated: method.iter().filter(|m| m.is_none()).count(),
        per_quarter,
    }
}
