//! Filtering and sorting a list in pages, in headless Chromium: the
//! generated knowledge base of 250 incidents (see `common::paged_kb`) is
//! built in memory and served on 127.0.0.1. A filter typed on the first
//! page of `/incidents/` finds an incident that lives on page 3, a sort
//! orders the whole list, and clearing the filter brings the page and its
//! pager back; the action tracker's filters count every page's items.
//! Opened from files (no fetch), a filter says it saw one page.
//!
//! Skips with a note when Chromium or ChromeDriver is not installed (fails
//! instead when `KB_REQUIRE_BROWSER` is set, as in CI).

use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::{Value, json};

mod browser;
mod common;

/// What the page shows: the links of its visible rows (absolute), its
/// filter's status line, and whether its pager is hidden.
async fn shown(c: &Client, rows: &str) -> (Vec<String>, String, bool) {
    let v: Value = c
        .execute(
            "const [rows] = arguments;\
             const visible = [...document.querySelectorAll(rows)].filter(r => !r.hidden);\
             return [visible.map(r => r.querySelector('th a, td a').href),\
                     document.querySelector('form [role=status]').textContent,\
                     document.querySelector('nav.list-pages').hidden];",
            vec![json!(rows)],
        )
        .await
        .expect("the probe runs");
    serde_json::from_value(v).expect("rows, status and pager")
}

/// Waits (at most 20 s) until the filter's status line no longer says it
/// is loading the other pages.
async fn settled(c: &Client) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = c
            .execute(
                "return document.querySelector('form [role=status]').textContent;",
                vec![],
            )
            .await
            .expect("the status is read");
        if status.as_str().is_some_and(|s| s.starts_with("Showing")) {
            return;
        }
        assert!(Instant::now() < deadline, "still {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_on_page_one_finds_a_row_of_page_three() {
    let Some(bins) = browser::with_driver("pagination_browser") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    common::paged_kb(dir.path(), 250);
    let built = common::Built::at(dir.path(), false);
    let on_disk = tempfile::tempdir().expect("temp dir");
    kb::output::write_site(on_disk.path(), &built.files).expect("written");
    let (base, log) = browser::serve(built.files);
    let (_driver, c) = browser::start(&bins.chromium, &bins.chromedriver, &[], json!({})).await;
    let rows = "#incident-table tbody tr";
    let one = |k: usize| format!("{base}incidents/pm-{k:04}/");

    c.goto(&format!("{base}incidents/"))
        .await
        .expect("the page opens");
    settled(&c).await;
    let (links, status, pager_hidden) = shown(&c, rows).await;
    // Page 1 alone, newest first (250 to 151), nothing fetched yet.
    assert_eq!(links.len(), 100);
    assert_eq!(links[0], one(250));
    assert_eq!(status, "Showing 100 of 250 incidents");
    assert!(!pager_hidden);
    let fetched = |log: &browser::Log| {
        log.lock()
            .expect("log")
            .iter()
            .filter(|(path, _)| path.contains("/page/"))
            .count()
    };
    assert_eq!(fetched(&log), 0, "no other page before the filter is used");

    // Incident 1 is the last row of page 3: the filter brings pages 2 and
    // 3 in and shows it alone, its link leading to its page.
    c.execute(
        "const f = document.querySelector('form[data-filter-for]');\
         f.q.value = '(0001)'; f.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .expect("the filter is typed");
    settled(&c).await;
    let (links, status, pager_hidden) = shown(&c, rows).await;
    assert_eq!(links, [one(1)]);
    assert_eq!(status, "Showing 1 of 250 incidents");
    assert!(pager_hidden, "no pager over a filtered list");
    assert_eq!(fetched(&log), 2, "pages 2 and 3, once");

    // Cleared: page 1 again, with its pager.
    c.execute(
        "const f = document.querySelector('form[data-filter-for]');\
         f.q.value = ''; f.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .expect("the filter is cleared");
    let (links, _, pager_hidden) = shown(&c, rows).await;
    assert_eq!((links.len(), links[0].as_str()), (100, one(250).as_str()));
    assert!(!pager_hidden);

    // Sorted by date, oldest first: the whole list, incident 1 first.
    c.execute(
        "document.querySelector('#incident-table thead th button').click();",
        vec![],
    )
    .await
    .expect("the date is sorted");
    settled(&c).await;
    let (links, _, pager_hidden) = shown(&c, rows).await;
    assert_eq!(links.len(), 250);
    assert_eq!(
        (links[0].as_str(), links[249].as_str()),
        (one(1).as_str(), one(250).as_str())
    );
    assert!(pager_hidden);
    assert_eq!(fetched(&log), 2, "the pages are fetched once");

    // The action tracker's page 3 holds done items only; asking for the
    // open ones shows the 250 of pages 1 and 2. Ana Souza owns the items
    // of the incidents k with k % 3 = 0, 3 to 249: 83 incidents, 166 items.
    let rows = "table[data-action-table] tbody tr";
    c.goto(&format!("{base}actions/page/3/?status=open"))
        .await
        .expect("the page opens");
    settled(&c).await;
    let (links, status, pager_hidden) = shown(&c, rows).await;
    assert_eq!(
        (links.len(), status.as_str()),
        (250, "Showing 250 of 500 actions")
    );
    assert!(pager_hidden);
    c.goto(&format!("{base}actions/?owner=Ana+Souza"))
        .await
        .expect("the page opens");
    settled(&c).await;
    let (links, status, _) = shown(&c, rows).await;
    assert_eq!(
        (links.len(), status.as_str()),
        (166, "Showing 166 of 500 actions")
    );

    // Opened from files, the other pages cannot be fetched: the filter
    // sees page 1 only, says so, and keeps the pager.
    let page = format!(
        "file://{}",
        on_disk.path().join("incidents/index.html").display()
    );
    c.goto(&format!("{page}?q=(0001)"))
        .await
        .expect("the page opens");
    settled(&c).await;
    let (links, status, pager_hidden) = shown(&c, "#incident-table tbody tr").await;
    assert!(links.is_empty());
    assert_eq!(
        status,
        "Showing 0 of 250 incidents (this page only: the other pages could not be loaded)"
    );
    assert!(!pager_hidden);
    let _ = c.close().await;
}
