//! Hardening: what a theme, a setting, a character or an odd file can do
//! to a build. Characters XML forbids never reach the feed or sitemap; a
//! script URL is refused as `base_url`; a theme that loops too deep or
//! writes without end fails with an error naming its template, and
//! `kb serve` still starts; a file naming many services makes pages that
//! grow in proportion, not with the square; `kb import` reads only regular
//! files, never `/dev/zero` or a FIFO.

mod common;
mod server;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{fixture, kb};

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn characters_xml_forbids_never_reach_an_xml_file() {
    let site = common::Built::new("xml-forbidden");
    for name in ["feed.xml", "sitemap.xml"] {
        let text = site.text(name);
        assert!(!text.contains(['\u{ffff}', '\u{fffe}', '\u{1}']), "{name}");
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{name} is not well-formed XML: {e}\n{text}");
        }
    }
    let feed = roxmltree::Document::parse(&site.text("feed.xml"))
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect::<Vec<_>>();
    assert_eq!(
        feed,
        [
            "Larkspur incidents ",
            "Search reindex stalled the catalogue"
        ]
    );
}

#[test]
fn a_script_url_is_refused_as_base_url() {
    // From site.toml: tests/fixtures/bad/base-url-script (see bad_input.rs).
    // From the command line:
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    for url in [
        "javascript:alert(1)//",
        "//evil.example/",
        "data:text/html,x",
    ] {
        let failed = kb(
            &fixture("basic"),
            &["build", "--base-url", url, "-o", out.to_str().unwrap()],
        )
        .code(1);
        let text = stderr(&failed);
        assert!(text.contains("error[invalid-base-url]"), "{url}: {text}");
        assert!(!out.exists(), "{url}");
    }
    kb(
        &fixture("basic"),
        &[
            "build",
            "--base-url",
            "https://incidents.example.com/kb/",
            "-o",
            out.to_str().unwrap(),
        ],
    )
    .success();
}

#[test]
fn a_template_that_loops_too_deep_fails_naming_it() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let failed = kb(
        &fixture("theme-runaway"),
        &["build", "-o", out.to_str().unwrap()],
    )
    .code(1);
    let text = stderr(&failed);
    assert!(
        text.contains("themes/default/templates/index.html")
            && text.contains("error[template-out-of-fuel]"),
        "{text}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(!out.exists());
}

#[test]
fn kb_serve_starts_with_a_template_that_loops_too_deep() {
    // `Server::start` waits for the line saying where it serves.
    let server = server::Server::start("theme-runaway");
    let status = server.get("/__kb/status");
    assert!(
        status.body.contains("template-out-of-fuel"),
        "{}",
        status.body
    );
    let page = server.get("/");
    assert_eq!(page.status, 500);
}

#[test]
fn a_template_that_writes_without_end_fails_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let failed = kb(
        &fixture("theme-huge"),
        &["build", "-o", out.to_str().unwrap()],
    )
    .code(1);
    let text = stderr(&failed);
    assert!(
        text.contains("themes/default/templates/index.html")
            && text.contains("error[output-too-large]")
            && text.contains("256 MB"),
        "{text}"
    );
    assert!(!out.exists());
}

/// The knowledge base of one incident naming `n` services (`svc-000`...).
fn one_incident_naming(dir: &Path, n: usize) -> std::path::PathBuf {
    let root = dir.join(format!("services-{n}"));
    let services: Vec<String> = (0..n).map(|i| format!("\"svc-{i:03}\"")).collect();
    let text = format!(
        "+++\ntitle = \"Region outage\"\nseverity = \"SEV1\"\nservices = [{}]\ncauses = [\"power\"]\nstarted = 2025-08-01T02:00:00Z\nresolved = 2025-08-01T05:30:00Z\n+++\n\nA power failure took the region down.\n",
        services.join(", ")
    );
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/region-outage.md"), text).unwrap();
    root
}

#[test]
fn service_pages_grow_in_proportion_to_the_services_named() {
    let tmp = tempfile::tempdir().unwrap();
    let size = |n: usize| -> (usize, common::Built) {
        let built = common::Built::at(&one_incident_naming(tmp.path(), n), false);
        let services: usize = built
            .files
            .iter()
            .filter(|(path, _)| path.starts_with("services/"))
            .map(|(_, bytes)| bytes.len())
            .sum();
        (services, built)
    };
    let (small, _) = size(50);
    let (large, built) = size(200);
    // Four times the services: four times the service pages, each of the
    // same size (its incident's item names its cause, not its services).
    // Pages naming every service would make 16 times the bytes.
    let ratio = large as f64 / small as f64;
    assert!(
        (3.5..4.5).contains(&ratio),
        "{small} bytes for 50 services, {large} for 200: {ratio:.2} times"
    );
    let service = built.page("services/svc-007/index.html");
    assert_eq!(
        service.attrs("ul.incident-list > li a[href*='services/']", "href"),
        Vec::<String>::new()
    );
    // The cause's page names the services: 10 and "190 more".
    let page = built.page("causes/power/index.html");
    let item = page.text("ul.incident-list > li");
    assert!(item.contains("and 190 more"), "{item}");
    assert_eq!(
        page.attrs("ul.incident-list > li a[href*='services/']", "href")
            .len(),
        10
    );
}

#[test]
fn import_reads_only_regular_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let fifo = root.join("pasted.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let large = root.join("dump.txt");
    let file = std::fs::File::create(&large).unwrap();
    file.set_len(11 * 1024 * 1024).unwrap();
    let started = Instant::now();
    let out = kb(
        root,
        &[
            "import",
            "--dry-run",
            "--format",
            "json",
            "/dev/zero",
            fifo.to_str().unwrap(),
            large.to_str().unwrap(),
        ],
    )
    .code(1);
    assert!(started.elapsed() < Duration::from_secs(10));
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let statuses: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["not-a-file", "not-a-file", "too-large"]);
}

/// Found by fuzzing (`fuzz/run.sh`, target render_page): a plain
/// postmortem dated 0223 stretched every chart of months over eighteen
/// centuries, a 5.6 MB /trends/ from 300 bytes. The series now cover at
/// most 30 years back from the build date: 360 months.
#[test]
fn a_year_typed_wrong_does_not_stretch_the_charts_over_centuries() {
    let site = common::Built::new("ancient-year");
    let trends = site.files["trends/index.html"].len();
    // 360 empty months and 120 quarters in the charts and their tables.
    assert!(trends < 200_000, "/trends/ is {trends} bytes");
}

/// Found by fuzzing too: a start typed 0997 for an incident resolved in
/// 2025 made /trends/ 92 MB (a heatmap cell for every day of 1,028 years)
/// and each of its services' pages 500 kB. The history diagrams now clip
/// every incident to the 30 years before the build.
#[test]
fn an_incident_a_thousand_years_long_is_drawn_over_thirty() {
    let site = common::Built::new("ancient-span");
    let trends = site.files["trends/index.html"].len();
    // At most 30 years of days, every one a cell: about 11,000 cells.
    assert!(trends < 4_000_000, "/trends/ is {trends} bytes");
    let service = site.files["services/api-gateway/index.html"].len();
    assert!(service < 100_000, "the service page is {service} bytes");
}
