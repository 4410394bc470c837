//! Lint: the warnings `kb check` adds about postmortems that parsed: names
//! outside the site's registry, missing recommended fields, timelines that
//! leave the incident or go backwards, action items nobody owns or dates or
//! that link to a script URL, `related` slugs that lead nowhere, starts in
//! the future. Takes the incidents (drafts included), the configuration,
//! the build time and each file's text (to point at lines); gives
//! diagnostics.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::Config;
use crate::content::markdown::is_script_url;
use crate::content::{self, Split, slug::slugify};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ActionStatus, Incident, Status};

pub use crate::content::Sources;

/// What to lint.
#[derive(Debug, Clone, Copy)]
pub struct LintInput<'a> {
    /// Every incident that parsed, drafts included (they are `related`
    /// targets too).
    pub incidents: &'a [Arc<Incident>],
    /// The site's settings.
    pub config: &'a Config,
    /// The build time: a start after it is a typo.
    pub now: Timestamp,
    /// The files' texts, for positions and excerpts.
    pub sources: &'a Sources,
    /// Lint drafts too.
    pub drafts: bool,
}

/// Front matter keys a postmortem should have.
const RECOMMENDED: [&str; 7] = [
    "severity", "services", "causes", "started", "detected", "resolved", "summary",
];

/// Every warning about `input.incidents`, in no particular order.
pub fn lint(input: &LintInput<'_>) -> Vec<Diagnostic> {
    let slugs: HashSet<&str> = input.incidents.iter().map(|i| i.slug.as_str()).collect();
    let services = registry(input.config.services.iter().map(|(k, e)| (k, &e.aliases)));
    let causes = registry(input.config.causes.iter().map(|(k, e)| (k, &e.aliases)));
    let mut out = Vec::new();
    for incident in input.incidents {
        if incident.status == Status::Draft && !input.drafts {
            continue;
        }
        let source = input
            .sources
            .get(&incident.source)
            .map_or("", String::as_str);
        let place = Place::new(incident, source, input.config);
        let mut warn = Warn {
            place: &place,
            out: &mut out,
        };
        if let Some(known) = &services {
            warn.outside_registry(Code::UnknownService, &incident.services, known, "services");
        }
        if let Some(known) = &causes {
            warn.outside_registry(Code::UnknownCause, &incident.causes, known, "causes");
        }
        warn.missing_fields(incident);
        warn.timeline(incident);
        warn.actions(incident);
        warn.related(incident, &slugs);
        warn.future_start(incident, input.now);
        warn.long_incident(incident);
    }
    out
}

/// The slugs of a registry's keys and aliases; `None` when it is empty
/// (a site without a registry accepts any name).
fn registry<'a>(
    entries: impl Iterator<Item = (&'a String, &'a Vec<String>)>,
) -> Option<HashSet<String>> {
    let known: HashSet<String> = entries
        .flat_map(|(key, aliases)| std::iter::once(key).chain(aliases))
        .map(|name| slugify(name))
        .collect();
    (!known.is_empty()).then_some(known)
}

/// Where in one file things are: its front matter keys and lines.
struct Place<'a> {
    incident: &'a Incident,
    source: &'a str,
    /// The file cut at its front matter, when it has one: enough to find
    /// keys without parsing the front matter again.
    front: Option<Split<'a>>,
    config: &'a Config,
}

impl<'a> Place<'a> {
    fn new(incident: &'a Incident, source: &'a str, config: &'a Config) -> Self {
        let front = content::split(source).ok().filter(|s| s.format.is_some());
        Place {
            incident,
            source,
            front,
            config,
        }
    }

    /// A warning at the `nth` line assigning canonical `key` (under its
    /// mapped name); about the whole file when there is no front matter.
    fn at_key(&self, code: Code, key: &str, nth: usize, message: String) -> Diagnostic {
        let d = Diagnostic::warning(code, &self.incident.source, message);
        match &self.front {
            Some(fm) => {
                let (line, column) = fm.locate_nth(self.config.field_name(key), nth);
                d.at(self.source, line, column)
            }
            None => d,
        }
    }

    /// A warning at body `line` (1-based; 0 means front matter `timeline`).
    fn at_line(&self, code: Code, line: usize, message: String) -> Diagnostic {
        if line == 0 {
            return self.at_key(code, "timeline", 0, message);
        }
        let d = Diagnostic::warning(code, &self.incident.source, message);
        match self.source.lines().nth(line - 1) {
            Some(text) => {
                let column = text.chars().take_while(|c| c.is_whitespace()).count() + 1;
                d.at(self.source, line, column)
            }
            None => d,
        }
    }
}

/// Collects one incident's warnings.
struct Warn<'p, 'a> {
    place: &'p Place<'a>,
    out: &'p mut Vec<Diagnostic>,
}

impl Warn<'_, '_> {
    fn outside_registry(
        &mut self,
        code: Code,
        names: &[String],
        known: &HashSet<String>,
        key: &str,
    ) {
        for name in names {
            let slug = slugify(name);
            if !known.contains(&slug) {
                let message = format!(
                    "\"{name}\" is not in site.toml's [{key}] registry: fix the spelling, or add [{key}.{slug}] (or an alias)"
                );
                self.out.push(self.place.at_key(code, key, 0, message));
            }
        }
    }

    fn missing_fields(&mut self, incident: &Incident) {
        let missing = |key: &str| match key {
            "severity" => incident.severity.is_none(),
            "services" => incident.services.is_empty(),
            "causes" => incident.causes.is_empty(),
            "started" => incident.started.is_none(),
            "detected" => incident.detected.is_none(),
            "resolved" => incident.resolved.is_none(),
            _ => incident.summary.is_none(),
        };
        for key in RECOMMENDED.into_iter().filter(|k| missing(k)) {
            let name = self.place.config.field_name(key);
            let why = match key {
                "severity" => "the incident is counted under no severity level",
                "services" => "no service page lists it",
                "causes" => "no cause page lists it and recurrences go unseen",
                "started" | "resolved" => "its duration and downtime are unknown",
                "detected" => "its time to detect is unknown",
                _ => "lists and the feed show no summary (or add a Summary section)",
            };
            self.out.push(Diagnostic::warning(
                Code::MissingRecommendedField,
                &incident.source,
                format!("no `{name}`: {why}"),
            ));
        }
    }

    fn timeline(&mut self, incident: &Incident) {
        let mut previous: Option<Timestamp> = None;
        for event in &incident.timeline {
            let Some(at) = event.at else { continue };
            if let Some(started) = incident.started
                && at < started
            {
                let message = format!(
                    "this event ({at}) is before `started` ({started}): fix its time, or move `started` earlier"
                );
                self.out.push(
                    self.place
                        .at_line(Code::EventOutsideIncident, event.line, message),
                );
            } else if let Some(resolved) = incident.resolved
                && at > resolved
            {
                let message = format!(
                    "this event ({at}) is after `resolved` ({resolved}): fix its time, or move `resolved` later"
                );
                self.out.push(
                    self.place
                        .at_line(Code::EventOutsideIncident, event.line, message),
                );
            }
            if let Some(before) = previous
                && at < before
            {
                let message = format!(
                    "this event ({at}) is earlier than the one above it ({before}): timelines are written in order"
                );
                self.out.push(
                    self.place
                        .at_line(Code::EventsOutOfOrder, event.line, message),
                );
            }
            previous = Some(at);
        }
    }

    fn actions(&mut self, incident: &Incident) {
        for (n, action) in incident.actions.iter().enumerate() {
            if let Some(url) = action.url.as_deref().filter(|u| is_script_url(u)) {
                let message = format!(
                    "action \"{}\" links to a script URL (`{url}`): pages show it without the link",
                    action.title
                );
                self.out
                    .push(self.place.at_key(Code::ScriptUrl, "actions", n, message));
            }
            if action.status != ActionStatus::Open {
                continue;
            }
            let title = &action.title;
            if action.owner.is_none() {
                let message = format!("open action \"{title}\" has no `owner`: nobody will do it");
                self.out.push(
                    self.place
                        .at_key(Code::ActionWithoutOwner, "actions", n, message),
                );
            }
            if action.due.is_none() {
                let message =
                    format!("open action \"{title}\" has no `due` date: it can never be overdue");
                self.out.push(
                    self.place
                        .at_key(Code::ActionWithoutDueDate, "actions", n, message),
                );
            }
        }
    }

    fn related(&mut self, incident: &Incident, slugs: &HashSet<&str>) {
        for slug in &incident.related {
            if !slugs.contains(slug.as_str()) {
                let message = format!(
                    "`related` names \"{slug}\", but no postmortem has that slug (a file's name, made URL-safe)"
                );
                self.out.push(
                    self.place
                        .at_key(Code::UnknownRelated, "related", 0, message),
                );
            }
        }
    }

    fn future_start(&mut self, incident: &Incident, now: Timestamp) {
        if let Some(started) = incident.started
            && started > now
        {
            let message = format!(
                "`started` ({started}) is after the build time ({now}): a typo in the year?"
            );
            self.out.push(
                self.place
                    .at_key(Code::StartedInFuture, "started", 0, message),
            );
        }
    }

    /// An incident that lasted longer than [`LONG_INCIDENT_DAYS`]: almost
    /// always a wrong year or month in `started` or `resolved`, and it would
    /// count whole in every downtime and availability figure.
    fn long_incident(&mut self, incident: &Incident) {
        let Some(duration) = incident.duration() else {
            return;
        };
        let days = duration.as_secs() / 86_400;
        if days > LONG_INCIDENT_DAYS {
            let message = format!(
                "the incident lasted {days} days (`started` to `resolved`): a typo in a year or \
                 month? Downtime and availability count all of it"
            );
            self.out.push(
                self.place
                    .at_key(Code::LongIncident, "resolved", 0, message),
            );
        }
    }
}

/// Longer than this, in days, an incident is probably a typo in a date.
const LONG_INCIDENT_DAYS: i64 = 90;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn check(text: &str, config: &Config) -> Vec<(Code, Option<usize>)> {
        let path = Path::new("content/x.md");
        let (incident, diags) =
            content::parse_bytes(path, text.as_bytes(), config, &jiff::tz::TimeZone::UTC);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        let incidents = vec![Arc::new(incident.unwrap())];
        let sources = Sources::from([(path.to_path_buf(), text.to_owned())]);
        let input = LintInput {
            incidents: &incidents,
            config,
            now: "2026-01-01T00:00:00Z".parse().unwrap(),
            sources: &sources,
            drafts: false,
        };
        let mut found: Vec<_> = lint(&input)
            .into_iter()
            .map(|d| (d.code, d.position.map(|p| p.line)))
            .collect();
        found.sort();
        found
    }

    const COMPLETE: &str = "+++\ntitle = \"t\"\nseverity = \"SEV2\"\nservices = [\"api\"]\ncauses = [\"bug\"]\nsummary = \"s\"\nstarted = 2025-01-01T10:00:00Z\ndetected = 2025-01-01T10:05:00Z\nresolved = 2025-01-01T11:00:00Z\n";

    #[test]
    fn a_complete_postmortem_is_clean() {
        let text = format!("{COMPLETE}+++\n## Timeline\n\n- 10:00 start\n- 11:00 end\n");
        assert_eq!(check(&text, &Config::default()), []);
    }

    #[test]
    fn timeline_outside_and_out_of_order() {
        let text = format!(
            "{COMPLETE}+++\n## Timeline\n\n- 09:50 deploy\n- 10:30 a\n- 2025-01-01 10:20 b\n- 12:00 after\n"
        );
        assert_eq!(
            check(&text, &Config::default()),
            [
                (Code::EventOutsideIncident, Some(13)),
                (Code::EventOutsideIncident, Some(16)),
                (Code::EventsOutOfOrder, Some(15)),
            ]
        );
    }

    #[test]
    fn registry_actions_related_and_future() {
        let mut config = Config::default();
        config.services.insert("api".into(), Default::default());
        config.causes.insert(
            "bad-deploy".into(),
            crate::config::CauseEntry {
                aliases: vec!["Bug".into()],
                ..Default::default()
            },
        );
        let text = "+++\ntitle = \"t\"\nseverity = \"SEV2\"\nservices = [\"api\", \"web\"]\ncauses = [\"bug\"]\nsummary = \"s\"\nstarted = 2027-01-01T10:00:00Z\ndetected = 2027-01-01T10:05:00Z\nresolved = 2027-01-01T11:00:00Z\nrelated = [\"nowhere\"]\n\n[[actions]]\ntitle = \"a\"\nowner = \"me\"\n\n[[actions]]\ntitle = \"b\"\ndue = 2027-02-01\nurl = \"javascript:x()\"\n+++\n";
        assert_eq!(
            check(text, &config),
            [
                (Code::ActionWithoutDueDate, Some(12)),
                (Code::ActionWithoutOwner, Some(16)),
                (Code::ScriptUrl, Some(16)),
                (Code::StartedInFuture, Some(7)),
                (Code::UnknownRelated, Some(10)),
                (Code::UnknownService, Some(4)),
            ]
        );
    }

    #[test]
    fn an_incident_over_ninety_days_is_flagged_at_resolved() {
        let long = COMPLETE.replace("resolved = 2025-01-01", "resolved = 2026-01-01");
        let found = check(&format!("{long}+++\n"), &Config::default());
        assert_eq!(found, [(Code::LongIncident, Some(9))]);
        let ninety = COMPLETE.replace("resolved = 2025-01-01T11", "resolved = 2025-04-01T10");
        assert_eq!(check(&format!("{ninety}+++\n"), &Config::default()), []);
    }

    #[test]
    fn missing_fields_are_named() {
        let found = check("+++\ntitle = \"t\"\n+++\nbody\n", &Config::default());
        assert_eq!(found.len(), 7);
        assert!(
            found
                .iter()
                .all(|&(c, l)| c == Code::MissingRecommendedField && l.is_none())
        );
    }
}
