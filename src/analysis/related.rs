//! Cross-links between incidents: similar incidents (sharing services or
//! causes), the explicit `related` list, and backlinks ("referenced by").
//!
//! Similar incidents are ranked by how many services and causes they share,
//! then by closeness in time. To stay linear in the number of incidents,
//! candidates are the `WINDOW` nearest incidents in time on each side within
//! each shared service or cause (exact for terms with fewer incidents).
//! [`Similarity`] finds one incident's similar incidents on its own, so a
//! caller that needs only a few pages can skip the rest.

use std::cmp::Ordering;
use std::sync::Arc;

use rustc_hash::FxHashMap;

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
pub fn links(incidents: &[Arc<Incident>], services: &Taxonomy, causes: &Taxonomy) -> Vec<Links> {
    let similarity = Similarity::new(incidents, services, causes);
    let mut out: Vec<Links> = (0..incidents.len())
        .map(|i| Links {
            similar: similarity.similar(i),
            ..Links::default()
        })
        .collect();
    if incidents.iter().all(|i| i.related.is_empty()) {
        return out;
    }
    let by_slug: FxHashMap<&str, usize> = incidents
        .iter()
        .enumerate()
        .map(|(i, x)| (x.slug.as_str(), i))
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

/// How many of the most used terms an incident's mask holds.
const MASK_TERMS: usize = 64;

/// Which incidents share which services and causes: enough to find the
/// similar incidents of any one incident without looking at the others.
#[derive(Debug, Clone)]
pub struct Similarity<'a> {
    incidents: &'a [Arc<Incident>],
    /// Each incident's start in seconds, side by side for the hot loop.
    starts: Vec<Option<i64>>,
    /// Each incident's terms among the `MASK_TERMS` most used, as bits:
    /// two incidents share the popcount of the two masks' intersection.
    masks: Vec<u64>,
    /// Each incident's other terms, ascending: incident `i` has
    /// `rare_ids[rare_starts[i]..rare_starts[i + 1]]`.
    rare_starts: Vec<usize>,
    rare_ids: Vec<usize>,
    /// Each term's incidents, ascending (so in order of start). Terms are
    /// numbered from the most used: services and causes alike.
    lists: Vec<&'a [usize]>,
}

impl<'a> Similarity<'a> {
    /// Indexes `incidents` (sorted by start) by the terms of `services` and
    /// `causes`, which were built from the same slice.
    pub fn new(
        incidents: &'a [Arc<Incident>],
        services: &'a Taxonomy,
        causes: &'a Taxonomy,
    ) -> Self {
        let mut lists: Vec<&[usize]> = services
            .terms
            .iter()
            .chain(&causes.terms)
            .map(|t| t.incidents.as_slice())
            .collect();
        lists.sort_by_key(|l| std::cmp::Reverse(l.len()));
        // A taxonomy lists each incident once per term, so filling term by
        // term gives each incident its rare terms ascending.
        let mut masks = vec![0u64; incidents.len()];
        let mut rare_starts = vec![0; incidents.len() + 1];
        for (t, list) in lists.iter().enumerate() {
            for &i in *list {
                if t < MASK_TERMS {
                    masks[i] |= 1 << t;
                } else {
                    rare_starts[i + 1] += 1;
                }
            }
        }
        for i in 0..incidents.len() {
            rare_starts[i + 1] += rare_starts[i];
        }
        let mut filled = rare_starts.clone();
        let mut rare_ids = vec![0; rare_starts[incidents.len()]];
        for (t, list) in lists.iter().enumerate().skip(MASK_TERMS) {
            for &i in *list {
                rare_ids[filled[i]] = t;
                filled[i] += 1;
            }
        }
        Similarity {
            incidents,
            starts: incidents
                .iter()
                .map(|i| i.started.map(|s| s.as_second()))
                .collect(),
            masks,
            rare_starts,
            rare_ids,
            lists,
        }
    }

    fn rare_terms(&self, i: usize) -> &[usize] {
        &self.rare_ids[self.rare_starts[i]..self.rare_starts[i + 1]]
    }

    /// The incidents most similar to incident `i`, best first, at most
    /// `MAX_SIMILAR`: most shared terms, then nearest in time, then by slug.
    pub fn similar(&self, i: usize) -> Vec<usize> {
        let mask = self.masks[i];
        let rare = self.rare_terms(i);
        let mut ranking = Ranking {
            similarity: self,
            of: i,
            start: self.starts[i],
            mask,
            is_rare_mine: Vec::new(),
            best: Vec::with_capacity(MAX_SIMILAR + 1),
            bar: (0, i64::MAX),
        };
        if !rare.is_empty() {
            ranking.is_rare_mine = vec![false; self.lists.len()];
            for &t in rare {
                ranking.is_rare_mine[t] = true;
            }
        }
        let common = (0..MASK_TERMS).filter(|&t| mask & (1 << t) != 0);
        for t in common.chain(rare.iter().copied()) {
            let list = self.lists[t];
            let at = list.partition_point(|&j| j < i);
            // Nearest first on each side: fewer candidates displace others.
            for &j in list[at.saturating_sub(WINDOW)..at].iter().rev() {
                ranking.see(j);
            }
            for &j in &list[at..(at + WINDOW + 1).min(list.len())] {
                ranking.see(j);
            }
        }
        ranking.best.into_iter().map(|c| c.index).collect()
    }

    /// Better first: more shared terms, nearer, slug, position.
    fn rank(&self, a: &Candidate, b: &Candidate) -> Ordering {
        b.shared
            .cmp(&a.shared)
            .then(a.distance.cmp(&b.distance))
            .then_with(|| {
                self.incidents[a.index]
                    .slug
                    .cmp(&self.incidents[b.index].slug)
            })
            .then(a.index.cmp(&b.index))
    }
}

/// The best candidates so far for the similar incidents of one incident.
struct Ranking<'s, 'a> {
    similarity: &'s Similarity<'a>,
    /// The incident whose similar incidents these are.
    of: usize,
    start: Option<i64>,
    /// The incident's mask of common terms.
    mask: u64,
    /// By term: whether the incident has it, when it has rare terms.
    is_rare_mine: Vec<bool>,
    /// Best first, at most `MAX_SIMILAR`.
    best: Vec<Candidate>,
    /// The shared terms and distance of the worst of `best` once it is
    /// full: a candidate with fewer shared terms, or as many and farther,
    /// cannot enter. Before that, `(0, i64::MAX)` lets every one in.
    bar: (usize, i64),
}

impl Ranking<'_, '_> {
    /// Considers incident `j`, found in the window of one of the terms. An
    /// incident in two windows is seen twice with the same rank: the second
    /// time it is either among the best already or ranks below all of them.
    // Called for every candidate from two loops: a call costs as much as
    // what it does.
    #[inline(always)]
    fn see(&mut self, j: usize) {
        if j == self.of {
            return;
        }
        let s = self.similarity;
        // Most candidates share one common term: skip the popcount (a
        // long sequence without the CPU instruction) for at most one bit.
        let common = self.mask & s.masks[j];
        let mut shared = if common & common.wrapping_sub(1) == 0 {
            usize::from(common != 0)
        } else {
            common.count_ones() as usize
        };
        if !self.is_rare_mine.is_empty() {
            shared += s
                .rare_terms(j)
                .iter()
                .filter(|&&t| self.is_rare_mine[t])
                .count();
        }
        if shared < self.bar.0 {
            return;
        }
        let distance = match (self.start, s.starts[j]) {
            (Some(a), Some(b)) => (a - b).abs(),
            _ => i64::MAX,
        };
        if shared == self.bar.0 && distance > self.bar.1 {
            return;
        }
        let candidate = Candidate {
            shared,
            distance,
            index: j,
        };
        if self.best.iter().any(|c| c.index == j)
            || self
                .best
                .get(MAX_SIMILAR - 1)
                .is_some_and(|w| s.rank(&candidate, w) != Ordering::Less)
        {
            return;
        }
        let at = self
            .best
            .partition_point(|c| s.rank(c, &candidate) == Ordering::Less);
        self.best.insert(at, candidate);
        self.best.truncate(MAX_SIMILAR);
        if let Some(worst) = self.best.get(MAX_SIMILAR - 1) {
            self.bar = (worst.shared, worst.distance);
        }
    }
}

/// An incident considered as similar to another.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// How many services and causes the two share.
    shared: usize,
    /// Seconds between their starts; `i64::MAX` when one is unknown.
    distance: i64,
    /// Its position in the incident list.
    index: usize,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Impact, Status};
    use jiff::Timestamp;
    use jiff::tz::TimeZone;
    use proptest::prelude::*;

    /// An incident with only a slug, a start (seconds) and names.
    pub(crate) fn incident(
        slug: &str,
        start: Option<i64>,
        services: &[&str],
        causes: &[&str],
    ) -> Incident {
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        Incident {
            slug: slug.to_owned(),
            source: format!("content/{slug}.md").into(),
            title: slug.to_owned(),
            summary: None,
            status: Status::Final,
            severity: None,
            services: names(services),
            causes: names(causes),
            tags: Vec::new(),
            authors: Vec::new(),
            trigger: None,
            detection: None,
            started: start.map(|s| Timestamp::from_second(s).unwrap()),
            detected: None,
            acknowledged: None,
            mitigated: None,
            resolved: None,
            known_duration: None,
            timezone: TimeZone::UTC,
            impact: Impact::default(),
            actions: Vec::new(),
            related: Vec::new(),
            timeline: Vec::new(),
            body_html: String::new(),
            toc: Vec::new(),
            timeline_style: None,
            extra: Default::default(),
        }
    }

    fn similar_of(incidents: &[Arc<Incident>]) -> Vec<Vec<usize>> {
        let services = Taxonomy::build(incidents, |i| &i.services, &[]);
        let causes = Taxonomy::build(incidents, |i| &i.causes, &[]);
        links(incidents, &services, &causes)
            .into_iter()
            .map(|l| l.similar)
            .collect()
    }

    /// The ranking as first written: every candidate of every window,
    /// sorted in full.
    fn reference(incidents: &[Arc<Incident>]) -> Vec<Vec<usize>> {
        let services = Taxonomy::build(incidents, |i| &i.services, &[]);
        let causes = Taxonomy::build(incidents, |i| &i.causes, &[]);
        let terms: Vec<Vec<usize>> =
            incidents
                .iter()
                .map(|x| {
                    let mut ids: Vec<usize> =
                        x.services
                            .iter()
                            .filter_map(|s| services.index_of(s))
                            .chain(x.causes.iter().filter_map(|c| {
                                causes.index_of(c).map(|t| t + services.terms.len())
                            }))
                            .collect();
                    ids.sort_unstable();
                    ids.dedup();
                    ids
                })
                .collect();
        (0..incidents.len())
            .map(|i| {
                let mut candidates = Vec::new();
                for &t in &terms[i] {
                    let list: Vec<usize> = (0..incidents.len())
                        .filter(|&j| terms[j].contains(&t))
                        .collect();
                    let at = list.partition_point(|&j| j < i);
                    let window =
                        &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())];
                    candidates.extend(window.iter().copied().filter(|&j| j != i));
                }
                candidates.sort_unstable();
                candidates.dedup();
                let start = incidents[i].started.map(|s| s.as_second());
                let mut ranked: Vec<(usize, i64, &str, usize)> = candidates
                    .into_iter()
                    .map(|j| {
                        let shared = terms[j].iter().filter(|t| terms[i].contains(t)).count();
                        let distance = match (start, incidents[j].started) {
                            (Some(a), Some(b)) => (a - b.as_second()).abs(),
                            _ => i64::MAX,
                        };
                        (shared, distance, incidents[j].slug.as_str(), j)
                    })
                    .collect();
                ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2)));
                ranked.into_iter().take(MAX_SIMILAR).map(|r| r.3).collect()
            })
            .collect()
    }

    #[test]
    fn shared_terms_first_then_time_then_slug() {
        let incidents = [
            incident("a", Some(0), &["api"], &["dns"]),
            incident("b", Some(100), &["api"], &[]),
            incident("c", Some(200), &["api"], &["dns"]),
            incident("d", Some(300), &["api"], &[]),
            incident("e", Some(300), &["api"], &[]),
            incident("f", None, &["web"], &[]),
        ]
        .map(Arc::new);
        let similar = similar_of(&incidents);
        // c shares two terms with a, though b is nearer.
        assert_eq!(similar[0], [2, 1, 3, 4]);
        // b: a and c are 100 s away on either side; a's slug is first.
        assert_eq!(similar[1], [0, 2, 3, 4]);
        assert!(similar[5].is_empty());
    }

    #[test]
    fn one_incident_alone_matches_the_whole_list() {
        let incidents: Vec<Arc<Incident>> = (0..40)
            .map(|n| {
                Arc::new(incident(
                    &format!("i{n:02}"),
                    Some(n * 60),
                    &["api"],
                    &["dns"],
                ))
            })
            .collect();
        let services = Taxonomy::build(&incidents, |i| &i.services, &[]);
        let causes = Taxonomy::build(&incidents, |i| &i.causes, &[]);
        let all = links(&incidents, &services, &causes);
        let similarity = Similarity::new(&incidents, &services, &causes);
        for (i, l) in all.iter().enumerate() {
            assert_eq!(similarity.similar(i), l.similar);
        }
        assert_eq!(all[20].similar, [19, 21, 18, 22, 17]);
    }

    proptest! {
        #[test]
        fn ranks_like_a_full_sort(
            many_terms in proptest::bool::ANY,
            specs in proptest::collection::vec(
                (
                    proptest::option::weighted(0.9, 0i64..50),
                    proptest::collection::vec(0usize..40, 0..4),
                    proptest::collection::vec(0usize..40, 0..3),
                ),
                0..150,
            )
        ) {
            // A few services and causes, or more than a mask holds; starts
            // with ties, some unknown, sorted as loading sorts them.
            let pool = if many_terms { 40 } else { 3 };
            let names = |prefix: &str, picks: &[usize]| -> Vec<String> {
                picks.iter().map(|p| format!("{prefix}{}", p % pool)).collect()
            };
            let mut incidents: Vec<Incident> = specs
                .iter()
                .enumerate()
                .map(|(n, (start, s, c))| {
                    let mut x = incident(&format!("s{}", (n * 37) % 151), start.map(|m| m * 600), &[], &[]);
                    x.services = names("svc", s);
                    x.causes = names("cause", c);
                    x
                })
                .collect();
            incidents.sort_by(|a, b| {
                (a.started.is_none(), a.started, &a.slug).cmp(&(b.started.is_none(), b.started, &b.slug))
            });
            let incidents: Vec<Arc<Incident>> = incidents.into_iter().map(Arc::new).collect();
            prop_assert_eq!(similar_of(&incidents), reference(&incidents));
        }
    }
}
