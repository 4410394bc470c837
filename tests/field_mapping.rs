//! A knowledge base whose front matter uses other names
//! (`tests/fixtures/mapped/`): site.toml `[fields]` maps them.

use std::path::Path;

use kb::config::Config;
use kb::content;

#[test]
fn other_front_matter_names_build_without_rewriting() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mapped");
    let config = Config::load(&root).expect("site.toml");
    let loaded = content::load(&root, &config, false);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let get = |slug: &str| {
        loaded
            .incidents
            .iter()
            .find(|i| i.slug == slug)
            .expect(slug)
    };

    let cache = get("cache-stampede");
    // start_time/end_time: 09:10 to 09:55 UTC, 45 minutes.
    assert_eq!(
        cache.started.map(|t| t.to_string()).as_deref(),
        Some("2024-05-02T09:10:00Z")
    );
    assert_eq!(cache.duration().map(|d| d.as_secs() / 60), Some(45));
    assert_eq!(cache.causes, ["bad-deploy", "cache"]);
    // `product: storefront`, a single string where a list is expected.
    assert_eq!(cache.services, ["storefront"]);
    // `impact.users_pct` mapped to the nested `customer_impact.share`.
    assert_eq!(cache.impact.users_pct, Some(30.0));

    let queue = get("queue-backlog");
    // Local datetimes in the site's zone (UTC): 22:00 to 01:30, 3 h 30 min.
    assert_eq!(
        queue.resolved.map(|t| t.to_string()).as_deref(),
        Some("2024-07-20T01:30:00Z")
    );
    assert_eq!(queue.duration().map(|d| d.as_secs() / 60), Some(210));
    assert_eq!(queue.causes, ["capacity"]);
    assert_eq!(queue.services, ["payments", "checkout"]);
    assert_eq!(queue.impact.users_pct, Some(12.5));
    // An unmapped key stays reachable as extra; the mapped table does not.
    assert_eq!(queue.extra["owner_team"], "payments-sre");
    assert!(!queue.extra.contains_key("customer_impact"));
}

#[test]
fn a_canonical_list_key_still_refuses_a_bare_string() {
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(root.path().join("content")).expect("content/");
    std::fs::write(
        root.path().join("content/a.md"),
        "+++\ntitle = \"a\"\nservices = \"api\"\n+++\n",
    )
    .expect("write");
    let loaded = content::load(root.path(), &Config::default(), false);
    assert!(loaded.diagnostics.iter().any(|d| d.code == "wrong-type"));
}
