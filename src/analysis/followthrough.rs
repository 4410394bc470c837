//! Follow-through on action items, per owner, per team (the action's
//! `team`, else its owner's in site.toml `[owners]`) and per priority:
//! items opened (with their incident, by its start) and closed per
//! quarter, time from the incident's end to the end of the day `closed`
//! (median, p90), the share closed by the due date, and open items by age.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rustc_hash::FxHashMap;

use super::periods::Quarter;
use super::stats::percentile;
use crate::config::Config;
use crate::model::{ActionItem, ActionStatus, Incident};

/// The age brackets of open items, in days since their incident ended.
pub const AGE_BRACKETS: [&str; 3] = ["0–30 days", "31–90 days", "over 90 days"];

/// The follow-through of one group of action items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowThrough {
    /// Items.
    pub items: usize,
    /// Items opened per quarter (their incident's start).
    pub opened: BTreeMap<Quarter, usize>,
    /// Items closed per quarter (their `closed` date).
    pub closed: BTreeMap<Quarter, usize>,
    /// Seconds from the incident's end to the end of the day it was closed,
    /// sorted.
    pub times_to_close: Vec<i64>,
    /// Items due by the build date or closed, with a due date: closed on
    /// or before it, of all of them.
    pub closed_by_due: (usize, usize),
    /// Open items by days since their incident ended (else started):
    /// [`AGE_BRACKETS`].
    pub open_by_age: [usize; 3],
}

impl FollowThrough {
    /// Median time to close, seconds.
    pub fn median(&self) -> Option<i64> {
        percentile(&self.times_to_close, 0.5)
    }

    /// p90 time to close, seconds.
    pub fn p90(&self) -> Option<i64> {
        percentile(&self.times_to_close, 0.9)
    }

    /// The share closed by the due date, when any item counts.
    pub fn closed_by_due_share(&self) -> Option<f64> {
        let (by, of) = self.closed_by_due;
        (of > 0).then(|| by as f64 / of as f64)
    }

    fn add(&mut self, f: &Facts) {
        self.items += 1;
        if let Some(q) = f.opened {
            *self.opened.entry(q).or_default() += 1;
        }
        if let Some(q) = f.closed {
            *self.closed.entry(q).or_default() += 1;
        }
        if let Some(s) = f.time_to_close {
            self.times_to_close.push(s);
        }
        if let Some(by) = f.by_due {
            self.closed_by_due.1 += 1;
            self.closed_by_due.0 += usize::from(by);
        }
        if let Some(bracket) = f.age {
            self.open_by_age[bracket] += 1;
        }
    }
}

/// What one action item adds to each group it is in, worked out once.
struct Facts {
    opened: Option<Quarter>,
    closed: Option<Quarter>,
    time_to_close: Option<i64>,
    /// Counts for closed by due: closed on or before it.
    by_due: Option<bool>,
    /// Open: its bracket of [`AGE_BRACKETS`].
    age: Option<usize>,
}

/// What is known of an incident for its action items: the quarter it
/// started in and the day it ended (else started).
struct IncidentFacts {
    opened: Option<Quarter>,
    since: Option<Date>,
}

impl IncidentFacts {
    fn of(incident: &Incident, zone: &TimeZone) -> IncidentFacts {
        let day = |t: jiff::Timestamp| t.to_zoned_datetime(zone.clone()).date();
        IncidentFacts {
            opened: incident.started.map(|s| Quarter::of_date(day(s))),
            since: incident.resolved.or(incident.started).map(day),
        }
    }
}

impl Facts {
    fn of(
        incident: &Incident,
        known: &IncidentFacts,
        action: &ActionItem,
        zone: &TimeZone,
        today: Date,
    ) -> Facts {
        let open = action.status == ActionStatus::Open;
        Facts {
            opened: known.opened,
            closed: action.closed.map(Quarter::of_date),
            time_to_close: time_to_close_s(incident, action, zone),
            by_due: match (action.due, action.closed) {
                (Some(due), Some(closed)) => Some(closed <= due),
                (Some(due), None) if open && due < today => Some(false),
                _ => None,
            },
            age: known
                .since
                .filter(|_| open)
                .map(|since| match (today - since).get_days() {
                    ..=30 => 0,
                    31..=90 => 1,
                    _ => 2,
                }),
        }
    }
}

/// Seconds from `incident`'s end to the end of the day `action` was closed
/// (midnight after it, in `zone`).
pub fn time_to_close_s(incident: &Incident, action: &ActionItem, zone: &TimeZone) -> Option<i64> {
    let end = incident.resolved?;
    let day_after = action.closed?.tomorrow().ok()?;
    let closed = day_after.to_zoned_datetime(zone.clone()).ok()?.timestamp();
    Some(closed.as_second() - end.as_second())
}

/// Follow-through by owner, team and priority; items without one are
/// under "".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowThroughs {
    /// Over all items.
    pub total: FollowThrough,
    /// By owner.
    pub by_owner: BTreeMap<String, FollowThrough>,
    /// By team.
    pub by_team: BTreeMap<String, FollowThrough>,
    /// By priority.
    pub by_priority: BTreeMap<String, FollowThrough>,
}

/// The follow-through of every action item of `incidents` as of `today`.
pub fn follow_through(incidents: &[Arc<Incident>], config: &Config, today: Date) -> FollowThroughs {
    let zone = config.time_zone();
    let mut total = FollowThrough::default();
    // Names repeat: group under the borrowed name, copy each name once.
    let mut groups: [FxHashMap<&str, FollowThrough>; 3] = Default::default();
    for incident in incidents {
        if incident.actions.is_empty() {
            continue;
        }
        let known = IncidentFacts::of(incident, zone);
        for action in &incident.actions {
            let owner = action.owner.as_deref().unwrap_or_default();
            let team = action
                .team
                .as_deref()
                .or_else(|| config.owners.get(owner).and_then(|o| o.team.as_deref()))
                .unwrap_or_default();
            let priority = action.priority.as_deref().unwrap_or_default();
            let facts = Facts::of(incident, &known, action, zone, today);
            total.add(&facts);
            for (map, key) in groups.iter_mut().zip([owner, team, priority]) {
                map.entry(key).or_default().add(&facts);
            }
        }
    }
    let [by_owner, by_team, by_priority] = groups.map(|g| {
        g.into_iter()
            .map(|(k, mut f)| {
                f.times_to_close.sort_unstable();
                (k.to_owned(), f)
            })
            .collect::<BTreeMap<String, FollowThrough>>()
    });
    total.times_to_close.sort_unstable();
    FollowThroughs {
        total,
        by_owner,
        by_team,
        by_priority,
    }
}
