//! The parse cache of `kb serve`: what the last load found, kept between
//! loads, so that a rebuild re-reads and re-parses only the files that
//! changed and neither parses nor copies the incidents of the others.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    Loaded, Parsed, duplicate_slugs, find_files, read_and_parse, shared_in_order, sort_incidents,
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
    /// What the last load gave.
    loaded: Loaded,
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
    /// Forgets `rel` (a path relative to the site root), so the next load
    /// parses it again even if its size and time look the same.
    pub fn invalidate(&mut self, rel: &Path) {
        // A file without a stamp never looks unchanged; one that is gone is
        // forgotten as any unlisted file is.
        if let Some(file) = self.files.get_mut(rel) {
            file.stamp = None;
        }
    }

    /// Loads like [`super::load`], re-reading and re-parsing only the files
    /// that changed since the last load (by size, modification time and
    /// inode, or because [`ParseCache::invalidate`] named them), and keeps
    /// the result, which the cache lends: the incidents of unchanged files
    /// are neither parsed nor copied. `kb serve` keeps one cache for its
    /// whole life.
    pub fn load(&mut self, root: &Path, config: &Config, drafts: bool) -> &Loaded {
        self.start(config, drafts);
        let site_zone = config.time_zone().unwrap_or(TimeZone::UTC);
        let (files, walk_diagnostics) = find_files(root, config.follow_symlinks_outside);
        let known = &self.files;
        let mut fresh: Vec<Listed> = files
            .into_par_iter()
            .map(|rel| {
                let stamp = FileStamp::of(&root.join(&rel));
                let unchanged =
                    stamp.is_some() && known.get(&rel).is_some_and(|c| c.stamp == stamp);
                let parsed = (!unchanged).then(|| Reparsed {
                    stamp,
                    parsed: read_and_parse(root, &rel, config, &site_zone),
                });
                Listed { rel, parsed }
            })
            .collect();
        self.forget_stale(&fresh);
        let changed = fresh.iter().any(|f| f.parsed.is_some());
        let mut parsed_now = Vec::new();
        for Listed { rel, parsed } in &mut fresh {
            let Some(Reparsed {
                stamp,
                parsed: (incident, diagnostics),
            }) = parsed.take()
            else {
                continue;
            };
            let slug = incident.as_ref().map(|i| i.slug.clone());
            match incident {
                Some(i) if i.status == Status::Draft && !drafts => {}
                Some(i) => parsed_now.push(i),
                None => {}
            }
            let file = CachedFile {
                stamp,
                diagnostics,
                slug,
            };
            self.files.insert(rel.clone(), file);
        }
        if changed {
            self.loaded.incidents.extend(shared_in_order(parsed_now));
            sort_incidents(&mut self.loaded.incidents);
        }
        self.loaded.diagnostics = self.diagnostics(&fresh, walk_diagnostics);
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

    /// Drops what the cache holds of files that are gone or are parsed
    /// again (`fresh` lists every file, with its new parse if it has one).
    fn forget_stale(&mut self, fresh: &[Listed]) {
        let listed: FxHashSet<&Path> = fresh.iter().map(|f| f.rel.as_path()).collect();
        let mut stale: FxHashSet<PathBuf> = self
            .files
            .keys()
            .filter(|rel| !listed.contains(rel.as_path()))
            .cloned()
            .collect();
        stale.extend(
            fresh
                .iter()
                .filter(|f| f.parsed.is_some())
                .map(|f| f.rel.clone()),
        );
        if stale.is_empty() {
            return;
        }
        self.files.retain(|rel, _| listed.contains(rel.as_path()));
        self.loaded.incidents.retain(|i| !stale.contains(&i.source));
    }

    /// Every diagnostic of the files in `fresh` (in the order found) and
    /// of the walk, with duplicate slugs, sorted.
    fn diagnostics(&self, fresh: &[Listed], mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let files: Vec<(&Path, &CachedFile)> = fresh
            .iter()
            .filter_map(|f| Some((f.rel.as_path(), self.files.get(&f.rel)?)))
            .collect();
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

/// A file found by a load, with its new parse when it changed.
struct Listed {
    rel: PathBuf,
    parsed: Option<Reparsed>,
}

/// A file read and parsed again.
struct Reparsed {
    stamp: Option<FileStamp>,
    parsed: Parsed,
}

/// What tells that a file changed without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
mod tests {
    use std::sync::Arc;

    use super::*;

    /// The cache's load and a fresh load, as text.
    fn both(root: &Path, cache: &mut ParseCache, drafts: bool) -> (String, String) {
        let config = Config::default();
        let cached = format!("{:?}", cache.load(root, &config, drafts));
        let fresh = format!("{:?}", super::super::load(root, &config, drafts));
        (cached, fresh)
    }

    fn write(root: &Path, name: &str, text: &str) {
        let path = root.join("content").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn postmortem(title: &str, day: u8, status: &str) -> String {
        format!(
            "+++\ntitle = \"{title}\"\nstatus = \"{status}\"\nstarted = 2025-01-{day:02}T10:00:00Z\n+++\nbody\n"
        )
    }

    /// A site whose `content/` holds `files` (name, text).
    fn site(files: &[(&str, String)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            write(dir.path(), name, text);
        }
        dir
    }

    #[test]
    fn a_cached_load_is_a_fresh_load() {
        let dir = site(&[
            ("a.md", postmortem("A", 3, "final")),
            ("b.md", postmortem("B", 1, "final")),
            ("x/c.md", postmortem("C", 2, "draft")),
        ]);
        let root = dir.path();
        let mut cache = ParseCache::default();
        for drafts in [false, true, false] {
            let (cached, fresh) = both(root, &mut cache, drafts);
            assert_eq!(cached, fresh);
        }
        // An edit that moves an incident, a new file with a slug taken, a
        // file that no longer parses, a draft made final, a file gone.
        write(root, "a.md", &postmortem("A, later", 9, "final"));
        write(root, "x/A.md", &postmortem("Another A", 4, "final"));
        write(root, "b.md", "+++\ntitle = \n+++\n");
        write(root, "x/c.md", &postmortem("C", 2, "final"));
        let (cached, fresh) = both(root, &mut cache, false);
        assert_eq!(cached, fresh);
        assert!(cached.contains("duplicate-slug") && cached.contains("invalid-toml"));
        std::fs::remove_file(root.join("content/x/A.md")).unwrap();
        write(root, "b.md", &postmortem("B", 1, "draft"));
        let (cached, fresh) = both(root, &mut cache, false);
        assert_eq!(cached, fresh);
        assert!(!cached.contains("duplicate-slug"));
    }

    #[test]
    fn a_load_shares_the_incidents_of_unchanged_files() {
        let dir = site(&[
            ("a.md", postmortem("A", 1, "final")),
            ("b.md", postmortem("B", 2, "final")),
        ]);
        let root = dir.path();
        let mut cache = ParseCache::default();
        let config = Config::default();
        let first = load_cached(root, &config, false, &mut cache);
        write(root, "b.md", &postmortem("B, edited", 2, "final"));
        let second = load_cached(root, &config, false, &mut cache);
        assert!(Arc::ptr_eq(&first.incidents[0], &second.incidents[0]));
        assert!(!Arc::ptr_eq(&first.incidents[1], &second.incidents[1]));
        assert_eq!(second.incidents[1].title, "B, edited");
    }

    #[test]
    fn an_invalidated_file_is_parsed_again() {
        let dir = site(&[("a.md", postmortem("A", 3, "final"))]);
        let root = dir.path();
        let mut cache = ParseCache::default();
        let config = Config::default();
        assert_eq!(cache.load(root, &config, false).incidents.len(), 1);
        // Same size, and the cache is told rather than left to notice.
        write(root, "a.md", &postmortem("Z", 3, "final"));
        cache.invalidate(Path::new("content/a.md"));
        let loaded = cache.load(root, &config, false);
        assert_eq!(loaded.incidents.len(), 1);
        assert_eq!(loaded.incidents[0].title, "Z");
        // Gone, and the cache is told first.
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        cache.invalidate(Path::new("content/a.md"));
        assert!(cache.load(root, &config, false).incidents.is_empty());
    }
}
