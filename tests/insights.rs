//! The review numbers of issue 20 against figures worked out by hand on
//! tests/fixtures/insights (built on 2026-11-24 12:00 UTC, zone UTC):
//! user-weighted downtime, error budgets, fixes that did not hold, the
//! exports. The working is beside each assertion.
//!
//! The fixture's incidents (start, end, share of users):
//! - auth-cert-expired   auth    05-10 08:00-09:00  share unknown
//! - auth-partner-cert   auth    05-25 08:00-08:10  1 %
//! - auth-cert-again     auth    09-15 10:00-10:20  10 %
//! - web-cert-banner     web     09-20 09:00-09:05  100 %
//! - api-bad-deploy      api     10-05 10:00-12:00  85 %
//! - api-slow-queries    api     10-05 11:00-14:00  2 %
//! - api-partner-timeouts api    10-05 13:00-15:00  share unknown
//! - web-checkout-button web     10-20 09:00-09:30  50 %
//! - search-reindex      search  10-24 00:00 - 10-25 18:00 (42 h)  30 %
//! - web-eu-images       web     11-02 00:00-20:00  25 %
//! - vpn-cert            (none)  11-20 10:00-10:30  share unknown

mod common;

use common::Built;
use serde_json::Value;

fn json(site: &Built, path: &str) -> Value {
    serde_json::from_str(&site.text(path)).unwrap()
}

fn incident<'a>(export: &'a Value, slug: &str) -> &'a Value {
    export["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == slug)
        .unwrap()
}

#[test]
fn user_weighted_downtime_counts_overlaps_once_at_the_worst_share() {
    let site = Built::new("insights");
    let export = json(&site, "incidents.json");
    // One incident: its duration times its share; no share = all users.
    // api-bad-deploy 7200 s x 0.85 = 6120; api-slow-queries 10800 x 0.02
    // = 216; api-partner-timeouts 7200 x 1 = 7200.
    for (slug, weighted) in [
        ("api-bad-deploy", 6120),
        ("api-slow-queries", 216),
        ("api-partner-timeouts", 7200),
        ("search-reindex", 45_360),
    ] {
        assert_eq!(
            incident(&export, slug)["user_weighted_downtime_s"],
            weighted,
            "{slug}"
        );
    }
    // The api's three overlap on 10-05: 10-12 at 0.85 (the worst of
    // 0.85 and 0.02), 12-13 at 0.02, 13-15 at 1 (unknown share):
    // 6120 + 72 + 7200 = 13 392 s, against 5 h = 18 000 s of downtime.
    let stats = &export["stats"];
    assert_eq!(stats["by_service"]["api"]["downtime_s"], 18_000);
    assert_eq!(stats["by_service"]["api"]["user_weighted_downtime_s"], 13_392);
    // web: 300 x 1 + 1800 x 0.5 + 72 000 x 0.25 = 300 + 900 + 18 000.
    assert_eq!(stats["by_service"]["web"]["user_weighted_downtime_s"], 19_200);
    // Over the site (no other overlaps): 3600 + 6 + 120 + 300 + 13 392
    // + 900 + 45 360 + 18 000 + 1800 = 83 478 s; plain union 250 500 s.
    // Share unknown: auth-cert-expired, api-partner-timeouts, vpn-cert.
    assert_eq!(stats["total_downtime_s"], 250_500);
    assert_eq!(stats["user_weighted_downtime_s"], 83_478);
    assert_eq!(stats["share_unknown"], 3);
}

#[test]
fn user_weighted_downtime_beside_downtime_on_the_pages() {
    let site = Built::new("insights");
    // 83 478 s = 23 h 11 min (to the minute); 250 500 s = 2 d 22 h.
    let home = site.page("index.html");
    let card = home.text(".card-weighted");
    assert!(card.contains("23 h 11 min"), "{card}");
    assert!(card.contains("3 with share unknown"), "{card}");
    // api: 13 392 s = 3 h 43 min, beside 5 h; one share unknown.
    let api = site.page("services/api/index.html");
    let card = api.text(".card-weighted");
    assert!(card.contains("3 h 43 min") && card.contains("1 with share unknown"), "{card}");
    let services = site.page("services/index.html");
    let rows = services.texts("table.terms-table tbody tr");
    assert!(
        rows.iter().any(|r| r.starts_with("API recurring 3 5 h 3 h 43 min")),
        "{rows:?}"
    );
}
