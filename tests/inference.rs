//! Plain postmortems (no front matter) in `tests/fixtures/plain/`: what kb
//! infers from each, against facts worked out by hand from the text.

mod common;

use std::path::Path;
use std::sync::Arc;

use jiff::SignedDuration;
use kb::config::Config;
use kb::content;
use kb::model::{ActionStatus, Incident};
use proptest::prelude::*;

fn load() -> (Vec<Arc<Incident>>, Vec<kb::diagnostic::Diagnostic>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain");
    let config = Config::load(&root).expect("fixture site.toml");
    let loaded = content::load(&root, &config, false);
    (loaded.incidents, loaded.diagnostics)
}

fn incident<'a>(all: &'a [Arc<Incident>], slug: &str) -> &'a Incident {
    all.iter()
        .find(|i| i.slug == slug)
        .unwrap_or_else(|| panic!("no incident {slug}"))
}

/// started and resolved as UTC RFC 3339, "-" when unknown.
fn window(i: &Incident) -> (String, String) {
    let show = |t: Option<jiff::Timestamp>| t.map_or("-".to_owned(), |t| t.to_string());
    (show(i.started), show(i.resolved))
}

fn minutes(i: &Incident) -> Option<i64> {
    i.duration().map(|d| d.as_secs() / 60)
}

fn times(i: &Incident) -> Vec<String> {
    i.timeline
        .iter()
        .map(|e| e.time.strftime("%H:%M").to_string())
        .collect()
}

#[test]
fn the_seed() {
    let (all, diagnostics) = load();
    let seed = incident(&all, "seed-2024-06-08");
    assert_eq!(seed.title, "Outage on June 8, 2024");
    // "Duration of Outage: June 8, 2024, 03:00 AM to 06:00 AM UTC (3 hours)"
    assert_eq!(
        window(seed),
        ("2024-06-08T03:00:00Z".into(), "2024-06-08T06:00:00Z".into())
    );
    assert_eq!(seed.duration(), Some(SignedDuration::from_hours(3)));
    // "Approximately 85% of users were affected."
    assert_eq!(seed.impact.users_pct, Some(85.0));
    // The Timeline section has 11 time lines, 03:00 AM to 06:00 AM (the
    // issue says 12; the document has 11). The ASCII diagram after the
    // measures is not part of the Timeline section.
    assert_eq!(
        times(seed),
        [
            "03:00", "03:05", "03:15", "03:30", "03:45", "04:00", "04:15", "04:30", "05:00",
            "05:15", "06:00"
        ]
    );
    assert_eq!(
        seed.timeline[0].at.map(|t| t.to_string()).as_deref(),
        Some("2024-06-08T03:00:00Z")
    );
    // The six lines under "Tasks:", not the three "Improvements".
    let actions: Vec<&str> = seed.actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(actions.len(), 6);
    assert!(actions[0].starts_with("Patch Web Server:"));
    assert_eq!(
        actions[2],
        "Upgrade Infrastructure: Increase server capacity to handle higher traffic volumes."
    );
    assert!(actions[5].starts_with("Review Update Process:"));
    assert_eq!(
        seed.extra["root_cause"],
        "An unexpected spike in traffic triggered a memory leak in the web server's process, leading to server crashes."
    );
    let started = diagnostics
        .iter()
        .find(|d| {
            d.code == "inferred"
                && d.path.ends_with("seed-2024-06-08.md")
                && d.message.starts_with("started")
        })
        .expect("a warning for started");
    assert!(
        started
            .message
            .starts_with("started inferred from the Duration of Outage line, line 4"),
        "{}",
        started.message
    );
    assert_eq!(started.position.as_ref().map(|p| p.line), Some(4));
}

#[test]
fn twelve_hour_times_and_a_summary_range() {
    let (all, _) = load();
    let i = incident(&all, "twelve-hour");
    assert_eq!(i.title, "Login failures on March 3, 2025");
    // "On March 3, 2025 ... from 10:45 AM to 1:30 PM (UTC)": 2 h 45 min.
    assert_eq!(
        window(i),
        ("2025-03-03T10:45:00Z".into(), "2025-03-03T13:30:00Z".into())
    );
    assert_eq!(minutes(i), Some(165));
    // "Approximately 40 percent of users"
    assert_eq!(i.impact.users_pct, Some(40.0));
    assert_eq!(times(i), ["10:45", "11:02", "12:10", "13:30"]);
    assert_eq!(
        i.extra["root_cause"],
        "A config push changed the password hashing cost without migrating stored hashes."
    );
    let statuses: Vec<ActionStatus> = i.actions.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [ActionStatus::Open, ActionStatus::Done]);
}

#[test]
fn twenty_four_hour_times_with_bold_metadata() {
    let (all, _) = load();
    let i = incident(&all, "twenty-four-hour");
    // Date 2024-11-02, first event 14:05 UTC, "Duration: 45 minutes" -> 14:50.
    assert_eq!(
        window(i),
        ("2024-11-02T14:05:00Z".into(), "2024-11-02T14:50:00Z".into())
    );
    // "Sev 2" in the site's spelling.
    assert_eq!(i.severity.as_deref(), Some("SEV2"));
    assert_eq!(i.services, ["search", "catalog"]);
}

#[test]
fn hrs_times() {
    let (all, _) = load();
    let i = incident(&all, "hrs");
    // "On 8 June 2024", 2100hrs to 2315hrs, site zone UTC: 2 h 15 min.
    assert_eq!(
        window(i),
        ("2024-06-08T21:00:00Z".into(), "2024-06-08T23:15:00Z".into())
    );
    assert_eq!(times(i), ["21:00", "21:15", "21:40", "23:15"]);
    // The two lines under "Tasks:".
    assert_eq!(i.actions.len(), 2);
}

#[test]
fn a_table_timeline_in_cest() {
    let (all, _) = load();
    let i = incident(&all, "table");
    // "Time (CEST)": 16:20 and 17:05 at +02:00 are 14:20 and 15:05 UTC.
    assert_eq!(
        window(i),
        ("2024-08-14T14:20:00Z".into(), "2024-08-14T15:05:00Z".into())
    );
    assert_eq!(minutes(i), Some(45));
    // The action table: owners from the Owner column, lee's is done.
    let owners: Vec<Option<&str>> = i.actions.iter().map(|a| a.owner.as_deref()).collect();
    assert_eq!(owners, [Some("dana"), Some("lee")]);
    assert_eq!(i.actions[1].status, ActionStatus::Done);
}

#[test]
fn bold_times_without_a_date() {
    let (all, _) = load();
    let i = incident(&all, "bold-times");
    // Times of day only: no instants. The 09:14 deploy is the change, not
    // the impact: the error rate climbs at 09:16, and 09:16 to 09:52 is 36
    // minutes.
    assert_eq!(window(i), ("-".into(), "-".into()));
    assert_eq!(minutes(i), Some(36));
    assert!(i.timeline.iter().all(|e| e.at.is_none()));
    // "About 25% of customers"; the 60% error rate in the timeline is not a share of users.
    assert_eq!(i.impact.users_pct, Some(25.0));
    assert_eq!(
        i.extra["root_cause"],
        "A wildcard purge rule deleted every cached image."
    );
    assert_eq!(i.services, ["images"]);
}

#[test]
fn html_fragments() {
    let (all, _) = load();
    let i = incident(&all, "html");
    assert_eq!(i.title, "Notification emails delayed");
    // "delayed on 2 February 2025", 07:40 UTC to 08:30 UTC.
    assert_eq!(
        window(i),
        ("2025-02-02T07:40:00Z".into(), "2025-02-02T08:30:00Z".into())
    );
    // Two <li> on one file line keep that line.
    let lines: Vec<usize> = i.timeline.iter().map(|e| e.line).collect();
    assert_eq!(lines, [6, 7, 7]);
    assert_eq!(
        i.extra["root_cause"],
        "The root cause was a full disk on the mail relay."
    );
    assert_eq!(i.actions.len(), 2);
}

#[test]
fn no_date_keeps_times_of_day() {
    let (all, _) = load();
    // 10:00 to 11:30, no date anywhere: 90 minutes, no instants.
    let i = incident(&all, "no-date");
    assert_eq!(window(i), ("-".into(), "-".into()));
    assert_eq!(minutes(i), Some(90));
    // 11:50 PM to 12:35 AM, no date: the next day, 45 minutes.
    let j = incident(&all, "midnight-no-date");
    assert_eq!(window(j), ("-".into(), "-".into()));
    assert_eq!(minutes(j), Some(45));
    assert_eq!(times(j), ["23:50", "00:10", "00:35"]);
}

#[test]
fn crossing_midnight_with_a_date() {
    let (all, _) = load();
    let i = incident(&all, "midnight");
    // June 8, 2024 23:40 to 01:05 the next day: 1 h 25 min.
    assert_eq!(
        window(i),
        ("2024-06-08T23:40:00Z".into(), "2024-06-09T01:05:00Z".into())
    );
    assert_eq!(minutes(i), Some(85));
    assert_eq!(
        i.timeline[2].at.map(|t| t.to_string()).as_deref(),
        Some("2024-06-09T00:20:00Z")
    );
}

#[test]
fn zone_abbreviations_and_offsets() {
    let (all, _) = load();
    // "Timeline (all times PDT)": 09:05 and 10:20 at -07:00.
    let pdt = incident(&all, "zone-abbreviation");
    assert_eq!(
        window(pdt),
        ("2023-07-14T16:05:00Z".into(), "2023-07-14T17:20:00Z".into())
    );
    // "between 14:00 and 15:10 UTC-5 on 20 March 2025".
    let offset = incident(&all, "gmt-offset");
    assert_eq!(
        window(offset),
        ("2025-03-20T19:00:00Z".into(), "2025-03-20T20:10:00Z".into())
    );
    // "On the 8th of June ... from noon until 2 PM EAT", the year from the
    // document's only full date (2023-06-12): 12:00 and 14:00 at +03:00.
    let eat = incident(&all, "ordinal-noon");
    assert_eq!(
        window(eat),
        ("2023-06-08T09:00:00Z".into(), "2023-06-08T11:00:00Z".into())
    );
}

#[test]
fn the_summary_wins_over_the_timeline() {
    let (all, _) = load();
    let i = incident(&all, "contradiction");
    // Summary: 10:45 AM to 1:30 PM (UTC) on 8 June 2024; the timeline runs
    // 10:30 AM to 2:00 PM. The summary wins.
    assert_eq!(
        window(i),
        ("2024-06-08T10:45:00Z".into(), "2024-06-08T13:30:00Z".into())
    );
    assert_eq!(times(i), ["10:30", "10:45", "13:30", "14:00"]);
}

#[test]
fn a_run_on_paragraph_timeline() {
    let (all, _) = load();
    let i = incident(&all, "run-on");
    // Five times in one paragraph, dated by "On 12 February 2025". The
    // deploy at 14:02 is the change; impact begins when errors spike.
    assert_eq!(times(i), ["14:02", "14:09", "14:12", "14:30", "14:41"]);
    assert_eq!(
        window(i),
        ("2025-02-12T14:09:00Z".into(), "2025-02-12T14:41:00Z".into())
    );
    assert_eq!(i.timeline[0].text, "the ledger deploy began.");
}

#[test]
fn a_stated_duration_and_a_numeric_date() {
    let (all, _) = load();
    // "began failing at 2:15 PM GMT on 5 May 2024 ... lasted 3 hours".
    let lasted = incident(&all, "lasted");
    assert_eq!(
        window(lasted),
        ("2024-05-05T14:15:00Z".into(), "2024-05-05T17:15:00Z".into())
    );
    // "Date: 08/06/2024" with date_order = "dmy": the 8th of June.
    let numeric = incident(&all, "numeric-date");
    assert_eq!(
        window(numeric),
        ("2024-06-08T09:00:00Z".into(), "2024-06-08T10:30:00Z".into())
    );
}

#[test]
fn a_stats_list_anchors_the_window() {
    let (all, _) = load();
    let i = incident(&all, "stats");
    // CET (+01:00). Only from 09:30 do the stated 20 min (detect) and 45
    // min (recover) land on events (09:50, 10:15): 08:30 to 09:15 UTC.
    assert_eq!(
        window(i),
        ("2024-01-10T08:30:00Z".into(), "2024-01-10T09:15:00Z".into())
    );
    assert_eq!(
        i.detected.map(|t| t.to_string()).as_deref(),
        Some("2024-01-10T08:50:00Z")
    );
    assert_eq!(i.tags, ["Messaging"]);
}

#[test]
fn a_time_to_recover_that_lands_on_no_event_gives_the_end_it_states() {
    let (all, _) = load();
    let i = incident(&all, "stats-off-timeline");
    // 14:00 + 20 min lands on the 14:20 alert: the start. 14:00 + 65 min is
    // 15:05, no event, and no row near it says service came back ("Cache
    // node replaced" is not one): the end is the start plus the stated 65
    // minutes.
    assert_eq!(
        window(i),
        ("2024-09-03T14:00:00Z".into(), "2024-09-03T15:05:00Z".into())
    );
    assert_eq!(minutes(i), Some(65));
}

#[test]
fn what_a_document_does_not_say_stays_unknown() {
    let (all, diagnostics) = load();
    let i = incident(&all, "untitled-notes");
    // No heading: the file name is the title. No time, no date, no share.
    assert_eq!(i.title, "untitled-notes");
    assert_eq!(
        (i.started, i.resolved, i.duration(), i.impact.users_pct),
        (None, None, None, None)
    );
    assert_eq!(i.extra["root_cause"], "The updater's API token expired.");
    assert!(i.actions.is_empty() && i.timeline.is_empty());
    // Every inferred value is a warning with a line; no errors.
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    assert!(
        diagnostics
            .iter()
            .filter(|d| d.code == "inferred")
            .all(|d| d.position.is_some())
    );
}

#[test]
fn the_fixture_site_builds() {
    let built = common::Built::new("plain");
    assert!(
        built
            .files
            .contains_key("incidents/seed-2024-06-08/index.html")
    );
    assert!(built.files.contains_key("incidents/no-date/index.html"));
}

proptest! {
    #[test]
    fn inference_never_panics(body in "(?s).{0,400}", heading in "[#*|<>0-9:apmAPMUTC \\-]{0,30}") {
        let text = format!("{heading}\n{body}\n## Timeline\n{body}\n## Action Items\n{heading}");
        let inferred = content::infer::infer(Path::new("x.md"), &text, 1, &Config::default(), &jiff::tz::TimeZone::UTC);
        prop_assert!(!inferred.title.is_empty() || text.trim().is_empty() || inferred.facts.iter().any(|f| f.field == "title"));
    }

    #[test]
    fn time_like_text_never_panics(body in "([0-9]{1,4}[:/.\\- ]?){0,12}(AM|pm|hrs|UTC|CET|noon| )*[^\\n]{0,20}") {
        let text = format!("# T\n## Summary\n{body}\n## Timeline\n- {body}\n| {body} | x |\n");
        let _ = content::infer::infer(Path::new("x.md"), &text, 1, &Config::default(), &jiff::tz::TimeZone::UTC);
    }
}

#[test]
fn the_seed_warnings_read_well() {
    let (_, diagnostics) = load();
    let text: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.path.ends_with("seed-2024-06-08.md"))
        .map(ToString::to_string)
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}
