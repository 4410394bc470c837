//! One postmortem file to one `Incident`: front matter, body, timeline.
//! Problems are collected, never thrown: a file with errors gives no incident
//! but all of its diagnostics.

use std::path::Path;

use jiff::tz::TimeZone;
use serde_json::Value;

use super::fields::{Reader, date_value, describe};
use super::frontmatter::{self, FrontMatter, Split};
use super::infer::Stated;
use super::sections::{self, SectionKind};
use super::{markdown, slug, timeline};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    ActionItem, ActionStatus, Impact, Incident, Status, TimelineEvent, TimelineStyle,
};

/// Parses the text of the file at `path` (relative to the site root).
pub fn parse(
    path: &Path,
    source: &str,
    config: &Config,
    site_zone: &TimeZone,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let plain = super::kinds::FileKind::of(path) == Some(super::kinds::FileKind::Plain);
    let split = match frontmatter::split(source) {
        Ok(split) => split,
        // A plain text file that opens with a rule has no front matter.
        Err(_) if plain => frontmatter::Split::plain(source),
        Err(e) => {
            return (
                None,
                vec![
                    Diagnostic::error(Code::UnterminatedFrontMatter, path, e.message)
                        .at(source, e.line, e.column),
                ],
            );
        }
    };
    let fm = match FrontMatter::parse(&split) {
        Ok(fm) => fm,
        Err(e) => {
            let code = if split.format == Some(frontmatter::Format::Toml) {
                Code::InvalidToml
            } else {
                Code::InvalidYaml
            };
            return (
                None,
                vec![Diagnostic::error(code, path, e.message).at(source, e.line, e.column)],
            );
        }
    };
    let mut reader = Reader::new(&fm, config, path, source);
    let mut incident = read(&mut reader, &split, path, config, site_zone);
    let mut diagnostics = reader.diagnostics;
    let stated = Stated {
        // A blank `title: ""` states nothing: inference gives one and says so.
        title: fm
            .map
            .get(config.field_name("title"))
            .is_some_and(|v| !matches!(v, Value::String(s) if s.trim().is_empty())),
        timeline: fm.map.contains_key(config.field_name("timeline")),
    };
    if split.format.is_some() && has_gaps(&incident, stated, config) {
        let inferred = super::infer::infer(path, split.body, split.body_line, config, site_zone);
        let facts = inferred.fill(&mut incident, stated);
        diagnostics.extend(super::infer::warnings(facts.iter(), path, source));
    }
    if split.format.is_none() {
        let inferred = super::infer::infer(path, split.body, split.body_line, config, site_zone);
        inferred.apply(&mut incident);
        diagnostics.extend(inferred.warnings(path, source));
        let line = |key: &str| {
            let fact = inferred.facts.iter().find(|f| f.field == key);
            fact.map_or(1, |f| f.line)
        };
        for v in super::order::inversions(&incident) {
            let lines = (line(v.later), line(v.earlier));
            let message = v.message((v.later, v.earlier), lines);
            diagnostics.push(Diagnostic::error(v.code, path, message).at(source, lines.0, 1));
        }
        diagnostics.push(Diagnostic::warning(
            Code::NoFrontMatter,
            path,
            format!(
                "no front matter: the title \"{}\" was inferred from the text",
                incident.title
            ),
        ));
    }
    let line_of = |key: &str| fm.locate(config.field_name(key)).0;
    diagnostics.extend(super::limits::check(&incident, path, source, line_of));
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    (if failed { None } else { Some(incident) }, diagnostics)
}

/// Whether a file with front matter lacks what inference may give: a
/// title, the window, causes, or services when the site has a registry.
fn has_gaps(incident: &Incident, stated: Stated, config: &Config) -> bool {
    !stated.title
        || incident.started.is_none()
        || incident.resolved.is_none()
        || incident.causes.is_empty()
        || (incident.services.is_empty() && !config.services.is_empty())
}

fn read(
    r: &mut Reader<'_>,
    split: &Split<'_>,
    path: &Path,
    config: &Config,
    site_zone: &TimeZone,
) -> Incident {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let body_sections = sections::sections(split.body);
    // Without a title, inference gives one (`parse`) and says so.
    let title = r.string("title").unwrap_or_else(|| {
        body_sections.first().map_or_else(
            || stem.clone(),
            |s| s.title.trim_start_matches("Postmortem:").trim().to_owned(),
        )
    });
    let file_zone = r.string("timezone").and_then(|name| {
        TimeZone::get(&name)
            .map_err(|_| {
                r.error(
                    Code::UnknownTimezone,
                    "timezone",
                    format!("unknown time zone `{name}` (use an IANA name such as Europe/Berlin)"),
                )
            })
            .ok()
    });
    let zone = file_zone.clone().unwrap_or_else(|| site_zone.clone());
    let status = r.string("status").map_or(Status::Final, |s| {
        Status::parse(&s).unwrap_or_else(|| {
            r.error(
                Code::InvalidStatus,
                "status",
                format!("`status` must be draft, review or final, found \"{s}\""),
            );
            Status::Final
        })
    });
    let severity = r
        .string("severity")
        .and_then(|s| severity_level(r, config, &s));
    let started = r.datetime("started", &zone);
    let detected = r.datetime("detected", &zone).map(|d| d.at);
    let acknowledged = r.datetime("acknowledged", &zone).map(|d| d.at);
    let mitigated = r.datetime("mitigated", &zone).map(|d| d.at);
    let resolved = r.datetime("resolved", &zone).map(|d| d.at);
    // Times in the body without a zone are on the clock `started` was
    // written in: the file's zone, else the offset written with `started`.
    let timeline_zone = file_zone
        .or_else(|| started.as_ref().and_then(|s| s.written_zone.clone()))
        .unwrap_or_else(|| zone.clone());
    let started_at = started.map(|s| s.at);
    let timeline = match front_matter_timeline(r, &zone) {
        Some(events) => events,
        // Without front matter, inference reads the timeline (`parse`).
        None if split.format.is_none() => Vec::new(),
        None => {
            sections::find(&body_sections, SectionKind::Timeline).map_or_else(Vec::new, |section| {
                let lines = section.lines.iter().map(|&(i, l)| (split.body_line + i, l));
                timeline::resolve(timeline::parse_lines(lines), started_at, &timeline_zone)
            })
        }
    };
    let plain = split.format.is_none()
        && (super::kinds::FileKind::of(path) == Some(super::kinds::FileKind::Plain)
            || super::plain::is_plain(split.body));
    let summary = r.string("summary").or_else(|| {
        if plain {
            return super::plain::summary(split.body);
        }
        sections::find(&body_sections, SectionKind::Summary).and_then(sections::first_paragraph)
    });
    let body = if plain {
        markdown::render(
            &super::plain::to_markdown(split.body),
            &title,
            config.unsafe_html,
        )
    } else {
        markdown::render(split.body, &title, config.unsafe_html)
    };
    let mut incident = Incident {
        slug: slug::of_file(path),
        source: path.to_path_buf(),
        title,
        summary,
        status,
        severity,
        services: r.list("services"),
        causes: r.list("causes"),
        tags: r.list("tags"),
        authors: r.list("authors"),
        trigger: r.string("trigger"),
        detection: r.string("detection"),
        started: started_at,
        detected,
        acknowledged,
        mitigated,
        resolved,
        known_duration: None,
        timezone: timeline_zone,
        impact: impact(r),
        actions: actions(r),
        related: r.list("related").iter().map(|s| slug::slugify(s)).collect(),
        timeline,
        body_html: body.html,
        toc: body.toc,
        timeline_style: timeline_style(r),
        extra: Default::default(),
    };
    incident.extra = r.extra();
    for v in super::order::inversions(&incident) {
        let later = config.field_name(v.later).to_owned();
        let earlier = config.field_name(v.earlier).to_owned();
        let lines = (r.line_of(&later), r.line_of(&earlier));
        r.error(v.code, &later, v.message((&later, &earlier), lines));
    }
    incident
}

fn timeline_style(r: &mut Reader<'_>) -> Option<TimelineStyle> {
    let written = r.string("timeline_style")?;
    let style = TimelineStyle::parse(&written);
    if style.is_none() {
        r.error(
            Code::InvalidTimelineStyle,
            "timeline_style",
            format!("`timeline_style` must be axis or flow, found \"{written}\""),
        );
    }
    style
}

fn severity_level(r: &mut Reader<'_>, config: &Config, written: &str) -> Option<String> {
    if let Some(level) = config
        .severities
        .iter()
        .find(|l| l.eq_ignore_ascii_case(written))
    {
        return Some(level.clone());
    }
    let name = config.field_name("severity").to_owned();
    r.error(
        Code::UnknownSeverity,
        &name,
        format!(
            "unknown severity \"{written}\": this site's levels are {}",
            config.severities.join(", ")
        ),
    );
    None
}

fn impact(r: &mut Reader<'_>) -> Impact {
    let mut impact = Impact::default();
    if let Some((name, value)) = r.raw("impact") {
        match value {
            Value::Object(table) => {
                impact.users_pct = r.number("users_pct", table.get("users_pct"));
                impact.summary = table
                    .get("summary")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
            }
            Value::String(s) => impact.summary = Some(s.clone()),
            other => {
                let found = describe(other);
                r.error(
                    Code::WrongType,
                    name,
                    format!("`{name}` must be a table with users_pct and summary, found {found}"),
                );
            }
        }
    }
    if let Some((name, value)) = r.raw("impact.users_pct") {
        impact.users_pct = r.number(name, Some(value));
    }
    if let Some(pct) = impact.users_pct
        && !(0.0..=100.0).contains(&pct)
    {
        r.error(
            Code::OutOfRange,
            "users_pct",
            format!("`users_pct` is a share of users from 0 to 100, found {pct}"),
        );
        impact.users_pct = None;
    }
    impact
}

fn actions(r: &mut Reader<'_>) -> Vec<ActionItem> {
    let Some((name, value)) = r.raw("actions") else {
        return Vec::new();
    };
    let Value::Array(items) = value else {
        let found = describe(value);
        r.error(
            Code::WrongType,
            name,
            format!("`{name}` must be a list of tables (`[[actions]]`), found {found}"),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let Value::Object(table) = item else {
            r.error_nth(
                Code::WrongType,
                name,
                n,
                format!(
                    "action {} must be a table with at least a title, found {}",
                    n + 1,
                    describe(item)
                ),
            );
            continue;
        };
        let text = |key: &str| {
            table.get(key).and_then(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                Value::Number(x) => Some(x.to_string()),
                _ => None,
            })
        };
        let Some(title) = text("title") else {
            r.error_nth(
                Code::MissingTitle,
                name,
                n,
                format!("action {} of `{name}` has no title", n + 1),
            );
            continue;
        };
        let mut date = |key: &str| match table.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => date_value(v)
                .map_err(|m| {
                    r.error(
                        Code::InvalidDate,
                        key,
                        format!("`{key}` of action \"{title}\" {m}"),
                    )
                })
                .ok(),
        };
        let due = date("due");
        let closed = date("closed");
        let status = match text("status") {
            None => ActionStatus::Open,
            Some(s) => ActionStatus::parse(&s).unwrap_or_else(|| {
                r.error(
                    Code::InvalidStatus,
                    "status",
                    format!(
                        "action \"{title}\": status must be open, done or wontfix, found \"{s}\""
                    ),
                );
                ActionStatus::Open
            }),
        };
        out.push(ActionItem {
            owner: text("owner"),
            status,
            due,
            priority: text("priority"),
            url: text("url"),
            closed,
            team: text("team"),
            title,
        });
    }
    out
}

fn front_matter_timeline(r: &mut Reader<'_>, zone: &TimeZone) -> Option<Vec<TimelineEvent>> {
    let (name, value) = r.raw("timeline")?;
    let Value::Array(items) = value else {
        let found = describe(value);
        r.error(
            Code::WrongType,
            name,
            format!("`{name}` must be a list of tables with `at` and `text`, found {found}"),
        );
        return None;
    };
    let mut events = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let at = item
            .get("at")
            .and_then(Value::as_str)
            .map(|t| super::datetime::parse_datetime(t, zone));
        let text = item
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        match at {
            Some(Ok(dt)) => events.push(TimelineEvent {
                at: Some(dt.at),
                time: dt
                    .at
                    .to_zoned_datetime(dt.written_zone.unwrap_or_else(|| zone.clone()))
                    .time(),
                text,
                kind: item.get("kind").and_then(Value::as_str).map(str::to_owned),
                line: 0,
                untimed: false,
            }),
            Some(Err(m)) => r.error_nth(
                Code::InvalidDatetime,
                "at",
                n,
                format!("timeline event {}: {m}", n + 1),
            ),
            None => r.error_nth(
                Code::MissingField,
                name,
                0,
                format!(
                    "timeline event {} needs `at` (a datetime) and `text`",
                    n + 1
                ),
            ),
        }
    }
    Some(events)
}
