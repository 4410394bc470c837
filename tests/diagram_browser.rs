//! The timeline diagram in a real browser: headless Chromium renders the
//! seed's and a two-day incident's pages at phone width (375 px) and at
//! desktop width (1280 px); the diagram must be drawn, fit the viewport and
//! not scroll sideways. Skips with a note when Chromium is not installed
//! (fails instead when `KB_REQUIRE_BROWSER` is set, as in CI).
//!
//! Headless windows are at least 500 px wide, so the page is loaded in an
//! iframe of the width under test; it posts its measurements to the
//! wrapper, which `--dump-dom` prints.

use std::path::{Path, PathBuf};
use std::process::Command;

use kb::site::{self, BuildOptions};

/// The Chromium binary: `KB_CHROMIUM`, else the Debian package's path.
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var("KB_CHROMIUM").ok(),
        Some("/usr/bin/chromium".into()),
        Some("/usr/bin/chromium-browser".into()),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Measures the page once loaded and leaves the result on `<body>`.
const PROBE: &str = r#"<script>
addEventListener("load", () => {
  const shown = [...document.querySelectorAll("figure.timeline-diagram svg")]
    .map((s) => [s.getAttribute("class"), s.getBoundingClientRect()])
    .filter(([, b]) => b.width > 0 && b.height > 0)
    .map(([c, b]) => ({ class: c, left: b.left, right: b.right, width: b.width }));
  const figures = [...document.querySelectorAll("figure.timeline-diagram")]
    .map((f) => f.scrollWidth - f.clientWidth);
  const result = { inner: innerWidth, scroll: document.documentElement.scrollWidth, shown, figures };
  parent.postMessage(JSON.stringify(result), "*");
});
</script></body>"#;

#[derive(Debug, serde::Deserialize)]
struct Shown {
    class: String,
    left: f64,
    right: f64,
    width: f64,
}

#[derive(Debug, serde::Deserialize)]
struct Probe {
    inner: f64,
    scroll: f64,
    shown: Vec<Shown>,
    figures: Vec<f64>,
}

/// Builds the fixture `name` into `out` and returns the path of its only
/// incident page, with the probe added.
fn build_page(name: &str, out: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let options = BuildOptions {
        drafts: false,
        base_url: None,
        build_time: "2026-01-01T00:00:00Z".parse().unwrap(),
    };
    let build = site::build(&root, &options);
    let files = build
        .site
        .expect("the fixture builds")
        .files()
        .expect("the fixture renders");
    kb::output::write_site(out, &files).expect("written");
    let (path, html) = files
        .iter()
        .find(|(p, _)| p.starts_with("incidents/") && p.ends_with("/index.html") && p.len() > 20)
        .expect("an incident page");
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
    let Some(chromium) = chromium() else {
        // CI sets KB_REQUIRE_BROWSER: there a missing browser is a failure.
        assert!(
            std::env::var_os("KB_REQUIRE_BROWSER").is_none(),
            "KB_REQUIRE_BROWSER is set but Chromium was not found"
        );
        eprintln!(
            "note: skipping the browser test: Chromium not found (install the Debian package `chromium` or set KB_CHROMIUM)"
        );
        return;
    };
    let out = tempfile::tempdir().unwrap();
    for fixture in ["diagram-seed", "diagram-multiday"] {
        let page = build_page(fixture, &out.path().join(fixture));
        for (width, expected) in [(375, "kb-tl-flow"), (1280, "kb-tl-axis")] {
            let p = measure(&chromium, &page, width);
            let at = format!("{fixture} at {width} px: {p:?}");
            eprintln!("{at}");
            assert!(p.inner > 0.0 && p.inner <= f64::from(width), "{at}");
            assert_eq!(p.shown.len(), 1, "one diagram shown, {at}");
            let svg = &p.shown[0];
            assert!(svg.class.contains(expected), "{expected} shown, {at}");
            assert!(svg.width > 100.0, "drawn, {at}");
            assert!(
                svg.left >= 0.0 && svg.right <= p.inner + 0.5,
                "inside the viewport, {at}"
            );
            assert!(
                p.figures.iter().all(|&overflow| overflow <= 0.0),
                "the figure does not scroll, {at}"
            );
            assert!(
                p.scroll <= p.inner + 0.5,
                "the page does not scroll sideways, {at}"
            );
        }
    }
}
