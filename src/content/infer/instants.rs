//! From what a document states to the incident's instants: `started`,
//! `resolved` and `detected`, or only the duration when the document gives
//! times of day without a date. Which statement wins is [`window`]'s order of
//! trust; this module applies it and records each value's source.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::text::{Meta, MetaKey};
use super::window::{self, Markers, Moment, StatDuration, Stated};
use super::{Found, Inference};
use super::{dates, phrases};
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
    let timed: Vec<&TimelineEvent> = events.iter().filter(|e| !e.untimed).collect();
    let (first, last) = (day(timed.first().copied()), day(timed.last().copied()));
    let count = timed.len();
    let before = untimed
        .iter()
        .any(|&(d, n)| n == 0 && first.is_some_and(|f| d < f));
    let after = untimed
        .iter()
        .any(|&(d, n)| n == count && last.is_some_and(|l| d > l));
    (before, after)
}

/// Everything the window is read from.
struct Sources<'a> {
    events: &'a [TimelineEvent],
    stated: &'a Stated,
    marks: Markers,
    ttd: Option<Found<StatDuration>>,
    ttr: Option<Found<StatDuration>>,
    /// A Stats time to recover is written but not known ("?").
    ttr_unknown: bool,
    /// The date for stated times without one: the summary's or title's
    /// date, else the timeline's first.
    date: Option<Date>,
    open_start: bool,
    open_end: bool,
    zone: &'a TimeZone,
}

/// How far from the start plus a stated time to recover a row that says
/// service came back may be and still be taken for the end: a tenth of
/// that time, at least a quarter of an hour (Stats are rounded, and
/// written after the fact).
fn tolerance(ttr: SignedDuration) -> SignedDuration {
    (ttr / 10).max(SignedDuration::from_mins(15))
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

    /// Whether the Stats say there was nothing to recover from ("Time to
    /// recovery: N/A"): then no timeline row is the start or the end.
    fn no_outage(&self) -> bool {
        self.ttr
            .as_ref()
            .is_some_and(|t| t.value == StatDuration::NotApplicable)
    }

    /// A stated start; an event marked as the start; the event the Stats
    /// count from; the first event that is not planned or routine work
    /// (rows before it are context), unless undated rows come before it.
    fn start(&self) -> Option<Found<Point>> {
        if let Some(s) = &self.stated.start {
            let mut m = s.value.clone();
            m.date = m.date.or(self.date);
            return Some(self.moment(&m, s.line, &s.source));
        }
        if self.no_outage() {
            return None;
        }
        let ttd = value(self.ttd.as_ref()).map(|f| f.value);
        let ttr = value(self.ttr.as_ref()).map(|f| f.value);
        if let Some(i) = self.marks.start {
            return self.event(i, "the timeline event marked as the start");
        }
        if let Some(anchor) = window::stats_anchor(self.events, ttd, ttr) {
            return self.event(
                anchor,
                "the timeline event the stated time to detect and recover count from",
            );
        }
        if self.open_start {
            return None;
        }
        // The first row that shows impact, when one comes before service
        // is back; else the first that is not planned work or a change.
        let restored = self.events.iter().position(|e| phrases::restored(&e.text));
        let first = self
            .events
            .iter()
            .position(|e| phrases::impact(&e.text))
            .filter(|&i| restored.is_none_or(|r| i <= r))
            .or_else(|| self.events.iter().position(|e| !phrases::context(&e.text)))?;
        // Stats that say the time to recover is not known ("?") leave a
        // timeline whose rows show no impact without a window.
        if self.ttr_unknown && !phrases::impact(&self.events[first].text) {
            return None;
        }
        let what = if first == 0 {
            "the timeline's first event"
        } else {
            "the first timeline event after the context rows"
        };
        self.event(first, what)
    }

    /// A stated end (on the start's day, or the next when its time is
    /// earlier); the start plus a stated duration; an event marked as
    /// recovery; where the start plus a Stats time to recover lands (on a
    /// row, or near a row that says service came back); the last row
    /// after the start that says so, else the last row.
    fn end(&self, start: Option<&Found<Point>>) -> Option<Found<Point>> {
        if let Some(e) = &self.stated.end {
            return Some(self.stated_end(e, start));
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
        if let Some(i) = self.marks.resolved {
            return self.event(i, "the timeline event marked as recovery");
        }
        if let Some(target) = value(self.ttr.as_ref()).and_then(after_start) {
            return Some(self.landing(target, start_at?));
        }
        if self.ttr.is_some() {
            return None;
        }
        self.last_restored(start)
    }

    /// The end a stated time to recover gives: the row it lands on, unless
    /// that row only begins work and a row near it says service came back;
    /// else the nearest such row; else the instant itself.
    fn landing(&self, target: Found<Point>, start_at: Timestamp) -> Found<Point> {
        let Some(at) = target.value.at else {
            return target;
        };
        let exact = self.events.iter().position(|e| e.at == Some(at));
        if let Some(i) = exact.filter(|&i| !phrases::beginning(&self.events[i].text)) {
            return self
                .event(i, "the timeline event the stated time to recover lands on")
                .unwrap_or(target);
        }
        let slack = tolerance(at.duration_since(start_at));
        let near = self
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.at.is_some_and(|t| t > start_at && (t.duration_since(at)).abs() <= slack)
            })
            .filter(|(_, e)| phrases::restored(&e.text))
            .min_by_key(|(_, e)| e.at.map(|t| t.duration_since(at).abs()));
        match near.or(exact.map(|i| (i, &self.events[i]))) {
            Some((i, _)) => self
                .event(
                    i,
                    "the timeline event nearest to where the stated time to recover lands",
                )
                .unwrap_or(target),
            None => target,
        }
    }

    /// With the start from the timeline or stated: the last row after it
    /// that says service came back; with the start from the timeline and
    /// no such row, the last row.
    fn last_restored(&self, start: Option<&Found<Point>>) -> Option<Found<Point>> {
        let from = match start.map(|s| s.value.origin) {
            Some(Origin::Event(i)) => i,
            Some(Origin::Stated) => {
                let at = start.and_then(|s| s.value.at)?;
                self.events
                    .iter()
                    .position(|e| e.at.is_some_and(|t| t >= at))?
            }
            None => return None,
        };
        let restored = (from + 1..self.events.len())
            .rev()
            .find(|&i| phrases::restored(&self.events[i].text));
        if let Some(i) = restored {
            // Impact again after service came back: several incidents.
            let mut back = false;
            let several = self.events[from..=i].iter().any(|e| {
                back |= phrases::restored(&e.text);
                back && !phrases::restored(&e.text) && phrases::impact(&e.text)
            });
            let what = if several {
                "the last timeline event that says service came back (the document tells of several incidents: kb counts from the first start to the last end)"
            } else {
                "the last timeline event that says service came back"
            };
            return self.event(i, what);
        }
        let from_timeline = start.is_some_and(|s| matches!(s.value.origin, Origin::Event(_)));
        let last = self
            .events
            .len()
            .checked_sub(1)
            .filter(|&i| i > from && from_timeline && !self.open_end)?;
        self.event(last, "the timeline's last event")
    }

    fn stated_end(&self, e: &Found<Moment>, start: Option<&Found<Point>>) -> Found<Point> {
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
        self.moment(&m, e.line, &e.source)
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
    let events: Vec<TimelineEvent> = out
        .timeline
        .iter()
        .filter(|e| !e.untimed)
        .cloned()
        .collect();
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
        ttr_unknown: meta
            .iter()
            .any(|m| m.key == MetaKey::TimeToRecover && window::stat_duration(&m.value).is_none()),
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
    if let (Some(s), Some(e), Some(d)) = (&start, &end, &stated.duration) {
        contradiction(s, e, d, out);
    }
}

/// A stated duration the window it is stated beside does not have
/// ("Duration: 2 hours" with a start and an end 90 minutes apart): the
/// window stands, and a warning names both.
fn contradiction(
    start: &Found<Point>,
    end: &Found<Point>,
    stated: &Found<SignedDuration>,
    out: &mut Inference,
) {
    let (Some(a), Some(b)) = (start.value.at, end.value.at) else {
        return;
    };
    let got = b.duration_since(a);
    let slack = (stated.value / 10).max(SignedDuration::from_mins(5));
    if end.line == stated.line || (got - stated.value).abs() <= slack {
        return;
    }
    let message = format!(
        "{} (line {}) says {:#}, but {} (line {}) to {} (line {}) is {:#}: kb keeps the start and end; correct the one that is wrong",
        stated.source,
        stated.line,
        stated.value,
        start.source,
        start.line,
        end.source,
        end.line,
        got
    );
    out.conflicts.push((message, stated.line));
}

/// `2024-06-08T03:00:00+00:00`, in the offset `zone` has at that instant.
pub fn format_instant(at: Timestamp, zone: &TimeZone) -> String {
    at.display_with_offset(zone.to_offset(at)).to_string()
}
