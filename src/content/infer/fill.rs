//! What an inference gives an incident: everything, for a file without
//! front matter; only what the front matter lacks, for a file with it
//! (never a value the file states). Either way each value kb inferred is
//! listed in `extra.inferred`, for pages to mark, and warned about once.

use std::path::Path;

use super::{Fact, Inference};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Incident;

/// What a file with front matter states, so that inference fills the rest.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stated {
    /// The front matter has a `title`.
    pub title: bool,
    /// The front matter has a `[[timeline]]`.
    pub timeline: bool,
}

impl Inference {
    /// Fills `incident` with what was inferred.
    pub fn apply(&self, incident: &mut Incident) {
        incident.title.clone_from(&self.title);
        incident.started = self.started;
        incident.resolved = self.resolved;
        incident.detected = self.detected;
        incident.known_duration = self.known_duration;
        if let Some(zone) = &self.zone {
            incident.timezone = zone.clone();
        }
        incident.impact.users_pct = self.users_pct;
        incident.actions.clone_from(&self.actions);
        incident.timeline.clone_from(&self.timeline);
        incident.services.clone_from(&self.services);
        incident.causes.clone_from(&self.causes);
        incident.tags.clone_from(&self.tags);
        incident.severity.clone_from(&self.severity);
        incident.authors.clone_from(&self.authors);
        if let Some(cause) = &self.root_cause {
            incident
                .extra
                .insert("root_cause".into(), cause.clone().into());
        }
        let fields: Vec<&str> = self.facts.iter().map(|f| f.field).collect();
        mark(incident, &fields);
    }

    /// Fills only what `incident`, read from front matter that states
    /// `stated`, lacks; returns the facts it used.
    pub fn fill(&self, incident: &mut Incident, stated: Stated) -> Vec<Fact> {
        let mut used: Vec<&'static str> = Vec::new();
        let mut take = |field: &'static str, gap: bool| {
            let take = gap && self.facts.iter().any(|f| f.field == field);
            if take {
                used.push(field);
            }
            take
        };
        let mut sentence = None;
        if take("title", !stated.title) {
            incident.title.clone_from(&self.title);
            let from_file = self
                .facts
                .iter()
                .any(|f| f.field == "title" && f.source == "the file name");
            if let Some((title, line)) = self.sentence_title.clone().filter(|_| from_file) {
                incident.title.clone_from(&title);
                sentence = Some(Fact {
                    field: "title",
                    value: title,
                    line,
                    source: "the first sentence".into(),
                });
            }
        }
        let no_window = incident.started.is_none() && incident.resolved.is_none();
        if take("started", incident.started.is_none()) {
            incident.started = self.started;
        }
        if take("resolved", incident.resolved.is_none() && no_window) {
            incident.resolved = self.resolved;
        }
        if take("duration", no_window && incident.known_duration.is_none()) {
            incident.known_duration = self.known_duration;
        }
        if take("detected", incident.detected.is_none() && no_window) {
            incident.detected = self.detected;
        }
        if take(
            "timeline",
            !stated.timeline && (incident.timeline.is_empty() || no_window),
        ) {
            incident.timeline.clone_from(&self.timeline);
        }
        if take("impact.users_pct", incident.impact.users_pct.is_none()) {
            incident.impact.users_pct = self.users_pct;
        }
        if take("actions", incident.actions.is_empty()) {
            incident.actions.clone_from(&self.actions);
        }
        if take("services", incident.services.is_empty()) {
            incident.services.clone_from(&self.services);
        }
        if take("causes", incident.causes.is_empty()) {
            incident.causes.clone_from(&self.causes);
        }
        if take("root_cause", !incident.extra.contains_key("root_cause"))
            && let Some(cause) = &self.root_cause
        {
            incident
                .extra
                .insert("root_cause".into(), cause.clone().into());
        }
        mark(incident, &used);
        self.facts
            .iter()
            .filter(|f| used.contains(&f.field))
            .map(|f| match &sentence {
                Some(s) if f.field == "title" => s.clone(),
                _ => f.clone(),
            })
            .collect()
    }

    /// One `inferred` warning per fact, pointing at its line of `source`,
    /// and one `contradiction` warning per pair of statements that
    /// disagree.
    pub fn warnings(&self, path: &Path, source: &str) -> Vec<Diagnostic> {
        let mut out = warnings(self.facts.iter(), path, source);
        out.extend(self.conflicts.iter().map(|(message, line)| {
            Diagnostic::warning(Code::Contradiction, path, message.clone()).at(source, *line, 1)
        }));
        out
    }
}

/// One `inferred` warning per fact of `facts`.
pub fn warnings<'a>(
    facts: impl Iterator<Item = &'a Fact>,
    path: &Path,
    source: &str,
) -> Vec<Diagnostic> {
    facts
        .map(|f| {
            let message = format!(
                "{} inferred from {}, line {}: {}",
                f.field, f.source, f.line, f.value
            );
            Diagnostic::warning(Code::Inferred, path, message).at(source, f.line, 1)
        })
        .collect()
}

/// Lists `fields` in the incident's `extra.inferred`.
fn mark(incident: &mut Incident, fields: &[&str]) {
    if fields.is_empty() {
        return;
    }
    let mut list: Vec<serde_json::Value> = fields.iter().map(|&f| f.into()).collect();
    list.dedup();
    incident.extra.insert("inferred".into(), list.into());
}
