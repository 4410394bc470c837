//! Loading: finds `content/**/*.md`, reads and parses every file in
//! parallel, and returns the incidents with every diagnostic, sorted.

mod datetime;
mod fields;
mod frontmatter;
mod incident;
pub mod infer;
pub mod markdown;
pub mod sections;
pub mod slug;
pub mod timeline;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::model::{Incident, Status};

pub use datetime::{parse_datetime, zone_from_text};
pub use frontmatter::{Format, FrontMatter, Split, split};

/// The folder postmortems live in, under the site root.
pub const CONTENT_DIR: &str = "content";

/// What loading found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Incidents that parsed, drafts left out unless asked for, sorted by
    /// start (unknown last), then slug.
    pub incidents: Vec<Incident>,
    /// Every error and warning, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads every postmortem under `root/content`.
pub fn load(root: &Path, config: &Config, drafts: bool) -> Loaded {
    load_keeping(root, config, drafts, false).0
}

/// Each file's text, normalised (see [`normalize`]), by its path relative
/// to the site root.
pub type Sources = HashMap<PathBuf, String>;

/// Loads like [`load`], and keeps the text of every file that gave an
/// incident, for warnings that point into it (`kb check`): each file is
/// read and parsed once.
pub fn load_with_sources(root: &Path, config: &Config, drafts: bool) -> (Loaded, Sources) {
    load_keeping(root, config, drafts, true)
}

fn load_keeping(root: &Path, config: &Config, drafts: bool, sources: bool) -> (Loaded, Sources) {
    let site_zone = config.time_zone().unwrap_or(TimeZone::UTC);
    let (files, diagnostics) = find_files(root, config.follow_symlinks_outside);
    let parsed: Vec<(Parsed, Option<String>)> = files
        .into_par_iter()
        .map(|rel| match read_source(root, &rel) {
            Ok(bytes) => {
                let parsed = parse_bytes(&rel, &bytes, config, &site_zone);
                let text = (sources && parsed.0.is_some()).then(|| normalized_text(bytes));
                (parsed, text.flatten())
            }
            Err(d) => ((None, vec![d]), None),
        })
        .collect();
    let mut incidents = Vec::with_capacity(parsed.len());
    let mut diagnostics = diagnostics;
    let mut texts = Sources::new();
    for ((incident, diags), text) in parsed {
        diagnostics.extend(diags);
        if let (Some(incident), Some(text)) = (&incident, text) {
            texts.insert(incident.source.clone(), text);
        }
        incidents.extend(incident);
    }
    (finish(incidents, diagnostics, drafts), texts)
}

/// A file's text as [`parse_bytes`] reads it; `None` when it is not UTF-8.
fn normalized_text(bytes: Vec<u8>) -> Option<String> {
    let text = String::from_utf8(bytes).ok()?;
    Some(match normalize(&text) {
        Cow::Borrowed(same) if same.len() == text.len() => text,
        other => other.into_owned(),
    })
}

/// One file's incident, when it gave one, and its diagnostics.
type Parsed = (Option<Incident>, Vec<Diagnostic>);

/// Loads like [`load`], but re-reads and re-parses only the files that
/// changed since `cache` last saw them (by size, modification time and
/// inode, or because [`ParseCache::invalidate`] named them). `kb serve`
/// keeps one cache for its whole life.
pub fn load_cached(root: &Path, config: &Config, drafts: bool, cache: &mut ParseCache) -> Loaded {
    let site_zone = config.time_zone().unwrap_or(TimeZone::UTC);
    let (files, mut diagnostics) = find_files(root, config.follow_symlinks_outside);
    cache.start(config);
    let mut old = std::mem::take(&mut cache.files);
    let fresh: Vec<(PathBuf, Option<CachedFile>)> = files
        .into_par_iter()
        .map(|rel| {
            let stamp = FileStamp::of(&root.join(&rel));
            let unchanged = stamp.is_some() && old.get(&rel).is_some_and(|c| c.stamp == stamp);
            let file = (!unchanged).then(|| CachedFile {
                stamp,
                parsed: read_and_parse(root, &rel, config, &site_zone),
            });
            (rel, file)
        })
        .collect();
    let mut incidents = Vec::with_capacity(fresh.len());
    for (rel, file) in fresh {
        let Some(file) = file.or_else(|| old.remove(&rel)) else {
            continue;
        };
        let (incident, diags) = &file.parsed;
        diagnostics.extend(diags.iter().cloned());
        incidents.extend(incident.iter().cloned());
        cache.files.insert(rel, file);
    }
    finish(incidents, diagnostics, drafts)
}

/// Checks slugs, leaves drafts out unless asked for, and sorts incidents by
/// start and diagnostics by file.
fn finish(mut incidents: Vec<Incident>, mut diagnostics: Vec<Diagnostic>, drafts: bool) -> Loaded {
    diagnostics.extend(duplicate_slugs(&incidents));
    incidents.retain(|i| drafts || i.status != Status::Draft);
    incidents.sort_by(|a, b| {
        (a.started.is_none(), a.started, &a.slug).cmp(&(b.started.is_none(), b.started, &b.slug))
    });
    diagnostic::sort(&mut diagnostics);
    Loaded {
        incidents,
        diagnostics,
    }
}

/// The largest postmortem kb reads, in bytes: a bigger file is refused
/// before it is read, so a stray dump in `content/` cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads `root/rel`, refusing files over `MAX_FILE_BYTES`.
pub fn read_source(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        Diagnostic::error("unreadable-file", rel, format!("cannot read the file: {e}"))
    };
    let file = std::fs::File::open(root.join(rel)).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    let too_large = |len: u64| {
        Diagnostic::error(
            "file-too-large",
            rel,
            format!(
                "the file is {} MB, over the {} MB a postmortem may have: move data out of content/",
                len.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
    };
    if len > MAX_FILE_BYTES {
        return Err(too_large(len));
    }
    // The file may grow between the check and the read: read one byte more
    // than allowed at most.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn read_and_parse(root: &Path, rel: &Path, config: &Config, site_zone: &TimeZone) -> Parsed {
    match read_source(root, rel) {
        Ok(bytes) => parse_bytes(rel, &bytes, config, site_zone),
        Err(d) => (None, vec![d]),
    }
}

/// Parsed files kept between loads, so a rebuild re-parses only what
/// changed. Parsing depends on the configuration too: a different one
/// empties the cache.
#[derive(Debug, Default)]
pub struct ParseCache {
    config: String,
    files: HashMap<PathBuf, CachedFile>,
}

impl ParseCache {
    /// Forgets `rel` (a path relative to the site root), so the next load
    /// parses it again even if its size and time look the same.
    pub fn invalidate(&mut self, rel: &Path) {
        self.files.remove(rel);
    }

    /// Empties the cache when `config` differs from the last load's.
    fn start(&mut self, config: &Config) {
        let key = format!("{config:?}");
        if key != self.config {
            self.files.clear();
            self.config = key;
        }
    }
}

#[derive(Debug)]
struct CachedFile {
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

/// Parses one file's bytes: UTF-8 (a byte-order mark is dropped), any line
/// ends.
pub fn parse_bytes(
    rel: &Path,
    bytes: &[u8],
    config: &Config,
    site_zone: &TimeZone,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let prefix = String::from_utf8_lossy(valid);
            let d = Diagnostic::error(
                "not-utf8",
                rel,
                "the file is not UTF-8 text: save it as UTF-8".to_owned(),
            );
            return (None, vec![d.at_offset(&prefix, prefix.len())]);
        }
    };
    let text = normalize(text);
    if text.trim().is_empty() {
        return (
            None,
            vec![Diagnostic::error(
                "empty-file",
                rel,
                "the file is empty: a postmortem needs at least a title",
            )],
        );
    }
    incident::parse(rel, &text, config, site_zone)
}

/// The text positions refer to: without a byte-order mark, `\n` line ends.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Every `.md` file under `content/`, relative to `root`, sorted. A
/// symbolic link to a place outside `root` is refused unless
/// `allow_outside`.
fn find_files(root: &Path, allow_outside: bool) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        let d = Diagnostic::warning(
            "no-content",
            Path::new(CONTENT_DIR),
            "there is no content/ folder: the site has no incidents",
        );
        return (files, vec![d]);
    }
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walk = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        if let Ok(e) = &entry
            && !allow_outside
            && let Some(d) = outside_site(e, &site, root)
        {
            diagnostics.push(d);
            if e.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                files.push(
                    e.path()
                        .strip_prefix(root)
                        .unwrap_or(e.path())
                        .to_path_buf(),
                );
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                let d = if e.loop_ancestor().is_some() {
                    Diagnostic::error(
                        "symlink-loop",
                        &rel,
                        "this symbolic link loops back to a folder above it: remove it",
                    )
                } else {
                    let cause = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    Diagnostic::error("unreadable-file", &rel, format!("cannot read: {cause}"))
                };
                diagnostics.push(d);
            }
        }
    }
    (files, diagnostics)
}

/// An error when `entry` is a symbolic link that leads out of `site` (the
/// canonical site folder).
fn outside_site(entry: &walkdir::DirEntry, site: &Path, root: &Path) -> Option<Diagnostic> {
    if !entry.path_is_symlink() {
        return None;
    }
    let target = entry.path().canonicalize().ok()?;
    if target.starts_with(site) {
        return None;
    }
    let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
    Some(Diagnostic::error(
        "symlink-outside-site",
        rel,
        format!(
            "this symbolic link leads outside the site folder (to {}): refused; set `follow_symlinks_outside = true` in site.toml to allow it",
            target.display()
        ),
    ))
}

/// An error for every file whose slug another file already has.
fn duplicate_slugs(incidents: &[Incident]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Path> = HashMap::new();
    let mut out = Vec::new();
    for incident in incidents {
        if let Some(other) = first.insert(&incident.slug, &incident.source) {
            first.insert(&incident.slug, other);
            out.push(Diagnostic::error(
                "duplicate-slug",
                &incident.source,
                format!(
                    "slug `{}` is also the slug of {}: rename one of the two files",
                    incident.slug,
                    other.display()
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_the_normalised_texts_of_the_incidents() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join(CONTENT_DIR);
        std::fs::create_dir(&content).unwrap();
        let plain = "+++\ntitle = \"Plain\"\n+++\nbody\n";
        std::fs::write(content.join("plain.md"), plain).unwrap();
        let windows = "\u{feff}+++\r\ntitle = \"Windows\"\r\n+++\r\nbody\r\n";
        std::fs::write(content.join("windows.md"), windows).unwrap();
        std::fs::write(content.join("empty.md"), "  \n").unwrap();
        let config = Config::default();
        let (loaded, sources) = load_with_sources(dir.path(), &config, false);
        let plain_path = Path::new("content/plain.md");
        let windows_path = Path::new("content/windows.md");
        assert_eq!(sources.len(), 2);
        assert_eq!(sources[plain_path], plain);
        assert_eq!(
            sources[windows_path],
            "+++\ntitle = \"Windows\"\n+++\nbody\n"
        );
        let again = load(dir.path(), &config, false);
        assert_eq!(
            format!("{:?}", loaded.incidents),
            format!("{:?}", again.incidents)
        );
        assert_eq!(loaded.diagnostics, again.diagnostics);
        assert_eq!(loaded.diagnostics[0].code, "empty-file");
    }
}
