//! A build into the previous output renders and writes only what changed,
//! and still makes byte for byte the site a clean build makes: the
//! example knowledge base is built, edited in several ways, and built
//! again after each edit, then compared with a `--no-cache` build into a
//! fresh folder.

mod common;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The tests' build time (see `common::kb`): 2026-11-24 12:00 UTC.
const EPOCH: i64 = 1_795_521_600;

/// `kb build` of `root` into `out` with `extra` arguments; gives how many
/// files it wrote (from its summary line).
fn build(root: &Path, out: &Path, extra: &[&str]) -> usize {
    build_at(root, out, extra, EPOCH)
}

/// [`build`] at the build time `epoch` (`SOURCE_DATE_EPOCH`).
fn build_at(root: &Path, out: &Path, extra: &[&str], epoch: i64) -> usize {
    let mut args = vec!["build", "-o", out.to_str().unwrap()];
    args.extend(extra);
    let done = assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .arg("--root")
        .arg(root)
        .args(&args)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    let line = String::from_utf8(done.get_output().stdout.clone()).unwrap();
    let written = line
        .split(", ")
        .find_map(|part| part.strip_suffix(" files written"))
        .unwrap_or_else(|| panic!("no count of files written in {line:?}"));
    written.parse().unwrap()
}

/// Each file of `dir` with its modification time and inode.
fn stamps(dir: &Path) -> Vec<(PathBuf, SystemTime, u64)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (e.path().to_path_buf(), meta.modified().unwrap(), meta.ino())
        })
        .collect()
}

/// The example knowledge base of the repository, copied to `root` as
/// edited an hour ago.
fn example(root: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_aged(&repo.join("content"), &root.join("content"));
    std::fs::copy(repo.join("site.toml"), root.join("site.toml")).unwrap();
}

/// Replaces `from` by `to` in the file at `path`, which must hold it.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// Asserts that `out` holds what a clean build of `root` makes.
fn assert_clean(root: &Path, out: &Path, what: &str) {
    assert_clean_at(root, out, what, EPOCH);
}

/// Asserts that `out` holds what a clean build of `root` at `epoch` makes.
fn assert_clean_at(root: &Path, out: &Path, what: &str, epoch: i64) {
    let fresh = tempfile::tempdir().unwrap();
    let fresh = fresh.path().join("public");
    build_at(root, &fresh, &["--no-cache"], epoch);
    let (built, clean) = (common::tree(out), common::tree(&fresh));
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>(),
        "after {what}: the same files"
    );
    for (path, bytes) in &clean {
        assert!(
            built[path] == *bytes,
            "after {what}: {} differs",
            path.display()
        );
    }
}

#[test]
fn a_build_with_nothing_changed_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("kb");
    example(&root);
    let out = tmp.path().join("public");
    assert!(
        build(&root, &out, &[]) > 100,
        "a fresh build writes every file"
    );
    let before = stamps(&out);
    // The second build finds every file as the first left it: it neither
    // writes nor swaps; nor does a third.
    assert_eq!(build(&root, &out, &[]), 0);
    assert_eq!(build(&root, &out, &[]), 0);
    assert_eq!(stamps(&out), before, "no file touched, no tree swapped");
    assert_clean(&root, &out, "builds with nothing changed");
}

#[test]
fn the_clock_matters_by_the_day_only() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("kb");
    example(&root);
    let out = tmp.path().join("public");
    build(&root, &out, &[]);
    build(&root, &out, &[]);
    // Seconds later, the same day: every figure is as of the build's date
    // (the days since a service's last incident, a rolling budget window
    // that ends with the date, overdue actions), so nothing is written.
    assert_eq!(build_at(&root, &out, &[], EPOCH + 7), 0);
    // A day later, what depends on the date is made again (the first
    // changing build after a fresh one fills the second output tree, so
    // how many files it writes says nothing here), and the site is the
    // one a clean build that day makes.
    let next_day = EPOCH + 86_400;
    assert!(build_at(&root, &out, &[], next_day) > 0);
    assert_clean_at(&root, &out, "a build a day later", next_day);
}

#[test]
fn every_kind_of_edit_rebuilds_into_what_a_clean_build_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("kb");
    example(&root);
    let out = tmp.path().join("public");
    let total = build(&root, &out, &[]);
    build(&root, &out, &[]);
    let storm = root.join("content/2025/2025-03-04-checkout-retry-storm.md");

    // One body: the incident's page and the search index change, no list.
    // The first build that changes anything fills the second tree (the
    // output's hidden sibling); from then on only what changed is written.
    let text = std::fs::read_to_string(&storm).unwrap();
    std::fs::write(&storm, format!("{text}\nA paragraph added later.\n")).unwrap();
    assert_eq!(build(&root, &out, &[]), total, "the second tree made");
    assert_clean(&root, &out, "a body edit");
    edit(
        &storm,
        "A paragraph added later.",
        "A paragraph added later on.",
    );
    let written = build(&root, &out, &[]);
    assert!(
        (1..total / 4).contains(&written),
        "{written} of {total} files written after a body edit"
    );
    assert_clean(&root, &out, "a second body edit");

    // A date that moves the incident from March to April 2025: its month,
    // quarter, neighbours and every chart move with it.
    edit(&storm, "2025-03-04T", "2025-04-02T");
    build(&root, &out, &[]);
    assert_clean(&root, &out, "a date moved between months");

    // A service renamed in one postmortem: one service page loses it,
    // another is made.
    edit(
        &storm,
        "services = [\"checkout\", \"api-gateway\"]",
        "services = [\"checkout\", \"edge-gateway\"]",
    );
    build(&root, &out, &[]);
    assert!(out.join("services/edge-gateway/index.html").is_file());
    assert_clean(&root, &out, "a service renamed");

    // A template of the theme overridden, then changed.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let item = "partials/incident-item.html";
    let original =
        std::fs::read_to_string(repo.join("themes/default/templates").join(item)).unwrap();
    let overridden = root.join("themes/default/templates").join(item);
    std::fs::create_dir_all(overridden.parent().unwrap()).unwrap();
    std::fs::write(&overridden, format!("{original}<!-- one -->\n")).unwrap();
    build(&root, &out, &[]);
    assert_clean(&root, &out, "a template overridden");
    std::fs::write(&overridden, format!("{original}<!-- two -->\n")).unwrap();
    build(&root, &out, &[]);
    assert_clean(&root, &out, "an overriding template changed");

    // site.toml: the title every page shows.
    edit(
        &root.join("site.toml"),
        "title = \"Larkspur Market incidents\"",
        "title = \"Larkspur incidents\"",
    );
    build(&root, &out, &[]);
    assert_clean(&root, &out, "site.toml changed");

    // A build without the cache between two with it: the tree it wrote
    // has no record left, and the next build still makes the clean site.
    edit(
        &storm,
        "A paragraph added later on.",
        "A paragraph edited later.",
    );
    build(&root, &out, &["--no-cache"]);
    edit(
        &storm,
        "A paragraph edited later.",
        "A paragraph edited again.",
    );
    build(&root, &out, &[]);
    assert_clean(&root, &out, "a build without the cache in between");
    assert_eq!(build(&root, &out, &[]), 0, "nothing changed since");
}

/// The search index's files of the tree at `out`.
fn index_files(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    common::tree(out)
        .into_iter()
        .filter(|(path, _)| {
            path.starts_with("search") && path.extension().is_some_and(|e| e == "json")
        })
        .collect()
}

#[test]
fn search_edits_rebuild_the_index_into_what_a_clean_build_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("kb");
    example(&root);
    let out = tmp.path().join("public");
    build(&root, &out, &[]);
    build(&root, &out, &[]);
    let kept = tmp.path().join(".public.kb-search");
    assert!(
        kept.is_file(),
        "the index's cache is kept beside the output"
    );
    let storm = root.join("content/2025/2025-03-04-checkout-retry-storm.md");
    let text = std::fs::read_to_string(&storm).unwrap();

    // A body gains a word no postmortem has: a new term in some shard.
    let added = "The vendor's status page blamed a Quillfeather relay.";
    std::fs::write(&storm, format!("{text}\n{added}\n")).unwrap();
    build(&root, &out, &[]);
    assert!(
        index_files(&out)
            .iter()
            .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("quillfeath")),
        "the new word is indexed"
    );
    assert_clean(&root, &out, "a body gained a new word");

    // The word goes again: its term leaves the index.
    std::fs::write(&storm, &text).unwrap();
    build(&root, &out, &[]);
    assert!(
        index_files(&out)
            .iter()
            .all(|(_, bytes)| !String::from_utf8_lossy(bytes).contains("quillfeath")),
        "the word is gone"
    );
    assert_clean(&root, &out, "a body lost a word");

    // A title: the card and the title's terms.
    edit(
        &storm,
        "title = \"Checkout retry storm amplified a slow payment provider ninefold\"",
        "title = \"Checkout retry storm multiplied a slow payment provider's load\"",
    );
    build(&root, &out, &[]);
    assert_clean(&root, &out, "a title changed");

    // A damaged cache is no cache: the next build analyses every
    // postmortem again and still makes the clean index.
    std::fs::write(&kept, b"kb search cache 1\n\x05bogus").unwrap();
    edit(&storm, "multiplied", "tripled");
    build(&root, &out, &[]);
    assert_clean(&root, &out, "a damaged search cache");
}

#[test]
fn an_edit_that_moves_an_incident_between_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let generated = tmp.path().join("generated");
    std::fs::create_dir_all(&generated).unwrap();
    common::paged_kb(&generated, 250);
    let root = tmp.path().join("kb");
    common::copy_aged(&generated, &root);
    let out = tmp.path().join("public");
    let total = build(&root, &out, &[]);
    assert_eq!(build(&root, &out, &[]), 0);
    let oldest = root.join("content/pm-0001.md");

    // A title on page 2 of /incidents/ (incidents 150 to 51): the first
    // changing build fills the second tree; the next writes that page and
    // the others that name the incident, not the other pages of the list.
    let middle = root.join("content/pm-0100.md");
    edit(&middle, "(0100)\"", "(0100), again\"");
    assert_eq!(build(&root, &out, &[]), total, "the second tree made");
    assert_clean(&root, &out, "a title on page 2");
    edit(&middle, "(0100), again\"", "(0100), once more\"");
    let written = build(&root, &out, &[]);
    assert!(
        (1..total / 4).contains(&written),
        "{written} of {total} files written after a title edit"
    );
    assert_clean(&root, &out, "a second title on page 2");

    // The oldest incident, last on page 3, becomes the newest (2024-06-01
    // is after incident 250's 2024-05-14): first on page 1, and every
    // other incident moves one row down, across the pages' edges.
    edit(&oldest, "2023-01-02T", "2024-06-01T");
    build(&root, &out, &[]);
    let first = std::fs::read_to_string(out.join("incidents/index.html")).unwrap();
    let row = first.find("<tbody>").unwrap();
    assert!(
        first[row..].find("pm-0001/").unwrap() < first[row..].find("pm-0250/").unwrap(),
        "the moved incident opens page 1"
    );
    let last = std::fs::read_to_string(out.join("incidents/page/3/index.html")).unwrap();
    assert!(!last.contains("pm-0001/"), "and is no longer on page 3");
    assert_clean(&root, &out, "an incident moved from page 3 to page 1");
    assert_eq!(build(&root, &out, &[]), 0, "nothing changed since");
}
