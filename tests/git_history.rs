//! Git history on incident pages: first written and last changed, by whom,
//! across a rename, from one `git log` for the whole site; the forge's edit
//! and history links with the site's folder in the checkout; and nothing
//! broken without git, outside a checkout, with `--no-git`, or in a
//! shallow clone.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::copy_aged;
use scraper::{Html, Selector};

/// Runs git in `dir` with a fixed identity and date, ignoring the
/// machine's git configuration.
fn git(dir: &Path, args: &[&str], author: &str, date: &str) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author)
        .env(
            "GIT_AUTHOR_EMAIL",
            format!("{}@example.com", author.replace(' ', ".")),
        )
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", "CI")
        .env("GIT_COMMITTER_EMAIL", "ci@example.com")
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// A checkout holding the `basic` fixture in `kb/`, with three commits:
/// Priya adds everything (2024-06-10 09:00 UTC); Sam edits
/// e-new-york-local.md (2024-07-01); Lee renames c-orders-midnight.md to
/// c-orders-at-midnight.md and edits it (2024-08-15).
fn checkout() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let site = repo.join("kb");
    copy_aged(&common::fixture("basic"), &site);
    std::fs::write(
        site.join("site.toml"),
        std::fs::read_to_string(site.join("site.toml")).unwrap()
            + "repo_url = \"https://gitlab.com/acme/sre/postmortems\"\nedit_branch = \"trunk\"\n",
    )
    .unwrap();
    git(
        &repo,
        &["init", "-q", "-b", "trunk"],
        "x",
        "2024-06-10T09:00:00Z",
    );
    git(&repo, &["add", "."], "x", "2024-06-10T09:00:00Z");
    git(
        &repo,
        &["commit", "-qm", "Postmortems"],
        "Priya Raman",
        "2024-06-10T09:00:00Z",
    );
    let edited = site.join("content/e-new-york-local.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text + "\nAdded the customer-support timeline.\n").unwrap();
    git(
        &repo,
        &["commit", "-qam", "Support timeline"],
        "Sam Okafor",
        "2024-07-01T15:30:00Z",
    );
    git(
        &repo,
        &[
            "mv",
            "kb/content/2025/c-orders-midnight.md",
            "kb/content/2025/c-orders-at-midnight.md",
        ],
        "x",
        "2024-08-15T08:00:00Z",
    );
    let moved = site.join("content/2025/c-orders-at-midnight.md");
    let text = std::fs::read_to_string(&moved).unwrap();
    std::fs::write(&moved, text + "\nLessons: page the database owner.\n").unwrap();
    git(
        &repo,
        &["commit", "-qam", "Rename"],
        "Lee Chen",
        "2024-08-15T08:00:00Z",
    );
    (tmp, site)
}

/// Builds `site` with the kb binary and extra `args`, with `path` as PATH
/// when given; returns the output folder.
fn build(site: &Path, args: &[&str], path: Option<&str>) -> PathBuf {
    let out = site.parent().unwrap().join("public");
    let mut cmd = assert_cmd::Command::cargo_bin("kb").unwrap();
    cmd.arg("--root")
        .arg(site)
        .args(["build", "-o", out.to_str().unwrap()])
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795521600");
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    cmd.assert().success();
    out
}

/// The facts panel's (term, definition) pairs and the source links of an
/// incident page.
fn facts_and_links(out: &Path, slug: &str) -> (Pairs, Pairs) {
    let html =
        std::fs::read_to_string(out.join("incidents").join(slug).join("index.html")).unwrap();
    let doc = Html::parse_document(&html);
    let div = Selector::parse(".facts dl > div").unwrap();
    let dt = Selector::parse("dt").unwrap();
    let dd = Selector::parse("dd").unwrap();
    let text = |e: scraper::ElementRef<'_>| e.text().collect::<String>().trim().to_owned();
    let facts = doc
        .select(&div)
        .map(|d| {
            (
                text(d.select(&dt).next().unwrap()),
                text(d.select(&dd).next().unwrap()),
            )
        })
        .filter(|(t, _)| ["First written", "Last changed", "Changed by"].contains(&t.as_str()))
        .collect();
    let a = Selector::parse(".source-links a").unwrap();
    let links = doc
        .select(&a)
        .map(|l| (text(l), l.value().attr("href").unwrap().to_owned()))
        .collect();
    (facts, links)
}

/// (term, definition) or (text, href) pairs.
type Pairs = Vec<(String, String)>;

fn pairs(items: &[(&str, &str)]) -> Pairs {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// Dates are in the site's zone (Europe/Berlin): 2024-08-15 08:00 UTC is
/// still the 15th there.
#[test]
fn pages_show_who_wrote_and_changed_them() {
    let (_tmp, site) = checkout();
    let out = build(&site, &[], None);
    let (facts, links) = facts_and_links(&out, "e-new-york-local");
    assert_eq!(
        facts,
        pairs(&[
            ("First written", "2024-06-10 by Priya Raman"),
            ("Last changed", "2024-07-01 by Sam Okafor"),
        ])
    );
    let base = "https://gitlab.com/acme/sre/postmortems/-";
    assert_eq!(
        links,
        pairs(&[
            (
                "Edit this postmortem",
                &format!("{base}/edit/trunk/kb/content/e-new-york-local.md")
            ),
            (
                "History (2 commits)",
                &format!("{base}/commits/trunk/kb/content/e-new-york-local.md")
            ),
        ])
    );
    // Renamed: its history goes back to Priya's commit, under its new name.
    let (facts, links) = facts_and_links(&out, "c-orders-at-midnight");
    assert_eq!(
        facts,
        pairs(&[
            ("First written", "2024-06-10 by Priya Raman"),
            ("Last changed", "2024-08-15 by Lee Chen"),
        ])
    );
    assert!(
        links[0]
            .1
            .ends_with("/kb/content/2025/c-orders-at-midnight.md")
    );
    // Written once and never changed: no "Last changed", no count.
    let (facts, links) = facts_and_links(&out, "a-payments-toml");
    assert_eq!(
        facts,
        pairs(&[("First written", "2024-06-10 by Priya Raman")])
    );
    assert_eq!(links[1].0, "History");
}

/// A `git` on PATH that logs each call to `calls` before running the real
/// one; returns the PATH to use.
fn logging_git(tmp: &Path, calls: &Path) -> String {
    let bin = tmp.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let real = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let wrapper = bin.join("git");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec '{}' \"$@\"\n",
            calls.display(),
            real.trim()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

/// The git commands a build ran: their first word after `-C DIR`.
fn commands(calls: &Path) -> Vec<String> {
    let logged = std::fs::read_to_string(calls).unwrap_or_default();
    std::fs::remove_file(calls).ok();
    logged
        .lines()
        .map(|l| {
            let words: Vec<&str> = l.split(' ').collect();
            let at = words.iter().position(|w| *w == "log" || *w == "rev-parse");
            at.map_or_else(|| l.to_owned(), |i| words[i].to_owned())
        })
        .collect()
}

/// A build runs one `git log` whatever the number of postmortems, and
/// keeps what it read beside the output: the next build asks only whether
/// HEAD moved (`rev-parse`), and after a commit reads only the commits
/// since; after a rebase, the whole history again.
#[test]
fn one_git_log_per_build_and_only_new_commits_after() {
    let (tmp, site) = checkout();
    let calls = tmp.path().join("calls");
    let path = logging_git(tmp.path(), &calls);
    let out = build(&site, &[], Some(&path));
    assert_eq!(commands(&calls), ["log"]);
    assert_eq!(facts_and_links(&out, "e-new-york-local").0.len(), 2);
    build(&site, &[], Some(&path));
    assert_eq!(commands(&calls), ["rev-parse"], "HEAD did not move");
    // Dee edits the New York postmortem.
    let repo = site.parent().unwrap();
    let edited = site.join("content/e-new-york-local.md");
    std::fs::write(
        &edited,
        std::fs::read_to_string(&edited).unwrap() + "\nMore.\n",
    )
    .unwrap();
    git(
        repo,
        &["commit", "-qam", "More"],
        "Dee Ito",
        "2024-09-02T10:00:00Z",
    );
    let out = build(&site, &[], Some(&path));
    let logged = std::fs::read_to_string(&calls).unwrap();
    assert!(logged.contains("--boundary"), "{logged}");
    assert_eq!(commands(&calls), ["rev-parse", "log"]);
    let (facts, links) = facts_and_links(&out, "e-new-york-local");
    assert_eq!(
        facts,
        pairs(&[
            ("First written", "2024-06-10 by Priya Raman"),
            ("Last changed", "2024-09-02 by Dee Ito"),
            ("Changed by", "Priya Raman, Sam Okafor, Dee Ito"),
        ])
    );
    assert_eq!(links[1].0, "History (3 commits)");
    // The same commit rewritten (amended by Eli): the kept HEAD is gone.
    git(
        repo,
        &[
            "commit",
            "-q",
            "--amend",
            "--reset-author",
            "-m",
            "More, amended",
        ],
        "Eli Park",
        "2024-09-03T10:00:00Z",
    );
    let out = build(&site, &[], Some(&path));
    assert_eq!(commands(&calls), ["rev-parse", "log", "log"]);
    let (facts, _) = facts_and_links(&out, "e-new-york-local");
    assert_eq!(
        facts[1],
        (
            "Last changed".to_owned(),
            "2024-09-03 by Eli Park".to_owned()
        )
    );
    // --no-cache reads the whole log and keeps nothing.
    build(&site, &["--no-cache"], Some(&path));
    assert_eq!(commands(&calls), ["log"]);
}

/// `--no-git`, no `git` program, no checkout: the pages say nothing of
/// history; the edit links, which need only site.toml, stay.
#[test]
fn nothing_breaks_without_git() {
    let (tmp, site) = checkout();
    let out = build(&site, &["--no-git"], None);
    let (facts, links) = facts_and_links(&out, "e-new-york-local");
    assert!(facts.is_empty(), "{facts:?}");
    assert_eq!(links.len(), 2);
    let empty = tmp.path().join("empty-bin");
    std::fs::create_dir(&empty).unwrap();
    let out = build(&site, &[], Some(empty.to_str().unwrap()));
    assert!(facts_and_links(&out, "e-new-york-local").0.is_empty());
    // Outside a checkout the links name the file from the site root.
    let plain = tmp.path().join("plain");
    copy_aged(&site, &plain);
    let out = build(&plain, &[], None);
    let (facts, links) = facts_and_links(&out, "e-new-york-local");
    assert!(facts.is_empty());
    assert!(
        links[0]
            .1
            .ends_with("/-/edit/trunk/content/e-new-york-local.md"),
        "{links:?}"
    );
}

/// A CI checkout two commits deep: the older one (Sam's) is the clone's
/// edge, where git lists every file as added, so it counts for nothing.
/// The renamed file's last change is Lee's; who first wrote it is not
/// known, and the page does not pretend it is. Sam's file shows nothing.
#[test]
fn a_shallow_clone_knows_no_first_writer() {
    let (tmp, site) = checkout();
    let clone = tmp.path().join("clone");
    let url = format!("file://{}", site.parent().unwrap().display());
    git(
        tmp.path(),
        &["clone", "-q", "--depth", "2", &url, clone.to_str().unwrap()],
        "x",
        "2024-09-01T00:00:00Z",
    );
    let out = build(&clone.join("kb"), &[], None);
    let (facts, links) = facts_and_links(&out, "c-orders-at-midnight");
    assert_eq!(facts, pairs(&[("Last changed", "2024-08-15 by Lee Chen")]));
    assert_eq!(links[1].0, "History");
    assert!(facts_and_links(&out, "e-new-york-local").0.is_empty());
}
