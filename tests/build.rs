//! `kb build` end to end on fixture knowledge bases: pages, numbers worked
//! out by hand, drafts, time zones, midnight, the seed, and the output
//! folder on disk.

mod common;

use std::path::Path;

use common::{Built, fixture};

#[test]
fn home_page_headline_numbers() {
    let site = Built::new("basic");
    let home = site.page("index.html");
    let cards: Vec<String> = home.texts(".card");
    // Five incidents (the draft is left out).
    assert!(cards[0].contains('5'), "{cards:?}");
    // Downtime: payments 10:00-12:00 and checkout 11:00-13:00 UTC overlap:
    // 3 h; the orders incident 23:40-01:15 is 1 h 35 min; the New York one
    // 09:00-10:30 EST is 1 h 30 min; the open CDN incident has no end.
    // 3 h + 1 h 35 min + 1 h 30 min = 6 h 5 min.
    assert!(cards[1].contains("6 h 5 min"), "{cards:?}");
    // Incident-hours: 2 + 2 + 1.583 + 1.5 = 7.083 -> 7.1.
    assert!(cards[2].contains("7.1"), "{cards:?}");
    // Time to resolve: 5400, 5700, 7200, 7200 s -> median 6450 s, shown
    // to the minute as 1 h 48 min; one incident without a known duration.
    assert!(cards[3].contains("1 h 48 min"), "{cards:?}");
    assert!(cards[3].contains("1 without a known duration"), "{cards:?}");
}

#[test]
fn incident_facts_in_the_site_zone_and_the_incident_zone() {
    let site = Built::new("basic");
    let page = site.page("incidents/a-payments-toml/index.html");
    assert_eq!(page.text("h1"), "Payments provider timeouts");
    // Written in UTC ("...Z"): the site's zone (Berlin, UTC+1 in March)
    // first, the incident's own clock beside it.
    assert_eq!(
        page.fact("Started"),
        "2025-03-04 11:00 CET 2025-03-04 10:00 UTC"
    );
    assert_eq!(
        page.fact("Resolved"),
        "2025-03-04 13:00 CET 2025-03-04 12:00 UTC"
    );
    assert_eq!(page.fact("Duration"), "2 h");
    assert_eq!(page.fact("Time to detect"), "5 min");
    assert_eq!(page.fact("Time to acknowledge"), "10 min");
    assert_eq!(page.fact("Time to mitigate"), "1 h 30 min");
    assert_eq!(page.fact("Severity"), "SEV2");
    assert_eq!(page.fact("Detection"), "monitoring");
    assert_eq!(page.fact("Trigger"), "traffic-spike");
    assert_eq!(page.fact("Users affected"), "12.5 %");
    // "Payments" and "payments" are one service; "third_party_outage" and
    // "Third Party Outage" one cause.
    assert_eq!(
        page.attrs(".facts a[href*='services/']", "href"),
        ["../../services/payments/"]
    );
    assert_eq!(
        page.attrs(".facts a[href*='causes/']", "href"),
        ["../../causes/third-party-outage/"]
    );
    // Previous is older (New York, 2024), next is newer (checkout).
    let nav = page.attrs("nav[aria-label='Previous and next incident'] a", "href");
    assert_eq!(
        nav,
        [
            "../../incidents/e-new-york-local/",
            "../../incidents/b-checkout-yaml/"
        ]
    );
}

#[test]
fn action_items_table() {
    let site = Built::new("basic");
    let page = site.page("incidents/a-payments-toml/index.html");
    let rows = page.texts("table.action-items tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    // Due 2025-06-30, still open on 2026-11-24: overdue.
    assert!(
        rows[0].contains("Add a second provider") && rows[0].contains("overdue"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("done") && !rows[1].contains("overdue"),
        "{rows:?}"
    );
}

#[test]
fn local_datetimes_are_read_in_the_file_zone() {
    let site = Built::new("basic");
    // 2024-01-10 09:00 in New York (EST, -05:00) is 14:00 UTC, 15:00 in
    // Berlin (CET, +01:00): the site's zone, then the file's.
    let page = site.page("incidents/e-new-york-local/index.html");
    assert_eq!(
        page.fact("Started"),
        "2024-01-10 15:00 CET 2024-01-10 09:00 EST"
    );
    assert_eq!(page.fact("Duration"), "1 h 30 min");
    // The YAML file's "2025-03-04 12:00" is read in the site's zone
    // (Berlin): one clock, nothing beside it; 11:00 UTC on hover.
    let yaml = site.page("incidents/b-checkout-yaml/index.html");
    assert_eq!(yaml.fact("Started"), "2025-03-04 12:00 CET");
    assert_eq!(
        yaml.attrs(".facts dd time", "title")[0],
        "2025-03-04 11:00 UTC"
    );
    assert_eq!(yaml.fact("Severity"), "SEV3");
}

#[test]
fn timeline_rolls_over_midnight_and_reads_table_rows() {
    let site = Built::new("basic");
    let page = site.page("incidents/c-orders-midnight/index.html");
    let times = page.attrs("ol.timeline time", "datetime");
    assert_eq!(
        times,
        [
            "2025-09-12T23:40:00Z",
            "2025-09-12T23:55:00Z",
            "2025-09-13T00:10:00Z",
            "2025-09-13T01:15:00Z"
        ]
    );
    // Table rows without a zone are in the file's zone (Berlin, +01:00).
    let table = site.page("incidents/b-checkout-yaml/index.html");
    let times = table.attrs("ol.timeline time", "datetime");
    assert_eq!(
        times,
        [
            "2025-03-04T11:00:00Z",
            "2025-03-04T12:10:00Z",
            "2025-03-04T13:00:00Z"
        ]
    );
}

#[test]
fn drafts_only_with_the_flag() {
    let without = Built::new("basic");
    assert!(!without.files.contains_key("incidents/d-draft/index.html"));
    let with = Built::with("basic", true);
    assert!(with.files.contains_key("incidents/d-draft/index.html"));
}

#[test]
fn lists_and_taxonomies() {
    let site = Built::new("basic");
    let all = site.page("incidents/index.html");
    let titles = all.texts("#incident-table tbody th a");
    assert_eq!(
        titles,
        [
            "Intermittent CDN 503s",
            "Orders database WAL disk full",
            "Checkout errors during payments incident",
            "Payments provider timeouts",
            "Login outage on the east coast"
        ]
    );
    let year = site.page("years/2025/index.html");
    assert_eq!(year.texts("ul.incident-list > li > a:first-child").len(), 4);
    let payments = site.page("services/payments/index.html");
    assert_eq!(
        payments.texts("ul.incident-list > li > a:first-child"),
        [
            "Checkout errors during payments incident",
            "Payments provider timeouts"
        ]
    );
    assert!(site.files.contains_key("severity/sev1/index.html"));
    assert!(site.files.contains_key("tags/psp/index.html"));
}

#[test]
fn a_terms_list_does_not_repeat_its_term_and_plain_lists_link_no_terms() {
    let site = Built::new("basic");
    let meta_links = |path: &str| site.page(path).texts("ul.incident-list small a");
    // A service's page: each item links its causes, not its services.
    // Newest first: b-checkout (causes Third Party Outage, Capacity), then
    // a-payments (Third Party Outage); both hit Payments, not linked.
    assert_eq!(
        meta_links("services/payments/index.html"),
        ["Third Party Outage", "Capacity", "Third Party Outage"]
    );
    // A cause's page: its services (b-checkout: Checkout, Payments;
    // a-payments: Payments), not its causes.
    assert_eq!(
        meta_links("causes/third-party-outage/index.html"),
        ["Checkout", "Payments", "Payments"]
    );
    // Tags, severities and years: plain lists of title, date, severity
    // and duration, with no term links.
    for path in [
        "tags/psp/index.html",
        "severity/sev1/index.html",
        "years/2025/index.html",
    ] {
        let page = site.page(path);
        assert!(meta_links(path).is_empty(), "{path}");
        let items = page.texts("ul.incident-list > li > a:first-child").len();
        assert!(items > 0, "{path}");
        assert_eq!(page.texts("ul.incident-list small time").len(), items);
        assert_eq!(page.texts("ul.incident-list small .badge").len(), items);
    }
    // 2025: four items, each with its duration; f-still-open's is unknown.
    let year = site.page("years/2025/index.html");
    let meta = year.texts("ul.incident-list small");
    assert_eq!(meta.len(), 4);
    assert!(meta[1].ends_with("duration 1 h 35 min"), "{}", meta[1]);
    // The table of every incident still links both.
    let all = site.page("incidents/index.html");
    let b = all.attrs("#incident-table tbody tr td a", "href");
    assert!(b.iter().any(|h| h.starts_with("../services/")));
    assert!(b.iter().any(|h| h.starts_with("../causes/")));
}

#[test]
fn links_are_relative_and_feeds_absolute() {
    let site = Built::new("basic");
    let page = site.page("incidents/a-payments-toml/index.html");
    for href in page.attrs("a[href]", "href") {
        assert!(
            !href.starts_with('/') && !href.starts_with("http"),
            "absolute link {href}"
        );
    }
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://kb.example/postmortems/incidents/a-payments-toml/"]
    );
    let not_found = site.page("404.html");
    assert!(
        not_found.attrs("link[rel=stylesheet]", "href")[0]
            .starts_with("/postmortems/static/style.css")
    );
    let feed = site.text("feed.xml");
    assert!(feed.contains("<id>https://kb.example/postmortems/incidents/f-still-open/</id>"));
    let sitemap = site.text("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://kb.example/postmortems/incidents/a-payments-toml/</loc>")
    );
    assert!(!sitemap.contains("404"));
    assert!(
        site.text("robots.txt")
            .contains("Sitemap: https://kb.example/postmortems/sitemap.xml")
    );
    assert!(site.files.contains_key("favicon.svg"));
}

#[test]
fn unknown_keys_are_kept_and_bodies_have_anchors() {
    let site = Built::new("basic");
    let page = site.page("incidents/a-payments-toml/index.html");
    let ids = page.attrs(".prose h2", "id");
    assert_eq!(ids, ["summary", "timeline", "root-cause"]);
}

#[test]
fn the_seed_builds() {
    let site = Built::new("seed");
    let page = site.page("incidents/2024-06-08-web-platform-outage/index.html");
    assert_eq!(page.text("h1"), "Outage on June 8, 2024");
    assert_eq!(page.fact("Duration"), "3 h");
    assert_eq!(page.fact("Users affected"), "85 %");
    let times = page.attrs("ol.timeline time", "datetime");
    // The seed's Timeline has eleven lines that start with a time.
    assert_eq!(times.len(), 11);
    assert_eq!(times.first().unwrap(), "2024-06-08T03:00:00Z");
    assert_eq!(times.last().unwrap(), "2024-06-08T06:00:00Z");
    assert_eq!(page.texts("table.action-items tbody tr").len(), 6);
}

#[test]
fn output_is_deterministic() {
    let a = Built::new("basic");
    let b = Built::new("basic");
    assert_eq!(a.files, b.files);
}

#[test]
fn windows_line_ends_and_a_byte_order_mark_just_work() {
    let site = Built::new("crlf-bom");
    let page = site.page("incidents/windows/index.html");
    assert_eq!(page.text("h1"), "Windows line ends");
    assert_eq!(page.fact("Duration"), "45 min");
    assert_eq!(page.attrs("ol.timeline time", "datetime").len(), 2);
}

#[test]
fn cli_writes_the_site_and_keeps_it_on_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let built = assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .args([
            "--root",
            fixture("basic").to_str().unwrap(),
            "build",
            "-o",
            out.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .assert()
        .success();
    let stdout = String::from_utf8(built.get_output().stdout.clone()).unwrap();
    assert!(stdout.starts_with("kb: 5 incidents"), "{stdout}");
    let on_disk = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()))
        .count();
    assert!(
        stdout.contains(&format!(" {on_disk} files written")),
        "each file is written once: {stdout} ({on_disk} on disk)"
    );
    let before = std::fs::read(out.join("incidents/a-payments-toml/index.html")).unwrap();
    let failed = assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .args([
            "--root",
            fixture("invalid").to_str().unwrap(),
            "build",
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(1);
    let stderr = String::from_utf8(failed.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("build failed"), "{stderr}");
    assert_eq!(
        std::fs::read(out.join("incidents/a-payments-toml/index.html")).unwrap(),
        before
    );
}

/// `kb build` in `root` into `out`, with `extra` arguments; gives stdout.
fn kb_build(root: &Path, out: &Path, extra: &[&str]) -> String {
    let built = assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .args([
            "--root",
            root.to_str().unwrap(),
            "build",
            "-o",
            out.to_str().unwrap(),
        ])
        .args(extra)
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .assert()
        .success();
    String::from_utf8(built.get_output().stdout.clone()).unwrap()
}

#[test]
fn a_build_parses_again_only_what_changed_and_makes_the_same_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("kb");
    common::copy_aged(&fixture("basic"), &root);
    let fresh = tmp.path().join("fresh");
    kb_build(&root, &fresh, &["--no-cache"]);
    assert!(!tmp.path().join(".fresh.kb-cache").exists());
    let out = tmp.path().join("site");
    kb_build(&root, &out, &[]);
    let cache = tmp.path().join(".site.kb-cache");
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
    kb_build(&root, &out, &[]);
    assert_eq!(common::tree(&out), common::tree(&fresh));
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        written,
        "nothing changed: the cache is not written again"
    );
    let path = root.join("content/2025/a-payments-toml.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("title = \"", "title = \"Edited: ", 1)).unwrap();
    kb_build(&root, &out, &[]);
    let page = std::fs::read_to_string(out.join("incidents/a-payments-toml/index.html")).unwrap();
    assert!(page.contains("Edited: "), "{page}");
}

mod never_panics {
    use kb::config::Config;
    use kb::content::parse_bytes;
    use proptest::prelude::*;
    use std::path::Path;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Arbitrary bytes, and arbitrary text behind real front matter
        /// fences, give incidents or diagnostics, never a panic.
        #[test]
        fn parse_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_bytes(Path::new("content/x.md"), &bytes, &Config::default(), &jiff::tz::TimeZone::UTC);
        }

        #[test]
        fn front_matter_and_timelines_never_panic(
            fence in prop::sample::select(vec!["+++", "---", ""]),
            front in "[a-z_ =:\"\\[\\]{}0-9TZ.+-]{0,80}",
            body in "(#{0,3} ?(Timeline|Summary)?\n|[-*|] ?|\\*\\*|[0-9]{1,2}:[0-9]{2} ?(AM|pm|UTC|CEST|\\+02:00)?|\n|é|—|[a-z ]{0,8}|2024-0[0-9]-[0-3][0-9] ){0,40}",
        ) {
            let text = if fence.is_empty() { body } else { format!("{fence}\n{front}\n{fence}\n{body}") };
            let _ = parse_bytes(Path::new("content/x.md"), text.as_bytes(), &Config::default(), &jiff::tz::TimeZone::UTC);
        }
    }
}

#[test]
fn a_theme_overrides_files_one_by_one() {
    let site = Built::new("theme");
    assert_eq!(site.page("404.html").text("h1"), "Lost? Custom theme 404.");
    assert_eq!(
        site.text("static/style.css"),
        "body { color: rebeccapurple; }\n"
    );
    // Everything else comes from the built-in default theme.
    assert!(site.files.contains_key("static/kb.js"));
    assert_eq!(
        site.page("index.html").text("h1"),
        "Fixture: a custom theme"
    );
}

#[test]
fn a_theme_overrides_the_feed() {
    let site = Built::new("theme");
    let text = site.text("feed.xml");
    let feed = roxmltree::Document::parse(&text).expect("the feed is XML");
    let child = |name: &str| {
        feed.root_element()
            .children()
            .filter(|n| n.has_tag_name(name))
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(child("title"), ["Fixture: a custom theme (internal)"]);
    assert_eq!(child("rights"), ["For the on-call team only."]);
    // The one incident, updated when it was resolved.
    let entries: Vec<_> = feed
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 1);
    let updated = entries[0].children().find(|n| n.has_tag_name("updated"));
    assert_eq!(updated.and_then(|n| n.text()), Some("2025-06-01T09:40:00Z"));
}

#[test]
fn front_matter_timeline_replaces_the_body_timeline() {
    let site = Built::new("theme");
    let page = site.page("incidents/explicit-timeline/index.html");
    // The second `at` has no offset: read in the site's zone (UTC here).
    assert_eq!(
        page.attrs("ol.timeline time", "datetime"),
        ["2025-06-01T09:00:00Z", "2025-06-01T11:40:00Z"]
    );
    assert!(page.text("ol.timeline").contains("Error budget burn alert"));
}

#[test]
fn a_missing_theme_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site.toml"), "theme = \"nope\"\n").unwrap();
    let build = kb::site::build(tmp.path(), &common::options(false));
    assert_eq!(build.errors().next().unwrap().code, "unknown-theme");
}

#[test]
fn the_example_knowledge_base_builds_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let build = kb::site::build(root, &common::options(false));
    let problems: Vec<String> = build.diagnostics.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(build.incidents, 19, "21 postmortems, two of them drafts");
    let with_drafts = kb::site::build(root, &common::options(true));
    assert_eq!(with_drafts.incidents, 21);
}

#[test]
fn a_theme_name_cannot_leave_the_themes_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site.toml"), "theme = \"../../etc\"\n").unwrap();
    let build = kb::site::build(tmp.path(), &common::options(false));
    assert_eq!(build.errors().next().unwrap().code, "unknown-theme");
}
