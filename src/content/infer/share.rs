//! The share affected, as documents state it: a percentage of users
//! ("85% of users"), a percentage of requests or traffic ("40% of
//! requests failed", counted as the share affected), or words that mean
//! everyone ("all users", "every customer", "the entire site was down",
//! "all inbound traffic failed", "no traffic was served").

use super::facts;

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

const REQUEST_WORDS: [&str; 10] = [
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

/// Everyone, in words: (subject, what must follow somewhere after it).
const EVERYONE: [&str; 14] = [
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
        if negated(sentence) {
            continue;
        }
        if EVERYONE.iter().any(|w| sentence.contains(w)) {
            return Some((100.0, Of::Users));
        }
        if let Some(i) = ALL_TRAFFIC.iter().find_map(|w| sentence.find(w)) {
            let after = &sentence[i..];
            if FAILED.iter().any(|f| after.contains(f)) {
                return Some((100.0, Of::Requests));
            }
        }
    }
    None
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
            REQUEST_WORDS
                .iter()
                .any(|w| of.starts_with(w))
                .then_some(pct)
        })
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
    }
}
