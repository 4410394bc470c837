//! History: when each postmortem was first written and last changed, and
//! by whom, read from `git log --name-status` output (see [`super::log`],
//! which runs it), and merged with what an earlier build read.

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One commit's mark on a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The author's name (after `.mailmap`).
    pub author: String,
    /// The author date.
    pub at: Timestamp,
}

/// What the history says about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// What one `git log` printed.
#[derive(Debug, Default)]
pub struct Log {
    /// The newest commit listed (HEAD), when any was.
    pub head: Option<String>,
    /// The commits `--boundary` listed: where the log stopped.
    pub boundary: Vec<String>,
    /// Each file's history over the commits listed.
    pub files: History,
    /// A name in the oldest commits listed -> today's name of its file;
    /// `None` when the name was deleted or replaced (see [`merge`]).
    pub names: HashMap<String, Option<String>>,
}

/// Reads the log's output, newest commit first. Walking back, a rename
/// points the old name at today's file; an add (or the copy's target)
/// closes a name, so that an older file of the same name counts for
/// nothing; so does a deletion, for a name added again later. A commit at
/// a shallow clone's edge ("grafted") lists every file as added, whether
/// it changed them or not: it counts for nothing, and a file it holds has
/// no known first commit.
pub fn parse(out: &[u8]) -> Log {
    let mut walk = Walk::default();
    let (mut head, mut boundary) = (None, Vec::new());
    for record in out.split(|&b| b == COMMIT).skip(1) {
        let (header, files) = match record.iter().position(|&b| b == 0) {
            Some(end) => (&record[..end], &record[end + 1..]),
            None => (record, &[][..]),
        };
        let Some(commit) = header_of(header) else {
            continue;
        };
        if commit.boundary {
            boundary.push(commit.id);
            continue;
        }
        head.get_or_insert_with(|| commit.id.clone());
        walk.commit(files, &commit);
    }
    Log {
        head,
        boundary,
        files: walk.files,
        names: walk.names,
    }
}

/// `older`, each file's history up to an earlier HEAD, brought up to date
/// with `newer`, the log of the commits since: renames since move the
/// older history to today's name, an add or a deletion since drops it (the
/// name is another file's now), and a file changed since adds its new
/// commits and authors to what it had.
pub fn merge(older: History, newer: Log) -> History {
    let mut files = newer.files;
    for (name, old) in older {
        let today = match newer.names.get(name.to_string_lossy().as_ref()) {
            Some(Some(today)) => PathBuf::from(today),
            Some(None) => continue,
            None => name,
        };
        match files.get_mut(&today) {
            Some(new) => {
                new.first = old.first;
                new.commits += old.commits;
                let mut authors = old.authors;
                for author in new.authors.drain(..) {
                    if !authors.contains(&author) {
                        authors.push(author);
                    }
                }
                new.authors = authors;
            }
            None => {
                files.insert(today, old);
            }
        }
    }
    files
}

/// One commit's header: its id, author, author date, whether `--boundary`
/// listed it only as where the log stops, and whether it is a shallow
/// clone's edge.
struct Commit {
    id: String,
    change: Change,
    boundary: bool,
    grafted: bool,
}

/// `%H %m %aN %at %D`, separated by [`FIELD`].
fn header_of(header: &[u8]) -> Option<Commit> {
    let text = String::from_utf8_lossy(header);
    let mut fields = text.trim_end_matches('\n').split(FIELD as char);
    let id = fields.next()?.to_owned();
    let boundary = fields.next()? == "-";
    let author = fields.next()?.to_owned();
    let at = Timestamp::from_second(fields.next()?.trim().parse().ok()?).ok()?;
    let grafted = fields
        .next()
        .is_some_and(|refs| refs.split(", ").any(|r| r == "grafted"));
    Some(Commit {
        id,
        change: Change { author, at },
        boundary,
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
    /// Notes the files of one commit: NUL-separated status and paths.
    fn commit(&mut self, files: &[u8], commit: &Commit) {
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
                self.moved(kind == b'R', &path, &to, commit);
            } else {
                self.touched(kind, &path, commit);
            }
        }
    }

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
    use std::path::Path;

    /// A log as git prints it: `\x1e` id `\x1f` mark `\x1f` author `\x1f`
    /// date `\x1f` refs NUL, then a newline and NUL-separated status and
    /// paths. Ids are `c` and the date; a `-` in refs makes a boundary.
    fn log(commits: &[(&str, i64, &str, &[&str])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (author, at, refs, files) in commits {
            let (mark, refs) = match refs.strip_prefix('-') {
                Some(refs) => ("-", refs),
                None => ("", *refs),
            };
            out.extend(format!("\x1ec{at}\x1f{mark}\x1f{author}\x1f{at}\x1f{refs}\0\n").bytes());
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
        let history = parse(&out).files;
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
        let x = &parse(&out).files[Path::new("content/x.md")];
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
        let history = parse(&out).files;
        let x = &history[Path::new("content/x.md")];
        assert_eq!(x.first, None);
        assert_eq!((x.last.author.as_str(), x.commits), ("Bo", 1));
        assert!(!history.contains_key(Path::new("content/y.md")));
    }

    /// The log in two parts, merged, is the log in one: Dee's commit
    /// since the first build renames d.md to e.md and edits it, deletes
    /// a.md and adds it anew.
    #[test]
    fn a_log_since_merges_with_the_history_before() {
        let older = [
            ("Cy", 300, "", &["M", "content/d.md"][..]),
            ("Bo", 200, "", &["R097", "content/b.md", "content/d.md"]),
            ("Ann", 100, "", &["A", "content/b.md", "A", "content/a.md"]),
        ];
        let newer = [
            ("Dee", 500, "", &["A", "content/a.md"][..]),
            (
                "Dee",
                400,
                "",
                &["R090", "content/d.md", "content/e.md", "D", "content/a.md"],
            ),
        ];
        let whole = parse(&log(&[&newer[..], &older[..]].concat())).files;
        let boundary = [("Cy", 300, "-", &[][..])];
        let since = parse(&log(&[&newer[..], &boundary[..]].concat()));
        assert_eq!(since.head.as_deref(), Some("c500"));
        assert_eq!(since.boundary, ["c300"]);
        let merged = merge(parse(&log(&older)).files, since);
        assert_eq!(merged, whole);
        let e = &merged[Path::new("content/e.md")];
        assert_eq!(
            (e.authors.join(" "), e.commits),
            ("Ann Bo Cy Dee".to_owned(), 4)
        );
        assert_eq!(
            merged[Path::new("content/a.md")]
                .first
                .as_ref()
                .unwrap()
                .author,
            "Dee"
        );
    }

    #[test]
    fn garbage_gives_nothing() {
        assert!(parse(b"").files.is_empty());
        assert!(parse(b"\x1enot a header\0\nM\0").files.is_empty());
        assert!(parse(&[0x1e, 0xff, 0x1f, b'1', 0, b'M']).files.len() <= 1);
    }
}
