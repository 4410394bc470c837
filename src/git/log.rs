//! Running `git log` once for the whole site (never a process per file),
//! beside loading: [`Pending::start`] spawns it, [`Pending::finish`] reads
//! what it printed (see [`super::history`]). `kb build` keeps what it read
//! in a file beside the output, with the HEAD it read at (`kb serve` keeps
//! it in memory); the next build asks git only for the commits since, and
//! none when HEAD has not moved.
//!
//! Why the `git` program and not the `gix` crate: one `git log
//! --name-status` walks the history once for every file, with git's own
//! rename detection and `.mailmap`, which is what people check the pages
//! against; `gix` would bring a hundred crates to compute the same, and a
//! tree diff per commit of our own. The log has no pathspec: `--relative`
//! already keeps it to the site's folder, and a pathspec makes git test
//! every commit against it before diffing it, which more than doubled its
//! time on a 13,300-commit history (1.7 s of CPU against 0.7 s).
//! `--date-order` never shows a commit before its children, so walking the
//! output in order walks back in time. Without `git` or a checkout, the
//! pages say nothing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::history::{self, History};

/// How a build reads the postmortems' history.
#[derive(Debug, Clone, Default)]
pub enum GitHistory {
    /// Not at all (`--no-git`, tests).
    #[default]
    Off,
    /// With one `git log` over the whole history.
    Read,
    /// Keeping what was read in a file (`kb build`), and reading only
    /// the commits since the HEAD it was read at.
    Cached {
        /// The file, beside the output.
        path: PathBuf,
        /// The kb that runs (`cmd::program`): a file another kb wrote is
        /// not trusted.
        program: String,
    },
    /// The same, kept in memory between the builds that share it
    /// (`kb serve`'s rebuilds).
    Shared(Arc<Mutex<Option<Kept>>>),
}

impl GitHistory {
    /// History kept in memory, empty at first.
    pub fn shared() -> GitHistory {
        GitHistory::Shared(Arc::default())
    }
}

/// What a build keeps of the history between builds.
#[derive(Debug, Deserialize)]
pub struct Kept {
    /// The commit the history was read at.
    head: String,
    files: History,
}

/// [`Kept`] as written, after the kb that wrote it (another may read the
/// log otherwise).
#[derive(Serialize)]
struct KeptRef<'a> {
    head: &'a str,
    files: &'a History,
}

/// A `git log` under way.
pub struct Pending {
    root: PathBuf,
    child: Option<Child>,
    /// The history kept by the last build, which the log brings up to date.
    kept: Option<Kept>,
    mode: GitHistory,
}

impl Pending {
    /// Starts reading the history of the site at `root`, as `mode` says;
    /// nothing when git is missing or `root` is no checkout.
    pub fn start(root: &Path, mode: &GitHistory) -> Pending {
        let mut pending = Pending {
            root: root.to_path_buf(),
            child: None,
            kept: None,
            mode: mode.clone(),
        };
        if matches!(mode, GitHistory::Off) || super::site_prefix(root).is_none() {
            return pending;
        }
        pending.kept = match mode {
            GitHistory::Cached { path, program } => read_kept(path, program),
            GitHistory::Shared(kept) => kept.lock().unwrap_or_else(PoisonError::into_inner).take(),
            _ => None,
        };
        let since = match &pending.kept {
            Some(kept) if head(root).as_deref() == Some(kept.head.as_str()) => return pending,
            Some(kept) => Some(kept.head.clone()),
            None => None,
        };
        pending.child = spawn_log(root, since.as_deref());
        pending
    }

    /// The history: what was kept, brought up to date by the log; read
    /// whole again when the kept HEAD is no longer an ancestor (a rebase).
    pub fn finish(mut self) -> History {
        let Some(child) = self.child.take() else {
            let Some(kept) = self.kept.take() else {
                return History::new();
            };
            let files = kept.files.clone();
            self.keep(kept);
            return files;
        };
        let Some(log) = wait(child) else {
            return History::new();
        };
        let (files, head) = match self.kept.take() {
            Some(kept) if log.boundary.contains(&kept.head) => {
                let head = log.head.clone().unwrap_or(kept.head.clone());
                (history::merge(kept.files, log), Some(head))
            }
            Some(_) => match spawn_log(&self.root, None).and_then(wait) {
                Some(log) => (log.files, log.head),
                None => return History::new(),
            },
            None => (log.files, log.head),
        };
        if let Some(head) = head {
            match &self.mode {
                GitHistory::Cached { path, program } => write_kept(path, program, &head, &files),
                GitHistory::Shared(_) => self.keep(Kept {
                    head,
                    files: files.clone(),
                }),
                _ => {}
            }
        }
        files
    }

    /// Hands `kept` back to the builds that share it in memory.
    fn keep(&self, kept: Kept) {
        if let GitHistory::Shared(shared) = &self.mode {
            *shared.lock().unwrap_or_else(PoisonError::into_inner) = Some(kept);
        }
    }
}

/// `git log` of the commits since `since` (all of them without it), with
/// `since` itself listed as a boundary when it is an ancestor.
fn spawn_log(root: &Path, since: Option<&str>) -> Option<Child> {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root).args([
        "-c",
        "core.quotepath=off",
        "log",
        "--date-order",
        "--no-color",
        "--format=%x1e%H%x1f%m%x1f%aN%x1f%at%x1f%D",
        "--name-status",
        "-z",
        "-M",
        "--relative",
    ]);
    if let Some(since) = since {
        cmd.args(["--boundary", &format!("^{since}"), "HEAD"]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()
}

/// What the log printed, when it ran to the end.
fn wait(mut child: Child) -> Option<history::Log> {
    let mut out = Vec::new();
    let read = child.stdout.take().map(|mut s| s.read_to_end(&mut out));
    let ok = child.wait().is_ok_and(|s| s.success());
    (ok && matches!(read, Some(Ok(_)))).then(|| history::parse(&out))
}

/// The commit HEAD names (`git rev-parse`, a few milliseconds).
fn head(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--verify", "-q", "HEAD"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let id = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !id.is_empty()).then_some(id)
}

fn read_kept(path: &Path, program: &str) -> Option<Kept> {
    let bytes = std::fs::read(path).ok()?;
    let (written_by, kept): (String, Kept) = postcard::from_bytes(&bytes).ok()?;
    (written_by == program).then_some(kept)
}

/// Writes the history beside the output, through a temporary file; a
/// failure only costs the next build a whole log.
fn write_kept(path: &Path, program: &str, head: &str, files: &History) {
    let kept = (program, KeptRef { head, files });
    if let Ok(bytes) = postcard::to_stdvec(&kept) {
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Ann")
            .env("GIT_AUTHOR_EMAIL", "ann@example.com")
            .env("GIT_COMMITTER_NAME", "Ann")
            .env("GIT_COMMITTER_EMAIL", "ann@example.com")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }

    /// `kb serve`'s rebuilds share what they read: no log while HEAD
    /// stays, the commits since when it moves.
    #[test]
    fn shared_history_reads_only_what_is_new() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "a").unwrap();
        git(root, &["init", "-q"]);
        git(root, &["add", "."]);
        git(root, &["commit", "-qm", "a"]);
        let mode = GitHistory::shared();
        let first = Pending::start(root, &mode);
        assert!(first.child.is_some());
        assert_eq!(first.finish().len(), 1);
        let again = Pending::start(root, &mode);
        assert!(again.child.is_none(), "HEAD did not move");
        assert_eq!(again.finish().len(), 1);
        std::fs::write(root.join("content/b.md"), "b").unwrap();
        git(root, &["add", "."]);
        git(root, &["commit", "-qm", "b"]);
        let after = Pending::start(root, &mode);
        assert!(after.child.is_some());
        let history = after.finish();
        assert_eq!(history.len(), 2);
        assert_eq!(history[Path::new("content/a.md")].commits, 1);
    }
}
