//! The related incidents of an incident page as one list: each incident
//! once, with why it is there (named as related, references this, shares
//! services or causes), named first, then referencing, then similar.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::analysis::related::Links;
use crate::analysis::{Analysis, TermKind};
use crate::model::Incident;

/// One related incident and the reasons it is listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// Its index in the incident list.
    pub index: usize,
    /// Why, in words: `named as related; shares Checkout, Bad deploy`.
    pub why: String,
}

/// The incidents `links` gives for incident `of`, each once.
pub fn merged(
    links: &Links,
    incidents: &[Arc<Incident>],
    of: usize,
    analysis: &Analysis,
) -> Vec<Related> {
    let mut order: Vec<(usize, Vec<String>)> = Vec::new();
    // Where each incident is in `order`: an incident many reference would
    // otherwise be searched for each of them.
    let mut at: FxHashMap<usize, usize> = FxHashMap::default();
    let mut add = |index: usize, why: String| match at.get(&index) {
        Some(&k) => order[k].1.push(why),
        None => {
            at.insert(index, order.len());
            order.push((index, vec![why]));
        }
    };
    for &j in &links.explicit {
        add(j, "named as related".to_owned());
    }
    for &j in &links.referenced_by {
        add(j, "references this incident".to_owned());
    }
    if !links.similar.is_empty() {
        let ours = Terms::of(&incidents[of], analysis);
        for &j in &links.similar {
            add(j, shared(&ours, &incidents[j], analysis));
        }
    }
    order
        .into_iter()
        .map(|(index, reasons)| Related {
            index,
            why: capitalised(&reasons.join("; ")),
        })
        .collect()
}

/// An incident's services and causes as term numbers, each once, in its
/// order: found once for all the incidents similar to it.
struct Terms {
    services: Vec<usize>,
    causes: Vec<usize>,
}

impl Terms {
    /// The terms of `incident`.
    fn of(incident: &Incident, analysis: &Analysis) -> Terms {
        let numbers = |kind: TermKind, names: &[String]| {
            let mut out: Vec<usize> = Vec::with_capacity(names.len());
            if let Some(taxonomy) = analysis.taxonomy(kind) {
                for index in names.iter().filter_map(|t| taxonomy.index_of(t)) {
                    if !out.contains(&index) {
                        out.push(index);
                    }
                }
            }
            out
        };
        Terms {
            services: numbers(TermKind::Service, &incident.services),
            causes: numbers(TermKind::Cause, &incident.causes),
        }
    }
}

/// `shares Checkout, Payments, Bad deploy`: the services and causes that
/// `ours` (an incident's [`Terms`]) and `b` both have, by display name, in
/// `ours`' order.
fn shared(ours: &Terms, b: &Incident, analysis: &Analysis) -> String {
    let mut names: Vec<&str> = Vec::new();
    let kinds = [
        (TermKind::Service, &ours.services, &b.services),
        (TermKind::Cause, &ours.causes, &b.causes),
    ];
    for (kind, ours, theirs) in kinds {
        let Some(taxonomy) = analysis.taxonomy(kind) else {
            continue;
        };
        // Compared by term, so spellings of one term match.
        let theirs: Vec<usize> = theirs.iter().filter_map(|t| taxonomy.index_of(t)).collect();
        for &index in ours {
            if theirs.contains(&index) {
                names.push(&analysis.terms(kind)[index].name);
            }
        }
    }
    if names.is_empty() {
        "shares services or causes".to_owned()
    } else {
        format!("shares {}", names.join(", "))
    }
}

/// `s` with its first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => {
            let mut out = String::with_capacity(s.len());
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
            out
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::capitalised;

    #[test]
    fn capitalises_the_first_letter_only() {
        assert_eq!(
            capitalised("named as related; shares Checkout"),
            "Named as related; shares Checkout"
        );
        assert_eq!(capitalised(""), "");
    }
}
