//! The timeline diagram in a real browser: headless Chromium renders the
//! pages of the seed, of a two-day incident and of a flow diagram at phone
//! width (375 px) and at desktop width (1280 px). Each page shows one
//! diagram. The page never scrolls sideways; on a phone the axis keeps a
//! legible width and scrolls inside its own keyboard-reachable region,
//! which at desktop width shows it whole. Skips with a note when Chromium
//! is not installed (fails instead when `KB_REQUIRE_BROWSER` is set, as in
//! CI).
//!
//! Headless windows are at least 500 px wide, so the page is loaded in an
//! iframe of the width under test; it posts its measurements to the
//! wrapper, which `--dump-dom` prints.

use std::path::{Path, PathBuf};
use std::process::Command;

use kb::site::{self, BuildOptions};

mod browser;

/// Measures the page once loaded and leaves the result on `<body>`.
const PROBE: &str = r#"<script>
addEventListener("load", () => {
  const figure = document.querySelector("figure.timeline-diagram");
  const region = figure.querySelector(".timeline-diagram-scroll");
  const svgs = [...figure.querySelectorAll("svg")];
  const shown = svgs
    .map((s) => [s, s.getBoundingClientRect()])
    .filter(([, b]) => b.width > 0 && b.height > 0)
    .map(([s, b]) => {
      // The smallest text as drawn: its font size times the drawing's scale.
      const scale = b.width / s.viewBox.baseVal.width;
      const sizes = [...s.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize));
      return { class: s.getAttribute("class"), width: b.width, smallest_text: Math.min(...sizes) * scale };
    });
  const r = region.getBoundingClientRect();
  const tips = [...figure.querySelectorAll("a[href^='#event-'] > title")].map((t) => t.textContent);
  const result = {
    badges: figure.querySelectorAll("a[href^='#event-']").length,
    tips,
    inner: innerWidth,
    scroll: document.documentElement.scrollWidth,
    shown,
    region: {
      left: r.left, right: r.right, scroll_width: region.scrollWidth, client_width: region.clientWidth,
      role: region.getAttribute("role"), label: region.getAttribute("aria-label"), tab_index: region.tabIndex,
    },
  };
  parent.postMessage(JSON.stringify(result), "*");
});
</script></body>"#;

#[derive(Debug, serde::Deserialize)]
struct Shown {
    class: String,
    width: f64,
    smallest_text: f64,
}

#[derive(Debug, serde::Deserialize)]
struct Region {
    left: f64,
    right: f64,
    scroll_width: f64,
    client_width: f64,
    role: Option<String>,
    label: Option<String>,
    tab_index: i32,
}

#[derive(Debug, serde::Deserialize)]
struct Probe {
    /// Badges linking to their events.
    badges: usize,
    /// The tooltips kb.js gave the badges' links.
    tips: Vec<String>,
    inner: f64,
    scroll: f64,
    shown: Vec<Shown>,
    region: Region,
}

/// Builds the fixture `name` into `out` and returns the path of the page
/// of its incident `slug`, with the probe added.
fn build_page(name: &str, slug: &str, out: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let options = BuildOptions {
        drafts: false,
        base_url: None,
        build_time: "2026-01-01T00:00:00Z".parse().unwrap(),
        git: kb::git::log::GitHistory::Off,
    };
    let build = site::build(&root, &options);
    let files = build
        .site
        .expect("the fixture builds")
        .files()
        .expect("the fixture renders");
    kb::output::write_site(out, &files).expect("written");
    let path = format!("incidents/{slug}/index.html");
    let html = files.get(&path).expect("the incident page");
    let probed = String::from_utf8_lossy(html).replace("</body>", PROBE);
    let page = out.join(path);
    std::fs::write(&page, probed).unwrap();
    page
}

/// The page in an iframe `width` px wide that records what the page posts.
fn wrapper(page: &Path, width: u32) -> PathBuf {
    let html = format!(
        r#"<!doctype html><html><body style="margin:0"><iframe src="{}" width="{width}" height="900" style="border:0"></iframe>
<script>addEventListener("message", (e) => document.body.setAttribute("data-probe", e.data));</script></body></html>"#,
        page.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("index.html")
    );
    let path = page.with_file_name(format!("probe-{width}.html"));
    std::fs::write(&path, html).unwrap();
    path
}

fn measure(chromium: &Path, page: &Path, width: u32) -> Probe {
    let profile = tempfile::tempdir().unwrap();
    let page = wrapper(page, width);
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={},1000", width.max(500) + 40))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let doc = scraper::Html::parse_document(&dom);
    let body = scraper::Selector::parse("body").unwrap();
    let probe = doc
        .select(&body)
        .next()
        .and_then(|b| b.value().attr("data-probe"))
        .unwrap_or_else(|| {
            panic!(
                "no probe result at {width} px; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    serde_json::from_str(probe).expect("probe JSON")
}

#[test]
fn diagram_fits_phone_and_desktop() {
    let Some(chromium) = browser::chromium("diagram browser test") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let pages = [
        (
            "diagram-seed",
            "2024-06-08-web-platform-outage",
            "kb-tl-axis",
        ),
        (
            "diagram-multiday",
            "2025-05-19-inventory-sync-memory-leak",
            "kb-tl-axis",
        ),
        ("diagram-flow", "cache-eviction", "kb-tl-flow"),
    ];
    for (fixture, slug, style) in pages {
        let page = build_page(fixture, slug, &out.path().join(fixture));
        for width in [375, 1280] {
            let p = measure(&chromium, &page, width);
            let at = format!("{fixture} at {width} px: {p:?}");
            eprintln!("{at}");
            assert!(p.inner > 0.0 && p.inner <= f64::from(width), "{at}");
            assert!(
                p.scroll <= p.inner + 0.5,
                "the page does not scroll sideways, {at}"
            );
            assert_eq!(p.shown.len(), 1, "one diagram, {at}");
            let svg = &p.shown[0];
            assert!(svg.class.contains(style), "{style} shown, {at}");
            assert!(svg.width > 300.0, "drawn, {at}");
            assert!(svg.smallest_text >= 9.0, "every label legible, {at}");
            let r = &p.region;
            assert!(
                r.left >= 0.0 && r.right <= p.inner + 0.5,
                "the region is inside the viewport, {at}"
            );
            assert_eq!(r.role.as_deref(), Some("region"), "{at}");
            assert_eq!(r.label.as_deref(), Some("Timeline diagram"), "{at}");
            assert_eq!(r.tab_index, 0, "reachable by keyboard, {at}");
            // Only the axis on a phone is wider than the region.
            let scrolls = r.scroll_width > r.client_width + 0.5;
            let phone_axis = width == 375 && style == "kb-tl-axis";
            assert_eq!(scrolls, phone_axis, "the region scrolls: {scrolls}, {at}");
            if style == "kb-tl-axis" {
                // Each badge's link has its event's words as its tooltip,
                // numbered; over several days each names its day.
                assert!(p.badges > 0, "{at}");
                assert_eq!(p.tips.len(), p.badges, "{at}");
                for (n, tip) in p.tips.iter().enumerate() {
                    assert!(tip.starts_with(&format!("{}. ", n + 1)), "{tip}, {at}");
                    let dated = tip.contains("2025-05-");
                    assert_eq!(dated, fixture == "diagram-multiday", "{tip}, {at}");
                }
            }
        }
    }
}
