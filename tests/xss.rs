//! Script injection: the `xss` fixture puts payloads in every field (title,
//! summary, services, causes, tags, authors, impact, action items, timeline
//! text, unknown keys) and raw HTML in the body. Every page must render them
//! inert: no script element but the theme's own, no `on*` attribute, no
//! script URL, nothing that embeds another document; harmless markup stays.
//! A headless Chromium then loads the pages and checks no payload ran.

mod common;

use std::path::Path;

use common::Built;
use kb::content::markdown::is_script_url;
use scraper::{Html, Selector};

/// Why `page` is not inert, one line per problem.
fn problems(path: &str, page: &Html) -> Vec<String> {
    let mut found = Vec::new();
    let all = Selector::parse("*").unwrap();
    for element in page.select(&all) {
        let el = element.value();
        match el.name() {
            "script" => {
                let text: String = element.text().collect();
                let theme_js =
                    el.attr("src").is_some_and(|s| s.contains("static/")) && text.trim().is_empty();
                let data = el.attr("type").is_some_and(|t| t.ends_with("json"))
                    && serde_json::from_str::<serde_json::Value>(&text).is_ok();
                if !theme_js && !data {
                    found.push(format!("{path}: a <script> kb did not write: {text:.60}"));
                }
            }
            "iframe" | "object" | "embed" | "frame" | "pwned-marker" => {
                found.push(format!("{path}: a <{}> element", el.name()));
            }
            _ => {}
        }
        for (name, value) in el.attrs() {
            if name.to_ascii_lowercase().starts_with("on") {
                found.push(format!("{path}: <{} {name}=\"{value:.40}\">", el.name()));
            }
            let url_attr = matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "poster" | "data"
            );
            if url_attr && is_script_url(value) {
                found.push(format!("{path}: <{} {name}=\"{value:.40}\">", el.name()));
            }
        }
    }
    found
}

#[test]
fn payloads_in_every_field_render_inert() {
    let built = Built::new("xss");
    let mut found = Vec::new();
    let mut pages = 0;
    for (path, bytes) in &built.files {
        if path.ends_with(".html") {
            pages += 1;
            let page = Html::parse_document(&String::from_utf8_lossy(bytes));
            found.extend(problems(path, &page));
        }
    }
    assert!(pages >= 10, "{pages} pages");
    assert!(found.is_empty(), "{found:#?}");
    // The payloads are shown as text, not dropped.
    let page = built.page("incidents/xss/index.html");
    assert!(page.text("h1").contains("<script>document.body"));
    // The actions' script URL lost its link; the title stayed.
    assert!(
        built
            .page("actions/index.html")
            .texts("th")
            .iter()
            .any(|t| t == "Tracker link with a data URL")
    );
    // Harmless markup in the body is kept.
    assert_eq!(
        page.texts("details:not(.as-written) summary"),
        ["Harmless markup is kept"]
    );
    assert!(!page.texts(".body table td, table td").is_empty());
    // The feed carries the payload as escaped text only.
    let feed = built.text("feed.xml");
    assert!(!feed.contains("<script"), "raw <script> in feed.xml");
}

/// The positive control proves the detector catches a script that runs.
#[test]
fn the_detector_sees_a_live_payload() {
    let page =
        Html::parse_document(r#"<p><img src=x onerror="x()"><a href=" javascript:x()">a</a>"#);
    assert_eq!(problems("control", &page).len(), 2);
}

fn chromium() -> Option<&'static Path> {
    let path = Path::new("/usr/bin/chromium");
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("KB_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "KB_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing"
    );
    eprintln!("skipped: no /usr/bin/chromium (set KB_REQUIRE_BROWSER=1 to fail instead)");
    None
}

/// The page's DOM after Chromium loaded it and ran its scripts.
fn dom_after_load(browser: &Path, file: &Path) -> String {
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed on {}",
        file.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every payload would add a `<pwned-marker>` element if it ran.
#[test]
fn no_payload_runs_in_a_browser() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let control = tmp.path().join("control.html");
    std::fs::write(
        &control,
        r#"<body><img src=x onerror="document.body.appendChild(document.createElement('pwned-marker'))">"#,
    )
    .unwrap();
    assert!(
        dom_after_load(browser, &control).contains("<pwned-marker"),
        "the control payload ran"
    );
    let out = tmp.path().join("public");
    kb::output::write_site(&out, &Built::new("xss").files).unwrap();
    for page in [
        "index.html",
        "incidents/index.html",
        "incidents/xss/index.html",
        "actions/index.html",
        "services/index.html",
        "services/javascript-alert-1/index.html",
        "causes/index.html",
    ] {
        let dom = dom_after_load(browser, &out.join(page));
        assert!(dom.contains("</body>"), "{page} loaded");
        assert!(!dom.contains("<pwned-marker"), "a payload ran on {page}");
    }
}
