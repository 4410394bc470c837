//! What a build recorded of one of the output's two trees: for each unit
//! of files made together (see `render::Renderer::unit_of`), the
//! fingerprint of what they were made from and each file's size and
//! modification time as kb left it. A later build leaves alone (neither
//! renders nor reads) a unit whose fingerprint is the same and whose files
//! are still as recorded. A tree is known by its folder's inode, which
//! stays with it through the swaps; a build forgets the record of the tree
//! it is about to write into before its first write (see
//! [`super::Staging::put`]), so a build killed midway leaves no record that
//! lies.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A file as kb left it: its size and modification time (nanoseconds
/// since the Unix epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, in nanoseconds since the Unix epoch.
    pub modified: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        Stamp {
            len: meta.len(),
            modified,
        }
    }

    /// The stamp of the file at `path`, when there is one.
    fn read(path: &Path) -> Option<Stamp> {
        std::fs::symlink_metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| Stamp::of(&m))
    }
}

/// One unit's fingerprint and files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRecord {
    /// What the files were made from.
    pub fingerprint: u64,
    /// Each file (path relative to the tree) as written.
    pub files: Vec<(String, Stamp)>,
}

/// What a build recorded of one tree: unit -> its record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeRecord {
    /// Each unit's record, by unit.
    pub units: BTreeMap<String, UnitRecord>,
}

impl TreeRecord {
    /// The units of `fingerprints` whose record in this tree at `dir`
    /// holds the same fingerprint and whose files are all there as
    /// recorded.
    pub fn intact<'f>(&self, dir: &Path, fingerprints: &'f [(String, u64)]) -> Vec<&'f str> {
        fingerprints
            .par_iter()
            .filter(|(unit, fp)| {
                self.units.get(unit).is_some_and(|r| {
                    r.fingerprint == *fp
                        && r.files.iter().all(|(path, stamp)| {
                            inside(path) && Stamp::read(&dir.join(path)) == Some(*stamp)
                        })
                })
            })
            .map(|(unit, _)| unit.as_str())
            .collect()
    }

    /// Whether every path the record lists stays inside its tree: a record
    /// is a file beside the output that anyone may have written, and the
    /// files it lists may be removed.
    pub fn inside(&self) -> bool {
        self.units
            .values()
            .all(|u| u.files.iter().all(|(path, _)| inside(path)))
    }

    /// How many files the record holds.
    pub fn files(&self) -> usize {
        self.units.values().map(|u| u.files.len()).sum()
    }
}

/// Whether `path` is relative and names no `..`, `.` or root: a path
/// inside the tree it is joined to.
fn inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// The file that keeps the record of the tree at `tree` (the output folder
/// or its hidden sibling), beside `out`: named after the tree folder's
/// inode. `None` when the tree does not exist.
pub fn record_file(out: &Path, tree: &Path) -> Option<PathBuf> {
    let id = tree_id(tree)?;
    Some(super::hidden_beside(out, &format!(".kb-pages-{id}")))
}

/// Whether the file `name` beside `out` is a record left behind: the
/// record of a tree that is neither `out` nor its sibling any more (see
/// [`record_file`]), or a temporary file of a build killed while it wrote
/// one (`RECORD.PID.new`).
pub fn is_leftover(out: &Path, name: &str) -> bool {
    let prefix = super::hidden_beside(out, ".kb-pages-");
    let Some(rest) = prefix
        .file_name()
        .and_then(|p| p.to_str())
        .and_then(|p| name.strip_prefix(p))
    else {
        return false;
    };
    match rest.split_once('.') {
        Some((id, temp)) => {
            id.parse::<u64>().is_ok()
                && temp
                    .strip_suffix(".new")
                    .is_some_and(|pid| pid.parse::<u32>().is_ok())
        }
        None => {
            let live = [tree_id(out), tree_id(&super::sibling(out))];
            rest.parse::<u64>()
                .is_ok_and(|id| !live.contains(&Some(id)))
        }
    }
}

/// Removes the record of the tree at `tree`, if any.
pub fn forget(out: &Path, tree: &Path) -> io::Result<()> {
    match record_file(out, tree).map(std::fs::remove_file) {
        Some(Err(e)) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn tree_id(tree: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(tree).ok().map(|m| m.ino())
}

#[cfg(not(unix))]
fn tree_id(_tree: &Path) -> Option<u64> {
    None
}
