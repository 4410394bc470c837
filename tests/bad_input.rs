//! The bad-input matrix: one knowledge base per case under
//! `tests/fixtures/bad/<case>/` (or made at test time in a temp folder when
//! the case is a huge file, a symbolic link or a permission). Every case
//! gives one clear error at the right place, or builds when it is merely
//! unusual (a byte-order mark, CRLF, spaces and non-ASCII letters in names);
//! nothing panics, `kb check` and `kb build` exit 1 on errors, and a failed
//! build leaves the previous `public/` byte for byte.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use common::kb;
use kb::cmd::check;

/// `(case, code, line, column)`: the one error `kb check` reports for the
/// case (line 0: about the whole file). An empty code: the case builds.
const CASES: &[(&str, &str, usize, usize)] = &[
    ("action-bad-due", "invalid-date", 6, 1),
    ("action-without-title", "missing-title", 4, 3),
    ("alias-bomb", "invalid-yaml", 8, 14),
    ("base-url-script", "invalid-base-url", 2, 1),
    ("bom", "", 0, 0),
    ("content-is-a-file", "content-not-a-folder", 0, 0),
    ("crlf", "", 0, 0),
    ("deep-nesting", "invalid-yaml", 3, 263),
    ("deep-nesting-toml", "invalid-toml", 3, 89),
    ("duplicate-keys-toml", "invalid-toml", 4, 1),
    ("duplicate-keys-yaml", "invalid-yaml", 4, 1),
    ("detected-before-started", "negative-interval", 6, 1),
    ("duplicate-slug", "duplicate-slug", 0, 0),
    ("empty", "empty-file", 1, 1),
    ("feb-30-string", "invalid-datetime", 3, 1),
    ("feb-30-toml", "invalid-toml", 3, 11),
    ("front-matter-no-title", "", 0, 0),
    ("front-matter-only", "", 0, 0),
    ("impact-wrong-type", "wrong-type", 3, 1),
    ("invalid-config", "invalid-config", 2, 14),
    ("invalid-status", "invalid-status", 3, 1),
    ("invalid-toml", "invalid-toml", 3, 12),
    ("invalid-utf8", "not-utf8", 2, 13),
    ("invalid-yaml", "invalid-yaml", 3, 11),
    ("names", "", 0, 0),
    ("negative-duration", "resolved-before-started", 4, 1),
    ("no-letter-name", "", 0, 0),
    ("resolved-before-detected", "negative-interval", 7, 1),
    ("timeline-event-bad-at", "invalid-datetime", 4, 5),
    ("timeline-event-without-at", "missing-field", 4, 3),
    ("timeline-not-a-list", "wrong-type", 3, 1),
    ("too-many-services", "too-many-names", 4, 1),
    ("unknown-config-key", "invalid-config", 2, 1),
    ("unknown-severity", "unknown-severity", 3, 1),
    ("unknown-timezone", "unknown-timezone", 3, 1),
    ("unterminated-toml", "unterminated-front-matter", 1, 1),
    ("unterminated-yaml", "unterminated-front-matter", 1, 1),
    ("users-pct-150", "out-of-range", 4, 1),
    ("whitespace-only", "empty-file", 1, 1),
    ("wrong-type-services", "wrong-type", 3, 1),
    ("wrong-type-started", "wrong-type", 3, 1),
    ("wrong-type-title", "wrong-type", 2, 1),
    ("yaml-tabs", "invalid-yaml", 4, 1),
    ("year-99999", "invalid-datetime", 3, 1),
];

fn bad(case: &str) -> PathBuf {
    common::fixture("bad").join(case)
}

/// The errors of `kb check` on `root` as `(code, line, column)`.
fn errors(root: &Path) -> Vec<(&'static str, usize, usize)> {
    check::check(root, false)
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let (line, column) = d.position.as_ref().map_or((0, 0), |p| (p.line, p.column));
            (d.code.as_str(), line, column)
        })
        .collect()
}

/// A knowledge base `public/` is built into from the `basic` fixture, and
/// its bytes, to compare with after failed builds.
struct Published {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    before: BTreeMap<PathBuf, Vec<u8>>,
}

impl Published {
    fn new() -> Published {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        kb(
            &common::fixture("basic"),
            &["build", "-o", out.to_str().unwrap()],
        )
        .success();
        let before = common::tree(&out);
        assert!(before.len() > 20, "the first build wrote the site");
        Published {
            _tmp: tmp,
            out,
            before,
        }
    }

    /// Runs `kb check` and `kb build -o public` on `root`, which must fail.
    fn fails_untouched(&self, root: &Path) {
        kb(root, &["check"]).code(1);
        let failed = kb(root, &["build", "-o", self.out.to_str().unwrap()]).code(1);
        let stderr = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
        assert!(stderr.contains("build failed"), "{stderr}");
        assert!(
            common::tree(&self.out) == self.before,
            "{} touched public/",
            root.display()
        );
        assert!(
            !self.out.with_file_name(".public.kb-swap").exists(),
            "{} left a hidden sibling of public/ behind",
            root.display()
        );
    }
}

#[test]
fn every_case_reports_its_error_at_its_position() {
    let mut found = Vec::new();
    for &(case, code, line, column) in CASES {
        let errors = errors(&bad(case));
        let expected = if code.is_empty() {
            vec![]
        } else {
            vec![(code, line, column)]
        };
        if errors != expected {
            found.push(format!("{case}: expected {expected:?}, found {errors:?}"));
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_cli_fails_every_bad_case_and_keeps_public() {
    let published = Published::new();
    for &(case, code, _, _) in CASES {
        if code.is_empty() {
            kb(&bad(case), &["check"]).success();
        } else {
            published.fails_untouched(&bad(case));
        }
    }
}

#[test]
fn unusual_but_valid_files_build() {
    let options = common::options(false);
    let build = kb::site::build(&bad("names"), &options);
    let files = build
        .site
        .expect("names build")
        .files()
        .expect("names render");
    assert!(files.contains_key("incidents/pm-2024-001-checkout-outage/index.html"));
    assert!(files.contains_key("incidents/störung-größe-zürich/index.html"));
    // `!!!.md` has no letter or digit: its slug is `incident-` and the
    // FNV-1a hash of "content/!!!.md" (f1733b3b, worked out in Python),
    // and the incident list stays the incident list.
    let build = kb::site::build(&bad("no-letter-name"), &options);
    let files = build.site.expect("no-letter-name").files().expect("render");
    let page =
        String::from_utf8_lossy(&files["incidents/incident-f1733b3b/index.html"]).into_owned();
    assert!(page.contains("Payment webhooks dropped during the TLS rotation"));
    let list =
        scraper::Html::parse_document(&String::from_utf8_lossy(&files["incidents/index.html"]));
    let h1: String = list
        .select(&scraper::Selector::parse("h1").unwrap())
        .flat_map(|h| h.text())
        .collect();
    assert_eq!(h1, "All incidents");
    for case in ["bom", "crlf", "front-matter-only"] {
        let build = kb::site::build(&bad(case), &options);
        assert_eq!(build.incidents, 1, "{case}");
        let site = build.site.expect(case);
        assert!(site.files().is_ok(), "{case}");
    }
    let crlf = kb::content::load(&bad("crlf"), &Default::default(), false);
    assert_eq!(crlf.incidents[0].title, "Windows line ends");
    assert_eq!(crlf.incidents[0].timeline.len(), 2);
}

#[test]
fn messages_say_what_to_do() {
    let all: Vec<String> = [
        "alias-bomb",
        "duplicate-keys-yaml",
        "yaml-tabs",
        "unterminated-yaml",
    ]
    .iter()
    .flat_map(|case| check::check(&bad(case), false))
    .map(|d| d.to_string())
    .collect();
    let all = all.join("\n");
    for needle in [
        "billion laughs",
        "duplicate mapping key: severity",
        "YAML indents with spaces only",
        "add a `---` line",
    ] {
        assert!(all.contains(needle), "no `{needle}` in\n{all}");
    }
    assert!(!all.contains("DuplicateKeyPolicy"), "{all}");
}

/// A temp knowledge base with `content/`.
fn temp_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/good.md"),
        "+++\ntitle = \"A good one\"\n+++\n",
    )
    .unwrap();
    (tmp, root)
}

/// Runs `kb check` on `root` and gives its exit code and peak resident set
/// in KB (from `wait4`, for this one child).
#[expect(clippy::zombie_processes, reason = "wait4 below reaps the child")]
fn check_peak_rss_kb(root: &Path) -> (i32, i64) {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kb"))
        .arg("--root")
        .arg(root)
        .arg("check")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: the pid is our unwaited child; wait4 fills status and usage.
    let usage = unsafe {
        let pid = libc::wait4(child.id() as i32, &mut status, 0, usage.as_mut_ptr());
        assert_eq!(pid, child.id() as i32);
        usage.assume_init()
    };
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[test]
fn a_50_mb_file_is_refused_before_it_is_read() {
    let (_tmp, root) = temp_site();
    let path = root.join("content/dump.md");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all(b"+++\ntitle = \"huge\"\n+++\n").unwrap();
    let line = "- 03:00 a log line pasted into the postmortem, again and again\n";
    while file.get_ref().metadata().unwrap().len() < 50 * 1024 * 1024 {
        for _ in 0..1000 {
            file.write_all(line.as_bytes()).unwrap();
        }
        file.flush().unwrap();
    }
    drop(file);
    assert_eq!(errors(&root), [("file-too-large", 0, 0)]);
    let message = check::check(&root, false)[0].message.clone();
    assert!(message.contains("over the 10 MB"), "{message}");
    Published::new().fails_untouched(&root);
    // kb never held the file: far less than 50 MB resident.
    let (code, rss_kb) = check_peak_rss_kb(&root);
    assert_eq!(code, 1);
    assert!(rss_kb < 40 * 1024, "kb check peaked at {rss_kb} KB");
}

#[test]
fn ten_thousand_timeline_lines_build() {
    let (_tmp, root) = temp_site();
    let mut text = String::from(
        "+++\ntitle = \"Long\"\nstarted = 2024-06-01T00:00:00Z\nresolved = 2024-06-08T00:00:00Z\n+++\n## Timeline\n\n",
    );
    for i in 0..10_000 {
        // One event a minute from 00:00, rolling over midnight.
        text.push_str(&format!("- {:02}:{:02} event {i}\n", (i / 60) % 24, i % 60));
    }
    std::fs::write(root.join("content/long.md"), &text).unwrap();
    let started = std::time::Instant::now();
    let loaded = kb::content::load(&root, &Default::default(), false);
    let long = loaded.incidents.iter().find(|i| i.slug == "long").unwrap();
    assert_eq!(long.timeline.len(), 10_000);
    // Event 9999 is 9999 minutes after the start: 2024-06-07 22:39.
    assert_eq!(
        long.timeline[9_999].at.unwrap().to_string(),
        "2024-06-07T22:39:00Z"
    );
    assert_eq!(errors(&root), []);
    kb(
        &root,
        &["build", "-o", root.join("public").to_str().unwrap()],
    )
    .success();
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    // 10,000 events is the most a postmortem may have: one more is an
    // error at its line (7 lines of front matter and heading before the
    // first event, so the 10,001st is on line 7 + 10,001).
    text.push_str("- 23:59 one event too many\n");
    std::fs::write(root.join("content/long.md"), text).unwrap();
    assert_eq!(errors(&root), [("too-many-events", 10_008, 1)]);
}

#[test]
fn a_symlink_loop_is_an_error_not_a_hang() {
    let (_tmp, root) = temp_site();
    std::os::unix::fs::symlink(".", root.join("content/loop")).unwrap();
    assert_eq!(errors(&root), [("symlink-loop", 0, 0)]);
    Published::new().fails_untouched(&root);

    let (_tmp, root) = temp_site();
    std::os::unix::fs::symlink("self.md", root.join("content/self.md")).unwrap();
    assert_eq!(errors(&root), [("unreadable-file", 0, 0)]);
    Published::new().fails_untouched(&root);
}

#[test]
fn symlinks_outside_the_site_are_refused_unless_allowed() {
    let (tmp, root) = temp_site();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    std::fs::write(outside.join("secret.md"), "+++\ntitle = \"Secret\"\n+++\n").unwrap();
    std::fs::write(outside.join("dir/b.md"), "+++\ntitle = \"B\"\n+++\n").unwrap();
    std::fs::write(outside.join("dir/c.md"), "+++\ntitle = \"C\"\n+++\n").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.md"), root.join("content/leak.md")).unwrap();
    std::os::unix::fs::symlink(outside.join("dir"), root.join("content/linked")).unwrap();
    // A link that stays inside the site is fine.
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(root.join("shared/inside.md"), "+++\ntitle = \"In\"\n+++\n").unwrap();
    std::os::unix::fs::symlink(
        root.join("shared/inside.md"),
        root.join("content/inside.md"),
    )
    .unwrap();

    let found = check::check(&root, false);
    let refused: Vec<(String, &str)> = found
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.path.display().to_string(), d.code.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            ("content/leak.md".to_owned(), "symlink-outside-site"),
            ("content/linked".to_owned(), "symlink-outside-site"),
        ],
        "one error per link, nothing read behind it"
    );
    let message = &found.iter().find(|d| d.is_error()).unwrap().message;
    assert!(message.contains("follow_symlinks_outside"), "{message}");
    Published::new().fails_untouched(&root);

    std::fs::write(root.join("site.toml"), "follow_symlinks_outside = true\n").unwrap();
    assert_eq!(errors(&root), []);
    let loaded = kb::content::load(&root, &kb::config::Config::load(&root).unwrap(), false);
    assert_eq!(loaded.incidents.len(), 5);
}

#[test]
fn an_unreadable_file_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        // root reads any file whatever its mode, so the case cannot be made.
        eprintln!("skipped: running as root, chmod 000 does not stop reading");
        return;
    }
    let (_tmp, root) = temp_site();
    let path = root.join("content/locked.md");
    std::fs::write(&path, "+++\ntitle = \"Locked\"\n+++\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    assert_eq!(errors(&root), [("unreadable-file", 0, 0)]);
    Published::new().fails_untouched(&root);
}

/// Every case's report as `kb check` prints it (without colour), for
/// review by eye: is each message one a tired engineer understands?
#[test]
fn reports_read_well() {
    let mut text = String::new();
    for &(case, code, _, _) in CASES {
        // (The unknown site.toml key's message lists every key: it would
        // change with each new setting.)
        if code.is_empty() || case == "unknown-config-key" {
            continue;
        }
        text.push_str(&format!("== {case}\n"));
        for d in check::check(&bad(case), false)
            .iter()
            .filter(|d| d.is_error())
        {
            text.push_str(&kb::cmd::report::render(d, false));
            text.push('\n');
        }
    }
    insta::assert_snapshot!(text);
}
