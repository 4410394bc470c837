//! The output folder's lock: one build at a time writes an output folder,
//! its hidden sibling and its parse cache. An advisory `flock` on a hidden
//! file beside the output; the kernel releases it when the process ends,
//! however it ends (a build killed with SIGKILL never leaves a stale lock).
//! Holding it, a build may also clear what a killed build left behind.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// An exclusive lock on an output folder, held until dropped.
#[derive(Debug)]
pub struct OutputLock {
    /// The open lock file: closing it releases the lock.
    _file: File,
    /// Where the lock file is.
    pub path: PathBuf,
}

/// The hidden file beside `out` that builds lock.
pub fn lock_file(out: &Path) -> PathBuf {
    super::hidden_beside(out, ".kb-lock")
}

impl OutputLock {
    /// Takes the lock on `out`, making its parent folder if needed. When
    /// another process holds it, calls `waiting` once, then waits for it.
    pub fn acquire(out: &Path, waiting: impl FnOnce(&Path)) -> io::Result<OutputLock> {
        let path = lock_file(out);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let file = open(&path)?;
        if !try_lock(&file)? {
            waiting(&path);
            lock(&file)?;
        }
        Ok(OutputLock { _file: file, path })
    }

    /// Takes the lock on `out` only when no one holds it.
    pub fn try_acquire(out: &Path) -> io::Result<Option<OutputLock>> {
        let path = lock_file(out);
        let file = open(&path)?;
        Ok(try_lock(&file)?.then_some(OutputLock { _file: file, path }))
    }
}

/// Opens (making it when missing) the lock file at `path`; its bytes are
/// never read or written.
fn open(path: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// `flock(LOCK_EX | LOCK_NB)`: false when another holds the lock.
fn try_lock(file: &File) -> io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// `flock(LOCK_EX)`, waiting for as long as it takes.
fn lock(file: &File) -> io::Result<()> {
    file.lock()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site/public");
        let first = OutputLock::acquire(&out, |_| panic!("nobody holds it")).unwrap();
        assert!(first.path.ends_with(".public.kb-lock"));
        assert!(OutputLock::try_acquire(&out).unwrap().is_none());
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            OutputLock::acquire(&out, |_| tx.send(()).unwrap()).unwrap();
        });
        // The second says it waits; it gets the lock once the first goes.
        rx.recv().unwrap();
        drop(first);
        waiter.join().unwrap();
    }
}
