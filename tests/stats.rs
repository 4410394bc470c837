//! Statistics against numbers worked out by hand (tests/fixtures/stats):
//! downtime unions, distributions with missing values, availability split
//! at a quarter's edge, recurring causes, action items, registries, links
//! and the JSON and CSV exports.

mod common;

use common::Built;
use serde_json::Value;

fn export() -> Value {
    let site = Built::new("stats");
    serde_json::from_str(&site.text("incidents.json")).unwrap()
}

#[test]
fn totals_count_overlaps_once() {
    let stats = &export()["stats"];
    assert_eq!(stats["count"], 5);
    // s1 10:00-12:00 and s2 11:00-13:00 overlap: 3 h; s3 23:00-02:00: 3 h;
    // s5 is zero-length; s4 has no end. Union 6 h, sum 2 + 2 + 3 + 0 = 7 h.
    assert_eq!(stats["total_downtime_s"], 6 * 3600);
    assert_eq!(stats["incident_seconds_sum"], 7 * 3600);
}

#[test]
fn distributions_count_missing_values_as_missing() {
    let stats = &export()["stats"];
    // Time to resolve: 0, 7200, 7200, 10800 (s4 missing).
    // median 7200; p90 at rank 0.9 * 3 = 2.7: 7200 + 0.7 * 3600 = 9720.
    let ttr = &stats["time_to_resolve_s"];
    assert_eq!(
        (
            ttr["median"].as_i64(),
            ttr["p90"].as_i64(),
            ttr["max"].as_i64()
        ),
        (Some(7200), Some(9720), Some(10800))
    );
    assert_eq!(
        (ttr["count"].as_u64(), ttr["missing"].as_u64()),
        (Some(4), Some(1))
    );
    // Time to detect: 600, 1800, 0; s4 and s5 have no `detected`.
    // Sorted 0, 600, 1800: median 600; p90 rank 1.8: 600 + 0.8 * 1200 = 1560.
    let ttd = &stats["time_to_detect_s"];
    assert_eq!(
        (
            ttd["median"].as_i64(),
            ttd["p90"].as_i64(),
            ttd["missing"].as_u64()
        ),
        (Some(600), Some(1560), Some(2))
    );
}

#[test]
fn per_term_numbers_use_slugs_and_the_registry() {
    let stats = &export()["stats"];
    // "shop" is an alias of checkout; "DNS" and "dns" one cause;
    // "disk_full" and "disk-full" one cause.
    assert_eq!(stats["by_service"]["checkout"]["count"], 1);
    assert_eq!(stats["by_service"]["payments"]["count"], 2);
    assert_eq!(stats["by_service"]["payments"]["downtime_s"], 7200);
    assert_eq!(stats["by_cause"]["dns"]["downtime_s"], 3 * 3600);
    assert_eq!(stats["by_cause"]["disk-full"]["count"], 2);
    assert_eq!(stats["by_cause"]["config-change"]["downtime_s"], 0);
    assert_eq!(
        stats["actions"],
        serde_json::json!({"open": 2, "done": 1, "overdue": 1})
    );
}

#[test]
fn incidents_in_the_export() {
    let json = export();
    let s2 = json["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == "s2")
        .unwrap();
    assert_eq!(s2["services"], serde_json::json!(["checkout"]));
    assert_eq!(s2["time_to_detect_s"], 1800);
    assert_eq!(s2["url"], "https://kb.example/incidents/s2/");
    let s4 = json["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == "s4")
        .unwrap();
    assert!(s4["resolved"].is_null() && s4["duration_s"].is_null());
    // Not the build time (2026-11-24T12:00:00Z): the newest moment the
    // postmortems state. s4 started 2025-07-15 08:00 UTC and is not
    // resolved; every other moment of s1, s2, s3 and s5 is earlier (s5's,
    // the next newest, 2025-05-01 12:00).
    assert_eq!(json["generated"], "2025-07-15T08:00:00Z");
}

#[test]
fn csv_has_a_row_per_incident() {
    let site = Built::new("stats");
    let csv = site.text("incidents.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("slug,url,title,status,severity,services,causes"));
    let s3 = lines.iter().find(|l| l.starts_with("s3,")).unwrap();
    assert!(
        s3.contains("\"Across the quarter's edge\"") || s3.contains("Across the quarter's edge")
    );
    assert!(s3.contains(",10800,"));
}

#[test]
fn availability_is_split_at_the_quarter_edge() {
    let site = Built::new("stats");
    let page = site.page("services/edge/index.html");
    let rows = page.texts("table.availability tbody tr");
    // 1 h in 2025 Q1 (90 days): 1 - 3600 / 7 776 000 = 99.954 %, 3.3 nines.
    // 2 h in 2025 Q2 (91 days): 1 - 7200 / 7 862 400 = 99.908 %, 3.0 nines.
    assert!(
        rows.contains(&"2025 Q1 1 h 99.954 % 3.3".to_owned()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"2025 Q2 2 h 99.908 % 3.0".to_owned()),
        "{rows:?}"
    );
    // A quarter without downtime reads as one quiet line.
    assert!(
        rows.contains(&"2025 Q3 No downtime: 100 %".to_owned()),
        "{rows:?}"
    );
}

#[test]
fn recurring_causes() {
    let site = Built::new("stats");
    let causes = site.page("causes/index.html");
    let rows = causes.texts("table.terms-table tbody tr");
    // DNS: s1 and s2 the same day. disk-full (shown "Disk full"): 106 days
    // apart, not recurring.
    assert!(
        rows.iter().any(|r| r.starts_with("DNS recurring")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("Disk full") && !r.contains("recurring")),
        "{rows:?}"
    );
    let dns = site.page("causes/dns/index.html");
    assert!(dns.text("h1").contains("DNS"));
    assert_eq!(dns.texts("#recurrence-heading + p + ul li").len(), 1);
}

#[test]
fn links_between_incidents() {
    let site = Built::new("stats");
    // One list of related incidents, each once, with why it is there.
    let related = "#related-heading + ul > li";
    let s2 = site.page("incidents/s2/index.html");
    assert_eq!(
        s2.texts(&format!("{related} > a:first-child")),
        ["Payments down"]
    );
    // s2 names s1 as related, and both list DNS.
    assert_eq!(s2.texts(".related-why"), ["Named as related; shares DNS"]);
    // Similar to s1: s2 shares DNS; s4 shares payments; both share one term,
    // s2 is nearer in time. s2 also names s1: listed once, first.
    let s1 = site.page("incidents/s1/index.html");
    assert_eq!(
        s1.texts(&format!("{related} > a:first-child")),
        ["Shop down", "Still open"]
    );
    let why = s1.texts(".related-why");
    assert_eq!(why[0], "References this incident; shares DNS");
    assert!(why[1].starts_with("Shares "), "{why:?}");
}

#[test]
fn actions_page_puts_overdue_first_and_folds_closed_items() {
    let site = Built::new("stats");
    let page = site.page("actions/index.html");
    // Open: Ana's overdue fix (due 2025-02-01, before the build date), then
    // Bo's future fix (2027-01-01). Closed, folded: the done fix, then the
    // won't-fix without an owner.
    assert_eq!(
        page.texts("section.action-list tbody th"),
        ["Overdue fix", "Future fix"]
    );
    assert_eq!(
        page.texts("details.closed-actions tbody th"),
        ["Done fix", "Not doing this"]
    );
    assert_eq!(page.texts("tr.is-overdue th"), ["Overdue fix"]);
    // Rows carry what the filters match on; the item without an owner
    // carries none (the filter's "No owner").
    assert_eq!(
        page.attrs("table[data-action-table] tbody tr", "data-owner"),
        ["Ana", "Bo", "Ana"]
    );
    assert_eq!(
        page.texts("table[data-action-table] tbody tr:not([data-owner]) th"),
        ["Not doing this"]
    );
    let cards = page.texts(".card");
    assert!(
        cards[0].contains("Open 2") && cards[1].contains("Overdue 1"),
        "{cards:?}"
    );
    // Per owner, most overdue first, then most open; the counts add up to
    // the cards: open 1 + 1 + 0 = 2, overdue 1, done 1, won't fix 1.
    assert_eq!(
        page.texts(".owner-counts tbody tr"),
        ["Ana 1 1 1 0", "Bo 1 0 0 0", "No owner 0 0 0 1"]
    );
    assert_eq!(
        page.attrs(".owner-counts tbody a", "href"),
        ["?owner=Ana", "?owner=Bo", "?owner=none"]
    );
}

#[test]
fn registry_names_and_details_are_shown() {
    let site = Built::new("stats");
    let page = site.page("services/checkout/index.html");
    assert_eq!(page.text("h1"), "Service: Checkout");
    assert!(page.text(".lede").contains("Team Checkout"));
}
