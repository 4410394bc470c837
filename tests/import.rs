//! `kb import` end to end: files written with the inferred front matter and
//! the body untouched, the JSON report, --dry-run, --force, and a knowledge
//! base of imported files that builds.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain/content/seed-2024-06-08.md")
}

fn kb(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kb").expect("the kb binary");
    cmd.arg("--root").arg(root);
    cmd
}

#[test]
fn imports_the_seed_and_never_overwrites_without_force() {
    let root = tempfile::tempdir().expect("temp dir");
    kb(root.path()).arg("import").arg(seed()).assert().success();
    let written = root.path().join("content/seed-2024-06-08.md");
    let text = std::fs::read_to_string(&written).expect("the kb file");
    let original = std::fs::read_to_string(seed()).expect("the seed");
    let body = kb::content::plain::to_kb_markdown(&original);
    assert!(
        text.starts_with("+++\n") && text.ends_with(&body),
        "the body is the seed laid out in Markdown"
    );
    // As the hand-written example: headings, kept lines, the drawing fenced.
    assert!(body.contains("\n# Timeline\n\n- **03:00 AM** A monitoring alert"));
    assert!(body.contains("```text\n+------------------+\n"));
    let split = kb::content::split(&text).expect("front matter");
    let fm: toml::Table = toml::from_str(split.front).expect("TOML");
    assert_eq!(fm["started"].to_string(), "2024-06-08T03:00:00+00:00");
    assert_eq!(fm["resolved"].to_string(), "2024-06-08T06:00:00+00:00");
    assert_eq!(fm["actions"].as_array().map(Vec::len), Some(6));

    // Again: the file exists, exit 1, nothing changes; --force overwrites.
    std::fs::write(&written, "changed").expect("write");
    kb(root.path()).arg("import").arg(seed()).assert().failure();
    assert_eq!(std::fs::read_to_string(&written).expect("read"), "changed");
    kb(root.path())
        .args(["import", "--force"])
        .arg(seed())
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&written).expect("read"), text);

    // The imported knowledge base builds, with nothing left to infer.
    let out = kb(root.path())
        .arg("build")
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(!String::from_utf8_lossy(&out).contains("[inferred]"));
}

#[test]
fn json_report_and_dry_run() {
    let root = tempfile::tempdir().expect("temp dir");
    let plain = root.path().join("notes.txt");
    std::fs::write(&plain, "# Notes\n\nNothing happened at any stated time.\n").expect("write");
    let output = kb(root.path())
        .args([
            "import",
            "--dry-run",
            "--format",
            "json",
            "--into",
            "imported",
        ])
        .arg(seed())
        .arg(&plain)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&output).expect("JSON");
    let files = report["files"].as_array().expect("files");
    assert_eq!(files[0]["status"], "would-write");
    let started = files[0]["inferred"]
        .as_array()
        .expect("inferred")
        .iter()
        .find(|f| f["field"] == "started")
        .expect("started");
    assert_eq!(
        (started["value"].as_str(), started["line"].as_u64()),
        (Some("2024-06-08T03:00:00+00:00"), Some(4))
    );
    assert_eq!(files[0]["missing"], serde_json::json!([]));
    // Nothing stated: everything but the title is reported missing.
    let missing: Vec<&str> = files[1]["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(missing, kb::content::infer::FIELDS);
    assert!(
        !root.path().join("imported").exists(),
        "--dry-run writes nothing"
    );
}

#[test]
fn files_with_front_matter_are_left_alone() {
    let root = tempfile::tempdir().expect("temp dir");
    let done = root.path().join("done.md");
    std::fs::write(&done, "+++\ntitle = \"done\"\n+++\n").expect("write");
    let out = kb(root.path())
        .arg("import")
        .arg(&done)
        .assert()
        .failure()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("has-front-matter"));
    assert!(!root.path().join("content").exists());
}
