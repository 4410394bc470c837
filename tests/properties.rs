//! Property tests for the parsers (the `cargo test` side of `fuzz/`): front
//! matter splitting and parsing, the timeline parser and resolution,
//! inference of plain postmortems. Each property runs a few hundred cases
//! here; `deep_fuzz` (ignored) runs the
//! same properties with many more: `cargo test --release --test properties
//! -- --ignored` (KB_FUZZ_CASES sets how many).

use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use kb::config::Config;
use kb::content::infer::infer;
use kb::content::timeline::{parse_line, parse_lines, resolve};
use kb::content::{FrontMatter, parse_bytes, split};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};

/// Text that looks like a postmortem: fences, keys, times, separators,
/// non-ASCII, line ends of every kind.
fn postmortem_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "+++",
        "---",
        "...",
        "\n",
        "\r\n",
        "\r",
        "title = \"t\"",
        "title: t",
        "[[actions]]",
        "started = 2024-06-08T03:00:00Z",
        "key: [a, b",
        "&a [*a]",
        "\t",
        "## Timeline",
        "- 03:00 AM: x",
        "| 2024-06-08 | 11:21 | y |",
        "**09:14** z",
        "23:59 CEST —",
        "é",
        "\u{feff}",
        "# ",
        "```",
        "<script>",
        " ",
    ]);
    prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
}

/// A front matter key and a string value (any characters).
fn entries() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map("[a-z][a-z_]{0,9}", any::<String>(), 0..8)
        .prop_map(|m| m.into_iter().collect())
}

/// Splitting gives pieces of the text; the body starts at `body_line`.
fn split_is_faithful(text: &str) -> Result<(), TestCaseError> {
    let Ok(s) = split(text) else { return Ok(()) };
    prop_assert!(text.ends_with(s.body));
    if s.format.is_some() {
        let before_body = &text[..text.len() - s.body.len()];
        // (An empty body after a last fence without `\n` is "on" the
        // next line, which the file does not have.)
        if !s.body.is_empty() {
            prop_assert_eq!(before_body.matches('\n').count() + 1, s.body_line);
        }
        prop_assert!(before_body.contains(s.front));
    } else {
        prop_assert_eq!(s.body, text);
    }
    Ok(())
}

/// Values written as TOML or YAML read back the same, and every key is
/// found on its own line.
fn front_matter_round_trips(entries: &[(String, String)], toml: bool) -> Result<(), TestCaseError> {
    let (fence, assign) = if toml { ("+++", " = ") } else { ("---", ": ") };
    let mut text = format!("{fence}\n");
    for (key, value) in entries {
        // A JSON string literal is a valid TOML basic string and YAML
        // double-quoted scalar.
        let literal = serde_json::to_string(value).unwrap();
        text.push_str(&format!("{key}{assign}{literal}\n"));
    }
    text.push_str(&format!("{fence}\nbody\n"));
    let s = split(&text).unwrap();
    let fm = FrontMatter::parse(&s).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
    prop_assert_eq!(fm.map.len(), entries.len());
    for (i, (key, value)) in entries.iter().enumerate() {
        prop_assert_eq!(fm.map[key].as_str(), Some(value.as_str()));
        prop_assert_eq!(fm.locate(key), (i + 2, 1));
    }
    Ok(())
}

/// A written stamp is read back with its time, and the text after it.
fn stamp_reads_back(h: u8, m: u8, sep: &str, text: &str) -> Result<(), TestCaseError> {
    let line = format!("- {h:02}:{m:02}{sep}{text}");
    let (stamp, rest) = parse_line(&line).ok_or_else(|| TestCaseError::fail(line.clone()))?;
    prop_assert_eq!((stamp.time.hour(), stamp.time.minute()), (h as i8, m as i8));
    prop_assert_eq!(rest, text.trim());
    Ok(())
}

/// Times without dates never go backwards once resolved: a smaller time
/// rolls over to the next day, so each event is at most a day after the one
/// before it.
fn resolved_times_never_go_backwards(times: &[(u8, u8)]) -> Result<(), TestCaseError> {
    let lines: Vec<String> = times
        .iter()
        .map(|(h, m)| format!("{h:02}:{m:02} event"))
        .collect();
    let raw = parse_lines(lines.iter().enumerate().map(|(i, l)| (i + 1, l.as_str())));
    prop_assert_eq!(raw.len(), times.len());
    let started: Timestamp = "2024-06-08T00:00:00Z".parse().unwrap();
    let events = resolve(raw, Some(started), &TimeZone::UTC);
    for pair in events.windows(2) {
        let (a, b) = (pair[0].at.unwrap(), pair[1].at.unwrap());
        prop_assert!(a <= b);
        prop_assert!(b.duration_since(a).as_secs() < 24 * 3600);
    }
    Ok(())
}

/// Plain postmortems as pasted from a doc: sections, Duration and Start
/// lines, times of day, shares of users; never a date.
fn plain_postmortem() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "# Postmortem: outage\n",
        "## Summary\n",
        "## Timeline\n",
        "## Impact\n",
        "## Root Cause\n",
        "## Action Items\n",
        "Duration: 45 minutes\n",
        "Duration of Outage: 2 hours 10 minutes\n",
        "Start Time: 03:00 AM\n",
        "End Time: 04:15 UTC\n",
        "- 03:00 AM: alert\n",
        "- 15:04 UTC — paged\n",
        "**09:14** rollback\n",
        "| 11:21 | pods restart |\n",
        "about 30% of users\n",
        "150% of requests\n",
        "Root cause: a memory leak.\n",
        "- [ ] add alerts (owner: ops)\n",
        "The outage lasted 3 hours.\n",
        "\n",
        "text ",
        "é",
        "—",
        "23:59 ",
        "00:10 ",
    ]);
    prop::collection::vec(piece, 0..50).prop_map(|p| p.concat())
}

/// Inference on text without a date keeps every instant unknown (kb never
/// invents a date), gives shares within 0..100, and points facts at lines
/// of the text.
fn inference_is_honest(text: &str) -> Result<(), TestCaseError> {
    let config = Config::default();
    let body_line = 3;
    let found = infer(
        Path::new("content/x.md"),
        text,
        body_line,
        &config,
        &TimeZone::UTC,
    );
    prop_assert_eq!(found.started, None);
    prop_assert_eq!(found.resolved, None);
    prop_assert_eq!(found.detected, None);
    prop_assert!(found.timeline.iter().all(|e| e.at.is_none()));
    if let Some(pct) = found.users_pct {
        prop_assert!((0.0..=100.0).contains(&pct), "{}", pct);
    }
    let last_line = body_line + text.lines().count().max(1);
    // (A title taken from the file name points at line 1.)
    for fact in found.facts.iter().filter(|f| f.source != "the file name") {
        prop_assert!(
            (body_line..=last_line).contains(&fact.line),
            "{:?} outside lines {}..={}",
            fact,
            body_line,
            last_line
        );
    }
    Ok(())
}

fn parse_never_panics(text: &str) {
    let _ = parse_bytes(
        Path::new("content/x.md"),
        text.as_bytes(),
        &Config::default(),
        &TimeZone::UTC,
    );
}

const SEPARATORS: [&str; 6] = [" ", ": ", " - ", " — ", " | ", " UTC: "];

/// Event text. It starts with a letter no zone abbreviation (UTC, CET, Z,
/// ...) or am/pm starts with: those are read as part of the stamp.
fn text_after_stamp() -> impl Strategy<Value = String> {
    "[dfloqrtvxyDFLOQRTVXYé][A-Za-z0-9 é.]{0,30}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn split_keeps_the_text(text in postmortem_like()) {
        split_is_faithful(&text)?;
    }

    #[test]
    fn split_any_string(text in any::<String>()) {
        split_is_faithful(&text)?;
    }

    #[test]
    fn toml_front_matter_round_trips(e in entries()) {
        front_matter_round_trips(&e, true)?;
    }

    #[test]
    fn yaml_front_matter_round_trips(e in entries()) {
        front_matter_round_trips(&e, false)?;
    }

    #[test]
    fn timeline_stamps_read_back(
        h in 0u8..24, m in 0u8..60,
        sep in prop::sample::select(SEPARATORS.to_vec()),
        text in text_after_stamp(),
    ) {
        stamp_reads_back(h, m, sep, &text)?;
    }

    #[test]
    fn timelines_never_go_backwards(times in prop::collection::vec((0u8..24, 0u8..60), 1..40)) {
        resolved_times_never_go_backwards(&times)?;
    }

    #[test]
    fn postmortem_like_text_never_panics(text in postmortem_like()) {
        parse_never_panics(&text);
    }

    #[test]
    fn inference_never_invents_a_date(text in plain_postmortem()) {
        inference_is_honest(&text)?;
    }

    #[test]
    fn timeline_lines_never_panic(line in any::<String>()) {
        let _ = parse_line(&line);
    }
}

/// Runs `property` on `cases` values of `strategy`; returns how many ran.
fn run<S: Strategy>(
    cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> u32 {
    let mut runner = TestRunner::new(RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let count = std::cell::Cell::new(0);
    let result = runner.run(&strategy, |v| {
        count.set(count.get() + 1);
        property(v)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    count.get()
}

/// The long run: every property with KB_FUZZ_CASES cases (default 100,000).
#[test]
#[ignore = "long: run with --release -- --ignored"]
fn deep_fuzz() {
    let cases: u32 = std::env::var("KB_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let runs = [
        (
            "split (postmortem-like)",
            run(cases, postmortem_like(), |t| split_is_faithful(&t)),
        ),
        (
            "split (any string)",
            run(cases, any::<String>(), |t| split_is_faithful(&t)),
        ),
        (
            "TOML round trip",
            run(cases, entries(), |e| front_matter_round_trips(&e, true)),
        ),
        (
            "YAML round trip",
            run(cases, entries(), |e| front_matter_round_trips(&e, false)),
        ),
        (
            "timeline stamps",
            run(
                cases,
                (
                    0u8..24,
                    0u8..60,
                    prop::sample::select(SEPARATORS.to_vec()),
                    text_after_stamp(),
                ),
                |(h, m, sep, text)| stamp_reads_back(h, m, sep, &text),
            ),
        ),
        (
            "timeline order",
            run(
                cases,
                prop::collection::vec((0u8..24, 0u8..60), 1..40),
                |t| resolved_times_never_go_backwards(&t),
            ),
        ),
        (
            "inference (plain postmortems)",
            run(cases, plain_postmortem(), |t| inference_is_honest(&t)),
        ),
        (
            "whole files (postmortem-like)",
            run(cases, postmortem_like(), |t| {
                parse_never_panics(&t);
                Ok(())
            }),
        ),
        (
            "whole files (any bytes)",
            run(cases, prop::collection::vec(any::<u8>(), 0..2000), |b| {
                let _ = parse_bytes(
                    Path::new("content/x.md"),
                    &b,
                    &Config::default(),
                    &TimeZone::UTC,
                );
                Ok(())
            }),
        ),
    ];
    for (name, n) in runs {
        eprintln!("deep_fuzz: {name}: {n} cases");
    }
}
