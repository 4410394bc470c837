//! What a timeline entry says happened, from its words: impact showing
//! (errors, an outage, something failing or expiring), service coming
//! back (restored, resolved, working again), or work only beginning
//! (investigation started, began working on a rollback). Used to tell the
//! rows before the impact (a maintenance starting, a change applied) from
//! its start, and the restoration from the follow-ups after it.

/// Words that say users or systems were hurt (an alert or a page says it
/// was noticed, not that it began). Matched at word starts.
const IMPACT: [&str; 44] = [
    "fail",
    "error",
    "outage",
    "down$",
    "unavailable",
    "unable",
    "unreachable",
    "unresponsive",
    "crash",
    "expire",
    "broke$",
    "breaking",
    "deleted",
    "reverts",
    "reverted",
    "*notready",
    "*oomkill",
    "oom$",
    "out of memory",
    "*crashloop",
    "not ready",
    "no space",
    "timeout",
    "timed out",
    "timing out",
    "stopped",
    "stops",
    "stop$",
    "stuck",
    "stall",
    "degraded",
    "spike",
    "latency",
    "unexpected",
    "accidental",
    "unintended",
    "unintentional",
    "problem started",
    "returning 4",
    "returning 5",
    "500",
    "502",
    "503",
    "504",
];

/// Phrases that say service came back.
const RESTORED: [&str; 38] = [
    "restored",
    "caught up",
    "resolved",
    "recovered",
    "recovery",
    "operational",
    "back to normal",
    "back online",
    "back up",
    "up and running",
    "working again",
    "working as",
    "is working",
    "are working",
    "confirmed working",
    "verified working",
    "works",
    "fixed",
    "solved",
    "mitigated",
    "healthy",
    "resum",
    "to normal",
    "normally",
    "were normal",
    "was normal",
    "is normal",
    "are normal",
    "normal levels",
    "reconnected",
    "rolled back",
    "rollback performed",
    "rollback completed",
    "reattached",
    "available again",
    "all clear",
    "fix deployed",
    "fix applied",
];

/// Words of planned or routine work, and of changes going out: rows
/// before the impact.
const CONTEXT: [&str; 25] = [
    "deploy",
    "as usual",
    "nightly",
    "routine",
    "release",
    "rollout",
    "rolled out",
    "pushes",
    "pushed",
    "applied",
    "upgrade",
    "migration",
    "proactive",
    "maintenance",
    "scheduled",
    "planned",
    "workshop",
    "review",
    "coordinat",
    "hand-over",
    "handed over",
    "handover",
    "executed",
    "commenced",
    "kicked off",
];

/// Phrases that say work is only beginning.
const BEGINNING: [&str; 6] = [
    "began",
    "begin",
    "started working",
    "start working",
    "started investigat",
    "starting",
];

/// Whether `text` has `phrase` at a word start (and, for a phrase that is
/// a whole word in the list, not as the end of another word:
/// "unhealthy" is not "healthy").
/// A phrase ending in `$` must end a word too ("down" is not
/// "download"); one starting with `*` may stand anywhere in a word
/// ("NodeNotReady").
fn has(text: &str, phrase: &str) -> bool {
    let (anywhere, phrase) = match phrase.strip_prefix('*') {
        Some(p) => (true, p),
        None => (false, phrase),
    };
    let (whole, phrase) = match phrase.strip_suffix('$') {
        Some(p) => (true, p),
        None => (false, phrase),
    };
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(phrase).any(|(i, _)| {
        (anywhere || !alnum(text[..i].chars().next_back()))
            && (!whole || !alnum(text[i + phrase.len()..].chars().next()))
    })
}

fn lower(text: &str) -> String {
    super::text::plain(text).to_lowercase()
}

/// Whether a negation stands right before `phrase` ("not restored",
/// "still not working", "avoid breaking").
fn negated(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).all(|(i, _)| {
        text[..i].split_whitespace().rev().take(3).any(|w| {
            ["not", "no", "avoid", "still", "without", "prevent", "never"].contains(&w)
                || w.ends_with("n't")
        })
    })
}

/// The entry says impact showed.
pub fn impact(text: &str) -> bool {
    let t = lower(text);
    IMPACT
        .iter()
        .any(|p| has(&t, p) && !negated(&t, p.trim_start_matches('*').trim_end_matches('$')))
}

/// Verbs that, with "again", say something runs once more.
const AGAIN: [&str; 15] = [
    "delivered",
    "current",
    "processing",
    "loading",
    "succeed",
    "print",
    "running",
    "working",
    "responding",
    "shipping",
    "serving",
    "available",
    "online",
    "flowing",
    "up",
];

/// The entry says service came back.
pub fn restored(text: &str) -> bool {
    let t = lower(text);
    let again = has(&t, "again") && AGAIN.iter().any(|w| has(&t, w));
    (again
        || RESTORED
            .iter()
            .any(|p| has(&t, p) && !negated(&t, p) && !has(&t, &format!("un{p}"))))
        && !has(&t, "still")
}

/// The entry tells of planned or routine work, not of impact: context.
pub fn context(text: &str) -> bool {
    let t = lower(text);
    CONTEXT.iter().any(|p| has(&t, p)) && !impact(text)
}

/// The entry says work is only beginning, with no word of restoration.
pub fn beginning(text: &str) -> bool {
    let t = lower(text);
    BEGINNING.iter().any(|p| has(&t, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_rows() {
        assert!(impact("Automated warning from AWS: unable to scale up"));
        assert!(!impact("Queue alert fires"));
        assert!(impact("Pull request unexpectedly triggers the pipeline"));
        assert!(impact("Node starts reporting \"no space left on device\""));
        assert!(impact("All Kubernetes services returning 404"));
        assert!(!impact(
            "Proactively scaling up the cluster from 7 to 10 nodes"
        ));
        assert!(!impact("Team in DK reviews and revise handed-over code"));
        assert!(!impact(
            "Decided to not patch accounts to avoid breaking capabilities"
        ));
        assert!(!impact("Identified problem with ADSync assuming roles"));
        assert!(!impact(
            "Planned maintenance window for the message broker upgrade"
        ));
        assert!(impact("First occurence of a node in NodeNotReady state"));
    }

    #[test]
    fn restoration_rows() {
        assert!(restored("All systems verified operational"));
        assert!(restored(
            "Everything is back to normal and verified working."
        ));
        assert!(restored(
            "The 5 nodes has started shipping logs to CloudWatch again"
        ));
        assert!(restored(
            "Pipeline ran and nodes rolled back to previous AMI"
        ));
        assert!(restored(
            "Target group reattached to load balancer (resolved)."
        ));
        assert!(!restored("ALB targets unhealthy"));
        assert!(!restored("All Kubernetes services still returning 404"));
        assert!(!restored("Service not restored yet"));
        assert!(!restored("PAX reach out: PODs not starting back up"));
        assert!(!restored("Cordoned and force drained the NotReady node."));
        assert!(!restored("Scaled the dev container to 0 replicas again."));
    }

    #[test]
    fn context_rows() {
        assert!(context(
            "Proactively scaling up the cluster from 7 to 10 nodes"
        ));
        assert!(context("Team in DK reviews and revise handed-over code"));
        assert!(!context("Scheduled cluster deployment pipeline failed"));
        assert!(!context("Relay disk reaches 100%"));
        assert!(context("Deploy of ranking-model v41 starts"));
        assert!(context("nightly reindex starts"));
        assert!(!context("nightly reindex fails"));
        assert!(restored("backlog indexed, search current again"));
        assert!(restored("indexing caught up at 09:10"));
        assert!(restored("writes succeeded again from 11:42"));
        assert!(!context(
            "A new CSI driver was deployed, breaking required annotations"
        ));
    }

    #[test]
    fn beginning_rows() {
        assert!(beginning(
            "Issue identified. Began working on rollback of the change"
        ));
        assert!(!beginning(
            "Removed the Ingress object, verified that it forwards"
        ));
    }
}
