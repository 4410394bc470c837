//! Day labels as the diagrams write them (`Tue 20 May`, `Tue 20 May
//! 08:15`), from a civil datetime. Written by hand rather than with
//! `strftime`: a diagram writes dozens per incident and these forms are
//! all it needs (clock times alone are [`format::time`]).

use jiff::civil::DateTime;

use crate::render::format;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// Month abbreviations, January first.
pub(super) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Appends `Tue 20 May`.
fn push_day(out: &mut String, dt: DateTime) {
    out.push_str(WEEKDAYS[dt.weekday().to_monday_zero_offset() as usize]);
    out.push(' ');
    let day = dt.day();
    if day >= 10 {
        out.push(char::from(b'0' + (day / 10) as u8));
    }
    out.push(char::from(b'0' + (day % 10) as u8));
    out.push(' ');
    out.push_str(MONTHS[(dt.month() - 1) as usize]);
}

/// `Tue 20 May`.
pub fn day(dt: DateTime) -> String {
    let mut out = String::with_capacity(10);
    push_day(&mut out, dt);
    out
}

/// `Tue 20 May 08:15`.
pub fn day_and_time(dt: DateTime) -> String {
    let mut out = String::with_capacity(16);
    push_day(&mut out, dt);
    out.push(' ');
    format::push_time(&mut out, dt.time());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_strftime() {
        for s in ["2025-05-20T08:15", "2024-06-08T03:00", "2024-12-01T23:59"] {
            let dt: DateTime = s.parse().unwrap();
            assert_eq!(day(dt), dt.strftime("%a %-d %b").to_string());
            assert_eq!(day_and_time(dt), dt.strftime("%a %-d %b %H:%M").to_string());
        }
    }
}
