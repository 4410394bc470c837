//! Follow-through on action items, per owner, per team (the action's
//! `team`, else its owner's in site.toml `[owners]`) and per priority:
//! items opened (with their incident, by its start) and closed per
//! quarter, time from the incident's end to the end of the day `closed`
//! (median, p90), the share closed by the due date, and open items by age.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;

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

    fn add(&mut self, incident: &Incident, action: &ActionItem, zone: &TimeZone, today: Date) {
        self.items += 1;
        let day = |t: jiff::Timestamp| t.to_zoned_datetime(zone.clone()).date();
        if let Some(started) = incident.started {
            *self.opened.entry(Quarter::of(started, zone)).or_default() += 1;
        }
        if let Some(closed) = action.closed {
            *self.closed.entry(Quarter::of_date(closed)).or_default() += 1;
        }
        if let Some(s) = time_to_close_s(incident, action, zone) {
            self.times_to_close.push(s);
        }
        if let Some(due) = action.due {
            match action.closed {
                Some(closed) => {
                    self.closed_by_due.1 += 1;
                    self.closed_by_due.0 += usize::from(closed <= due);
                }
                None if action.status == ActionStatus::Open && due < today => {
                    self.closed_by_due.1 += 1;
                }
                None => {}
            }
        }
        if action.status == ActionStatus::Open
            && let Some(since) = incident.resolved.or(incident.started)
        {
            let days = (today - day(since)).get_days();
            let bracket = match days {
                ..=30 => 0,
                31..=90 => 1,
                _ => 2,
            };
            self.open_by_age[bracket] += 1;
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
    let mut out = FollowThroughs::default();
    for incident in incidents {
        for action in &incident.actions {
            let owner = action.owner.as_deref().unwrap_or_default();
            let team = action
                .team
                .as_deref()
                .or_else(|| config.owners.get(owner).and_then(|o| o.team.as_deref()))
                .unwrap_or_default();
            let priority = action.priority.as_deref().unwrap_or_default();
            out.total.add(incident, action, zone, today);
            for (map, key) in [
                (&mut out.by_owner, owner),
                (&mut out.by_team, team),
                (&mut out.by_priority, priority),
            ] {
                match map.get_mut(key) {
                    Some(f) => f.add(incident, action, zone, today),
                    None => {
                        let mut f = FollowThrough::default();
                        f.add(incident, action, zone, today);
                        map.insert(key.to_owned(), f);
                    }
                }
            }
        }
    }
    for f in std::iter::once(&mut out.total)
        .chain(out.by_owner.values_mut())
        .chain(out.by_team.values_mut())
        .chain(out.by_priority.values_mut())
    {
        f.times_to_close.sort_unstable();
    }
    out
}
