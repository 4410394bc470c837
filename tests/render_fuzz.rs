//! Property tests of the whole pipeline on generated input: a postmortem
//! whose Markdown body mixes every construct kb renders (tables, footnotes,
//! raw HTML, script links, code, alerts) with hostile characters, built
//! with the default theme; and a plain postmortem (no front matter) built
//! through inference. Whatever the text: no panic, every XML file
//! well-formed, no script the theme did not put there, no negative
//! interval in the exports, and pages in proportion to the input. A few
//! hundred cases run in `cargo test`; `render_fuzz_deep` runs
//! `KB_FUZZ_CASES` of each (ignored: run it by hand).

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Pieces of Markdown, HTML and text that have broken renderers.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Heading {#id .class}\n".to_owned()),
        Just("## Timeline\n".to_owned()),
        Just("- 03:00 UTC — alerts fire\n".to_owned()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_owned()),
        Just("[^1]\n\n[^1]: a footnote\n".to_owned()),
        Just("<script>alert(1)</script>\n".to_owned()),
        Just("<img src=x onerror=alert(1)>\n".to_owned()),
        Just("[link](javascript:alert(1)) [ok](https://x.example/)\n".to_owned()),
        Just("<a href=\"JaVaScRiPt:alert(1)\">x</a>\n".to_owned()),
        Just("```html\n<script>x</script>\n```\n".to_owned()),
        Just("> [!WARNING]\n> careful\n".to_owned()),
        Just("- [ ] task\n- [x] done\n".to_owned()),
        Just("~~gone~~ **bold** _it_ `code`\n".to_owned()),
        Just("\u{ffff}\u{fffe}\u{0}\u{1}\u{7}\u{1b}[31m\u{202e}\n".to_owned()),
        Just("]]><!-- --><![CDATA[ &amp; &#0; &#xFFFF;\n".to_owned()),
        "[ -~]{0,40}\n",
        any::<String>().prop_map(|s| s.chars().take(60).collect::<String>() + "\n"),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|parts| parts.concat())
}

/// A plain postmortem: lines an incident report might have, shuffled with
/// noise.
fn plain_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Postmortem: checkout outage\n".to_owned()),
        Just("Duration of Outage: June 8, 2024, 03:00 AM to 06:00 AM UTC\n".to_owned()),
        Just("Duration: from 10:45 AM to 1:30 PM (UTC)\n".to_owned()),
        Just("The outage lasted 3 hours.\n".to_owned()),
        Just("Impact: 85% of users could not log in.\n".to_owned()),
        Just("Root cause: a bad config push.\n".to_owned()),
        Just("## Timeline\n".to_owned()),
        Just("- 03:00 AM: alerts fire\n".to_owned()),
        Just("- 02:00 AM: resolved\n".to_owned()),
        Just("**09:14** pager\n".to_owned()),
        Just("| 2020-02-03 11:21 | db failover |\n".to_owned()),
        Just("Time to detect: 5 minutes\n".to_owned()),
        Just("Time to recover: 2 hours\n".to_owned()),
        Just("All times in CET.\n".to_owned()),
        Just("08/06/2024 2100hrs noon midnight\n".to_owned()),
        "[ -~]{0,50}\n",
    ]
}

fn plain_postmortem() -> impl Strategy<Value = String> {
    prop::collection::vec(plain_line(), 1..20).prop_map(|parts| parts.concat())
}

/// Builds a site of one postmortem, `name`, holding `text`; checks what
/// every build must give.
fn builds_soundly(name: &str, text: &str) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join(name), text).unwrap();
    let build = kb::site::build(tmp.path(), &common::options(false));
    let Some(site) = build.site else {
        // Refused with errors, each naming the file: fine.
        prop_assert!(build.errors().all(|d| d.path.ends_with(name)));
        return Ok(());
    };
    let files = site
        .files()
        .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    for (path, bytes) in &files {
        if path.ends_with(".xml") {
            let xml = String::from_utf8_lossy(bytes);
            if let Err(e) = roxmltree::Document::parse(&xml) {
                return Err(TestCaseError::fail(format!("{path}: {e}")));
            }
        }
    }
    let page = files
        .iter()
        .find(|(p, _)| p.starts_with("incidents/") && p.as_str() != "incidents/index.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let html = scraper::Html::parse_document(&page);
    let scripts = scraper::Selector::parse("script:not([src]), script[src]").unwrap();
    for script in html.select(&scripts) {
        let src = script.value().attr("src").unwrap_or("");
        prop_assert!(
            src.contains("static/"),
            "a script kb did not put there: {}",
            script.html()
        );
    }
    let links = scraper::Selector::parse("[href], [src]").unwrap();
    for element in html.select(&links) {
        for attr in ["href", "src"] {
            let value = element
                .value()
                .attr(attr)
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            prop_assert!(!value.starts_with("javascript:"), "{}", element.html());
        }
    }
    let handlers = html
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .flat_map(|e| {
            e.value()
                .attrs()
                .map(|(k, _)| k.to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|k| k.starts_with("on"))
        .count();
    prop_assert_eq!(handlers, 0, "an event handler attribute");
    // Pages in proportion to the input: a generous constant per byte.
    prop_assert!(
        page.len() < 200_000 + 60 * text.len(),
        "{} bytes from {}",
        page.len(),
        text.len()
    );
    let json: serde_json::Value = serde_json::from_slice(&files["incidents.json"]).unwrap();
    for incident in json["incidents"].as_array().unwrap() {
        for key in [
            "duration_s",
            "time_to_detect_s",
            "time_to_acknowledge_s",
            "time_to_mitigate_s",
            "time_to_resolve_s",
        ] {
            if let Some(seconds) = incident[key].as_i64() {
                prop_assert!(seconds >= 0, "{key} = {seconds}");
            }
        }
    }
    Ok(())
}

/// The front matter the Markdown cases get; `detected` and the other
/// points vary, so that some are out of order.
fn with_front_matter(body: &str, detected_minutes: i64) -> String {
    let detected = jiff::Timestamp::from_second(1_717_815_600 + detected_minutes * 60).unwrap();
    format!(
        "+++\ntitle = \"Fuzzed \\u0001 <b>title</b> \\uFFFF\"\nseverity = \"SEV2\"\nservices = [\"web\", \"<svc>\"]\nstarted = 2024-06-08T03:00:00Z\ndetected = {detected}\nresolved = 2024-06-08T06:00:00Z\n+++\n{body}"
    )
}

/// Runs `check` on `cases` values of `strategy`; returns how many ran.
fn run<S: Strategy>(
    cases: u32,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> u32 {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(&strategy, check) {
        panic!("{e}");
    }
    cases
}

fn markdown_case(cases: u32) -> u32 {
    run(cases, (markdown(), -300i64..300), |(body, minutes)| {
        builds_soundly("fuzzed.md", &with_front_matter(&body, minutes))
    })
}

fn plain_case(cases: u32) -> u32 {
    run(cases, plain_postmortem(), |text| {
        builds_soundly("pasted.md", &text)
    })
}

#[test]
fn markdown_with_the_theme_renders_soundly() {
    markdown_case(150);
}

#[test]
fn plain_postmortems_build_soundly() {
    plain_case(150);
}

/// The long run: `KB_FUZZ_CASES` cases of each (default 5,000).
#[test]
#[ignore = "long: run by hand with --ignored"]
fn render_fuzz_deep() {
    let cases: u32 = std::env::var("KB_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000);
    let started = std::time::Instant::now();
    let markdown = markdown_case(cases);
    let plain = plain_case(cases);
    eprintln!(
        "render_fuzz_deep: {markdown} Markdown cases, {plain} plain cases in {:?}",
        started.elapsed()
    );
}
