//! Writing an inference out: a kb file whose TOML front matter holds what
//! was inferred and whose body is the document: a plain one as the
//! Markdown that lays it out as its author did, a Markdown one untouched.
//! What `kb import` writes; pure, so tests can read the result.

use std::fmt::Write;
use std::path::Path;

use jiff::tz::TimeZone;
use toml::Value;

use super::{Inference, format_instant, infer};
use crate::config::Config;
use crate::content::frontmatter;
use crate::content::sections::{self, SectionKind};
use crate::content::timeline;
use crate::model::ActionStatus;

/// What importing one document gave.
#[derive(Debug, Clone)]
pub enum Imported {
    /// The kb file's text and what was inferred.
    File {
        /// Front matter and the body.
        text: String,
        /// The inference the front matter holds.
        inference: Box<Inference>,
    },
    /// The document has front matter already: nothing to infer.
    HasFrontMatter,
    /// The bytes are not UTF-8 text.
    NotText,
}

/// Imports the document at `path` (its bytes): infers what it can and
/// writes it as front matter above the body.
pub fn import(path: &Path, bytes: &[u8], config: &Config, site_zone: &TimeZone) -> Imported {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Imported::NotText;
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized = body.replace("\r\n", "\n").replace('\r', "\n");
    if !matches!(frontmatter::split(&normalized), Ok(s) if s.format.is_none()) {
        return Imported::HasFrontMatter;
    }
    let inference = infer(path, &normalized, 1, config, site_zone);
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A plain document becomes the Markdown that lays it out as its
    // author did; a Markdown one stays as it was.
    let plain = crate::content::plain::is_plain(&normalized);
    let summary = plain
        .then(|| crate::content::plain::summary(&normalized))
        .flatten();
    let body = if plain {
        crate::content::plain::to_kb_markdown(&normalized)
    } else {
        body.to_owned()
    };
    let hides = body_hides_events(&body, &inference);
    let mut out = front_matter(&inference, &source, summary.as_deref(), hides);
    out.push_str(&body);
    Imported::File {
        text: out,
        inference: Box::new(inference),
    }
}

fn string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

fn list(items: &[String]) -> String {
    Value::Array(items.iter().map(|s| Value::String(s.clone())).collect()).to_string()
}

/// True when kb, reading the body of a file with front matter, would not
/// find the events inference found (a run-on paragraph, dates written out,
/// HTML): then the events go into the front matter, when all have a date.
fn body_hides_events(body: &str, inference: &Inference) -> bool {
    let sections = sections::sections(body);
    let plain = sections::find(&sections, SectionKind::Timeline).map_or(0, |s| {
        timeline::parse_lines(s.lines.iter().map(|&(i, l)| (i + 1, l))).len()
    });
    plain != inference.timeline.len() && inference.timeline.iter().all(|e| e.at.is_some())
}

/// The `+++` block for `inference`, ending with its closing line; with the
/// timeline's events as `[[timeline]]` when `with_timeline`.
fn front_matter(
    inference: &Inference,
    source: &str,
    summary: Option<&str>,
    with_timeline: bool,
) -> String {
    let zone = inference.zone.clone().unwrap_or(TimeZone::UTC);
    let mut fm = String::from("+++\n");
    let _ = writeln!(
        fm,
        "# Imported by kb import from {source}: every value below was inferred from"
    );
    let _ = writeln!(
        fm,
        "# the text (see the `inferred` warnings of kb build); check them."
    );
    let _ = writeln!(fm, "title = {}", string(&inference.title));
    if let Some(summary) = summary {
        let _ = writeln!(fm, "summary = {}", string(summary));
    }
    for (key, at) in [
        ("started", inference.started),
        ("detected", inference.detected),
        ("resolved", inference.resolved),
    ] {
        if let Some(at) = at {
            let _ = writeln!(fm, "{key} = {}", format_instant(at, &zone));
        }
    }
    // Front matter has no key for a duration without instants: say it.
    match (inference.known_duration, inference.started) {
        (Some(d), None) => {
            let _ = writeln!(
                fm,
                "# The document gives times of day but no date: the incident lasted {d:#}."
            );
        }
        (Some(d), Some(_)) => {
            let _ = writeln!(
                fm,
                "# The document states a duration of {d:#} but no end that its timeline confirms."
            );
        }
        _ => {}
    }
    if let Some(severity) = &inference.severity {
        let _ = writeln!(fm, "severity = {}", string(severity));
    }
    for (key, items) in [
        ("services", &inference.services),
        ("causes", &inference.causes),
        ("tags", &inference.tags),
        ("authors", &inference.authors),
    ] {
        if !items.is_empty() {
            let _ = writeln!(fm, "{key} = {}", list(items));
        }
    }
    if let Some(cause) = &inference.root_cause {
        let _ = writeln!(fm, "root_cause = {}", string(cause));
    }
    if let Some(pct) = inference.users_pct {
        let pct = if pct.fract() == 0.0 {
            Value::Integer(pct as i64)
        } else {
            Value::Float(pct)
        };
        let _ = writeln!(fm, "\n[impact]\nusers_pct = {pct}");
    }
    for action in &inference.actions {
        let _ = writeln!(fm, "\n[[actions]]\ntitle = {}", string(&action.title));
        if let Some(owner) = &action.owner {
            let _ = writeln!(fm, "owner = {}", string(owner));
        }
        if action.status != ActionStatus::Open {
            let _ = writeln!(fm, "status = {}", string(action.status.as_str()));
        }
    }
    for event in inference.timeline.iter().filter(|_| with_timeline) {
        if let Some(at) = event.at {
            let at = format_instant(at, &zone);
            let _ = writeln!(
                fm,
                "\n[[timeline]]\nat = {}\ntext = {}",
                string(&at),
                string(&event.text)
            );
        }
    }
    fm.push_str("+++\n");
    fm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_front_matter_above_the_untouched_body() {
        let body = "# DB outage\r\n\r\n## Summary\r\nFrom 10:45 AM to 1:30 PM (UTC) on 3 March 2025, 40% of users saw \"errors\".\r\n";
        let Imported::File { text, inference } = import(
            Path::new("db.txt"),
            body.as_bytes(),
            &Config::default(),
            &TimeZone::UTC,
        ) else {
            panic!("not imported");
        };
        assert!(text.ends_with(body), "{text}");
        let split = frontmatter::split(&text).unwrap();
        let fm: toml::Table = toml::from_str(split.front).unwrap();
        assert_eq!(fm["title"].as_str(), Some("DB outage"));
        assert_eq!(fm["started"].to_string(), "2025-03-03T10:45:00+00:00");
        assert_eq!(fm["resolved"].to_string(), "2025-03-03T13:30:00+00:00");
        assert_eq!(fm["impact"]["users_pct"].as_integer(), Some(40));
        assert_eq!(inference.missing(), ["root_cause", "actions", "timeline"]);
    }

    #[test]
    fn events_the_body_would_hide_go_into_the_front_matter() {
        let body = "# Deploy\n\n## Timeline\n\nOn 12 February 2025 at 14:02 UTC it began. At 14:41 it ended.\n";
        let Imported::File { text, .. } = import(
            Path::new("d.md"),
            body.as_bytes(),
            &Config::default(),
            &TimeZone::UTC,
        ) else {
            panic!("not imported");
        };
        let fm: toml::Table = toml::from_str(frontmatter::split(&text).unwrap().front).unwrap();
        let events = fm["timeline"].as_array().unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1]["at"].as_str(), Some("2025-02-12T14:41:00+00:00"));
        assert_eq!(events[1]["text"].as_str(), Some("it ended."));
    }

    #[test]
    fn refuses_what_has_front_matter_or_is_not_text() {
        let c = Config::default();
        assert!(matches!(
            import(
                Path::new("a.md"),
                b"+++\ntitle = \"a\"\n+++\n",
                &c,
                &TimeZone::UTC
            ),
            Imported::HasFrontMatter
        ));
        assert!(matches!(
            import(Path::new("a.md"), &[0xff, 0xfe, 0x00], &c, &TimeZone::UTC),
            Imported::NotText
        ));
    }
}
