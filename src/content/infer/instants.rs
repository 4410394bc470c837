//! From what a document states to the incident's instants: `started`,
//! `resolved` and `detected`, or only the duration when the document gives
//! times of day without a date. Which statement wins is [`window`]'s order of
//! trust; this module applies it and records each value's source.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::dates;
use super::text::{Meta, MetaKey};
use super::window::{self, Markers, Moment, StatDuration, Stated};
use super::{Found, Inference};
use crate::model::TimelineEvent;

/// Where a start or end point came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// A statement: the summary, a metadata line, a stated duration.
    Stated,
    /// The timeline event at this index.
    Event(usize),
}

/// A start or end point: the instant when the date is known, else the time
/// of day.
#[derive(Debug, Clone)]
struct Point {
    at: Option<Timestamp>,
    time: Time,
    origin: Origin,
}

/// Whether rows without a time come before the first timed event (on an
/// earlier day) or after the last: then those events are not the start or
/// the end.
pub fn open_ends(
    events: &[TimelineEvent],
    untimed: &[(Date, usize)],
    zone: &TimeZone,
) -> (bool, bool) {
    let day = |e: Option<&TimelineEvent>| {
        e.and_then(|e| e.at)
            .map(|at| at.to_zoned_datetime(zone.clone()).date())
    };
    let (first, last) = (day(events.first()), day(events.last()));
    let before = untimed
        .iter()
        .any(|&(d, n)| n == 0 && first.is_some_and(|f| d < f));
    let after = untimed
        .iter()
        .any(|&(d, n)| n == events.len() && last.is_some_and(|l| d > l));
    (before, after)
}

/// Everything the window is read from.
struct Sources<'a> {
    events: &'a [TimelineEvent],
    stated: &'a Stated,
    marks: Markers,
    ttd: Option<Found<StatDuration>>,
    ttr: Option<Found<StatDuration>>,
    /// The date for stated times without one: the summary's or title's
    /// date, else the timeline's first.
    date: Option<Date>,
    open_start: bool,
    open_end: bool,
    zone: &'a TimeZone,
}

fn stat(meta: &[Meta], key: MetaKey) -> Option<Found<StatDuration>> {
    let m = meta.iter().find(|m| m.key == key)?;
    window::stat_duration(&m.value).map(|d| Found::new(d, m.line, &format!("the {} line", m.label)))
}

fn value(stat: Option<&Found<StatDuration>>) -> Option<Found<SignedDuration>> {
    match stat {
        Some(Found {
            value: StatDuration::Value(d),
            line,
            source,
        }) => Some(Found::new(*d, *line, source)),
        _ => None,
    }
}

impl Sources<'_> {
    fn event(&self, i: usize, what: &str) -> Option<Found<Point>> {
        let e = self.events.get(i)?;
        Some(Found::new(
            Point {
                at: e.at,
                time: e.time,
                origin: Origin::Event(i),
            },
            e.line,
            what,
        ))
    }

    fn moment(&self, m: &Moment, line: usize, source: &str) -> Found<Point> {
        Found::new(
            Point {
                at: m.instant(self.zone),
                time: m.time,
                origin: Origin::Stated,
            },
            line,
            source,
        )
    }

    /// A stated start; an event marked as the start; the event the Stats
    /// count from; the first event (unless undated rows come before it).
    fn start(&self) -> Option<Found<Point>> {
        if let Some(s) = &self.stated.start {
            let mut m = s.value.clone();
            m.date = m.date.or(self.date);
            return Some(self.moment(&m, s.line, &s.source));
        }
        let ttd = value(self.ttd.as_ref()).map(|f| f.value);
        let ttr = value(self.ttr.as_ref()).map(|f| f.value);
        self.marks
            .start
            .and_then(|i| self.event(i, "the timeline event marked as the start"))
            .or_else(|| {
                let anchor = window::stats_anchor(self.events, ttd, ttr)?;
                self.event(
                    anchor,
                    "the timeline event the stated time to detect and recover count from",
                )
            })
            .or_else(|| {
                self.event(0, "the timeline's first event")
                    .filter(|_| !self.open_start)
            })
    }

    /// A stated end (on the start's day, or the next when its time is
    /// earlier); the start plus a stated duration or time to recover; an
    /// event marked as recovery; the last event when the first was the start.
    fn end(&self, start: Option<&Found<Point>>) -> Option<Found<Point>> {
        if let Some(e) = &self.stated.end {
            let mut m = e.value.clone();
            let start_day = match &self.stated.start {
                Some(s) => s.value.date.or(self.date).map(|d| (d, s.value.time)),
                None => start.and_then(|s| {
                    Some((
                        s.value.at?.to_zoned_datetime(self.zone.clone()).date(),
                        s.value.time,
                    ))
                }),
            };
            m.date = m
                .date
                .or_else(|| {
                    start_day.map(|(d, t)| {
                        if m.time < t {
                            d.tomorrow().unwrap_or(d)
                        } else {
                            d
                        }
                    })
                })
                .or(self.date);
            return Some(self.moment(&m, e.line, &e.source));
        }
        let start_at = start.and_then(|s| s.value.at);
        let after_start = |d: Found<SignedDuration>| {
            let at = start_at?.checked_add(d.value).ok()?;
            let time = at.to_zoned_datetime(self.zone.clone()).time();
            Some(Found::new(
                Point {
                    at: Some(at),
                    time,
                    origin: Origin::Stated,
                },
                d.line,
                &d.source,
            ))
        };
        if let Some(end) = self.stated.duration.clone().and_then(after_start) {
            return Some(end);
        }
        // A Stats time to recover gives the end only where it lands on an
        // event; elsewhere only the duration is known.
        let on_event = |p: &Found<Point>| {
            self.events
                .iter()
                .any(|e| e.at.is_some() && e.at == p.value.at)
        };
        let by_ttr = value(self.ttr.as_ref()).and_then(after_start);
        if let Some(end) = by_ttr.as_ref().filter(|p| on_event(p)) {
            return Some(end.clone());
        }
        let marked = self
            .marks
            .resolved
            .and_then(|i| self.event(i, "the timeline event marked as recovery"));
        if marked.is_some() || self.ttr.is_some() {
            return marked;
        }
        let from_timeline = start.is_some_and(|s| matches!(s.value.origin, Origin::Event(_)));
        let last = self
            .events
            .len()
            .checked_sub(1)
            .filter(|&i| i > 0 && from_timeline && !self.open_end)?;
        self.event(last, "the timeline's last event")
    }

    /// The duration when an instant is missing: stated, or the time of day
    /// between start and end (walking the whole timeline when they are its
    /// first and last events).
    fn duration(
        &self,
        start: &Found<Point>,
        end: Option<&Found<Point>>,
    ) -> Option<Found<SignedDuration>> {
        if let Some(d) = self
            .stated
            .duration
            .clone()
            .or_else(|| value(self.ttr.as_ref()))
        {
            return Some(d);
        }
        let end = end?;
        let whole = start.value.origin == Origin::Event(0)
            && end.value.origin == Origin::Event(self.events.len().saturating_sub(1));
        let d = if whole {
            window::span_of_times(self.events)
        } else {
            dates::clock_distance(start.value.time, end.value.time)
        };
        Some(Found::new(
            d,
            end.line,
            &format!("{} and {}, line {}", end.source, start.source, start.line),
        ))
    }

    /// An event marked as detection, else the start plus the stated time to
    /// detect.
    fn detected(&self, start_at: Option<Timestamp>) -> Option<Found<Timestamp>> {
        if let Some(e) = self.marks.detected.and_then(|i| self.events.get(i)) {
            return Some(Found::new(
                e.at?,
                e.line,
                "the timeline event marked as detection",
            ));
        }
        let d = value(self.ttd.as_ref())?;
        Some(Found::new(
            start_at?.checked_add(d.value).ok()?,
            d.line,
            &d.source,
        ))
    }
}

/// Sets `started`, `resolved`, `detected` and `known_duration` of `out`
/// from its timeline, the statements and the metadata, with their facts.
pub fn infer_window(
    meta: &[Meta],
    stated: &Stated,
    base_date: Option<Date>,
    (open_start, open_end): (bool, bool),
    zone: &TimeZone,
    out: &mut Inference,
) {
    let events = out.timeline.clone();
    let first_date = events
        .iter()
        .find_map(|e| e.at)
        .map(|at| at.to_zoned_datetime(zone.clone()).date());
    let sources = Sources {
        events: &events,
        stated,
        marks: window::markers(&events),
        ttd: stat(meta, MetaKey::TimeToDetect),
        ttr: stat(meta, MetaKey::TimeToRecover),
        date: base_date.or(first_date),
        open_start,
        open_end,
        zone,
    };
    let start = sources.start();
    let end = sources.end(start.as_ref());
    let describe = |p: &Point| match p.at {
        Some(at) => format_instant(at, zone),
        None => format!(
            "{} (a time of day: the document gives no date)",
            p.time.strftime("%H:%M")
        ),
    };
    if let Some(s) = &start {
        out.started = s.value.at;
        out.fact("started", describe(&s.value), s.line, &s.source);
    }
    if let Some(e) = &end {
        out.resolved = e.value.at;
        out.fact("resolved", describe(&e.value), e.line, &e.source);
    }
    if let Some(s) = start
        .as_ref()
        .filter(|_| out.started.is_none() || out.resolved.is_none())
        && let Some(d) = sources.duration(s, end.as_ref())
    {
        out.known_duration = Some(d.value);
        out.resolved = None;
        out.fact("duration", format!("{:#}", d.value), d.line, &d.source);
    }
    if let Some(d) = sources.detected(out.started) {
        out.detected = Some(d.value);
        out.fact("detected", format_instant(d.value, zone), d.line, &d.source);
    }
}

/// `2024-06-08T03:00:00+00:00`, in the offset `zone` has at that instant.
pub fn format_instant(at: Timestamp, zone: &TimeZone) -> String {
    at.display_with_offset(zone.to_offset(at)).to_string()
}
