//! History: when each postmortem was first written and last changed, and
//! by whom, from one `git log` over the site's folder for the whole site
//! (never a process per file). The log runs beside loading:
//! [`Pending::start`] spawns it, [`Pending::finish`] reads what it printed.
//!
//! Why the `git` program and not the `gix` crate: one `git log
//! --name-status` already walks the history once for every file, with
//! git's own rename detection and `.mailmap`, which is what people check
//! the pages against; `gix` would bring a hundred crates to compute the
//! same, and a tree diff per commit of our own. The log has no pathspec:
//! `--relative` already keeps it to the site's folder, and a pathspec makes
//! git test every commit against it before diffing it, which more than
//! doubled its time on a 13,300-commit history (1.7 s of CPU against 0.7 s).
//! `--date-order` never shows a commit before its children, so walking the
//! output in order walks back in time. Without `git` or a checkout, the
//! pages say nothing.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use jiff::Timestamp;

/// One commit's mark on a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The author's name (after `.mailmap`).
    pub author: String,
    /// The author date.
    pub at: Timestamp,
}

/// What the history says about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    /// The commit that added it; `None` when a shallow clone cut the
    /// history before it (then `authors` and `commits` are only those
    /// since the cut).
    pub first: Option<Change>,
    /// The latest commit that changed it.
    pub last: Change,
    /// Everyone who committed to it, in the order of their first commit.
    pub authors: Vec<String>,
    /// How many commits changed it.
    pub commits: usize,
}

/// Every file's history, by its path relative to the site root
/// (`content/2024/x.md`).
pub type History = HashMap<PathBuf, FileHistory>;

/// Separates commits and a commit's fields in the log's output: bytes no
/// name, date or path holds.
const COMMIT: u8 = 0x1e;
const FIELD: u8 = 0x1f;

/// A running `git log`.
pub struct Pending(Option<Child>);

impl Pending {
    /// Starts `git log` over `root/content` when `enabled`; nothing when
    /// git is missing or `root` is no checkout (git then fails, quietly).
    pub fn start(root: &Path, enabled: bool) -> Pending {
        if !enabled || super::site_prefix(root).is_none() {
            return Pending(None);
        }
        let child = Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "core.quotepath=off",
                "log",
                "--date-order",
                "--no-color",
                "--format=%x1e%aN%x1f%at%x1f%D",
                "--name-status",
                "-z",
                "-M",
                "--relative",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        Pending(child.ok())
    }

    /// Waits for the log and reads it; an empty history when it failed.
    pub fn finish(self) -> History {
        let Some(mut child) = self.0 else {
            return History::new();
        };
        let mut out = Vec::new();
        let read = child
            .stdout
            .take()
            .map(|mut stdout| stdout.read_to_end(&mut out));
        let ok = child.wait().is_ok_and(|s| s.success());
        if ok && matches!(read, Some(Ok(_))) {
            parse(&out)
        } else {
            History::new()
        }
    }
}

/// Reads the log's output, newest commit first. Walking back, a rename
/// points the old name at today's file; an add (or the copy's target)
/// closes a name, so that an older file of the same name counts for
/// nothing; so does a deletion, for a name added again later. A commit at
/// a shallow clone's edge ("grafted") lists every file as added, whether
/// it changed them or not: it counts for nothing, and a file it holds has
/// no known first commit.
pub fn parse(out: &[u8]) -> History {
    let mut walk = Walk::default();
    for record in out.split(|&b| b == COMMIT).skip(1) {
        let (header, files) = match record.iter().position(|&b| b == 0) {
            Some(end) => (&record[..end], &record[end + 1..]),
            None => (record, &[][..]),
        };
        let Some(commit) = header_of(header) else {
            continue;
        };
        let mut tokens = files
            .split(|&b| b == 0)
            .map(|t| {
                String::from_utf8_lossy(t)
                    .trim_start_matches('\n')
                    .to_owned()
            })
            .filter(|t| !t.is_empty());
        while let Some(status) = tokens.next() {
            let Some(path) = tokens.next() else { break };
            let kind = status.as_bytes()[0];
            if matches!(kind, b'R' | b'C') {
                let Some(to) = tokens.next() else { break };
                walk.moved(kind == b'R', &path, &to, &commit);
            } else {
                walk.touched(kind, &path, &commit);
            }
        }
    }
    walk.files
}

/// One commit's header: author, author date, and whether it is a shallow
/// clone's edge.
struct Commit {
    change: Change,
    grafted: bool,
}

fn header_of(header: &[u8]) -> Option<Commit> {
    let text = String::from_utf8_lossy(header);
    let mut fields = text.trim_end_matches('\n').split(FIELD as char);
    let author = fields.next()?.to_owned();
    let at = Timestamp::from_second(fields.next()?.trim().parse().ok()?).ok()?;
    let grafted = fields
        .next()
        .is_some_and(|refs| refs.split(", ").any(|r| r == "grafted"));
    Some(Commit {
        change: Change { author, at },
        grafted,
    })
}

/// The state of the walk back through history.
#[derive(Default)]
struct Walk {
    files: History,
    /// A name in older commits -> today's file it became; `None` once the
    /// name belongs to another, older file.
    names: HashMap<String, Option<String>>,
}

impl Walk {
    /// Today's name of the file called `name` at this point of the walk.
    fn today(&self, name: &str) -> Option<String> {
        match self.names.get(name) {
            Some(today) => today.clone(),
            None => Some(name.to_owned()),
        }
    }

    fn touched(&mut self, kind: u8, name: &str, commit: &Commit) {
        let Some(today) = self.today(name) else {
            return;
        };
        if kind == b'D' {
            // The file of this name now was added after; older commits
            // touched another file.
            self.names.insert(name.to_owned(), None);
            return;
        }
        self.record(&today, commit, kind == b'A');
        if kind == b'A' {
            self.names.insert(name.to_owned(), None);
        }
    }

    fn moved(&mut self, rename: bool, from: &str, to: &str, commit: &Commit) {
        let Some(today) = self.today(to) else {
            return;
        };
        self.record(&today, commit, !rename);
        self.names.insert(to.to_owned(), None);
        if rename {
            self.names.insert(from.to_owned(), Some(today));
        }
    }

    /// Notes `commit` on today's file `today`: walking back, each commit is
    /// older than the last, so the first seen is the last change.
    fn record(&mut self, today: &str, commit: &Commit, added: bool) {
        if commit.grafted {
            return;
        }
        let change = &commit.change;
        let first = added.then(|| change.clone());
        let history = self
            .files
            .entry(PathBuf::from(today))
            .or_insert_with(|| FileHistory {
                first: None,
                last: change.clone(),
                authors: Vec::new(),
                commits: 0,
            });
        history.commits += 1;
        history.first = first;
        // Moved to the front at each (older) commit, each author ends up
        // where their first commit puts them.
        history.authors.retain(|a| *a != change.author);
        history.authors.insert(0, change.author.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log as git prints it: `\x1e` author `\x1f` date `\x1f` refs NUL,
    /// then a newline and NUL-separated status and paths.
    fn log(commits: &[(&str, i64, &str, &[&str])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (author, at, refs, files) in commits {
            out.extend(format!("\x1e{author}\x1f{at}\x1f{refs}\0\n").bytes());
            for f in *files {
                out.extend(f.bytes());
                out.push(0);
            }
        }
        out
    }

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(s).unwrap()
    }

    #[test]
    fn first_last_and_authors_across_a_rename() {
        // Newest first: Cy edits d.md, Bo renames b.md to d.md, Ann adds b.md.
        let out = log(&[
            ("Cy", 300, "HEAD -> main", &["M", "content/d.md"]),
            ("Bo", 200, "", &["R097", "content/b.md", "content/d.md"]),
            ("Ann", 100, "", &["A", "content/b.md", "A", "content/a.md"]),
        ]);
        let history = parse(&out);
        let d = &history[Path::new("content/d.md")];
        assert_eq!(
            d.first.as_ref().map(|c| (c.author.as_str(), c.at)),
            Some(("Ann", at(100)))
        );
        assert_eq!((d.last.author.as_str(), d.last.at), ("Cy", at(300)));
        assert_eq!(d.authors, ["Ann", "Bo", "Cy"]);
        assert_eq!(d.commits, 3);
        assert!(!history.contains_key(Path::new("content/b.md")));
        assert_eq!(history[Path::new("content/a.md")].commits, 1);
    }

    #[test]
    fn a_name_added_again_starts_afresh() {
        let out = log(&[
            ("Bo", 300, "", &["A", "content/x.md"]),
            ("Ann", 200, "", &["D", "content/x.md"]),
            ("Ann", 100, "", &["A", "content/x.md"]),
        ]);
        let x = &parse(&out)[Path::new("content/x.md")];
        assert_eq!(x.first.as_ref().map(|c| c.at), Some(at(300)));
        assert_eq!(
            (x.commits, x.authors.as_slice()),
            (1, &["Bo".to_owned()][..])
        );
    }

    #[test]
    fn a_shallow_edge_counts_for_nothing() {
        let out = log(&[
            ("Bo", 300, "", &["M", "content/x.md"]),
            (
                "Ann",
                200,
                "grafted, origin/main",
                &["A", "content/x.md", "A", "content/y.md"],
            ),
        ]);
        let history = parse(&out);
        let x = &history[Path::new("content/x.md")];
        assert_eq!(x.first, None);
        assert_eq!((x.last.author.as_str(), x.commits), ("Bo", 1));
        assert!(!history.contains_key(Path::new("content/y.md")));
    }

    #[test]
    fn garbage_gives_nothing() {
        assert!(parse(b"").is_empty());
        assert!(parse(b"\x1enot a header\0\nM\0").is_empty());
        assert!(parse(&[0x1e, 0xff, 0x1f, b'1', 0, b'M']).len() <= 1);
    }
}
