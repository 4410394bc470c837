//! Calendar periods (months and quarters) in the site's time zone, with
//! their edges as instants, for per-period statistics and availability.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Year.
    pub year: i16,
    /// 1 to 12.
    pub month: i8,
}

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// Year.
    pub year: i16,
    /// 1 to 4.
    pub quarter: i8,
}

impl Month {
    /// The month `at` falls in, in `zone`.
    pub fn of(at: Timestamp, zone: &TimeZone) -> Month {
        Month::of_date(at.to_zoned_datetime(zone.clone()).date())
    }

    /// The month of a date.
    pub fn of_date(d: Date) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// `2025-03`.
    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// [start, end) of the month in `zone`, in seconds since the epoch;
    /// `None` outside the range of dates.
    pub fn bounds(self, zone: &TimeZone) -> Option<(i64, i64)> {
        let start = |m: Month| first_instant(Date::new(m.year, m.month, 1).ok()?, zone);
        Some((start(self)?, start(self.next())?))
    }
}

/// The first instant of `date` in `zone`, in seconds since the epoch.
fn first_instant(date: Date, zone: &TimeZone) -> Option<i64> {
    Some(
        date.to_zoned_datetime(zone.clone())
            .ok()?
            .timestamp()
            .as_second(),
    )
}

impl Quarter {
    /// The quarter `at` falls in, in `zone`.
    pub fn of(at: Timestamp, zone: &TimeZone) -> Quarter {
        Quarter::of_date(at.to_zoned_datetime(zone.clone()).date())
    }

    /// The quarter of a date.
    pub fn of_date(d: Date) -> Quarter {
        Quarter {
            year: d.year(),
            quarter: (d.month() - 1) / 3 + 1,
        }
    }

    /// The quarter after.
    pub fn next(self) -> Quarter {
        if self.quarter == 4 {
            Quarter {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Quarter {
                quarter: self.quarter + 1,
                ..self
            }
        }
    }

    /// The quarter before.
    pub fn previous(self) -> Quarter {
        if self.quarter == 1 {
            Quarter {
                year: self.year - 1,
                quarter: 4,
            }
        } else {
            Quarter {
                quarter: self.quarter - 1,
                ..self
            }
        }
    }

    /// `2025 Q1`.
    pub fn label(self) -> String {
        format!("{} Q{}", self.year, self.quarter)
    }

    /// [start, end) of the quarter in `zone`, in seconds since the epoch;
    /// `None` outside the range of dates.
    pub fn bounds(self, zone: &TimeZone) -> Option<(i64, i64)> {
        let start =
            |q: Quarter| first_instant(Date::new(q.year, (q.quarter - 1) * 3 + 1, 1).ok()?, zone);
        Some((start(self)?, start(self.next())?))
    }
}

/// Every quarter from `first` to `last`, both included.
pub fn quarters(first: Quarter, last: Quarter) -> Vec<Quarter> {
    let mut out = Vec::new();
    let mut q = first;
    while q <= last {
        out.push(q);
        q = q.next();
    }
    out
}

/// Every month from `first` to `last`, both included.
pub fn months(first: Month, last: Month) -> Vec<Month> {
    let mut out = Vec::new();
    let mut m = first;
    while m <= last {
        out.push(m);
        m = m.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_edges_in_a_zone() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let at: Timestamp = "2025-03-31T22:30:00Z".parse().unwrap();
        // 00:30 on April 1st in Berlin: the second quarter there.
        assert_eq!(
            Quarter::of(at, &berlin),
            Quarter {
                year: 2025,
                quarter: 2
            }
        );
        assert_eq!(
            Quarter::of(at, &TimeZone::UTC),
            Quarter {
                year: 2025,
                quarter: 1
            }
        );
        let (s, e) = Quarter {
            year: 2025,
            quarter: 1,
        }
        .bounds(&TimeZone::UTC)
        .unwrap();
        assert_eq!(e - s, 90 * 86_400);
        assert_eq!(
            quarters(
                Quarter {
                    year: 2024,
                    quarter: 4
                },
                Quarter {
                    year: 2025,
                    quarter: 2
                }
            )
            .len(),
            3
        );
        assert_eq!(
            Month {
                year: 2024,
                month: 12
            }
            .next()
            .label(),
            "2025-01"
        );
    }
}
