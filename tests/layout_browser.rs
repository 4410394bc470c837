//! Every page type as a reader sees it: the example knowledge base (the
//! repository root) is built to a folder and opened from it in headless
//! Chromium at phone width (390 px) and desktop width (1280 px), in light
//! and dark. On each page the document must not scroll sideways
//! (`scrollWidth` at most `innerWidth`), and its essential content must be
//! shown whole: not hidden, not outside the page, not cut off by a
//! scrolling box around it (a table's severity, duration and services, an
//! action's due date, priority and "overdue", the diagram's legend). A
//! screenshot of the first screen of each is kept under the test's target
//! folder (`layout-shots/`) for a person to look at.
//!
//! Skips with a note when Chromium or ChromeDriver is not installed (fails
//! instead when `KB_REQUIRE_BROWSER` is set, as in CI).

use std::path::Path;

use fantoccini::Client;
use serde_json::json;

mod browser;
mod common;

/// The pages, and per page the selectors of what must be shown whole.
const PAGES: [(&str, &[&str]); 8] = [
    (
        "index.html",
        &[
            "h1",
            ".stats .card",
            "table.incidents tbody th a",
            "table.incidents td:nth-child(3) .badge",
            "table.incidents td:nth-child(4)",
            "table.incidents td:nth-child(5) a",
        ],
    ),
    (
        "incidents/index.html",
        &[
            "table.incidents td:nth-child(3) .badge",
            "table.incidents td:nth-child(4)",
        ],
    ),
    (
        "incidents/2025-03-04-checkout-retry-storm/index.html",
        &[
            "h1",
            ".facts dd",
            "figure.timeline-diagram .kb-tl-legend text",
            "ol.timeline > li",
            ".related .related-why",
        ],
    ),
    (
        "actions/index.html",
        &[
            "section.action-list tbody th",
            "section.action-list td:nth-child(5)",
            "section.action-list td:nth-child(6)",
            "section.action-list .label-overdue",
        ],
    ),
    ("trends/index.html", &["h1", ".chart-figure .chart-legend"]),
    (
        "services/checkout/index.html",
        &["h1", "ul.incident-list > li > a:first-child"],
    ),
    ("causes/bad-deploy/index.html", &["h1"]),
    ("search/index.html", &["h1", "#search-q"]),
];

/// For each selector, the first element matching it that is not shown
/// whole, with why; and the page's widths.
const PROBE: &str = r#"
const [selectors] = arguments;
function clipped(el) {
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return "not shown";
  if (r.left < -1 || r.right > innerWidth + 1) return `outside the page (${Math.round(r.left)} to ${Math.round(r.right)})`;
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (getComputedStyle(p).overflowX === "visible") continue;
    const q = p.getBoundingClientRect();
    if (r.left < q.left - 1 || r.right > q.right + 1) return `cut off by ${p.tagName.toLowerCase()}.${p.className}`;
  }
  return null;
}
const problems = [];
for (const selector of selectors) {
  const all = [...document.querySelectorAll(selector)];
  if (all.length === 0) { problems.push(`${selector}: none on the page`); continue; }
  for (const el of all) {
    const why = clipped(el);
    if (why) { problems.push(`${selector} "${el.textContent.trim().slice(0, 40)}": ${why}`); break; }
  }
}
return { scroll: document.documentElement.scrollWidth, inner: innerWidth, problems };
"#;

#[derive(Debug, serde::Deserialize)]
struct Probe {
    scroll: f64,
    inner: f64,
    problems: Vec<String>,
}

fn build_site(out: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = common::Built::at(root, false);
    kb::output::write_site(out, &built.files).expect("written");
}

/// Opens every page at `width` in `scheme` and returns what is wrong.
async fn check(c: &Client, site: &Path, width: u32, scheme: &str, shots: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    for (page, essential) in PAGES {
        let url = format!("file://{}", site.join(page).display());
        c.goto(&url).await.expect("the page opens");
        let probe = c
            .execute(PROBE, vec![json!(essential)])
            .await
            .expect("the probe runs");
        let probe: Probe = serde_json::from_value(probe).expect("a probe result");
        let at = format!("{page} at {width} px, {scheme}");
        if probe.scroll > probe.inner {
            wrong.push(format!(
                "{at}: the page scrolls sideways ({} > {})",
                probe.scroll, probe.inner
            ));
        }
        wrong.extend(probe.problems.iter().map(|p| format!("{at}: {p}")));
        let name = page.trim_end_matches("index.html").replace('/', "_");
        let name = if name.is_empty() { "home_" } else { &name };
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(shots.join(format!("{name}{width}-{scheme}.png")), png);
        }
    }
    wrong
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_type_fits_phone_and_desktop_in_light_and_dark() {
    let Some(bins) = browser::with_driver("layout_browser") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("public");
    build_site(&site);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layout-shots");
    std::fs::create_dir_all(&shots).expect("shots folder");
    let mut wrong = Vec::new();
    for (scheme, blink) in [("light", "1"), ("dark", "0")] {
        let colour = format!("--blink-settings=preferredColorScheme={blink}");
        for width in [390, 1280] {
            let emulation = json!({ "mobileEmulation": { "deviceMetrics": {
                "width": width, "height": 900, "pixelRatio": 1
            } } });
            let (_driver, c) =
                browser::start(&bins.chromium, &bins.chromedriver, &[&colour], emulation).await;
            let dark: bool = serde_json::from_value(
                c.execute(
                    "return matchMedia('(prefers-color-scheme: dark)').matches",
                    vec![],
                )
                .await
                .expect("a script runs"),
            )
            .expect("a boolean");
            assert_eq!(dark, scheme == "dark", "the colour scheme is {scheme}");
            wrong.extend(check(&c, &site, width, scheme, &shots).await);
            let _ = c.close().await;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
