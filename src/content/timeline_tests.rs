//! Tests of the timeline parser.

use super::*;

fn stamp(line: &str) -> Option<(String, String)> {
    parse_line(line).map(|(s, text)| {
        let date = s.date.map(|d| format!("{d} ")).unwrap_or_default();
        let zone = s
            .zone
            .map(|z| format!(" {}", z.to_fixed_offset().unwrap()))
            .unwrap_or_default();
        (format!("{date}{}{zone}", s.time.strftime("%H:%M")), text)
    })
}

fn ok(line: &str, when: &str, text: &str) {
    assert_eq!(
        stamp(line),
        Some((when.to_owned(), text.to_owned())),
        "line: {line}"
    );
}

#[test]
fn twelve_hour_lines() {
    ok("00:25 AM: batch stuck", "00:25", "batch stuck");
    ok("15.25 app pushed", "15:25", "app pushed");
    assert_eq!(stamp("2.17.1 released"), None);
    ok("03:00 AM: Alert fired.", "03:00", "Alert fired.");
    ok("12:15 am - midnight job", "00:15", "midnight job");
    ok("1:30 PM — rollback", "13:30", "rollback");
    ok("12:05 p.m.: lunch", "12:05", "lunch");
    ok("3 PM: paged", "15:00", "paged");
    ok("noon - lunch rush", "12:00", "lunch rush");
    ok("Midnight: batch job", "00:00", "batch job");
}

#[test]
fn military_hours() {
    ok("2100hrs: alert", "21:00", "alert");
    ok("0930 hrs - paged", "09:30", "paged");
    ok("21:15hrs UTC rollback", "21:15 +00", "rollback");
}

#[test]
fn twenty_four_hour_lines_with_zones() {
    ok("- 15:04 UTC — Alert fired", "15:04 +00", "Alert fired");
    ok("* 09:14 GMT: paged", "09:14 +00", "paged");
    ok("14:02Z alert", "14:02 +00", "alert");
    ok("14:02 +02:00 - alert", "14:02 +02", "alert");
    ok("14:02 (UTC) alert", "14:02 +00", "alert");
    ok("08:30 CEST: deploy", "08:30 +02", "deploy");
    ok("1. 23:59:30 - last", "23:59", "last");
    // A word that starts like a zone is text: "ETL" is no "ET".
    ok("08:40 ETL re-run", "08:40", "ETL re-run");
}

#[test]
fn dates_bold_and_tables() {
    ok("2024-06-08 03:00 — start", "2024-06-08 03:00", "start");
    ok("2024-06-08T03:00Z start", "2024-06-08 03:00 +00", "start");
    ok("**03:00** Alert", "03:00", "Alert");
    ok("- **03:00 UTC:** Alert", "03:00 +00", "Alert");
    ok(
        "| 2020-02-03 11:21 | Pods restarting | ops |",
        "2020-02-03 11:21",
        "Pods restarting — ops",
    );
    ok(
        "| 2020-02-03 | 11:21 | Pods restarting |",
        "2020-02-03 11:21",
        "Pods restarting",
    );
    ok("| **11:21** | Pods up |", "11:21", "Pods up");
    ok("| ~11:21 | Pods up |", "11:21", "Pods up");
}

#[test]
fn lines_that_are_not_events() {
    for line in [
        "| Time | Event |",
        "|---|---|",
        "Version 2:30 shipped",
        "10:5 x",
        "25:00 x",
        "13:00 PM x",
        "10:30abc",
        "text 10:30",
        "3 servers down",
        "2100 requests",
        "noonish",
        "2024-06-08 no time",
        "",
    ] {
        assert_eq!(stamp(line), None, "line: {line}");
    }
}

#[test]
fn resolves_dates_and_rolls_over_midnight() {
    let raw = parse_lines([
        (1, "23:40 first"),
        (2, "23:55 second"),
        (3, "00:10 third"),
        (4, "2024-06-10 01:00 fourth"),
        (5, "00:30 fifth"),
    ]);
    let started: Timestamp = "2024-06-08T23:40:00Z".parse().unwrap();
    let events = resolve(raw, Some(started), &TimeZone::UTC);
    let at: Vec<String> = events.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(
        at,
        [
            "2024-06-08T23:40:00Z",
            "2024-06-08T23:55:00Z",
            "2024-06-09T00:10:00Z",
            "2024-06-10T01:00:00Z",
            "2024-06-11T00:30:00Z"
        ]
    );
}

#[test]
fn without_any_date_only_times_remain() {
    let events = resolve(
        parse_lines([(1, "03:00 AM: a"), (2, "04:00 AM: b")]),
        None,
        &TimeZone::UTC,
    );
    assert!(events.iter().all(|e| e.at.is_none()));
    assert_eq!(events[1].time, Time::constant(4, 0, 0, 0));
}

#[test]
fn local_times_are_read_in_the_zone() {
    let berlin = TimeZone::get("Europe/Berlin").unwrap();
    let started: Timestamp = "2024-06-08T22:30:00Z".parse().unwrap();
    let events = resolve(
        parse_lines([(1, "00:45 first"), (2, "01:00 UTC second")]),
        Some(started),
        &berlin,
    );
    assert_eq!(events[0].at.unwrap().to_string(), "2024-06-08T22:45:00Z");
    assert_eq!(events[1].at.unwrap().to_string(), "2024-06-09T01:00:00Z");
}
