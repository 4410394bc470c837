//! `kb show SLUG`: an incident's facts and its timeline as text, for a
//! quick look in the terminal without building the site.

use std::fmt::Write;
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::config::Config;
use crate::content;
use crate::model::Incident;
use crate::render::diagram::{Timeline, ascii};
use crate::render::format;

/// How many characters wide the timeline's plot is.
const PLOT_WIDTH: usize = 64;

/// Prints the incident `slug` of the knowledge base at `root`; returns the
/// process exit code.
pub fn run(root: &Path, slug: &str) -> i32 {
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(d) => {
            eprintln!("{}", super::report::render(&d, false));
            return 1;
        }
    };
    let loaded = content::load(root, &config, true);
    let wanted = content::slug::slugify(slug);
    let Some(incident) = loaded.incidents.iter().find(|i| i.slug == wanted) else {
        for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            eprintln!("{}", super::report::render(d, false));
        }
        let similar: Vec<&str> = loaded
            .incidents
            .iter()
            .map(|i| i.slug.as_str())
            .filter(|s| s.contains(&wanted))
            .collect();
        eprintln!("kb: no incident with the slug `{wanted}`");
        if !similar.is_empty() {
            eprintln!("did you mean: {}", similar.join(", "));
        }
        return 1;
    };
    let zone = config.time_zone().clone();
    print!("{}", show(incident, &zone));
    0
}

/// The text `kb show` prints for `incident`: instants in UTC and in
/// `zone`, the timeline on the clock the postmortem was written on.
pub fn show(incident: &Incident, zone: &TimeZone) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n{}",
        incident.title,
        "=".repeat(incident.title.chars().count())
    );
    let mut fact = |name: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            let _ = writeln!(out, "{name:>16}  {value}");
        }
    };
    let at = |t: Option<Timestamp>| {
        t.map(|t| format!("{} ({})", format::utc(t), format::local(t, zone)))
    };
    let since = |d: Option<jiff::SignedDuration>| d.map(format::duration);
    fact("slug", Some(incident.slug.clone()));
    fact("file", Some(incident.source.display().to_string()));
    fact("status", Some(incident.status.as_str().to_owned()));
    fact("severity", incident.severity.clone());
    fact("services", Some(incident.services.join(", ")));
    fact("causes", Some(incident.causes.join(", ")));
    fact("trigger", incident.trigger.clone());
    fact("detection", incident.detection.clone());
    fact("started", at(incident.started));
    fact("detected", at(incident.detected));
    fact("acknowledged", at(incident.acknowledged));
    fact("mitigated", at(incident.mitigated));
    fact("resolved", at(incident.resolved));
    fact("duration", since(incident.duration()));
    fact("time to detect", since(incident.time_to_detect()));
    fact("to acknowledge", since(incident.time_to_acknowledge()));
    fact("to mitigate", since(incident.time_to_mitigate()));
    fact(
        "users affected",
        incident.impact.users_pct.map(|p| format!("{p} %")),
    );
    let open = incident
        .actions
        .iter()
        .filter(|a| a.status == crate::model::ActionStatus::Open)
        .count();
    fact(
        "actions",
        (!incident.actions.is_empty()).then(|| format!("{} ({open} open)", incident.actions.len())),
    );
    out.push('\n');
    match Timeline::of(incident, &incident.timezone) {
        Some(timeline) => out.push_str(&ascii::render(&timeline, PLOT_WIDTH)),
        None => out.push_str("No timeline: no time in this postmortem can be placed.\n"),
    }
    out
}
