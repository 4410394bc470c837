//! The share affected, as documents state it: a percentage of users
//! ("85% of users"), a percentage of requests or traffic ("40% of
//! requests failed", counted as the share affected), or words that mean
//! everyone ("all users", "every customer", "the entire site was down",
//! "all inbound traffic failed", "no traffic was served").

use super::facts;
use super::text::{Meta, MetaKey};
use super::{Doc, Inference};
use crate::content::sections::SectionKind;

/// What a share is a share of, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    /// Users, customers, ...
    Users,
    /// Requests or traffic: counted as the share of users affected.
    Requests,
}

impl Of {
    /// How a fact names it.
    pub fn describe(self) -> &'static str {
        match self {
            Of::Users => "",
            Of::Requests => " (a share of requests or traffic, counted as the share affected)",
        }
    }
}

const REQUEST_WORDS: [&str; 25] = [
    "payment attempts",
    "authorisations",
    "authorizations",
    "bookings",
    "downloads",
    "attempts",
    "logins",
    "sessions",
    "uploads",
    "searches",
    "purchases",
    "emails",
    "order emails",
    "messages",
    "notifications",
    "requests",
    "traffic",
    "api calls",
    "calls",
    "transactions",
    "checkouts",
    "orders",
    "page loads",
    "queries",
    "payments",
];

/// Words after "N% of things" that say those things were hurt.
const HURT: [&str; 9] = [
    " affected",
    " impacted",
    " fail",
    " stale",
    " declined",
    " rejected",
    " dropped",
    " delayed",
    " errored",
];

/// Everyone, in words: (subject, what must follow somewhere after it).
const EVERYONE: [&str; 17] = [
    "every employee",
    "all employees",
    "all staff",
    "all users",
    "all of our users",
    "all our users",
    "all customers",
    "all of our customers",
    "all our customers",
    "every user",
    "every customer",
    "all visitors",
    "the entire site",
    "the whole site",
    "the entire platform",
    "the entire website",
    "the whole website",
];

const ALL_TRAFFIC: [&str; 8] = [
    "all traffic",
    "all inbound traffic",
    "all incoming traffic",
    "all ingress traffic",
    "all requests",
    "all incoming requests",
    "no traffic",
    "no ingress traffic",
];

/// Words after "all traffic" / "no traffic" that say it did not get
/// through.
const FAILED: [&str; 10] = [
    "fail",
    "error",
    "dropped",
    "rejected",
    "to be received",
    "was received",
    "was served",
    "reach",
    "routed",
    "lost",
];

/// The share a line states, and what of.
pub fn share(line: &str) -> Option<(f64, Of)> {
    if let Some(pct) = facts::users_pct(line) {
        return Some((pct, Of::Users));
    }
    let lower = line.to_lowercase();
    for sentence in lower.split(". ") {
        if let Some(pct) = percent_of_requests(sentence) {
            return Some((pct, Of::Requests));
        }
        if negated(sentence) || super::phrases::restored(sentence) {
            continue;
        }
        if let Some(share) = fraction(sentence) {
            return Some(share);
        }
        let all_of = |lead: &str| {
            sentence.match_indices(lead).any(|(i, _)| {
                let rest = &sentence[i + lead.len()..];
                // "all accounts" is as often a system's as a person's.
                facts::USER_WORDS
                    .iter()
                    .filter(|u| **u != "account")
                    .any(|u| rest.starts_with(u))
            })
        };
        let nobody = ["nobody", "no one"].iter().any(|n| {
            sentence.find(n).is_some_and(|i| {
                ["could", "was able", "were able"]
                    .iter()
                    .any(|c| sentence[i..].contains(c))
            })
        });
        if EVERYONE.iter().any(|w| sentence.contains(w))
            || all_of("all ")
            || all_of("every ")
            || nobody
        {
            return Some((100.0, Of::Users));
        }
        let failed = FAILED.iter().any(|f| sentence.contains(f))
            || [" 500", " 502", " 503", " 504"]
                .iter()
                .any(|c| sentence.contains(c));
        if failed && ALL_TRAFFIC.iter().any(|w| sentence.contains(w)) {
            return Some((100.0, Of::Requests));
        }
    }
    None
}

/// "a quarter of checkouts", "half of our users": a share in words, of
/// users or of requests.
fn fraction(sentence: &str) -> Option<(f64, Of)> {
    const WORDS: [(&str, f64); 6] = [
        ("three quarters of ", 75.0),
        ("two thirds of ", 200.0 / 3.0),
        ("a quarter of ", 25.0),
        ("a third of ", 100.0 / 3.0),
        ("half of ", 50.0),
        ("half the ", 50.0),
    ];
    WORDS.iter().find_map(|(w, pct)| {
        let at = sentence.find(w)?;
        let of = sentence[at + w.len()..]
            .trim_start_matches("all ")
            .trim_start_matches("the ")
            .trim_start_matches("our ");
        if facts::USER_WORDS.iter().any(|u| of.starts_with(u)) {
            Some((*pct, Of::Users))
        } else {
            names_requests(of).then_some((*pct, Of::Requests))
        }
    })
}

fn negated(sentence: &str) -> bool {
    [
        "not all",
        "not every",
        "no users",
        "no customers",
        "none of",
    ]
    .iter()
    .any(|n| sentence.contains(n))
}

/// "40% of requests", "12.5 percent of all traffic".
fn percent_of_requests(sentence: &str) -> Option<f64> {
    facts::percentages(sentence)
        .into_iter()
        .find_map(|(pct, after)| {
            let of = after.trim_start().strip_prefix("of ")?;
            let of = of
                .trim_start_matches("all ")
                .trim_start_matches("the ")
                .trim_start_matches("our ")
                .trim_start_matches("incoming ")
                .trim_start_matches("inbound ");
            // "15% of new listings were affected": a share of anything the
            // sentence says was affected.
            // "30% of webhook deliveries are failing", "18% of listings
            // were stale": a share of anything the sentence says was hurt.
            let near: String = of
                .split([',', ';', '\t', '('])
                .next()
                .unwrap_or(of)
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" ");
            let near = format!(" {near}");
            let affected = HURT.iter().any(|w| near.contains(w));
            (affected || names_requests(of)).then_some(pct)
        })
}

/// Whether the words after "of" name requests, at most two qualifiers
/// before the noun: "requests", "checkout requests", "card
/// authorisations", but not "capacity and requests".
fn names_requests(of: &str) -> bool {
    const JOINING: [&str; 10] = [
        "and", "or", "to", "with", "for", "in", "on", "at", "than", "from",
    ];
    let words: Vec<&str> = of.split_whitespace().take(3).collect();
    (0..words.len())
        .take_while(|&k| k == 0 || !JOINING.contains(&words[k - 1]))
        .any(|k| {
            let rest = words[k..].join(" ");
            REQUEST_WORDS.iter().any(|w| rest.starts_with(w))
        })
}

/// The share affected: in the summary, an Impact line, the Impact
/// section, else any line outside the timeline.
pub(super) fn infer(doc: &Doc<'_>, meta: &[Meta], summary: &[(usize, &str)], out: &mut Inference) {
    let impact = doc.section(SectionKind::Impact);
    let impact_lines = impact.map(|s| doc.lines_of(s)).unwrap_or_default();
    let impact_source = impact.map_or_else(String::new, |s| format!("the {} section", s.title));
    // A hard-wrapped sentence is read whole ("about 40%" / "of uploads failed").
    let sourced = |lines: &[(usize, &str)], source: &str| {
        super::text::unwrap(lines, |_| false)
            .into_iter()
            .find_map(|(n, l)| share(&l).map(|p| (p, n, source.to_owned())))
    };
    let timeline = doc.span(SectionKind::Timeline);
    let elsewhere: Vec<(usize, &str)> = doc
        .lines
        .text
        .lines()
        .enumerate()
        .filter(|(i, _)| !timeline.contains(i))
        .map(|(i, l)| (doc.lines.file_line(i), l))
        .collect();
    let found = sourced(summary, "the summary")
        .or_else(|| {
            meta.iter()
                .filter(|m| m.key == MetaKey::Impact)
                .find_map(|m| {
                    let pct = share(&m.value)?;
                    Some((pct, m.line, format!("the {} line", m.label)))
                })
        })
        .or_else(|| sourced(&impact_lines, &impact_source))
        .or_else(|| sourced(&elsewhere, "the text"))
        .or_else(|| {
            let t = doc
                .lines
                .text
                .lines()
                .enumerate()
                .filter(|(i, _)| timeline.contains(i));
            let lines: Vec<(usize, &str)> = t.map(|(i, l)| (doc.lines.file_line(i), l)).collect();
            sourced(&lines, "the timeline")
        });
    if let Some(((pct, of), line, source)) = found {
        out.users_pct = Some(pct);
        let source = format!("{source}{}", of.describe());
        out.fact("impact.users_pct", pct.to_string(), line, &source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_as_written() {
        assert_eq!(
            share("Approximately 85% of users were affected."),
            Some((85.0, Of::Users))
        );
        assert_eq!(
            share("users hit errors: 40% of requests failed"),
            Some((40.0, Of::Requests))
        );
        assert_eq!(
            share("About 12.5 percent of all traffic was dropped"),
            Some((12.5, Of::Requests))
        );
        assert_eq!(
            share("All users saw a blank page."),
            Some((100.0, Of::Users))
        );
        assert_eq!(
            share("Every customer was logged out"),
            Some((100.0, Of::Users))
        );
        assert_eq!(
            share("The entire site was unavailable"),
            Some((100.0, Of::Users))
        );
        assert_eq!(
            share("This meant that all inbound traffic failed to reach the cluster."),
            Some((100.0, Of::Requests))
        );
        assert_eq!(
            share("causing no ingress traffic to be received nor routed"),
            Some((100.0, Of::Requests))
        );
    }

    #[test]
    fn what_is_no_share() {
        assert_eq!(share("Not all users were affected."), None);
        assert_eq!(share("all services returned 503"), None);
        assert_eq!(share("Requests: CPU at 78% and memory at 82%."), None);
        assert_eq!(share("threshold raised from 85% to 90%"), None);
        assert_eq!(share("We looked at all traffic graphs"), None);
        assert_eq!(share("5 out of 46 nodes were affected"), None);
        assert_eq!(
            share("About 15% of new listings were affected."),
            Some((15.0, Of::Requests))
        );
        assert_eq!(share("Home feed loading for all users again"), None);
        assert_eq!(
            share("All partners were affected."),
            Some((100.0, Of::Users))
        );
        assert_eq!(
            share("nobody in the office could use wifi"),
            Some((100.0, Of::Users))
        );
        assert_eq!(
            share("roughly 30% of order emails went out late"),
            Some((30.0, Of::Requests))
        );
        assert_eq!(share("nobody noticed for an hour"), None);
        assert_eq!(
            share("12% of checkout requests returned 502 Bad Gateway."),
            Some((12.0, Of::Requests))
        );
        assert_eq!(
            share("the API rejected about 40% of card authorisations"),
            Some((40.0, Of::Requests))
        );
        assert_eq!(share("disk at 90% of capacity and requests queued"), None);
        assert_eq!(share("95% of the cluster's memory and calls"), None);
        assert_eq!(
            share("alert when the count exceeds 80% of the limit, then retry failed reports"),
            None
        );
    }
}
