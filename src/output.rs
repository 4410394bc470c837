//! Writing a built site to disk atomically and cheaply. Two trees: the
//! output folder and a hidden sibling. A build refreshes the sibling in
//! place as pages are rendered (writing only files whose bytes changed),
//! removes stale files, then swaps the two with one atomic exchange. Readers of the output folder see
//! the old site or the new one, never a mix; a failed write leaves the
//! output folder as it was; unchanged files keep their modification times.
//! A build holds the output's lock ([`OutputLock`]) from before it opens
//! the sibling until after the swap, so two builds never share a sibling.

mod fault;
mod lock;
pub mod record;

pub use fault::{Moment, at as fault_at};
pub use lock::{OutputLock, lock_file};
pub use record::{Stamp, TreeRecord};

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, PoisonError};

use rayon::prelude::*;

use crate::render::Files;

/// What writing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files left alone because their bytes were the same.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// The hidden sibling that holds the other tree of `out`.
pub fn sibling(out: &Path) -> PathBuf {
    hidden_beside(out, ".kb-swap")
}

/// The hidden file beside `out` where `kb build` keeps its parse cache.
pub fn cache_file(out: &Path) -> PathBuf {
    hidden_beside(out, ".kb-cache")
}

/// `.NAME` + `suffix` beside `out`, whose name is NAME.
pub(crate) fn hidden_beside(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| OsString::from("public"), OsString::from);
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(suffix);
    out.with_file_name(hidden)
}

/// Writes `files` so that `out` holds exactly them, atomically.
pub fn write_site(out: &Path, files: &Files) -> io::Result<WriteStats> {
    let staging = Staging::open(out)?;
    files
        .par_iter()
        .for_each(|(path, bytes)| staging.put(path, bytes));
    staging.commit()
}

/// The hidden sibling of an output folder, being made to hold a new site
/// file by file ([`Staging::put`], from any thread), then swapped in
/// ([`Staging::commit`]). Dropped without a commit, it leaves the output
/// folder as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Files the sibling held before (paths relative to it).
    existing: HashSet<String>,
    /// Folders the sibling held before.
    existing_dirs: Vec<String>,
    /// Files put (or kept) so far, with their stamps as left.
    put: Mutex<HashMap<String, Stamp>>,
    /// Forgets the sibling's record before the first write into it.
    forget: Once,
    /// Folders known to be in the sibling ("" for the sibling itself):
    /// each new folder is made once, before its first file, so that no
    /// open fails first.
    folders: Mutex<HashSet<String>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// The first write that failed.
    failure: Mutex<Option<io::Error>>,
}

impl Staging {
    /// Opens the sibling of `out`; refuses an `out` that kb did not write.
    pub fn open(out: &Path) -> io::Result<Staging> {
        Staging::open_listed(out, None)
    }

    /// Opens like [`Staging::open`], taking the sibling's files from
    /// `listed`, its record, when there is one, rather than walking it:
    /// a record is forgotten before the tree is written (see
    /// [`Staging::put`]), so one that is there lists what the tree holds.
    pub fn open_listed(out: &Path, listed: Option<&TreeRecord>) -> io::Result<Staging> {
        if out.exists() && !out.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a folder", out.display()),
            ));
        }
        if !looks_like_output(out) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} holds files kb did not write: refusing to replace it (pick an empty or new folder)",
                    out.display()
                ),
            ));
        }
        // The sibling is made by the first file put (see `write_making_way`),
        // so that opening for a build that then fails leaves nothing behind.
        let dir = sibling(out);
        recover_parked(out, &dir)?;
        // A record listing a path outside the sibling is not trusted: its
        // stale files are removed.
        let listed = listed.filter(|r| dir.is_dir() && r.inside());
        let (existing, existing_dirs) = match listed {
            Some(record) => record_listing(record),
            None => walk_listing(&dir)?,
        };
        let mut folders: HashSet<String> = existing_dirs.iter().cloned().collect();
        if dir.is_dir() {
            folders.insert(String::new());
        }
        Ok(Staging {
            out: out.to_path_buf(),
            folders: Mutex::new(folders),
            dir,
            existing,
            existing_dirs,
            put: Mutex::new(HashMap::new()),
            forget: Once::new(),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            failure: Mutex::new(None),
        })
    }

    /// Makes the file at `path` (relative, `/`-separated) hold `bytes`,
    /// writing only when they differ from what it holds. A failure is kept
    /// for [`Staging::commit`] to report.
    pub fn put(&self, path: &str, bytes: &[u8]) {
        let target = self.dir.join(path);
        if self.existing.contains(path)
            && let Some(stamp) = same_bytes(&target, bytes)
        {
            lock(&self.put).insert(path.to_owned(), stamp);
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return;
        }
        // The sibling's record would not hold once a file changed.
        self.forget.call_once(|| {
            if let Err(e) = record::forget(&self.out, &self.dir) {
                self.fail(&self.dir, e);
            }
        });
        let written = match fault::before_write() {
            Some(e) => Err(e),
            None => self
                .make_folders(path)
                .and_then(|()| write_making_way(&self.dir, &target, bytes)),
        };
        match written {
            Ok(stamp) => {
                lock(&self.put).insert(path.to_owned(), stamp);
                self.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => self.fail(&target, e),
        }
    }

    /// Makes the folders of the file at `path` (relative) that are not
    /// known to be there yet, outermost first, one `mkdir` each.
    fn make_folders(&self, path: &str) -> io::Result<()> {
        let mut missing = Vec::new();
        {
            let known = lock(&self.folders);
            let mut folder = path.rsplit_once('/').map_or("", |(parent, _)| parent);
            while !known.contains(folder) {
                missing.push(folder.to_owned());
                folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
                if missing.last().is_some_and(String::is_empty) {
                    break;
                }
            }
        }
        for folder in missing.into_iter().rev() {
            match std::fs::create_dir(self.dir.join(&folder)) {
                // A file in the way is cleared by `write_making_way`.
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
            lock(&self.folders).insert(folder);
        }
        Ok(())
    }

    /// Counts the file at `path` as put, unchanged, without writing or
    /// reading it: its record says it is as kb left it, with `stamp`.
    pub fn keep(&self, path: &str, stamp: Stamp) {
        lock(&self.put).insert(path.to_owned(), stamp);
        self.unchanged.fetch_add(1, Ordering::Relaxed);
    }

    /// The folder being made: the output's sibling.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps the first failure, for [`Staging::commit`] to report.
    fn fail(&self, target: &Path, e: io::Error) {
        let mut failure = lock(&self.failure);
        if failure.is_none() {
            *failure = Some(io::Error::new(
                e.kind(),
                format!("cannot write {}: {e}", target.display()),
            ));
        }
    }

    /// Removes what no file was put for, then swaps the sibling in.
    pub fn commit(self) -> io::Result<WriteStats> {
        self.commit_stamped().map(|(stats, _)| stats)
    }

    /// Commits like [`Staging::commit`]; gives also every file put with
    /// its stamp as left.
    pub fn commit_stamped(self) -> io::Result<(WriteStats, HashMap<String, Stamp>)> {
        if let Some(e) = self
            .failure
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            return Err(e);
        }
        let put = self
            .put
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut removed = 0;
        for stale in self.existing.iter().filter(|p| !put.contains_key(*p)) {
            match std::fs::remove_file(self.dir.join(stale)) {
                Ok(()) => removed += 1,
                // Made way for a folder of the new site already.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let mut needed = HashSet::new();
        for path in put.keys() {
            let mut p = Path::new(path.as_str());
            while let Some(parent) = p.parent().filter(|p| !p.as_os_str().is_empty()) {
                if !needed.insert(parent.to_string_lossy().replace('\\', "/")) {
                    break;
                }
                p = parent;
            }
        }
        let mut dirs = self.existing_dirs;
        dirs.sort_by_key(|d| std::cmp::Reverse(d.len()));
        for d in dirs.iter().filter(|d| !needed.contains(*d)) {
            let _ = std::fs::remove_dir(self.dir.join(d));
        }
        fault::at(Moment::BeforeSwap);
        if self.out.exists() {
            exchange(&self.dir, &self.out)?;
        } else {
            std::fs::rename(&self.dir, &self.out)?;
        }
        fault::at(Moment::AfterSwap);
        let stats = WriteStats {
            written: self.written.into_inner(),
            unchanged: self.unchanged.into_inner(),
            removed,
        };
        Ok((stats, put))
    }
}

/// The files and folders of the tree at `dir`, walked.
fn walk_listing(dir: &Path) -> io::Result<(HashSet<String>, Vec<String>)> {
    let mut files = HashSet::new();
    let mut folders = Vec::new();
    let walk = dir
        .is_dir()
        .then(|| walkdir::WalkDir::new(dir).min_depth(1));
    for entry in walk.into_iter().flatten() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            folders.push(rel);
        } else {
            files.insert(rel);
        }
    }
    Ok((files, folders))
}

/// The files `record` lists, and their folders.
fn record_listing(record: &TreeRecord) -> (HashSet<String>, Vec<String>) {
    let files: HashSet<String> = record
        .units
        .values()
        .flat_map(|u| u.files.iter().map(|(path, _)| path.clone()))
        .collect();
    let mut folders = HashSet::new();
    for path in &files {
        let mut rest = path.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if !folders.insert(parent.to_owned()) {
                break;
            }
            rest = parent;
        }
    }
    (files, folders.into_iter().collect())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes `target` under `dir`, making its folders, and clearing a file
/// in the way of a folder or a folder in the way of the file (left by an
/// older site).
fn write_making_way(dir: &Path, target: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    match overwrite(target, bytes) {
        Ok(stamp) => return Ok(stamp),
        Err(_) if target.is_dir() => std::fs::remove_dir_all(target)?,
        Err(_) => {
            if let Some(parent) = target.parent() {
                for ancestor in parent.ancestors().take_while(|a| *a != dir) {
                    if ancestor.is_file() {
                        std::fs::remove_file(ancestor)?;
                    }
                }
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    overwrite(target, bytes)
}

/// Writes `bytes` over the file at `target` in place, creating it when
/// missing. Not `std::fs::write`: truncating a file to zero and writing it
/// again makes ext4 free its blocks, allocate new ones and flush the file
/// on close (its `auto_da_alloc` guard for editors), which made a rebuild
/// that changes every page twice as slow as the first build. Gives the
/// file's stamp as left.
fn overwrite(target: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(target)?;
    file.write_all(bytes)?;
    let len = bytes.len() as u64;
    let meta = file.metadata()?;
    if meta.len() > len {
        file.set_len(len)?;
        return Ok(Stamp::of(&file.metadata()?));
    }
    Ok(Stamp::of(&meta))
}

/// True when `out` is missing, empty, or a site kb wrote before.
fn looks_like_output(out: &Path) -> bool {
    match std::fs::read_dir(out) {
        Err(_) => true,
        Ok(mut entries) => {
            entries.next().is_none()
                || (out.join("sitemap.xml").is_file() && out.join("404.html").is_file())
        }
    }
}

/// The stamp of the file at `path` when it holds `bytes`: one open, its
/// size checked before its bytes are read.
fn same_bytes(path: &Path, bytes: &[u8]) -> Option<Stamp> {
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if meta.len() != bytes.len() as u64 {
        return None;
    }
    // Read into spare capacity: nothing is zeroed first (a zeroed buffer per
    // file was 2 % of a build's instructions).
    let mut old = Vec::with_capacity(bytes.len() + 1);
    (file.read_to_end(&mut old).is_ok() && old == bytes).then(|| Stamp::of(&meta))
}

/// Puts back what a swap by three renames (see [`exchange`]) interrupted
/// midway left in its parking place: the old site when the output folder
/// is missing, else the sibling's old tree, to be refreshed.
fn recover_parked(out: &Path, dir: &Path) -> io::Result<()> {
    let parked = sibling(dir);
    if !parked.is_dir() {
        return Ok(());
    }
    if !out.exists() {
        std::fs::rename(&parked, out)
    } else if !dir.exists() {
        std::fs::rename(&parked, dir)
    } else {
        std::fs::remove_dir_all(&parked)
    }
}

/// Swaps two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`);
/// elsewhere, or where the file system refuses, three renames.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
        let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
        // SAFETY: both are valid NUL-terminated paths; the call only reads them.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
    }
    let parked = sibling(a);
    std::fs::rename(b, &parked)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&parked, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of `list` plus the two files that mark a kb output folder.
    fn files(list: &[(&str, &str)]) -> Files {
        let marks = [("404.html", "nf"), ("sitemap.xml", "sm")];
        list.iter()
            .chain(&marks)
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = files(&[
            ("index.html", "a"),
            ("x/index.html", "x"),
            ("y/index.html", "y"),
        ]);
        assert_eq!(write_site(&out, &first).unwrap().written, 5);
        let second = files(&[("index.html", "a"), ("x/index.html", "x2")]);
        write_site(&out, &second).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("x/index.html")).unwrap(),
            "x2"
        );
        assert!(!out.join("y").exists());
        let third = write_site(&out, &second).unwrap();
        assert_eq!(
            (third.written, third.unchanged),
            (1, 3),
            "the sibling was one build behind"
        );
        let fourth = write_site(&out, &second).unwrap();
        assert_eq!(
            (fourth.written, fourth.unchanged, fourth.removed),
            (0, 4, 0)
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "a"
        );
    }

    #[test]
    fn a_shorter_file_written_over_a_longer_one_loses_the_old_tail() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // Builds alternate between two folders: the third and fourth write over
        // the first and second.
        for text in ["a long first page", "another long page", "short", "tiny"] {
            write_site(&out, &files(&[("index.html", text)])).unwrap();
            assert_eq!(
                std::fs::read_to_string(out.join("index.html")).unwrap(),
                text
            );
        }
    }

    #[test]
    fn a_record_listing_paths_outside_the_sibling_removes_nothing_there() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &files(&[("index.html", "a")])).unwrap();
        write_site(&out, &files(&[("index.html", "a")])).unwrap();
        let victim = tmp.path().join("victim.txt");
        std::fs::write(&victim, "mine").unwrap();
        let stamp = Stamp {
            len: 0,
            modified: 0,
        };
        for path in ["../victim.txt", victim.to_str().unwrap()] {
            let unit = record::UnitRecord {
                fingerprint: 1,
                files: vec![(path.to_owned(), stamp)],
            };
            let listed = TreeRecord {
                units: [("u".to_owned(), unit)].into(),
            };
            assert!(
                listed
                    .intact(&sibling(&out), &[("u".to_owned(), 1)])
                    .is_empty()
            );
            let staging = Staging::open_listed(&out, Some(&listed)).unwrap();
            for (p, b) in files(&[("index.html", "a")]) {
                staging.put(&p, &b);
            }
            staging.commit().unwrap();
            assert!(victim.exists(), "{path} was removed");
        }
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        assert!(write_site(tmp.path(), &files(&[("index.html", "a")])).is_err());
        assert!(tmp.path().join("notes.txt").exists());
    }

    #[test]
    fn a_swap_interrupted_midway_is_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &files(&[("index.html", "old")])).unwrap();
        // Killed between the first and second of three renames: the old
        // site is parked and the output folder is gone.
        let parked = sibling(&sibling(&out));
        std::fs::rename(&out, &parked).unwrap();
        write_site(&out, &files(&[("index.html", "new")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(!parked.exists());
        assert_eq!(
            std::fs::read_to_string(sibling(&out).join("index.html")).unwrap(),
            "old",
            "the parked site became the sibling"
        );
    }
}
