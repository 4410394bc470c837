//! The lifecycle of an incident in order: detected no earlier than
//! started, acknowledged no earlier than detected, mitigated no earlier
//! than started, resolved no earlier than started or detected. A point
//! written before the one it follows makes a "time to" negative, which
//! would drag medians below zero: it is an error, naming both lines.

use jiff::Timestamp;

use crate::diagnostic::Code;
use crate::model::Incident;

/// One point of the lifecycle written before the one it must follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inversion {
    /// The diagnostic's code.
    pub code: Code,
    /// The canonical key written too early (`detected`).
    pub later: &'static str,
    /// Its value.
    pub later_at: Timestamp,
    /// The canonical key it must follow (`started`).
    pub earlier: &'static str,
    /// Its value.
    pub earlier_at: Timestamp,
    /// What would go negative ("the time to detect").
    pub measure: &'static str,
}

/// Every pair of `incident`'s lifecycle points out of order.
pub fn inversions(incident: &Incident) -> Vec<Inversion> {
    let i = incident;
    let pairs = [
        (
            "detected",
            i.detected,
            "started",
            i.started,
            "the time to detect",
        ),
        (
            "acknowledged",
            i.acknowledged,
            "detected",
            i.detected,
            "the time to acknowledge",
        ),
        (
            "mitigated",
            i.mitigated,
            "started",
            i.started,
            "the time to mitigate",
        ),
        ("resolved", i.resolved, "started", i.started, "the duration"),
        (
            "resolved",
            i.resolved,
            "detected",
            i.detected,
            "the time from detection to resolution",
        ),
    ];
    pairs
        .into_iter()
        .filter_map(|(later, l, earlier, e, measure)| {
            let (later_at, earlier_at) = (l?, e?);
            (later_at < earlier_at).then_some(Inversion {
                code: if (later, earlier) == ("resolved", "started") {
                    Code::ResolvedBeforeStarted
                } else {
                    Code::NegativeInterval
                },
                later,
                later_at,
                earlier,
                earlier_at,
                measure,
            })
        })
        .collect()
}

impl Inversion {
    /// The message, with the keys as the file names them and the lines
    /// they are written on.
    pub fn message(&self, names: (&str, &str), lines: (usize, usize)) -> String {
        format!(
            "`{}` ({}, line {}) is before `{}` ({}, line {}): {} would be negative",
            names.0,
            crate::render::format::utc(self.later_at),
            lines.0,
            names.1,
            crate::render::format::utc(self.earlier_at),
            lines.1,
            self.measure
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<Timestamp> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn every_negative_interval_is_found() {
        let mut incident = crate::analysis::related::tests::incident("x", None, &[], &[]);
        incident.started = at("2024-06-08T03:00:00Z");
        incident.detected = at("2024-06-08T03:10:00Z");
        incident.acknowledged = at("2024-06-08T03:15:00Z");
        incident.mitigated = at("2024-06-08T03:30:00Z");
        incident.resolved = at("2024-06-08T04:00:00Z");
        assert!(inversions(&incident).is_empty());
        // Detected years before the start: only the time to detect goes
        // negative (resolved, 2024-06-08 04:00, is still after it).
        incident.detected = at("2019-06-08T03:10:00Z");
        let found = inversions(&incident);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].later, found[0].earlier), ("detected", "started"));
        assert_eq!(found[0].code, Code::NegativeInterval);
        // Resolved before detected and before started; acknowledged
        // before detected; mitigated before started.
        incident.detected = at("2024-06-08T05:00:00Z");
        incident.acknowledged = at("2024-06-08T04:30:00Z");
        incident.mitigated = at("2024-06-08T02:00:00Z");
        incident.resolved = at("2024-06-08T02:30:00Z");
        let pairs: Vec<_> = inversions(&incident)
            .iter()
            .map(|v| (v.later, v.earlier, v.code))
            .collect();
        assert_eq!(
            pairs,
            [
                ("acknowledged", "detected", Code::NegativeInterval),
                ("mitigated", "started", Code::NegativeInterval),
                ("resolved", "started", Code::ResolvedBeforeStarted),
                ("resolved", "detected", Code::NegativeInterval),
            ]
        );
    }
}
