//! `kb check`: exit codes, text and JSON output, nothing written, and every
//! diagnostic code of the crate documented in the README.

mod common;

use std::path::Path;

use common::fixture;
use kb::diagnostic::{Code, Severity};

fn check(root: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .arg("--root")
        .arg(root)
        .arg("check")
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

#[test]
fn warnings_pass_unless_strict() {
    // basic has warnings (missing `detected`, ...) but no error.
    let out = check(&fixture("basic"), &[]).success();
    assert!(stdout(&out).contains("warning[missing-recommended-field]"));
    check(&fixture("basic"), &["--strict"]).code(1);
    check(&fixture("invalid"), &[]).code(1);
}

#[test]
fn json_is_a_sorted_array_of_six_fields() {
    let out = check(&fixture("invalid"), &["--format", "json"]).code(1);
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(items.len() >= 10);
    for item in &items {
        let keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            ["code", "column", "file", "line", "message", "severity"]
        );
        assert!(item["line"].is_null() == item["column"].is_null());
    }
    let first_toml = items.iter().find(|i| i["code"] == "invalid-toml").unwrap();
    assert_eq!(first_toml["file"], "content/invalid-toml.md");
    assert_eq!(
        (&first_toml["line"], &first_toml["column"]),
        (&3.into(), &12.into())
    );
    assert_eq!(first_toml["severity"], "error");
    let order: Vec<(String, u64)> = items
        .iter()
        .map(|i| {
            let file = i["file"].as_str().unwrap().to_owned();
            (file, i["line"].as_u64().unwrap_or(0))
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "sorted by file, then position");
}

#[test]
fn text_points_at_the_line_with_an_excerpt() {
    let out = check(&fixture("invalid"), &[]).code(1);
    let text = stdout(&out);
    assert!(
        text.contains("content/wrong-type.md:3:1: error[wrong-type]"),
        "{text}"
    );
    assert!(text.contains("3 | services = \"checkout\""), "{text}");
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("10 error(s)"), "{stderr}");
}

#[test]
fn lint_warnings_point_at_their_lines() {
    let out = check(&fixture("lint"), &["--format", "json"]).success();
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(String, String, u64)> = items
        .iter()
        .map(|i| {
            let file = Path::new(i["file"].as_str().unwrap());
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                i["code"].as_str().unwrap().to_owned(),
                i["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expected = [
        ("actions.md", "action-without-due-date", 16),
        ("actions.md", "action-without-owner", 20),
        ("registry.md", "unknown-service", 5),
        ("registry.md", "unknown-cause", 6),
        ("registry.md", "unknown-related", 12),
        ("timeline.md", "event-outside-incident", 15),
        ("timeline.md", "events-out-of-order", 15),
        ("timeline.md", "events-out-of-order", 17),
        ("timeline.md", "event-outside-incident", 18),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|&(f, c, l)| (f.to_owned(), c.to_owned(), l))
        .collect();
    assert_eq!(found, expected);
    // With --drafts the draft is linted too.
    let out = check(&fixture("lint"), &["--format", "json", "--drafts"]).success();
    assert!(stdout(&out).matches("draft-target.md").count() > 1);
}

#[test]
fn check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join("content")).unwrap();
    std::fs::write(root.join("content/a.md"), "+++\ntitle = \"a\"\n+++\n").unwrap();
    check(root, &[]).success();
    let entries: Vec<_> = std::fs::read_dir(root).unwrap().collect();
    assert_eq!(entries.len(), 1, "only content/ is there");
}

/// The README's tables of diagnostic codes are the list in
/// `kb::diagnostic::Code`, word for word: every code in the table of its
/// severity, with its documentation as the meaning, and nothing else.
#[test]
fn every_code_is_documented() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("## Diagnostic codes")
        .nth(1)
        .expect("README has a Diagnostic codes section");
    // Up to the next section (Limits has rows that start with a code span).
    let section = section.split("\n## ").next().unwrap_or(section);
    let (errors, warnings) = section
        .split_once("Warnings (")
        .expect("README has a table of warnings after the errors");
    let mut documented: Vec<(String, Severity, String)> = Vec::new();
    for (table, severity) in [(errors, Severity::Error), (warnings, Severity::Warning)] {
        for row in table.lines().filter_map(|l| l.strip_prefix("| `")) {
            let (code, meaning) = row.split_once("` | ").expect("| `code` | meaning |");
            let meaning = meaning.strip_suffix(" |").expect("a row ends with |");
            documented.push((code.to_owned(), severity, meaning.to_owned()));
        }
    }
    let listed: Vec<(String, Severity, String)> = Code::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.severity(), c.doc().to_owned()))
        .collect();
    assert_eq!(documented, listed);
    // The tables were read (38 codes when this was written), not nothing.
    assert!(listed.len() >= 30);
}

/// The example knowledge base at the repository root is clean, warnings
/// included: it is what people copy.
#[test]
fn the_example_passes_strict() {
    let out = check(Path::new(env!("CARGO_MANIFEST_DIR")), &["--strict"]);
    let text = stdout(&out);
    out.success();
    assert!(text.is_empty(), "{text}");
}

#[test]
fn an_empty_file_is_reported_at_line_1_column_1_in_text_and_json() {
    let out = check(&fixture("invalid"), &["--format", "json"]).code(1);
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let empty = items.iter().find(|i| i["code"] == "empty-file").unwrap();
    assert_eq!(empty["file"], "content/empty.md");
    assert_eq!((&empty["line"], &empty["column"]), (&1.into(), &1.into()));
    let text = stdout(&check(&fixture("invalid"), &[]).code(1));
    assert!(
        text.contains("content/empty.md:1:1: error[empty-file]"),
        "{text}"
    );
}
