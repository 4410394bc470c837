//! The parse cache of `kb serve`: what the last load found, kept between
//! loads, so that a rebuild re-reads and re-parses only the files that
//! changed and neither parses nor copies the incidents of the others. When
//! the watcher's list of changed paths can be trusted, a rebuild does not
//! even walk `content/`.

mod disk;

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    CONTENT_DIR, Loaded, Parsed, duplicate_slugs, find_files, read_and_parse, shared_in_order,
    sort_incidents,
};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::model::Status;

/// Loads like [`super::load`], but re-reads and re-parses only the files
/// that changed since `cache` last saw them; see [`ParseCache::load`]. The
/// result shares its incidents with the cache: copying it copies pointers.
pub fn load_cached(root: &Path, config: &Config, drafts: bool, cache: &mut ParseCache) -> Loaded {
    cache.load(root, config, drafts).clone()
}

/// Parsed files kept between loads, and what the last load gave. Parsing
/// depends on the configuration too: a different one (or a different
/// choice of drafts) empties the cache.
#[derive(Debug, Default)]
pub struct ParseCache {
    /// The configuration and choice of drafts of the last load.
    key: String,
    files: FxHashMap<PathBuf, CachedFile>,
    /// Every file the last load listed, in the order found (which is the
    /// order of paths).
    listed: Vec<PathBuf>,
    /// Whether a watcher's paths can bring `listed` up to date: a walk
    /// found it, and met no symbolic link.
    relistable: bool,
    /// What the last walk of `content/` found wrong.
    walk_diagnostics: Vec<Diagnostic>,
    /// Paths a watcher saw change since the last load; `None` when no
    /// watcher said what changed.
    changed: Option<FxHashSet<PathBuf>>,
    /// What the last load gave.
    loaded: Loaded,
    /// Whether the cache on disk it was read from holds just what it
    /// holds (see [`ParseCache::write`]).
    stored: bool,
}

/// What the cache knows of one file; its incident, unless a draft left
/// out, is in `loaded`.
#[derive(Debug)]
struct CachedFile {
    stamp: Option<FileStamp>,
    diagnostics: Vec<Diagnostic>,
    /// The slug of its incident, when it gave one.
    slug: Option<String>,
}

impl ParseCache {
    /// Tells the cache that `paths` (relative to the site root) changed, as
    /// a watcher saw them, and that nothing else did since the last load
    /// (a watcher that lost track names `site.toml`). The next load reads
    /// them again even if their size and time look the same. When they are
    /// all files under `content/`, in folders the last load listed, that
    /// were edited, created or removed, the next load reads only the
    /// postmortems among them and keeps the rest of the last listing: it
    /// neither walks `content/` nor looks at the other files. Anything else
    /// (a folder, a symbolic link, `site.toml`, `themes/`; or no load yet)
    /// walks `content/` again.
    pub fn watched(&mut self, paths: &[PathBuf]) {
        self.changed
            .get_or_insert_default()
            .extend(paths.iter().cloned());
    }

    /// Loads like [`super::load`], re-reading and re-parsing only the files
    /// that changed since the last load (by size, modification time and
    /// inode, or because [`ParseCache::watched`] named them), and keeps the
    /// result, which the cache lends: the incidents of unchanged files are
    /// neither parsed nor copied. `kb serve` keeps one cache for its whole
    /// life.
    pub fn load(&mut self, root: &Path, config: &Config, drafts: bool) -> &Loaded {
        self.start(config, drafts);
        let site_zone = config.time_zone().clone();
        let changed = self.changed.take();
        // The stamp is taken before the file is read: a change made
        // while it is read shows as another stamp next time.
        let reparse = |(rel, stamp): (PathBuf, Option<FileStamp>)| {
            let parsed = read_and_parse(root, &rel, config, &site_zone);
            (rel, Reparsed { stamp, parsed })
        };
        let trusted = changed.as_ref().and_then(|c| self.relist(root, c));
        let reparsed: Vec<(PathBuf, Reparsed)> = match trusted {
            Some(present) => present
                .into_par_iter()
                .map(|rel| {
                    let stamp = FileStamp::of(&root.join(&rel));
                    reparse((rel, stamp))
                })
                .collect(),
            None => {
                let found = find_files(root, config.follow_symlinks_outside);
                let known = &self.files;
                let reparsed = found
                    .files
                    .par_iter()
                    .filter_map(|rel| {
                        let stamp = FileStamp::of(&root.join(rel));
                        let stale = changed.as_ref().is_some_and(|c| c.contains(rel))
                            || stamp.is_none()
                            || known.get(rel).is_none_or(|c| c.stamp != stamp);
                        stale.then(|| (rel.clone(), stamp))
                    })
                    .map(reparse)
                    .collect();
                self.listed = found.files;
                self.relistable = !found.links;
                self.walk_diagnostics = found.diagnostics;
                reparsed
            }
        };
        self.forget_stale(&reparsed);
        self.keep(reparsed, drafts);
        self.loaded.diagnostics = self.diagnostics();
        &self.loaded
    }

    /// Empties the cache when `config` or `drafts` differ from the last
    /// load's.
    fn start(&mut self, config: &Config, drafts: bool) {
        let key = format!("{drafts} {config:?}");
        if key != self.key {
            *self = ParseCache {
                key,
                ..ParseCache::default()
            };
        }
    }

    /// When the watcher's `changed` paths can be trusted (see
    /// [`ParseCache::watched`]), brings the listing up to date with them
    /// and gives the postmortems among them to read; else `None`.
    fn relist(&mut self, root: &Path, changed: &FxHashSet<PathBuf>) -> Option<Vec<PathBuf>> {
        if !self.relistable {
            return None;
        }
        let listed = &mut self.listed;
        let mut present = Vec::new();
        let mut gone = FxHashSet::default();
        for rel in changed {
            match Change::of(root, rel, listed)? {
                Change::Postmortem => present.push(rel.clone()),
                Change::Gone => {
                    gone.insert(rel.as_path());
                }
                Change::Nothing => {}
            }
        }
        listed.retain(|rel| !gone.contains(rel.as_path()));
        for rel in &present {
            if let Err(at) = listed.binary_search(rel) {
                listed.insert(at, rel.clone());
            }
        }
        Some(present)
    }

    /// Drops what the cache holds of files that are no longer listed or
    /// are parsed again (`reparsed`).
    fn forget_stale(&mut self, reparsed: &[(PathBuf, Reparsed)]) {
        let listed: FxHashSet<&Path> = self.listed.iter().map(PathBuf::as_path).collect();
        let mut stale: FxHashSet<PathBuf> = self
            .files
            .keys()
            .filter(|rel| !listed.contains(rel.as_path()))
            .cloned()
            .collect();
        stale.extend(reparsed.iter().map(|(rel, _)| rel.clone()));
        if stale.is_empty() {
            return;
        }
        self.stored = false;
        self.files.retain(|rel, _| !stale.contains(rel));
        self.loaded.incidents.retain(|i| !stale.contains(&i.source));
    }

    /// Takes in the files parsed again, and sorts the incidents when any
    /// changed.
    fn keep(&mut self, reparsed: Vec<(PathBuf, Reparsed)>, drafts: bool) {
        let changed = !reparsed.is_empty();
        let mut parsed_now = Vec::new();
        for (rel, reparsed) in reparsed {
            let (incident, diagnostics) = reparsed.parsed;
            let slug = incident.as_ref().map(|i| i.slug.clone());
            match incident {
                Some(i) if i.status == Status::Draft && !drafts => {}
                Some(i) => parsed_now.push(i),
                None => {}
            }
            let file = CachedFile {
                stamp: reparsed.stamp,
                diagnostics,
                slug,
            };
            self.files.insert(rel, file);
        }
        if changed {
            self.loaded.incidents.extend(shared_in_order(parsed_now));
            sort_incidents(&mut self.loaded.incidents);
        }
    }

    /// Every diagnostic of the listed files (in the order found) and of
    /// the walk, with duplicate slugs, sorted.
    fn diagnostics(&self) -> Vec<Diagnostic> {
        let files: Vec<(&Path, &CachedFile)> = self
            .listed
            .iter()
            .filter_map(|rel| Some((rel.as_path(), self.files.get(rel)?)))
            .collect();
        let mut out = self.walk_diagnostics.clone();
        for (_, file) in &files {
            out.extend(file.diagnostics.iter().cloned());
        }
        out.extend(duplicate_slugs(
            files
                .iter()
                .filter_map(|(rel, file)| Some((file.slug.as_deref()?, *rel))),
        ));
        diagnostic::sort(&mut out);
        out
    }
}

/// What a path a watcher named means for the listing, when that can be
/// told without walking `content/`.
enum Change {
    /// A postmortem, new or changed, to read.
    Postmortem,
    /// A listed postmortem that is gone.
    Gone,
    /// Nothing a load reads: a file that is no postmortem, or one that
    /// came and went.
    Nothing,
}

impl Change {
    /// What `rel` means for `listed` (sorted), or `None` when only a walk
    /// of `content/` can tell: outside `content/`, a folder, a symbolic
    /// link, a file in a folder that lists nothing.
    fn of(root: &Path, rel: &Path, listed: &[PathBuf]) -> Option<Change> {
        if rel.components().next() != Some(Component::Normal(CONTENT_DIR.as_ref())) {
            return None;
        }
        let kind = super::kinds::FileKind::of(rel);
        let postmortem = kind.is_some_and(super::kinds::FileKind::is_postmortem);
        match std::fs::symlink_metadata(root.join(rel)) {
            // A document kb passes over is warned about by a walk.
            Ok(m) if m.is_file() && kind.is_some() && !postmortem => None,
            Ok(m) if m.is_file() && !postmortem => Some(Change::Nothing),
            Ok(m) if m.is_file() => {
                holds_files(listed, rel.parent()?).then_some(Change::Postmortem)
            }
            Ok(_) => None,
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => None,
            Err(_) if listed.binary_search_by(|f| f.as_path().cmp(rel)).is_ok() => {
                Some(Change::Gone)
            }
            // Gone and never listed: a folder when it held listed files.
            Err(_) => (!holds_files(listed, rel)).then_some(Change::Nothing),
        }
    }
}

/// Whether some path of `listed` (sorted) is in `folder`, at any depth.
fn holds_files(listed: &[PathBuf], folder: &Path) -> bool {
    let at = listed.partition_point(|f| f.as_path() < folder);
    listed.get(at).is_some_and(|f| f.starts_with(folder))
}

/// A file read and parsed again.
struct Reparsed {
    stamp: Option<FileStamp>,
    parsed: Parsed,
}

/// What tells that a file changed without reading it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: u64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            inode: std::os::unix::fs::MetadataExt::ino(&m),
        })
    }
}

#[cfg(test)]
mod tests;
