//! The parse cache's file beside the output (`.public.kb-cache`): reading
//! and writing it for `kb build`, with what the content stage must not
//! look up itself: which build of kb is running and what time it is.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::content::ParseCache;
use crate::output;
use crate::site::CacheStore;

/// The cache file of a build into `out`.
pub struct CacheFile {
    path: PathBuf,
}

impl CacheFile {
    /// The cache file beside the output folder `out`.
    pub fn beside(out: &Path) -> CacheFile {
        CacheFile {
            path: output::cache_file(out),
        }
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
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
        // Named after the process: two builds at once never write into
        // one temporary file.
        let fresh = {
            let mut name = self.path.as_os_str().to_owned();
            name.push(format!(".{}.new", std::process::id()));
            PathBuf::from(name)
        };
        let written = write_file(&fresh, cache).and_then(|()| std::fs::rename(&fresh, &self.path));
        if written.is_err() {
            let _ = std::fs::remove_file(&fresh);
        }
        written
    }
}

fn write_file(path: &Path, cache: &ParseCache) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    cache.encode(&mut out, &super::program(), SystemTime::now())?;
    out.flush()
}
