//! Bad input: every problem of a knowledge base is reported at once, each
//! with its file, line and column, and no page is made.

mod common;

use kb::site::{self, BuildOptions};

fn diagnostics() -> Vec<(String, &'static str, usize, usize)> {
    let options = BuildOptions {
        drafts: false,
        base_url: None,
        build_time: common::build_time(),
        git: kb::git::log::GitHistory::Off,
    };
    let build = site::build(&common::fixture("invalid"), &options);
    assert!(build.site.is_none(), "a build with errors makes no site");
    build
        .errors()
        .map(|d| {
            let (line, column) = d.position.as_ref().map_or((0, 0), |p| (p.line, p.column));
            let file = d.path.file_name().unwrap().to_string_lossy().into_owned();
            (file, d.code.as_str(), line, column)
        })
        .collect()
}

#[test]
fn every_bad_file_is_reported_at_its_position() {
    let found = diagnostics();
    let expected: &[(&str, &str, usize, usize)] = &[
        ("bad-datetime.md", "invalid-datetime", 3, 1),
        ("dup-slug.md", "duplicate-slug", 0, 0),
        ("empty.md", "empty-file", 1, 1),
        ("invalid-toml.md", "invalid-toml", 3, 12),
        ("invalid-yaml.md", "invalid-yaml", 3, 11),
        ("latin1.md", "not-utf8", 2, 13),
        ("resolved-first.md", "resolved-before-started", 4, 1),
        ("unknown-severity.md", "unknown-severity", 3, 1),
        ("unterminated.md", "unterminated-front-matter", 1, 1),
        ("wrong-type.md", "wrong-type", 3, 1),
    ];
    let expected: Vec<(String, &str, usize, usize)> = expected
        .iter()
        .map(|&(f, c, l, col)| (f.to_owned(), c, l, col))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn messages_say_what_to_do() {
    let options = BuildOptions {
        drafts: false,
        base_url: None,
        build_time: common::build_time(),
        git: kb::git::log::GitHistory::Off,
    };
    let build = site::build(&common::fixture("invalid"), &options);
    let text: Vec<String> = build.errors().map(ToString::to_string).collect();
    let all = text.join("\n");
    for needle in [
        "never closed",
        "services = [\"checkout\"]",
        "this site's levels are SEV1, SEV2, SEV3, SEV4",
        "Dup Slug.md",
        "2024-02-30",
        "is not UTF-8",
    ] {
        assert!(all.contains(needle), "no `{needle}` in\n{all}");
    }
}

#[test]
fn the_cli_prints_every_error_with_an_excerpt_and_exits_1() {
    let out = assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .args([
            "--root",
            common::fixture("invalid").to_str().unwrap(),
            "build",
            "-o",
            "/nonexistent/never-written",
        ])
        .assert()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("content/wrong-type.md:3:1:"), "{stderr}");
    assert!(
        stderr.contains("services = \"checkout\""),
        "the excerpt shows the line: {stderr}"
    );
    assert!(stderr.contains("10 error(s)"), "{stderr}");
    assert!(!std::path::Path::new("/nonexistent/never-written").exists());
}
