//! The parse cache's file beside the output (`.public.kb-cache`): reading
//! and writing it for `kb build`, with what the content stage must not
//! look up itself: which build of kb is running and what time it is.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::analysis::search::IndexCache;
use crate::content::ParseCache;
use crate::output::{self, TreeRecord};
use crate::site::CacheStore;

/// The cache file of a build into `out`.
pub struct CacheFile {
    path: PathBuf,
    out: PathBuf,
}

impl CacheFile {
    /// The cache file beside the output folder `out`.
    pub fn beside(out: &Path) -> CacheFile {
        CacheFile {
            path: output::cache_file(out),
            out: out.to_path_buf(),
        }
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the search index's cache is kept: beside the parse cache.
    fn index_path(&self) -> PathBuf {
        self.path.with_extension("kb-search")
    }
}

impl CacheStore for CacheFile {
    /// The cache the last build left; an empty one when there is none, or
    /// it is another build of kb's, or it cannot be read.
    fn read(&self) -> ParseCache {
        std::fs::read(&self.path)
            .map(|bytes| ParseCache::decode(&bytes, &super::program()))
            .unwrap_or_default()
    }

    /// Writes the cache through a temporary file renamed over the old one;
    /// a failed write leaves no temporary file behind.
    fn write(&self, cache: &ParseCache) -> io::Result<()> {
        let fresh = temporary(&self.path, std::process::id());
        let written = write_file(&fresh, cache).and_then(|()| std::fs::rename(&fresh, &self.path));
        if written.is_err() {
            let _ = std::fs::remove_file(&fresh);
        }
        written
    }

    /// The record of `tree`, when the file kept for it is this build of
    /// kb's and decodes.
    fn read_record(&self, tree: &Path) -> Option<TreeRecord> {
        let bytes = std::fs::read(output::record::record_file(&self.out, tree)?).ok()?;
        let rest = bytes.strip_prefix(RECORD_MAGIC)?;
        let (program, rest) = postcard::take_from_bytes::<String>(rest).ok()?;
        if program != super::program() {
            return None;
        }
        postcard::from_bytes(rest).ok()
    }

    /// Writes the record of `tree` through a temporary file renamed over
    /// the old one.
    fn write_record(&self, tree: &Path, record: &TreeRecord) -> io::Result<()> {
        let path = output::record::record_file(&self.out, tree)
            .ok_or_else(|| io::Error::other("the output folder is gone"))?;
        let mut bytes = RECORD_MAGIC.to_vec();
        bytes.extend(postcard::to_stdvec(&super::program()).map_err(io::Error::other)?);
        bytes.extend(postcard::to_stdvec(record).map_err(io::Error::other)?);
        let fresh = temporary(&path, std::process::id());
        let written = std::fs::write(&fresh, &bytes).and_then(|()| std::fs::rename(&fresh, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&fresh);
        }
        written
    }

    /// The search index's cache, when it is this build of kb's and
    /// decodes.
    fn read_index(&self) -> IndexCache {
        std::fs::read(self.index_path())
            .map(|bytes| IndexCache::decode(&bytes, &super::program()))
            .unwrap_or_default()
    }

    /// Writes the search index's cache through a temporary file renamed
    /// over the old one.
    fn write_index(&self, cache: &IndexCache) -> io::Result<()> {
        let path = self.index_path();
        let fresh = temporary(&path, std::process::id());
        let written = std::fs::File::create(&fresh)
            .and_then(|file| {
                let mut out = io::BufWriter::with_capacity(1 << 20, file);
                cache.encode(&mut out, &super::program())?;
                out.flush()
            })
            .and_then(|()| std::fs::rename(&fresh, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&fresh);
        }
        written
    }

    /// Removes the temporary files of builds that were killed while they
    /// wrote the cache or a record, and the records of trees that are
    /// gone. Only for a build that holds the output's lock: no
    /// other process is writing one then.
    fn remove_leftovers(&self) {
        let (Some(dir), Some(name)) = (self.path.parent(), self.path.file_name()) else {
            return;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let index = self.index_path();
        let prefixes = [name, index.file_name().unwrap_or(name)]
            .map(|name| format!("{}.", name.to_string_lossy()));
        for entry in entries.flatten() {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            let leftover = prefixes
                .iter()
                .filter_map(|prefix| file.strip_prefix(prefix.as_str()))
                .filter_map(|rest| rest.strip_suffix(".new"))
                .any(|pid| pid.parse::<u32>().is_ok())
                || output::record::is_leftover(&self.out, &file);
            if leftover {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The first bytes of a tree's record file.
const RECORD_MAGIC: &[u8] = b"kb output record 1\n";

/// The temporary file process `pid` writes the cache at `path` into before
/// renaming it: named after the process, so that two builds at once never
/// write into one.
fn temporary(path: &Path, pid: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{pid}.new"));
    PathBuf::from(name)
}

fn write_file(path: &Path, cache: &ParseCache) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    cache.encode(&mut out, &super::program(), SystemTime::now())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CacheFile::beside(&dir.path().join("public"));
        let keep = [".public.kb-cache", ".public.kb-cache.x.new", "other.1.new"];
        for name in keep.iter().chain(&[".public.kb-cache.4242.new"]) {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        assert_eq!(
            temporary(cache.path(), 4242),
            dir.path().join(".public.kb-cache.4242.new")
        );
        cache.remove_leftovers();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut keep = keep.map(str::to_owned).to_vec();
        keep.sort();
        assert_eq!(left, keep);
    }
}
