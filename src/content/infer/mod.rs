//! Inference for postmortems without front matter: from the body alone it
//! finds the title, when impact began and ended, the share of users hit, the
//! root cause, the action items and the timeline, each with the line it came
//! from. Build, check and `kb import` all use this one function. Nothing is
//! guessed: a value no line states stays unknown, and a document that gives
//! times of day but no date keeps only the duration between them.

pub mod dates;
mod events;
mod facts;
mod fill;
mod instants;
mod phrases;
mod share;
mod taxonomy;
mod text;
mod untimed;
mod updates;
mod window;
mod write;

use std::path::Path;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::sections::{self, Section, SectionKind};
use super::timeline;
use crate::config::Config;
use crate::model::{ActionItem, TimelineEvent};
pub use fill::{Stated, warnings};
use instants::format_instant;
pub use text::list_item;
use text::{Lines, Meta, MetaKey};
use window::Statement;
pub use write::{Imported, import};

/// A value and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    /// The value.
    pub value: T,
    /// 1-based file line.
    pub line: usize,
    /// What the line is, for messages ("the Duration line").
    pub source: String,
}

impl<T> Found<T> {
    fn new(value: T, line: usize, source: &str) -> Self {
        Found {
            value,
            line,
            source: source.to_owned(),
        }
    }
}

/// One inferred value, as reported: the field, its value as text, and the
/// line it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Fact {
    /// The canonical front matter key (`started`, `impact.users_pct`).
    pub field: &'static str,
    /// The value, as it would be written in front matter.
    pub value: String,
    /// 1-based file line.
    pub line: usize,
    /// What the line is ("the Duration of Outage line").
    pub source: String,
}

/// Everything inferred from one document.
#[derive(Debug, Clone, Default)]
pub struct Inference {
    /// The title.
    pub title: String,
    /// Impact began.
    pub started: Option<Timestamp>,
    /// Impact ended.
    pub resolved: Option<Timestamp>,
    /// It was noticed.
    pub detected: Option<Timestamp>,
    /// The duration, when only times of day are known.
    pub known_duration: Option<SignedDuration>,
    /// The zone the document writes its times in, when it says.
    pub zone: Option<TimeZone>,
    /// Share of users affected.
    pub users_pct: Option<f64>,
    /// The root cause sentence.
    pub root_cause: Option<String>,
    /// Follow-ups.
    pub actions: Vec<ActionItem>,
    /// Timeline events.
    pub timeline: Vec<TimelineEvent>,
    /// Affected services a metadata line or the registry names.
    pub services: Vec<String>,
    /// Causes the root cause names (see [`taxonomy`]).
    pub causes: Vec<String>,
    /// Categories a metadata line names.
    pub tags: Vec<String>,
    /// A severity a metadata line names, in the site's spelling.
    pub severity: Option<String>,
    /// Authors a metadata line names.
    pub authors: Vec<String>,
    /// The first sentence, shortened, when no heading gives the title: a
    /// title for a file with front matter but none (else the file name).
    pub sentence_title: Option<(String, usize)>,
    /// Every inferred value with its source, in field order.
    pub facts: Vec<Fact>,
    /// Statements that contradict each other: the message and the line
    /// of the first.
    pub conflicts: Vec<(String, usize)>,
}

/// The fields inference looks for, in report order.
pub const FIELDS: [&str; 7] = [
    "started",
    "resolved",
    "duration",
    "impact.users_pct",
    "root_cause",
    "actions",
    "timeline",
];

impl Inference {
    /// The fields of [`FIELDS`] that the document did not give.
    pub fn missing(&self) -> Vec<&'static str> {
        let both = self.started.is_some() && self.resolved.is_some();
        FIELDS
            .iter()
            .copied()
            .filter(|f| !(self.facts.iter().any(|x| x.field == *f) || (*f == "duration" && both)))
            .collect()
    }

    fn fact(&mut self, field: &'static str, value: String, line: usize, source: &str) {
        self.facts.push(Fact {
            field,
            value,
            line,
            source: source.to_owned(),
        });
    }
}

/// What inference reads a document with.
struct Doc<'a> {
    lines: &'a Lines,
    sections: Vec<Section<'a>>,
    config: &'a Config,
    year: Option<i16>,
}

impl<'a> Doc<'a> {
    fn section(&self, kind: SectionKind) -> Option<&Section<'a>> {
        sections::find(&self.sections, kind)
    }

    /// A section's lines with file line numbers.
    fn lines_of(&self, s: &Section<'a>) -> Vec<(usize, &'a str)> {
        s.lines
            .iter()
            .map(|&(i, l)| (self.lines.file_line(i), l))
            .collect()
    }

    fn heading(&self, s: &Section<'a>) -> (usize, &'a str) {
        (self.lines.file_line(s.heading_line), s.title)
    }

    /// The logical lines of the first section of `kind` (empty when none).
    fn span(&self, kind: SectionKind) -> std::ops::Range<usize> {
        self.section(kind).map_or(0..0, |s| {
            s.heading_line + 1..s.heading_line + 1 + s.lines.len()
        })
    }
}

/// Infers what it can from the body of the file at `path` (the body starts
/// at file line `body_line`).
pub fn infer(
    path: &Path,
    body: &str,
    body_line: usize,
    config: &Config,
    site_zone: &TimeZone,
) -> Inference {
    let lines = text::normalize(body, body_line);
    let doc = Doc {
        lines: &lines,
        sections: sections::sections(&lines.text),
        config,
        year: dates::find_dates(&lines.text, config.date_order)
            .iter()
            .find_map(|(d, _)| d.year),
    };
    let mut out = Inference::default();
    let title_heading = infer_title(&doc, path, &mut out);
    let all: Vec<(usize, &str)> = lines
        .text
        .lines()
        .enumerate()
        .map(|(i, l)| (lines.file_line(i), l))
        .collect();
    let (timeline_lines, action_lines) = (
        doc.span(SectionKind::Timeline),
        doc.span(SectionKind::Actions),
    );
    let meta: Vec<Meta> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| !timeline_lines.contains(i) && !action_lines.contains(i))
        .filter_map(|(_, &(n, l))| text::line_meta(l, n))
        .collect();
    let summary = summary_lines(&doc, &all, title_heading);
    let statements = statements(&summary, &meta);
    let stated = window::stated(&statements, config.date_order, doc.year);
    let title_date = dates::find_dates(&out.title, config.date_order)
        .iter()
        .find_map(|(d, _)| d.resolve(doc.year));
    let base_date = stated
        .start
        .as_ref()
        .and_then(|s| s.value.date)
        .or(stated.date.as_ref().map(|d| d.value))
        .or(title_date);
    let timeline = match doc.section(SectionKind::Timeline) {
        Some(s) => events::read(
            doc.heading(s),
            &doc.lines_of(s),
            config.date_order,
            doc.year,
        ),
        None => updates::read(&all, config.date_order, doc.year).unwrap_or_else(|| {
            events::read(
                (0, ""),
                &events::implicit(&all),
                config.date_order,
                doc.year,
            )
        }),
    };
    // A zone the timeline states, else one written with the stated start
    // or end, else one the summary or title states for all times.
    let written_zone = timeline
        .zone
        .as_ref()
        .map(|(z, _)| z.clone())
        .or_else(|| stated.start.as_ref().and_then(|s| s.value.zone.clone()))
        .or_else(|| stated.end.as_ref().and_then(|s| s.value.zone.clone()))
        .or_else(|| summary.iter().find_map(|(_, l)| events::stated_zone(l)))
        .or_else(|| events::stated_zone(&out.title));
    let zone = written_zone.clone().unwrap_or_else(|| site_zone.clone());
    let mut raw = timeline.events;
    if let Some(first) = raw.iter_mut().find(|e| !e.untimed) {
        first.stamp.date = first.stamp.date.or(base_date);
    }
    out.timeline = timeline::resolve(raw, None, &zone);
    out.zone = written_zone;
    let open_ends = instants::open_ends(&out.timeline, &timeline.untimed, &zone);
    instants::infer_window(&meta, &stated, base_date, open_ends, &zone, &mut out);
    infer_facts(&doc, &meta, &summary, &mut out);
    let mut named = summary.clone();
    named.extend(
        doc.section(SectionKind::Impact)
            .map(|s| doc.lines_of(s))
            .unwrap_or_default(),
    );
    taxonomy::infer(config, &named, &mut out);
    out
}

fn infer_title(doc: &Doc<'_>, path: &Path, out: &mut Inference) -> Option<usize> {
    let heading = doc
        .sections
        .first()
        .filter(|s| s.level <= 6 && s.kind.is_none());
    match heading.and_then(|s| facts::title_from_heading(s.title).map(|t| (t, s.heading_line))) {
        Some((title, i)) => {
            let line = doc.lines.file_line(i);
            out.fact("title", title.clone(), line, "the first heading");
            out.title = title;
            Some(i)
        }
        None if first_line_title(doc).is_some() => {
            let (title, i) = first_line_title(doc)?;
            out.fact(
                "title",
                title.clone(),
                doc.lines.file_line(i),
                "the first line",
            );
            out.title = title;
            None
        }
        None => {
            out.title = facts::title_from_path(path);
            out.fact("title", out.title.clone(), 1, "the file name");
            let heading = |i: usize| doc.sections.iter().any(|s| s.heading_line == i);
            out.sentence_title = doc.lines.text.lines().enumerate().find_map(|(i, l)| {
                let title = facts::title_from_sentence(l).filter(|_| !heading(i));
                title.map(|t| (t, doc.lines.file_line(i)))
            });
            None
        }
    }
}

/// A plain document's first line when it reads as a title: short, no
/// sentence, no `Key: value`, no time, not a section name.
fn first_line_title(doc: &Doc<'_>) -> Option<(String, usize)> {
    let (i, line) = doc
        .lines
        .text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    let t = line.trim();
    let heading = doc.sections.first().is_some_and(|s| s.heading_line == i);
    let title = !heading
        && t.len() <= 100
        && !t.ends_with(['.', ':', ';', ','])
        && t.chars().any(char::is_alphabetic)
        && text::line_meta(t, 0).is_none()
        && timeline::parse_line(t).is_none();
    title
        .then(|| facts::title_from_heading(t))
        .flatten()
        .map(|t| (t, i))
}

/// The Summary section's lines and the lines before the first section
/// (less the title heading).
fn summary_lines<'a>(
    doc: &Doc<'a>,
    all: &[(usize, &'a str)],
    title: Option<usize>,
) -> Vec<(usize, &'a str)> {
    let first_section = doc
        .sections
        .iter()
        .find(|s| Some(s.heading_line) != title)
        .map_or(all.len(), |s| s.heading_line);
    let mut out: Vec<(usize, &str)> = all
        .iter()
        .take(first_section)
        .enumerate()
        .filter(|(i, _)| Some(*i) != title)
        .map(|(_, l)| *l)
        .collect();
    if let Some(s) = doc.section(SectionKind::Summary) {
        out.extend(doc.lines_of(s));
    }
    out
}

/// The lines that may state the window, in file order: metadata lines with
/// a start, end, duration or date, and the summary's other lines.
fn statements(summary: &[(usize, &str)], meta: &[Meta]) -> Vec<Statement> {
    let window_keys = [
        MetaKey::Start,
        MetaKey::End,
        MetaKey::Duration,
        MetaKey::Date,
    ];
    let mut out: Vec<Statement> = meta
        .iter()
        .filter(|m| window_keys.contains(&m.key))
        .map(|m| Statement {
            line: m.line,
            source: format!("the {} line", m.label),
            text: m.value.clone(),
            key: Some(m.key),
        })
        .collect();
    // The metadata statements are in line order, one per line.
    let meta_lines: Vec<usize> = out.iter().map(|s| s.line).collect();
    let alone = |line: usize| meta_lines.binary_search(&line).is_ok();
    for (line, text) in text::unwrap(summary, alone) {
        if !alone(line) {
            out.push(Statement {
                line,
                source: "the summary".into(),
                text,
                key: None,
            });
        }
    }
    out.sort_by_key(|s| s.line);
    out
}

fn infer_facts(doc: &Doc<'_>, meta: &[Meta], summary: &[(usize, &str)], out: &mut Inference) {
    share::infer(doc, meta, summary, out);
    let cause = meta
        .iter()
        .filter(|m| m.key == MetaKey::RootCause)
        .find_map(|m| {
            facts::first_sentence(&m.value)
                .map(|s| Found::new(s, m.line, &format!("the {} line", m.label)))
        })
        .or_else(|| {
            summary.iter().find_map(|&(n, l)| {
                facts::root_cause_sentence(l).map(|s| Found::new(s, n, "the summary"))
            })
        })
        .or_else(|| {
            let s = doc.section(SectionKind::RootCause)?;
            let (cause, line) = facts::root_cause_in_section(&doc.lines_of(s))?;
            Some(Found::new(cause, line, &format!("the {} section", s.title)))
        });
    if let Some(c) = cause {
        out.fact("root_cause", c.value.clone(), c.line, &c.source);
        out.root_cause = Some(c.value);
    }
    // Of several action sections, the one titled as tasks (TODO, Action
    // items) over one of improvements or prevention.
    let tasks = doc.sections.iter().find(|s| {
        s.kind == Some(SectionKind::Actions)
            && facts::TASK_LABELS
                .iter()
                .any(|l| s.title.to_lowercase().starts_with(l))
    });
    if let Some(s) = tasks.or_else(|| doc.section(SectionKind::Actions)) {
        let actions = facts::actions(&doc.lines_of(s));
        if let Some((_, line)) = actions.first() {
            let (heading_line, title) = doc.heading(s);
            let value = format!("{} items", actions.len());
            out.fact(
                "actions",
                value,
                *line,
                &format!("the {title} section (line {heading_line})"),
            );
        }
        out.actions = actions.into_iter().map(|(a, _)| a).collect();
    }
    if let Some(first) = out.timeline.first() {
        let value = format!("{} events", out.timeline.len());
        let source = doc.section(SectionKind::Timeline).map_or_else(
            || "the lines that start with a time".to_owned(),
            |s| format!("the {} section", doc.heading(s).1),
        );
        out.facts.push(Fact {
            field: "timeline",
            value,
            line: first.line,
            source,
        });
    }
    infer_metadata(doc.config, meta, out);
}

fn infer_metadata(config: &Config, meta: &[Meta], out: &mut Inference) {
    for m in meta {
        let source = format!("the {} line", m.label);
        match m.key {
            MetaKey::Services if out.services.is_empty() => {
                out.services = facts::split_list(&m.value);
                out.fact("services", out.services.join(", "), m.line, &source);
            }
            MetaKey::Category if out.tags.is_empty() => {
                out.tags = facts::split_list(&m.value);
                out.fact("tags", out.tags.join(", "), m.line, &source);
            }
            MetaKey::Authors if out.authors.is_empty() => {
                out.authors = facts::split_list(&m.value);
                out.fact("authors", out.authors.join(", "), m.line, &source);
            }
            MetaKey::Severity if out.severity.is_none() => {
                let squash = |s: &str| {
                    s.chars()
                        .filter(|c| c.is_alphanumeric())
                        .collect::<String>()
                        .to_ascii_uppercase()
                };
                if let Some(level) = config
                    .severities
                    .iter()
                    .find(|l| squash(l) == squash(&m.value))
                {
                    out.severity = Some(level.clone());
                    out.fact("severity", level.clone(), m.line, &source);
                }
            }
            _ => {}
        }
    }
}
