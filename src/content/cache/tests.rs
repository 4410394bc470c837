//! Tests of the parse cache: each change a watcher can report, read alone
//! and then matched against a fresh load.

use crate::diagnostic::Code;
use std::sync::Arc;

use super::*;
use crate::content::tests::write;

/// The cache's load and a fresh load, as text.
fn both(root: &Path, cache: &mut ParseCache, drafts: bool) -> (String, String) {
    let config = Config::default();
    let cached = format!("{:?}", cache.load(root, &config, drafts));
    let fresh = format!("{:?}", super::super::load(root, &config, drafts));
    (cached, fresh)
}

fn postmortem(title: &str, day: u8, status: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nstatus = \"{status}\"\nstarted = 2025-01-{day:02}T10:00:00Z\n+++\nbody\n"
    )
}

/// A site of two postmortems, `a.md` (A) and `x/b.md` (B).
fn site_ab() -> tempfile::TempDir {
    site(&[
        ("a.md", postmortem("A", 1, "final")),
        ("x/b.md", postmortem("B", 2, "final")),
    ])
}

/// A site whose `content/` holds `files` (name, text).
fn site(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    dir
}

#[test]
fn a_cached_load_is_a_fresh_load() {
    let dir = site(&[
        ("a.md", postmortem("A", 3, "final")),
        ("b.md", postmortem("B", 1, "final")),
        ("x/c.md", postmortem("C", 2, "draft")),
    ]);
    let root = dir.path();
    let mut cache = ParseCache::default();
    for drafts in [false, true, false] {
        let (cached, fresh) = both(root, &mut cache, drafts);
        assert_eq!(cached, fresh);
    }
    // An edit that moves an incident, a new file with a slug taken, a
    // file that no longer parses, a draft made final, a file gone.
    write(root, "a.md", &postmortem("A, later", 9, "final"));
    write(root, "x/A.md", &postmortem("Another A", 4, "final"));
    write(root, "b.md", "+++\ntitle = \n+++\n");
    write(root, "x/c.md", &postmortem("C", 2, "final"));
    let (cached, fresh) = both(root, &mut cache, false);
    assert_eq!(cached, fresh);
    assert!(cached.contains("duplicate-slug") && cached.contains("invalid-toml"));
    std::fs::remove_file(root.join("content/x/A.md")).unwrap();
    write(root, "b.md", &postmortem("B", 1, "draft"));
    let (cached, fresh) = both(root, &mut cache, false);
    assert_eq!(cached, fresh);
    assert!(!cached.contains("duplicate-slug"));
}

#[test]
fn a_load_shares_the_incidents_of_unchanged_files() {
    let dir = site_ab();
    let root = dir.path();
    let mut cache = ParseCache::default();
    let config = Config::default();
    let first = load_cached(root, &config, false, &mut cache);
    write(root, "x/b.md", &postmortem("B, edited", 2, "final"));
    let second = load_cached(root, &config, false, &mut cache);
    assert!(Arc::ptr_eq(&first.incidents[0], &second.incidents[0]));
    assert!(!Arc::ptr_eq(&first.incidents[1], &second.incidents[1]));
    assert_eq!(second.incidents[1].title, "B, edited");
}

/// The paths a watcher names for a change it saw to the site at `root`.
type Change = fn(&Path) -> &'static [&'static str];

/// Loads a site (a.md, x/b.md, u.md), changes `u.md` without a watcher
/// saying so, makes `change`, tells the cache the paths it gives and
/// loads again: gives what that load found. A load that walks
/// `content/` and looks at every file sees "U, unreported"; one that
/// trusts the watcher does not. Then checks that the cache, told of
/// `u.md` too, loads what a fresh load does.
fn load_after(change: Change) -> Loaded {
    let dir = site(&[
        ("a.md", postmortem("A", 1, "final")),
        ("x/b.md", postmortem("B", 2, "final")),
        ("u.md", postmortem("U", 3, "final")),
    ]);
    let root = dir.path();
    let config = Config::default();
    let mut cache = ParseCache::default();
    cache.load(root, &config, false);
    write(root, "u.md", &postmortem("U, unreported", 3, "final"));
    let paths: Vec<PathBuf> = change(root).iter().map(PathBuf::from).collect();
    cache.watched(&paths);
    let loaded = cache.load(root, &config, false).clone();
    cache.watched(&[PathBuf::from("content/u.md")]);
    let cached = format!("{:?}", cache.load(root, &config, false));
    let fresh = format!("{:?}", super::super::load(root, &config, false));
    assert_eq!(cached, fresh);
    loaded
}

fn titles(loaded: &Loaded) -> Vec<&str> {
    loaded.incidents.iter().map(|i| i.title.as_str()).collect()
}

#[test]
fn an_edited_file_is_read_again_alone() {
    let loaded = load_after(|root| {
        // Same size: the cache is told rather than left to notice.
        write(root, "a.md", &postmortem("Z", 1, "final"));
        &["content/a.md"]
    });
    assert_eq!(titles(&loaded), ["Z", "B", "U"]);
}

#[test]
fn a_new_file_appears_in_the_order_files_are_found() {
    let loaded = load_after(|root| {
        write(root, "x/c.md", &postmortem("C", 4, "final"));
        // `A.md` comes before `a.md`: it keeps the slug, `a.md` is the
        // duplicate.
        write(root, "A.md", &postmortem("Another A", 5, "final"));
        &["content/x/c.md", "content/A.md"]
    });
    assert_eq!(titles(&loaded), ["A", "B", "U", "C", "Another A"]);
    let diagnostics = &loaded.diagnostics;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, Code::DuplicateSlug);
    assert_eq!(diagnostics[0].path, Path::new("content/a.md"));
}

#[test]
fn a_removed_file_disappears() {
    let loaded = load_after(|root| {
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        &["content/a.md"]
    });
    assert_eq!(titles(&loaded), ["B", "U"]);
}

#[test]
fn a_file_written_aside_and_renamed_is_read_alone() {
    // `sed -i` and editors that save atomically.
    let loaded = load_after(|root| {
        write(root, "sedAbC123", &postmortem("A, saved", 1, "final"));
        let content = root.join("content");
        std::fs::rename(content.join("sedAbC123"), content.join("a.md")).unwrap();
        &["content/sedAbC123", "content/a.md"]
    });
    assert_eq!(titles(&loaded), ["A, saved", "B", "U"]);
}

#[test]
fn folders_and_other_inputs_walk_content_again() {
    let cases: [(&str, Change); 7] = [
        ("an empty folder", |root| {
            std::fs::create_dir(root.join("content/y")).unwrap();
            &["content/y"]
        }),
        ("a new folder", |root| {
            write(root, "y/c.md", &postmortem("C", 4, "final"));
            &["content/y", "content/y/c.md"]
        }),
        ("a folder renamed", |root| {
            let content = root.join("content");
            std::fs::rename(content.join("x"), content.join("z")).unwrap();
            &["content/x", "content/z"]
        }),
        ("a folder removed", |root| {
            std::fs::remove_dir_all(root.join("content/x")).unwrap();
            &["content/x/b.md", "content/x"]
        }),
        ("a file in a folder that lists nothing", |root| {
            write(root, "empty/c.md", &postmortem("C", 4, "final"));
            &["content/empty/c.md"]
        }),
        ("site.toml", |root| {
            std::fs::write(root.join("site.toml"), "title = \"T\"\n").unwrap();
            &["site.toml"]
        }),
        ("a theme", |root| {
            std::fs::create_dir_all(root.join("themes/t")).unwrap();
            &["themes/t"]
        }),
    ];
    for (case, change) in cases {
        let loaded = load_after(change);
        let titles = titles(&loaded);
        assert!(titles.contains(&"U, unreported"), "{case}: {titles:?}");
    }
}

#[cfg(unix)]
#[test]
fn after_a_walk_that_met_a_symbolic_link_every_load_walks() {
    let dir = site_ab();
    let root = dir.path();
    let content = root.join("content");
    std::os::unix::fs::symlink(content.join("x/b.md"), content.join("l.md")).unwrap();
    let config = Config::default();
    let mut cache = ParseCache::default();
    cache.load(root, &config, false);
    // An edit the watcher sees as one of the two paths only.
    write(root, "x/b.md", &postmortem("B, edited", 2, "final"));
    cache.watched(&[PathBuf::from("content/x/b.md")]);
    let loaded = cache.load(root, &config, false);
    assert_eq!(titles(loaded), ["A", "B, edited", "B, edited"]);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_walks_content_again() {
    let loaded = load_after(|root| {
        let content = root.join("content");
        std::os::unix::fs::symlink(content.join("a.md"), content.join("l.md")).unwrap();
        &["content/l.md"]
    });
    assert_eq!(titles(&loaded), ["A", "A", "B", "U, unreported"]);
}

#[test]
fn the_first_load_walks_content() {
    let dir = site_ab();
    let mut cache = ParseCache::default();
    cache.watched(&[PathBuf::from("content/a.md")]);
    let loaded = cache.load(dir.path(), &Config::default(), false);
    assert_eq!(titles(loaded), ["A", "B"]);
}

/// A plain `.txt` postmortem added, edited and joined by a document kb
/// passes over, as `kb serve` reports them: the cache agrees with a fresh
/// load, the warning included.
#[test]
fn plain_files_and_passed_over_documents_are_watched() {
    let dir = site_ab();
    let root = dir.path();
    let config = Config::default();
    let mut cache = ParseCache::default();
    cache.load(root, &config, false);
    for (name, text) in [
        (
            "notes.txt",
            "Queue stall\n\nIt stalled at 09:10 UTC on 2024-05-02.\n",
        ),
        ("notes.txt", "Queue stall, edited\n\nIt stalled.\n"),
        ("old.docx", "PK"),
    ] {
        write(root, name, text);
        cache.watched(&[PathBuf::from("content").join(name)]);
        let cached = format!("{:?}", cache.load(root, &config, false));
        let fresh = format!("{:?}", super::super::load(root, &config, false));
        assert_eq!(cached, fresh, "after {name}");
    }
    let loaded = cache.load(root, &config, false);
    assert!(titles(loaded).contains(&"Queue stall, edited"));
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.code == "unread-document")
    );
}
