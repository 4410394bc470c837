//! Inference fills what a file with front matter lacks, from its body,
//! and never overrides what it states (`tests/fixtures/gaps/`).

mod common;

use kb::config::Config;
use kb::model::Incident;

fn load() -> (
    Vec<std::sync::Arc<Incident>>,
    Vec<kb::diagnostic::Diagnostic>,
) {
    let root = common::fixture("gaps");
    let config = Config::load(&root).expect("site.toml");
    let loaded = kb::content::load(&root, &config, false);
    (loaded.incidents, loaded.diagnostics)
}

fn get<'a>(all: &'a [std::sync::Arc<Incident>], slug: &str) -> &'a Incident {
    all.iter().find(|i| i.slug == slug).expect(slug)
}

fn warned(d: &[kb::diagnostic::Diagnostic], file: &str, code: &str, starts: &str) -> bool {
    d.iter()
        .any(|d| d.path.ends_with(file) && d.code == code && d.message.starts_with(starts))
}

#[test]
fn a_front_matter_without_a_title_builds_with_an_inferred_one() {
    let (all, d) = load();
    assert!(d.iter().all(|d| !d.is_error()), "{d:#?}");
    let i = get(&all, "no-title");
    // No heading but "Summary": the first sentence, cut at a word to 70 characters.
    assert_eq!(
        i.title,
        "On 2023-07-20 between 12:17 and 12:30 UTC the Payments API returned…"
    );
    assert!(warned(
        &d,
        "no-title.md",
        "inferred",
        "title inferred from the first sentence"
    ));
    // "between 12:17 and 12:30 UTC" on 2023-07-20.
    assert_eq!(
        i.started.map(|t| t.to_string()).as_deref(),
        Some("2023-07-20T12:17:00Z")
    );
    assert_eq!(
        i.resolved.map(|t| t.to_string()).as_deref(),
        Some("2023-07-20T12:30:00Z")
    );
    // The stated cause stands; the registry's "Payments API" names a service.
    assert_eq!(i.causes, ["config-change"]);
    assert_eq!(i.services, ["payments"]);
    assert_eq!(
        i.extra["inferred"],
        serde_json::json!(["title", "started", "resolved", "services"])
    );
}

#[test]
fn an_empty_date_is_unknown_and_the_body_fills_it() {
    let (all, d) = load();
    let i = get(&all, "empty-dates");
    assert!(warned(
        &d,
        "empty-dates.md",
        "empty-date",
        "`started` is an empty string"
    ));
    // The timeline's first row and the row that says latency is back.
    assert_eq!(
        i.started.map(|t| t.to_string()).as_deref(),
        Some("2024-03-02T09:10:00Z")
    );
    assert_eq!(
        i.resolved.map(|t| t.to_string()).as_deref(),
        Some("2024-03-02T09:50:00Z")
    );
    assert!(warned(
        &d,
        "empty-dates.md",
        "inferred",
        "started inferred from"
    ));
}

#[test]
fn what_a_file_states_is_never_overridden() {
    let (all, d) = load();
    let i = get(&all, "stated");
    // The summary says 07:00 to 09:00, the entire site, a memory leak and
    // the Payments API: the front matter's values stand, untouched.
    assert_eq!(
        i.started.map(|t| t.to_string()).as_deref(),
        Some("2024-04-01T08:00:00Z")
    );
    assert_eq!(
        i.resolved.map(|t| t.to_string()).as_deref(),
        Some("2024-04-01T08:30:00Z")
    );
    assert_eq!(i.impact.users_pct, Some(5.0));
    assert_eq!(
        (i.services.as_slice(), i.causes.as_slice()),
        (&["search".to_owned()][..], &["bad-deploy".to_owned()][..])
    );
    assert!(!i.extra.contains_key("inferred"));
    assert!(!d.iter().any(|d| d.path.ends_with("stated.md")), "{d:#?}");
}

#[test]
fn contradictory_statements_are_named() {
    let root = common::fixture("plain");
    let loaded = kb::content::load(&root, &Config::load(&root).unwrap(), false);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "contradiction")
        .expect("a contradiction warning");
    assert!(d.path.ends_with("contradiction-duration.md"));
    assert_eq!(d.position.as_ref().map(|p| p.line), Some(5));
    assert!(
        d.message.contains("(line 5) says 2h")
            && d.message.contains("(line 3)")
            && d.message.contains("(line 4) is 1h 30m"),
        "{}",
        d.message
    );
}

#[test]
fn the_seed_page_is_laid_out_and_marks_what_kb_inferred() {
    let built = common::Built::new("plain");
    let page = built.page("incidents/seed-2024-06-08/index.html");
    // Lenient headings, the summary's Key: value lines as a definition
    // list, the eleven time lines as the event list (said once: the lines
    // as written hold nothing more), the drawing monospace.
    assert!(page.texts(".prose h2").contains(&"Timeline".to_owned()));
    assert_eq!(
        page.texts(".prose dl.plain-facts dt")[..3],
        ["Duration of Outage", "Impact", "Root Cause"]
    );
    let events = page.texts("ol.timeline > li > div");
    assert_eq!(events.len(), 11);
    assert!(events[0].starts_with("A monitoring alert was triggered"));
    assert!(
        page.texts("details.as-written summary")
            .iter()
            .all(|s| !s.contains("timeline"))
    );
    assert!(page.text("pre code").contains("Outage Begins"));
    // The cause the root cause names, marked as inferred.
    assert_eq!(
        page.attrs(".facts dd.inferred a", "href")
            .iter()
            .filter(|h| h.contains("causes/memory-leak"))
            .count(),
        1
    );
    // A Markdown file keeps CommonMark: `#Title` without a space is text.
    let md = built.page("incidents/table/index.html");
    assert!(md.texts(".prose dl.plain-facts").is_empty());
}

#[test]
fn a_document_with_several_incidents_says_so() {
    let root = common::fixture("plain-corpus");
    let loaded = kb::content::load(&root, &Config::load(&root).unwrap(), false);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.path.ends_with("two-outages.txt") && d.message.starts_with("resolved"))
        .expect("a warning for resolved");
    // Down at 09:00, back at 09:20, down again at 13:40, back at 14:05.
    assert!(d.message.contains("several incidents"), "{}", d.message);
    assert!(
        d.message.ends_with("2024-04-16T14:05:00+00:00"),
        "{}",
        d.message
    );
}

#[test]
fn a_blank_title_is_no_title_and_the_heading_gives_one() {
    let (all, d) = load();
    let i = get(&all, "blank-title");
    // `title = ""` states nothing: the first heading is the title, and kb says so.
    assert_eq!(
        i.title,
        "Search results went stale after the indexer's queue filled"
    );
    assert!(warned(&d, "blank-title.md", "inferred", "title inferred"));
    // No `services`: the body's "search" names the registry's service.
    assert_eq!(i.services, ["search"]);
    assert_eq!(
        i.extra["inferred"],
        serde_json::json!(["title", "services"])
    );
}
