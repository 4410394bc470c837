//! Follow-through on `/actions/`: per team, priority and owner, items and
//! what became of them (closed this quarter, time to close, closed by the
//! due date, open items by age), and items opened and closed per quarter.

use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

use super::RenderInput;
use super::format;
use crate::analysis::followthrough::{AGE_BRACKETS, FollowThrough};
use crate::analysis::periods::Quarter;

/// How many quarters, newest first, the table of opened and closed shows.
const QUARTERS: usize = 8;

/// One group's follow-through, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub name: String,
    pub items: usize,
    pub opened_this_quarter: usize,
    pub closed_this_quarter: usize,
    pub median: Option<String>,
    pub p90: Option<String>,
    /// `75 % of 8`.
    pub closed_by_due: Option<String>,
    pub open_by_age: [usize; 3],
}

fn group(name: &str, none: &str, f: &FollowThrough, this: Quarter) -> GroupView {
    GroupView {
        name: if name.is_empty() { none } else { name }.to_owned(),
        items: f.items,
        opened_this_quarter: f.opened.get(&this).copied().unwrap_or_default(),
        closed_this_quarter: f.closed.get(&this).copied().unwrap_or_default(),
        median: f.median().map(format::seconds),
        p90: f.p90().map(format::seconds),
        closed_by_due: f
            .closed_by_due_share()
            .map(|s| format!("{:.0} % of {}", s * 100.0, f.closed_by_due.1)),
        open_by_age: f.open_by_age,
    }
}

/// The follow-through block of `/actions/`; none without action items.
pub fn actions_page(input: &RenderInput<'_>) -> Option<Value> {
    let ft = &input.analysis.insights.follow_through;
    if ft.total.items == 0 {
        return None;
    }
    let this = Quarter::of(input.build_time, input.config.time_zone());
    let table = |map: &std::collections::BTreeMap<String, FollowThrough>, none: &str| {
        map.iter()
            .map(|(k, f)| group(k, none, f, this))
            .collect::<Vec<_>>()
    };
    let mut quarters = Vec::with_capacity(QUARTERS);
    let mut q = this;
    for _ in 0..QUARTERS {
        quarters.push(context! {
            label => q.label(),
            opened => ft.total.opened.get(&q).copied().unwrap_or_default(),
            closed => ft.total.closed.get(&q).copied().unwrap_or_default(),
        });
        q = q.previous();
    }
    Some(context! {
        quarter => this.label(),
        total => Serde(group("All items", "", &ft.total, this)),
        tables => vec![
            context! { heading => "By team", id => "by-team", groups => Serde(table(&ft.by_team, "No team")) },
            context! { heading => "By priority", id => "by-priority", groups => Serde(table(&ft.by_priority, "No priority")) },
            context! { heading => "By owner", id => "by-owner", groups => Serde(table(&ft.by_owner, "No owner")) },
        ],
        ages => AGE_BRACKETS.to_vec(),
        quarters,
    })
}
