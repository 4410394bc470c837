//! Fixes that did not hold: incident B is a recurrence after remediation
//! of an earlier incident A when they share a cause (and, where both name
//! services, a service), B started at most `remediation_window_days` after
//! A started, and every action item of A with status `done` has a `closed`
//! date before the day B started (in the site's zone), with at least one
//! such item.
//!
//! Linear in the incidents but for the pairs themselves: per cause, each B
//! looks only at the remediated incidents of that cause in its window.

use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::taxonomy::Taxonomy;
use crate::model::{ActionStatus, Incident};

/// The pairs found, as incident indices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Remediation {
    /// (A, B): B happened again after A's follow-ups were closed; sorted
    /// by B, then A.
    pub pairs: Vec<(usize, usize)>,
    /// Per cause term, the pairs that share it.
    pub by_cause: Vec<Vec<(usize, usize)>>,
    /// Per incident, the A's it is a recurrence of, oldest first.
    pub recurrence_of: Vec<Vec<usize>>,
}

/// The day the last of `incident`'s done action items was closed, when it
/// has at least one and every one has a `closed` date.
pub fn remediated_on(incident: &Incident) -> Option<Date> {
    let mut last: Option<Date> = None;
    for action in incident
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Done)
    {
        let closed = action.closed?;
        last = Some(last.map_or(closed, |l| l.max(closed)));
    }
    last
}

/// The fixes that did not hold among `incidents` (sorted by start), with
/// their taxonomies, a window of `window_days` and the site's `zone`.
pub fn remediation(
    incidents: &[Arc<Incident>],
    services: &Taxonomy,
    causes: &Taxonomy,
    window_days: u32,
    zone: &TimeZone,
) -> Remediation {
    let fixed: Vec<Option<Date>> = incidents.iter().map(|i| remediated_on(i)).collect();
    let mut out = Remediation {
        pairs: Vec::new(),
        by_cause: vec![Vec::new(); causes.terms.len()],
        recurrence_of: vec![Vec::new(); incidents.len()],
    };
    if fixed.iter().all(Option::is_none) {
        return out;
    }
    let service_sets: Vec<Vec<usize>> = incidents
        .iter()
        .map(|i| {
            let mut v: Vec<usize> = i
                .services
                .iter()
                .filter_map(|n| services.index_of(n))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let window = i64::from(window_days) * 86_400;
    for (c, term) in causes.terms.iter().enumerate() {
        // The remediated incidents of the cause with a start, by start.
        let fixes: Vec<(i64, usize, Date)> = term
            .incidents
            .iter()
            .filter_map(|&a| Some((incidents[a].started?.as_second(), a, fixed[a]?)))
            .collect();
        if fixes.is_empty() {
            continue;
        }
        for &b in &term.incidents {
            let Some(started) = incidents[b].started else {
                continue;
            };
            let b_start = started.as_second();
            let b_day = started.to_zoned_datetime(zone.clone()).date();
            let from = fixes.partition_point(|&(s, _, _)| s < b_start - window);
            let to = fixes.partition_point(|&(s, _, _)| s < b_start);
            for &(_, a, on) in &fixes[from..to] {
                if on < b_day && shares_a_service(&service_sets[a], &service_sets[b]) {
                    out.by_cause[c].push((a, b));
                }
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = out.by_cause.iter().flatten().copied().collect();
    pairs.sort_unstable_by_key(|&(a, b)| (b, a));
    pairs.dedup();
    for &(a, b) in &pairs {
        out.recurrence_of[b].push(a);
    }
    out.pairs = pairs;
    out
}

/// True when either names no service, else when they share one (both
/// sorted).
fn shares_a_service(a: &[usize], b: &[usize]) -> bool {
    if a.is_empty() || b.is_empty() {
        return true;
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::TermKind;
    use crate::analysis::related::tests::incident;
    use crate::model::ActionItem;

    fn at(text: &str) -> Option<i64> {
        Some(text.parse::<jiff::Timestamp>().unwrap().as_second())
    }

    fn done(closed: Option<&str>) -> ActionItem {
        ActionItem {
            title: "fix".into(),
            owner: None,
            status: ActionStatus::Done,
            due: None,
            priority: None,
            url: None,
            closed: closed.map(|c| c.parse().unwrap()),
            team: None,
        }
    }

    #[test]
    fn pairs_need_a_cause_a_service_the_window_and_closed_fixes() {
        let mut a = incident("a", at("2025-01-01T10:00:00Z"), &["api"], &["dns"]);
        a.actions = vec![done(Some("2025-01-05")), done(Some("2025-01-10"))];
        // A done item without a date: never remediated.
        let mut undated = incident("undated", at("2025-01-02T10:00:00Z"), &["api"], &["dns"]);
        undated.actions = vec![done(Some("2025-01-03")), done(None)];
        // The same day as the last close: not after it.
        let same_day = incident("same-day", at("2025-01-10T23:00:00Z"), &["api"], &["dns"]);
        let b = incident("b", at("2025-02-01T10:00:00Z"), &["api"], &["dns"]);
        // Another service: no pair; no service: a pair.
        let other = incident("other", at("2025-02-02T10:00:00Z"), &["web"], &["dns"]);
        let none = incident("none", at("2025-02-03T10:00:00Z"), &[], &["dns"]);
        // 181 days after a: outside the window.
        let late = incident("late", at("2025-07-01T10:00:00Z"), &["api"], &["dns"]);
        let incidents: Vec<Arc<Incident>> = [a, undated, same_day, b, other, none, late]
            .into_iter()
            .map(Arc::new)
            .collect();
        let tax = |k: TermKind| Taxonomy::build(&incidents, |i| k.names_in(i), &[]);
        let r = remediation(
            &incidents,
            &tax(TermKind::Service),
            &tax(TermKind::Cause),
            180,
            &TimeZone::UTC,
        );
        assert_eq!(r.pairs, [(0, 3), (0, 5)]);
        assert_eq!(r.recurrence_of[3], [0]);
        assert_eq!(r.by_cause[0].len(), 2);
        assert_eq!(remediated_on(&incidents[1]), None);
    }
}
