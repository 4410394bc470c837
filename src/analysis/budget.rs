//! Error budgets: for a service with an availability target (site.toml
//! `slo`), per window of its `slo_window`, the budget (1 − slo/100) × the
//! window's length, the downtime used in it (the union of its incidents
//! clipped at the window's edges, or its user-weighted downtime with
//! `slo_basis = "users"`) and what remains, negative when overspent.
//!
//! Windows run from the site's first incident (at most
//! [`MAX_HISTORY_YEARS`](super::MAX_HISTORY_YEARS) back) to the build
//! time: calendar quarters or months in the site's zone, or 30-day windows
//! ending at the build time. The last window is the current one and is
//! counted to date against its whole budget.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::impact::WeightedUnion;
use super::intervals::Union;
use super::periods::{self, Month, Quarter};
use super::stats;
use crate::config::{Slo, SloBasis, SloWindow};

/// The length of a rolling window.
pub const ROLLING_DAYS: i64 = 30;

/// One window of an SLO: [start, end) in seconds, with a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// `2025 Q1`, `2025-03` or `2025-02-01 – 2025-03-03`.
    pub label: String,
    /// First second.
    pub start: i64,
    /// The second after the last.
    pub end: i64,
}

/// The windows of kind `kind` from `first` (the site's first incident) to
/// `now`, oldest first; the last holds `now` (a rolling window ends with
/// the build's date).
pub fn windows(kind: SloWindow, first: Timestamp, now: Timestamp, zone: &TimeZone) -> Vec<Window> {
    let today = now.to_zoned_datetime(zone.clone()).date();
    let earliest = super::history_start(today)
        .and_then(|d| d.to_zoned_datetime(zone.clone()).ok())
        .map_or(first, |d| d.timestamp().max(first));
    let first = earliest.min(now);
    match kind {
        SloWindow::Quarter => {
            let last = Quarter::of(now, zone);
            periods::quarters(Quarter::of(first, zone).min(last), last)
                .into_iter()
                .filter_map(|q| {
                    let (start, end) = q.bounds(zone)?;
                    Some(Window {
                        label: q.label(),
                        start,
                        end,
                    })
                })
                .collect()
        }
        SloWindow::Month => {
            let last = Month::of(now, zone);
            periods::months(Month::of(first, zone).min(last), last)
                .into_iter()
                .filter_map(|m| {
                    let (start, end) = m.bounds(zone)?;
                    Some(Window {
                        label: m.label(),
                        start,
                        end,
                    })
                })
                .collect()
        }
        SloWindow::Rolling30d => {
            let len = ROLLING_DAYS * 86_400;
            // The last window ends with the build's date, so its figures
            // change once a day, not once a second.
            let end = today
                .tomorrow()
                .ok()
                .and_then(|d| d.to_zoned_datetime(zone.clone()).ok())
                .map_or(now.as_second(), |z| z.timestamp().as_second());
            let count = (end - first.as_second()) / len + 1;
            let day = |s: i64| {
                Timestamp::from_second(s)
                    .map(|t| t.to_zoned_datetime(zone.clone()).date().to_string())
                    .unwrap_or_default()
            };
            (0..count)
                .rev()
                .map(|k| {
                    let (start, end) = (end - (k + 1) * len, end - k * len);
                    Window {
                        label: format!("{} – {}", day(start), day(end - 1)),
                        start,
                        end,
                    }
                })
                .collect()
        }
    }
}

/// A service's error budget in one window.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowBudget {
    /// The window.
    pub window: Window,
    /// Downtime in it: the union clipped at its edges.
    pub downtime_s: i64,
    /// User-weighted downtime in it (rounded).
    pub user_weighted_downtime_s: i64,
    /// 1 − downtime / length.
    pub availability: f64,
    /// (1 − slo/100) × length, seconds (unrounded).
    pub budget_s: f64,
    /// What the budget counts (`slo_basis`) in the window, seconds.
    pub used_s: f64,
}

impl WindowBudget {
    /// Budget left, seconds: negative when overspent.
    pub fn remaining_s(&self) -> f64 {
        self.budget_s - self.used_s
    }

    /// Budget left as a percentage of the budget: negative when overspent.
    pub fn remaining_pct(&self) -> f64 {
        100.0 * self.remaining_s() / self.budget_s
    }

    /// Budget used as a percentage of the budget.
    pub fn used_pct(&self) -> f64 {
        100.0 * self.used_s / self.budget_s
    }

    /// More used than the budget.
    pub fn overspent(&self) -> bool {
        self.used_s > self.budget_s
    }
}

/// One service's SLO and its budget per window.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceBudget {
    /// The target, window and basis (with the site's defaults).
    pub slo: Slo,
    /// Oldest first; the last is the current window.
    pub windows: Vec<WindowBudget>,
}

impl ServiceBudget {
    /// The window that holds the build time.
    pub fn current(&self) -> Option<&WindowBudget> {
        self.windows.last()
    }

    /// The window before it.
    pub fn previous(&self) -> Option<&WindowBudget> {
        self.windows.iter().rev().nth(1)
    }

    /// Whether a window that overlaps [from, to) was overspent.
    pub fn overspent_within(&self, from: i64, to: i64) -> bool {
        self.windows
            .iter()
            .any(|w| w.window.start < to && w.window.end > from && w.overspent())
    }
}

/// The budget of a service with `slo` over `windows`, given its downtime.
pub fn service_budget(
    slo: Slo,
    windows: &[Window],
    downtime: &Union,
    weighted: &WeightedUnion,
) -> ServiceBudget {
    let share = (100.0 - slo.target) / 100.0;
    ServiceBudget {
        slo,
        windows: windows
            .iter()
            .map(|w| {
                let a = stats::availability(downtime, w.start, w.end);
                let weighted_s = weighted.length_within(w.start, w.end);
                WindowBudget {
                    window: w.clone(),
                    downtime_s: a.downtime_s,
                    user_weighted_downtime_s: weighted_s.round() as i64,
                    availability: a.availability,
                    budget_s: share * a.period_s as f64,
                    used_s: match slo.basis {
                        SloBasis::Time => a.downtime_s as f64,
                        SloBasis::Users => weighted_s,
                    },
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn windows_of_each_kind() {
        let (first, now) = (at("2026-05-10T08:00:00Z"), at("2026-11-24T12:00:00Z"));
        let utc = TimeZone::UTC;
        let q = windows(SloWindow::Quarter, first, now, &utc);
        assert_eq!(
            q.iter().map(|w| w.label.as_str()).collect::<Vec<_>>(),
            ["2026 Q2", "2026 Q3", "2026 Q4"]
        );
        // Q4: October 31 + November 30 + December 31 = 92 days.
        assert_eq!(q[2].end - q[2].start, 92 * 86_400);
        let m = windows(SloWindow::Month, first, now, &utc);
        assert_eq!((m.len(), m[6].label.as_str()), (7, "2026-11"));
        // 198 days back to May 10th: 7 windows of 30 days.
        let r = windows(SloWindow::Rolling30d, first, now, &utc);
        assert_eq!(r.len(), 7);
        // The last ends with the build's date, 11-24: 10-26 to 11-24, whole.
        assert_eq!(r[6].end, at("2026-11-25T00:00:00Z").as_second());
        assert_eq!(r[6].label, "2026-10-26 – 2026-11-24");
        assert!(r[0].start <= first.as_second());
    }

    #[test]
    fn budget_used_and_remaining() {
        // 99.9 % over a 92-day quarter: 0.001 x 7 948 800 = 7948.8 s.
        // 5 h down (18 000 s): remaining -10 051.2 s, -126.45 %.
        let w = [Window {
            label: "q".into(),
            start: 0,
            end: 92 * 86_400,
        }];
        let slo = Slo {
            target: 99.9,
            window: SloWindow::Quarter,
            basis: SloBasis::Time,
        };
        let down = Union::of(&[(3600, 3600 + 18_000)]);
        let weighted = WeightedUnion::of(&[((3600, 3600 + 18_000), 0.5)]);
        let b = service_budget(slo, &w, &down, &weighted);
        let c = b.current().unwrap();
        assert!((c.budget_s - 7948.8).abs() < 1e-6);
        assert!((c.remaining_s() + 10_051.2).abs() < 1e-6);
        assert!((c.remaining_pct() + 126.449).abs() < 1e-3);
        assert!(c.overspent() && b.overspent_within(0, 10));
        // Counted on users: 9000 s used, 1051.2 s short.
        let users = Slo {
            basis: SloBasis::Users,
            ..slo
        };
        let b = service_budget(users, &w, &down, &weighted);
        assert!((b.windows[0].used_s - 9000.0).abs() < 1e-6);
        assert_eq!(b.windows[0].user_weighted_downtime_s, 9000);
    }
}
