//! The action tracker's team filter in headless Chromium: the example
//! knowledge base (the repository root) is built to a folder and
//! `/actions/` opened from it. A team chosen in the address (`?team=...`)
//! shows that team's items only, changing it keeps it in the address, and
//! without the script every item is listed.
//!
//! Skips with a note when Chromium or ChromeDriver is not installed (fails
//! instead when `KB_REQUIRE_BROWSER` is set, as in CI).

use std::path::Path;

use fantoccini::Client;
use serde_json::{Value, json};

mod browser;
mod common;

/// What the page shows: `[visible rows' data-team, status text, address]`.
async fn shown(c: &Client) -> (Vec<String>, String, String) {
    let v: Value = c
        .execute(
            "const rows = [...document.querySelectorAll('table[data-action-table] tbody tr')];\
             return [rows.filter(r => !r.hidden).map(r => r.dataset.team),\
                     document.querySelector('form[data-action-filter] [role=status]').textContent,\
                     location.search];",
            vec![],
        )
        .await
        .expect("the probe runs");
    serde_json::from_value(v).expect("rows, status and address")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_filter_is_kept_in_the_address() {
    let Some(bins) = browser::with_driver("actions_browser") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = common::Built::at(root, false);
    let html = String::from_utf8(built.files["actions/index.html"].clone()).expect("UTF-8");
    // Without the script: every item is a row, none hidden, and the team
    // shows beside its owner ("Marek Kowalski (Payments Team)").
    let rows = html.matches("<tr class=\"action-").count();
    assert!(rows > 40, "{rows} rows");
    assert!(
        !html.contains("<tr hidden"),
        "no row is hidden in the markup"
    );
    assert!(
        html.contains("Marek Kowalski <span class=\"action-team\">(Payments Team)</span>"),
        "the team beside its owner"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("public");
    kb::output::write_site(&site, &built.files).expect("written");
    let (_driver, c) = browser::start(&bins.chromium, &bins.chromedriver, &[], json!({})).await;
    let page = format!("file://{}", site.join("actions/index.html").display());

    // Payments Team: no item names it as its own team; site.toml's
    // [owners."Marek Kowalski"] gives it to his items, two in each of the
    // two payments incidents (2025-03-04 and 2026-04-14): 4 rows.
    c.goto(&format!("{page}?team=Payments+Team"))
        .await
        .expect("the page opens");
    let (teams, status, search) = shown(&c).await;
    assert_eq!(teams, ["Payments Team"; 4], "{status}");
    assert_eq!(status, format!("Showing 4 of {rows} actions"));
    assert_eq!(search, "?team=Payments+Team");

    // Choosing another team filters again and keeps it in the address,
    // with the status already chosen.
    c.execute(
        "const f = document.querySelector('form[data-action-filter]');\
         f.team.value = 'Platform Team'; f.status.value = 'open';\
         f.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .expect("the filter changes");
    let (teams, _, search) = shown(&c).await;
    assert!(!teams.is_empty(), "Platform Team has open items");
    assert!(teams.iter().all(|t| t == "Platform Team"), "{teams:?}");
    assert_eq!(search, "?team=Platform+Team&status=open");
    // The choice survives a reload.
    c.refresh().await.expect("reload");
    let (again, _, _) = shown(&c).await;
    assert_eq!(again, teams);
    let _ = c.close().await;
}
