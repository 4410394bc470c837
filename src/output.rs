//! Writing a built site to disk atomically and cheaply. Two trees: the
//! output folder and a hidden sibling. A build refreshes the sibling in
//! place (writing only files whose bytes changed, removing stale ones), then
//! swaps the two with one atomic exchange. Readers of the output folder see
//! the old site or the new one, never a mix; a failed write leaves the
//! output folder as it was; unchanged files keep their modification times.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

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
    let name = out
        .file_name()
        .map_or_else(|| OsString::from("public"), OsString::from);
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(".kb-swap");
    out.with_file_name(hidden)
}

/// Writes `files` so that `out` holds exactly them, atomically.
pub fn write_site(out: &Path, files: &Files) -> io::Result<WriteStats> {
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
    let staging = sibling(out);
    std::fs::create_dir_all(&staging)?;
    let stats = refresh(&staging, files)?;
    if out.exists() {
        exchange(&staging, out)?;
    } else {
        std::fs::rename(&staging, out)?;
    }
    Ok(stats)
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

/// Makes `dir` hold exactly `files`: writes what differs, removes the rest.
fn refresh(dir: &Path, files: &Files) -> io::Result<WriteStats> {
    let mut existing = BTreeSet::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.push(rel);
        } else {
            existing.insert(rel);
        }
    }
    let mut needed_dirs = BTreeSet::new();
    for path in files.keys() {
        let mut p = Path::new(path);
        while let Some(parent) = p.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !needed_dirs.insert(parent.to_string_lossy().replace('\\', "/")) {
                break;
            }
            p = parent;
        }
    }
    let mut removed = 0;
    for stale in existing.iter().filter(|p| !files.contains_key(*p)) {
        std::fs::remove_file(dir.join(stale))?;
        removed += 1;
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for d in dirs.iter().filter(|d| !needed_dirs.contains(*d)) {
        let _ = std::fs::remove_dir(dir.join(d));
    }
    for d in &needed_dirs {
        let p = dir.join(d);
        if !p.is_dir() {
            if p.exists() {
                std::fs::remove_file(&p)?;
            }
            std::fs::create_dir_all(&p)?;
        }
    }
    let results: Vec<io::Result<bool>> = files
        .par_iter()
        .map(|(path, bytes)| {
            let target = dir.join(path);
            if existing.contains(path) && same_bytes(&target, bytes) {
                return Ok(false);
            }
            std::fs::write(&target, bytes).map(|()| true)
        })
        .collect();
    let mut stats = WriteStats {
        removed,
        ..WriteStats::default()
    };
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    Ok(stats)
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.len() == bytes.len() as u64 => std::fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
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
    fn refuses_a_folder_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        assert!(write_site(tmp.path(), &files(&[("index.html", "a")])).is_err());
        assert!(tmp.path().join("notes.txt").exists());
    }
}
