//! Watching the site's inputs: `content/`, `themes/` and `site.toml`. Events
//! are debounced (an editor's save is several events) and filtered: editor
//! swap and backup files and everything else in the site folder (the output
//! folder, `target/`) are ignored. What comes out is the list of changed
//! paths, relative to the site root.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{self, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};

/// How long the inputs must stay quiet before a rebuild.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// The folders watched recursively, under the site root.
pub const FOLDERS: [&str; 2] = [crate::content::CONTENT_DIR, "themes"];

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl Watcher {
    /// Watches the site at `root` (an absolute path) and sends each batch of
    /// relevant changed paths to `changes`.
    pub fn start(root: &Path, changes: Sender<Vec<PathBuf>>) -> notify::Result<Watcher> {
        let base = root.to_path_buf();
        let debouncer = new_debouncer(
            DEBOUNCE,
            Some(DEBOUNCE / 5),
            move |result: DebounceEventResult| {
                let paths = match result {
                    Ok(events) => changed_paths(&base, &events),
                    Err(_) => lost_track(),
                };
                if !paths.is_empty() {
                    let _ = changes.send(paths);
                }
            },
        )?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
        };
        watcher.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watcher.watch_folders();
        Ok(watcher)
    }

    /// Watches `content/` and `themes/` if they exist; call again after they
    /// appear. Watching a folder twice is harmless.
    pub fn watch_folders(&mut self) {
        for folder in FOLDERS {
            let dir = self.root.join(folder);
            if dir.is_dir() {
                let _ = self.debouncer.watch(&dir, RecursiveMode::Recursive);
            }
        }
    }
}

/// The relevant paths that `events` changed, relative to `root`.
fn changed_paths(root: &Path, events: &[DebouncedEvent]) -> Vec<PathBuf> {
    // A queue overflow comes as a rescan event without paths.
    if events.iter().any(|e| e.need_rescan()) {
        return lost_track();
    }
    events
        .iter()
        .filter(|e| changes_files(&e.kind))
        .flat_map(|e| e.paths.iter())
        .filter_map(|p| relevant(root, p))
        .collect()
}

/// What the watcher names when it lost track of changes: `site.toml`, which
/// rebuilds everything and walks `content/` again.
fn lost_track() -> Vec<PathBuf> {
    vec![PathBuf::from(crate::config::FILE_NAME)]
}

/// False for reads (a build opens every file), true for writes, creations,
/// removals and renames.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// `path` relative to `root`, when a change there can change the site.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = match parts.next()? {
        Component::Normal(first) => first.to_str()?,
        _ => return None,
    };
    let inputs = first == crate::config::FILE_NAME || FOLDERS.contains(&first);
    let name = rel.file_name()?.to_str()?;
    (inputs && !crate::content::is_editor_litter(name)).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_count() {
        let root = Path::new("/kb");
        let yes = [
            "/kb/content/a.md",
            "/kb/content/2024/b.md",
            "/kb/site.toml",
            "/kb/themes/x/templates/base.html",
            "/kb/content",
        ];
        for p in yes {
            assert!(relevant(root, Path::new(p)).is_some(), "{p}");
        }
        let no = [
            "/kb/public/index.html",
            "/kb/.public.kb-swap/index.html",
            "/kb/target/debug/kb",
            "/kb/content/.a.md.swp",
            "/kb/content/a.md~",
            "/kb/content/4913",
            "/kb/content/#a.md#",
            "/kb/content/.#a.md",
            "/elsewhere/content/a.md",
        ];
        for p in no {
            assert!(relevant(root, Path::new(p)).is_none(), "{p}");
        }
        assert_eq!(
            relevant(root, Path::new("/kb/content/a.md")),
            Some(PathBuf::from("content/a.md"))
        );
    }

    #[test]
    fn a_watcher_that_lost_track_names_site_toml() {
        use notify::event::{Event, Flag};
        let root = Path::new("/kb");
        let now = std::time::Instant::now();
        let edit = Event::new(EventKind::Any).add_path(PathBuf::from("/kb/content/a.md"));
        let rescan = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        let edited = [DebouncedEvent::new(edit.clone(), now)];
        assert_eq!(changed_paths(root, &edited), [Path::new("content/a.md")]);
        let lost = [
            DebouncedEvent::new(edit, now),
            DebouncedEvent::new(rescan, now),
        ];
        assert_eq!(changed_paths(root, &lost), [Path::new("site.toml")]);
    }
}
