//! The product's seed postmortem as a new user meets kb: `kb init`, the
//! seed's `.txt` copied as it is into `content/`, `kb build`. The seed is
//! read from `../shared/seeds/` where it exists, else from the fixture
//! that holds the same text.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};

/// The seed's text.
fn seed() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/seeds/postmortem-2024-06-08.txt");
    let path = if shared.is_file() {
        shared
    } else {
        root.join("tests/fixtures/plain/content/seed-2024-06-08.md")
    };
    std::fs::read_to_string(path).expect("the seed")
}

fn kb() -> Command {
    Command::cargo_bin("kb").expect("the kb binary")
}

fn texts(page: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    page.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// A fresh `kb init` site with the seed and two documents kb passes over.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("kb");
    kb().arg("init").arg(&root).assert().success();
    let content = root.join("content");
    std::fs::write(content.join("postmortem-2024-06-08.txt"), seed()).unwrap();
    std::fs::write(content.join("PM-12 DNS.docx"), b"PK\x03\x04").unwrap();
    std::fs::write(content.join("old.html"), "<h1>Old outage</h1>").unwrap();
    (dir, root)
}

#[test]
fn the_seed_dropped_in_as_it_is_builds_with_its_facts_and_a_diagram() {
    let (_dir, root) = site();
    let out = kb()
        .arg("--root")
        .arg(&root)
        .arg("build")
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    // Both documents kb does not read are named, with what to do.
    assert!(
        stderr.contains("content/PM-12 DNS.docx: warning[unread-document]"),
        "{stderr}"
    );
    assert!(stderr.contains("pandoc -t gfm"), "{stderr}");
    assert!(stderr.contains("kb import content/old.html"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let summary = format!("{stdout}{stderr}");
    // `kb init`'s example and the seed.
    assert!(summary.contains("kb: 2 incidents"), "{summary}");

    let html =
        std::fs::read_to_string(root.join("public/incidents/postmortem-2024-06-08/index.html"))
            .expect("the seed's page");
    let page = Html::parse_document(&html);
    assert_eq!(texts(&page, "h1"), ["Outage on June 8, 2024"]);
    let dt = texts(&page, ".facts dt");
    let dd = texts(&page, ".facts dd");
    let fact = |term: &str| {
        dt.iter()
            .zip(&dd)
            .find(|(t, _)| *t == term)
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| panic!("no fact {term}"))
    };
    // "June 8, 2024, 03:00 AM to 06:00 AM UTC (3 hours)", "85% of users".
    assert_eq!(fact("Started"), "2024-06-08 03:00 UTC");
    assert_eq!(fact("Resolved"), "2024-06-08 06:00 UTC");
    assert_eq!(fact("Duration"), "3 h");
    assert_eq!(fact("Users affected"), "85 %");
    // The diagram: an SVG with one numbered badge per timeline line (11).
    assert_eq!(texts(&page, ".timeline-diagram svg").len(), 1);
    assert_eq!(texts(&page, "ol.timeline > li").len(), 11);
    // The six lines under "Tasks:".
    assert_eq!(texts(&page, ".actions tbody tr").len(), 6);
}
