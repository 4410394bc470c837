//! What a timeline diagram shows, taken out of an [`Incident`]: the
//! lifecycle milestones with their lags, the events with plain text and a
//! place in time, and the phases of the impact band. Every layout (axis,
//! flow, ASCII) draws from this, so they agree on what is known.
//!
//! Events written with only a time of day (no date anywhere in the
//! postmortem) are placed on a stand-in day, rolling over midnight when the
//! clock goes backwards, and shown as times of day only.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::clock;
use crate::content::markdown;
use crate::model::Incident;
use crate::render::format;

/// A lifecycle point of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MilestoneKind {
    /// Impact began.
    Started,
    /// It was noticed.
    Detected,
    /// Someone took it.
    Acknowledged,
    /// Impact was reduced.
    Mitigated,
    /// Impact ended.
    Resolved,
}

impl MilestoneKind {
    /// The lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            MilestoneKind::Started => "started",
            MilestoneKind::Detected => "detected",
            MilestoneKind::Acknowledged => "acknowledged",
            MilestoneKind::Mitigated => "mitigated",
            MilestoneKind::Resolved => "resolved",
        }
    }
}

/// A milestone with its label (`detected +5 min`).
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    /// Which point.
    pub kind: MilestoneKind,
    /// When.
    pub at: Timestamp,
    /// The lag from the start of impact, for every milestone alike, so that
    /// the diagram's lags read on one scale (the facts panel gives time to
    /// acknowledge from detection, as DESIGN.md defines it).
    pub lag: Option<SignedDuration>,
}

impl Milestone {
    /// `detected +5 min`, `started`.
    pub fn label(&self) -> String {
        match self.lag {
            Some(lag) if lag.is_negative() => {
                format::concat(&[self.kind.name(), " ", &lag_text(lag)])
            }
            Some(lag) => format::concat(&[self.kind.name(), " +", &lag_text(lag)]),
            None => self.kind.name().to_owned(),
        }
    }
}

/// A lag as people say it, `0 min` rather than `0 s`.
pub fn lag_text(lag: SignedDuration) -> String {
    if lag.as_secs() == 0 {
        "0 min".to_owned()
    } else {
        format::duration(lag)
    }
}

/// Where an instant falls in the incident's life; the diagram colours by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Before impact began.
    Before,
    /// Impact, not yet noticed.
    Undetected,
    /// Impact known, and no detection time to split it by.
    Impact,
    /// Noticed, being worked on.
    Responding,
    /// Mitigated, not yet resolved.
    Recovering,
    /// After impact ended.
    After,
    /// When impact began is not known.
    Unknown,
}

impl Phase {
    /// The CSS class that sets the phase's colours (`kb-ph-responding`).
    pub fn class(self) -> &'static str {
        match self {
            Phase::Before => "kb-ph-before",
            Phase::Undetected => "kb-ph-undetected",
            Phase::Impact => "kb-ph-impact",
            Phase::Responding => "kb-ph-responding",
            Phase::Recovering => "kb-ph-recovering",
            Phase::After => "kb-ph-after",
            Phase::Unknown => "kb-ph-unknown",
        }
    }

    /// The legend's words.
    pub fn legend(self) -> &'static str {
        match self {
            Phase::Before => "before impact",
            Phase::Undetected => "impact, not yet detected",
            Phase::Impact => "impact",
            Phase::Responding => "impact, responding",
            Phase::Recovering => "mitigated, recovering",
            Phase::After => "after impact",
            Phase::Unknown => "start of impact unknown",
        }
    }
}

/// A timeline event ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// 1-based, in the order written.
    pub number: usize,
    /// Where it goes on the axis: the instant, or a stand-in instant on a
    /// stand-in day for times of day only.
    pub at: Timestamp,
    /// Plain text (Markdown marks removed).
    pub text: String,
}

/// An incident's timeline, ready to lay out.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The incident's title.
    pub title: String,
    /// Milestones in time order.
    pub milestones: Vec<Milestone>,
    /// Events in the order written.
    pub events: Vec<Event>,
    /// The zone times are shown in.
    pub zone: TimeZone,
    /// False when only times of day are known: no dates are shown.
    pub dated: bool,
}

impl Timeline {
    /// The timeline of `incident`, shown in `zone`. `None` when there is
    /// nothing to place in time.
    pub fn of(incident: &Incident, zone: &TimeZone) -> Option<Timeline> {
        Timeline::build(incident, zone, markdown::inline_plain)
    }

    /// The timeline of `incident` in `zone`, each event's text given by
    /// `text` from its Markdown.
    fn build(incident: &Incident, zone: &TimeZone, text: fn(&str) -> String) -> Option<Timeline> {
        let mut milestones = milestones(incident);
        milestones.sort_by_key(|m| m.at);
        // With any instant known, events without one are left out (they
        // cannot be placed); with none known, the clock times are drawn.
        let dated = !milestones.is_empty()
            || incident
                .timeline
                .iter()
                .all(|e| e.at.is_some() || e.untimed);
        let events: Vec<Event> = if dated {
            incident
                .timeline
                .iter()
                .enumerate()
                .filter_map(|(n, e)| {
                    Some(Event {
                        number: n + 1,
                        at: e.at?,
                        text: text(&e.text),
                    })
                })
                .collect()
        } else {
            times_of_day(incident, text)
        };
        if events.is_empty() && milestones.is_empty() {
            return None;
        }
        // A stand-in day is read back in UTC so the clock shows as written.
        let zone = if dated { zone.clone() } else { TimeZone::UTC };
        Some(Timeline {
            title: incident.title.clone(),
            milestones,
            events,
            zone,
            dated,
        })
    }

    /// The milestone of `kind`, if known.
    pub fn milestone(&self, kind: MilestoneKind) -> Option<Timestamp> {
        self.milestones
            .iter()
            .find(|m| m.kind == kind)
            .map(|m| m.at)
    }

    /// The phase `at` falls in.
    pub fn phase(&self, at: Timestamp) -> Phase {
        let (Some(started), resolved) = (
            self.milestone(MilestoneKind::Started),
            self.milestone(MilestoneKind::Resolved),
        ) else {
            return Phase::Unknown;
        };
        if at < started {
            return Phase::Before;
        }
        if resolved.is_some_and(|r| at > r) {
            return Phase::After;
        }
        let detected = self.milestone(MilestoneKind::Detected);
        if self
            .milestone(MilestoneKind::Mitigated)
            .is_some_and(|m| at >= m)
        {
            return Phase::Recovering;
        }
        match detected {
            Some(d) if at < d => Phase::Undetected,
            Some(_) => Phase::Responding,
            None => Phase::Impact,
        }
    }

    /// The impact band from started to resolved, cut where the phase
    /// changes: `(from, to, phase)`.
    pub fn band(&self) -> Vec<(Timestamp, Timestamp, Phase)> {
        let (Some(started), Some(resolved)) = (
            self.milestone(MilestoneKind::Started),
            self.milestone(MilestoneKind::Resolved),
        ) else {
            return Vec::new();
        };
        let mut cuts: Vec<Timestamp> = self
            .milestones
            .iter()
            .filter(|m| matches!(m.kind, MilestoneKind::Detected | MilestoneKind::Mitigated))
            .map(|m| m.at)
            .filter(|&at| at > started && at < resolved)
            .collect();
        cuts.push(resolved);
        cuts.sort();
        let mut from = started;
        let mut out = Vec::new();
        for to in cuts {
            if to > from {
                out.push((from, to, self.phase(from)));
                from = to;
            }
        }
        out
    }

    /// Every instant the diagram must show, sorted.
    pub fn instants(&self) -> Vec<Timestamp> {
        let mut all: Vec<Timestamp> = self
            .milestones
            .iter()
            .map(|m| m.at)
            .chain(self.events.iter().map(|e| e.at))
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The first and the last instant the diagram shows.
    pub fn span(&self) -> Option<(Timestamp, Timestamp)> {
        let all = self
            .milestones
            .iter()
            .map(|m| m.at)
            .chain(self.events.iter().map(|e| e.at));
        all.fold(None, |span, at| match span {
            None => Some((at, at)),
            Some((a, b)) => Some((a.min(at), b.max(at))),
        })
    }

    /// The clock time of `at`: `05:00`, or `Tue 20 May 08:15` when
    /// `with_date`.
    pub fn clock(&self, at: Timestamp, with_date: bool) -> String {
        let local = self.zone.to_datetime(at);
        if with_date && self.dated {
            clock::day_and_time(local)
        } else {
            format::time(local.time())
        }
    }

    /// The calendar day of `at` in the zone shown.
    pub fn day(&self, at: Timestamp) -> Date {
        self.zone.to_datetime(at).date()
    }

    /// Whether the timeline runs over more than one calendar day.
    pub fn spans_days(&self) -> bool {
        self.span().is_some_and(|(a, b)| self.day(a) != self.day(b))
    }

    /// The zone's abbreviation at the start (`CEST`), or "" for times of
    /// day only.
    pub fn zone_name(&self) -> String {
        match (self.dated, self.span()) {
            (true, Some((at, _))) => self
                .zone
                .to_offset_info(at)
                .abbreviation()
                .to_ascii_uppercase(),
            _ => String::new(),
        }
    }

    /// A one-paragraph summary of the phases for `<desc>`:
    /// `Impact 05:00–08:00 CEST (3 h); detected after 0 min; 11 events.`
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        let days = self.spans_days();
        let zone = self.zone_name();
        let zone = if zone.is_empty() {
            String::new()
        } else {
            format!(" {zone}")
        };
        match (
            self.milestone(MilestoneKind::Started),
            self.milestone(MilestoneKind::Resolved),
        ) {
            (Some(s), Some(r)) => parts.push(format!(
                "Impact {}–{}{zone} ({})",
                self.clock(s, days),
                self.clock(r, days),
                format::duration(r.duration_since(s))
            )),
            (Some(s), None) => parts.push(format!(
                "Impact from {}{zone}, end unknown",
                self.clock(s, days)
            )),
            _ => match (self.dated, self.events.first(), self.events.last()) {
                (false, Some(a), Some(b)) => parts.push(format!(
                    "Times of day only, {} to {}",
                    self.clock(a.at, false),
                    self.clock(b.at, false)
                )),
                _ => parts.push("Impact times unknown".to_owned()),
            },
        }
        for m in &self.milestones {
            let Some(lag) = m.lag else { continue };
            let name = m.kind.name();
            if lag.is_negative() {
                parts.push(format::concat(&[
                    name,
                    " ",
                    &lag_text(lag.abs()),
                    " before the start",
                ]));
            } else {
                parts.push(format::concat(&[
                    name,
                    " ",
                    &lag_text(lag),
                    " after the start",
                ]));
            }
        }
        let n = self.events.len();
        let mut events = String::with_capacity(12);
        format::push_count(&mut events, n as u64);
        events.push_str(if n == 1 { " event" } else { " events" });
        parts.push(events);
        let mut summary = parts.join("; ");
        summary.push('.');
        summary
    }
}

fn milestones(i: &Incident) -> Vec<Milestone> {
    let since = |from: Option<Timestamp>, to: Timestamp| from.map(|f| to.duration_since(f));
    let points = [
        (MilestoneKind::Started, i.started, None),
        (MilestoneKind::Detected, i.detected, i.started),
        (MilestoneKind::Acknowledged, i.acknowledged, i.started),
        (MilestoneKind::Mitigated, i.mitigated, i.started),
        (MilestoneKind::Resolved, i.resolved, i.started),
    ];
    points
        .into_iter()
        .filter_map(|(kind, at, from)| {
            at.map(|at| Milestone {
                kind,
                at,
                lag: since(from, at),
            })
        })
        .collect()
}

/// Events known only as times of day, on a stand-in day (2000-01-01 UTC),
/// rolling over midnight when the clock goes backwards.
fn times_of_day(incident: &Incident, text: fn(&str) -> String) -> Vec<Event> {
    let mut day = Date::constant(2000, 1, 1);
    let mut previous = None;
    let mut out = Vec::with_capacity(incident.timeline.len());
    for (n, e) in incident.timeline.iter().enumerate() {
        if e.untimed {
            continue;
        }
        if previous.is_some_and(|p| e.time < p) {
            day = day.tomorrow().unwrap_or(day);
        }
        previous = Some(e.time);
        let Ok(at) = day
            .to_datetime(e.time)
            .to_zoned_datetime(TimeZone::UTC)
            .map(|z| z.timestamp())
        else {
            continue;
        };
        out.push(Event {
            number: n + 1,
            at,
            text: text(&e.text),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_milestone_before_its_reference_reads_as_a_minus_not_plus_minus() {
        let milestone = |mins| Milestone {
            kind: MilestoneKind::Detected,
            at: Timestamp::UNIX_EPOCH,
            lag: Some(SignedDuration::from_mins(mins)),
        };
        assert_eq!(milestone(5).label(), "detected +5 min");
        assert_eq!(milestone(-10).label(), "detected -10 min");
    }
}
