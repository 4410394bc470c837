//! A timeline pasted from a status page: updates such as
//! "Investigating - We are looking into errors." with their time on the
//! line below ("Sep 4, 2024 - 14:38 UTC"), newest first as status pages
//! list them. Read in time order, each update one event.

use super::dates;
use super::events::Timeline;
use crate::config::DateOrder;
use crate::content::timeline::RawEvent;

/// The words a status page update starts with.
const STATES: [&str; 12] = [
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "update",
    "updated",
    "mitigated",
    "completed",
    "scheduled",
    "in progress",
    "verifying",
    "postmortem",
];

/// The updates of `all` (`(file line, text)`), oldest first, when there
/// are at least two; `year` completes dates written without one.
pub fn read(
    all: &[(usize, &str)],
    order: Option<DateOrder>,
    year: Option<i16>,
) -> Option<Timeline> {
    let mut events = Vec::new();
    let lines: Vec<&(usize, &str)> = all.iter().filter(|(_, l)| !l.trim().is_empty()).collect();
    for pair in lines.windows(2) {
        let &[&(line, label), &(_, when)] = pair else {
            continue;
        };
        if !is_update(label) {
            continue;
        }
        let Some(stamp) = stamp_line(when, order, year) else {
            continue;
        };
        events.push(RawEvent {
            stamp,
            text: label.trim().to_owned(),
            line,
            untimed: false,
        });
    }
    if events.len() < 2 {
        return None;
    }
    let key = |e: &RawEvent| (e.stamp.date, e.stamp.time);
    if key(&events[0]) > key(&events[events.len() - 1]) {
        events.reverse();
    }
    Some(Timeline {
        events,
        ..Timeline::default()
    })
}

/// "Resolved - This incident has been resolved.": a state word, then a
/// dash or colon, then the update's text.
fn is_update(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    STATES.iter().any(|s| {
        lower.strip_prefix(s).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with(['-', '–', '—', ':']) && rest.len() > 2
        })
    })
}

/// A line that is only a date and a time ("Sep 4, 2024 - 16:12 UTC",
/// "Posted Sep 04, 2024 - 16:12 UTC"), as a stamp.
fn stamp_line(
    line: &str,
    order: Option<DateOrder>,
    year: Option<i16>,
) -> Option<crate::content::timeline::Stamp> {
    let t = line.trim();
    if t.len() > 48 {
        return None;
    }
    let date = dates::find_dates(t, order)
        .first()
        .and_then(|(d, _)| d.resolve(year))?;
    let time = dates::find_times(t).into_iter().next()?;
    let words = t
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 3)
        .count();
    // Month names and "Posted" at most: no sentence.
    (words <= 2).then_some(crate::content::timeline::Stamp {
        date: Some(date),
        ..time.stamp
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_newest_first_read_oldest_first() {
        let lines = [
            (1, "Resolved - This incident has been resolved."),
            (2, "Sep 4, 2024 - 16:12 UTC"),
            (3, ""),
            (4, "Monitoring - A fix has been deployed."),
            (5, "Sep 4, 2024 - 15:41 UTC"),
            (6, "Investigating - We are looking into failed deliveries."),
            (7, "Posted Sep 4, 2024 - 14:38 UTC"),
        ];
        let t = read(&lines, None, None).unwrap();
        let got: Vec<(usize, String)> = t
            .events
            .iter()
            .map(|e| (e.line, e.stamp.time.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                (6, "14:38:00".to_owned()),
                (4, "15:41:00".to_owned()),
                (1, "16:12:00".to_owned())
            ]
        );
        assert_eq!(t.events[0].stamp.date.unwrap().to_string(), "2024-09-04");
    }

    #[test]
    fn prose_is_no_update() {
        let lines = [
            (1, "Resolved: the team rolled back at 14:20 on Sep 4, 2024."),
            (
                2,
                "We then watched the error rate fall for an hour and a half, until Sep 4, 2024 16:00.",
            ),
            (3, "Update - one line"),
        ];
        assert!(read(&lines, None, None).is_none());
    }
}
