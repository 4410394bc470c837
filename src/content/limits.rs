//! Ceilings on one postmortem, besides its size ([`super::MAX_FILE_BYTES`]):
//! how many services, causes or tags it may name, and how many timeline
//! events it may have. Past them a file is an error naming the limit, not a
//! site whose pages and diagrams grow without bound.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Incident;

/// The most services, causes or tags one postmortem may name (each).
pub const MAX_NAMES: usize = 200;

/// The most timeline events one postmortem may have.
pub const MAX_EVENTS: usize = 10_000;

/// An error for each ceiling `incident` (from the file at `path`, whose text
/// is `source`) goes past; `line_of` gives the line a front matter key is
/// written on.
pub fn check(
    incident: &Incident,
    path: &Path,
    source: &str,
    line_of: impl Fn(&str) -> usize,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let lists = [
        ("services", &incident.services),
        ("causes", &incident.causes),
        ("tags", &incident.tags),
    ];
    for (key, names) in lists {
        if names.len() > MAX_NAMES {
            let message = format!(
                "`{key}` names {} {key}, more than the {MAX_NAMES} a postmortem may name: keep the ones the incident hit",
                names.len()
            );
            out.push(Diagnostic::error(Code::TooManyNames, path, message).at(
                source,
                line_of(key),
                1,
            ));
        }
    }
    if let Some(past) = incident.timeline.get(MAX_EVENTS) {
        let line = if past.line > 0 {
            past.line
        } else {
            line_of("timeline")
        };
        let message = format!(
            "the timeline has {} events, more than the {MAX_EVENTS} a postmortem may have: this is the first one past the limit",
            incident.timeline.len()
        );
        out.push(Diagnostic::error(Code::TooManyEvents, path, message).at(source, line, 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TimelineEvent;

    #[test]
    fn lists_and_timelines_past_the_ceilings_are_errors() {
        let mut incident = crate::analysis::related::tests::incident("x", None, &[], &[]);
        let source = "+++\ntitle = \"x\"\nservices = []\n+++\n";
        let line_of = |key: &str| if key == "services" { 3 } else { 1 };
        incident.services = (0..MAX_NAMES).map(|n| format!("s{n}")).collect();
        assert!(check(&incident, Path::new("x.md"), source, line_of).is_empty());
        incident.services.push("one more".into());
        let event = |line| TimelineEvent {
            at: None,
            time: jiff::civil::Time::midnight(),
            text: "x".into(),
            kind: None,
            line,
            untimed: false,
        };
        incident.timeline = (0..=MAX_EVENTS).map(|n| event(10 + n)).collect();
        let found: Vec<(Code, usize)> = check(&incident, Path::new("x.md"), source, line_of)
            .iter()
            .map(|d| (d.code, d.position.as_ref().unwrap().line))
            .collect();
        // The 10,001st event is on line 10 + 10,000.
        assert_eq!(
            found,
            [(Code::TooManyNames, 3), (Code::TooManyEvents, 10_010)]
        );
    }
}
