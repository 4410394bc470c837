//! Follow-up actions across all incidents: open, done, overdue (against the
//! build date), completion rate, and the same by owner.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use rustc_hash::FxHashMap;

use crate::model::{ActionStatus, Incident};

/// Counts of action items.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ActionCounts {
    /// Open.
    pub open: usize,
    /// Done.
    pub done: usize,
    /// Won't fix.
    pub wontfix: usize,
    /// Open and due before the build date.
    pub overdue: usize,
}

impl ActionCounts {
    fn add(&mut self, status: ActionStatus, overdue: bool) {
        match status {
            ActionStatus::Open => self.open += 1,
            ActionStatus::Done => self.done += 1,
            ActionStatus::Wontfix => self.wontfix += 1,
        }
        self.overdue += usize::from(overdue);
    }

    /// Done out of done and open (won't-fix items are neither), `None`
    /// when there are none.
    pub fn completion_rate(&self) -> Option<f64> {
        let total = self.done + self.open;
        (total > 0).then(|| self.done as f64 / total as f64)
    }
}

/// Action items of every incident.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionStats {
    /// Over all items.
    pub total: ActionCounts,
    /// By owner (items without one under "").
    pub by_owner: BTreeMap<String, ActionCounts>,
}

/// Counts the action items of `incidents` as of `today`.
pub fn action_stats(incidents: &[Arc<Incident>], today: Date) -> ActionStats {
    let mut total = ActionCounts::default();
    // Owners repeat: count under the borrowed name, copy each name once.
    let mut by_owner: FxHashMap<&str, ActionCounts> = FxHashMap::default();
    for action in incidents.iter().flat_map(|i| &i.actions) {
        let overdue = action.is_overdue(today);
        total.add(action.status, overdue);
        by_owner
            .entry(action.owner.as_deref().unwrap_or_default())
            .or_default()
            .add(action.status, overdue);
    }
    ActionStats {
        total,
        by_owner: by_owner
            .into_iter()
            .map(|(owner, counts)| (owner.to_owned(), counts))
            .collect(),
    }
}
