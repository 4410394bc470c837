//! Loading: finds `content/**/*.{md,markdown,txt}`, reads and parses every file in
//! parallel, and returns the incidents with every diagnostic, sorted.

mod cache;
mod datetime;
mod fields;
mod frontmatter;
pub mod html;
mod incident;
pub mod infer;
pub mod kinds;
mod limits;
mod lines;
pub mod markdown;
mod order;
pub mod plain;
pub mod schema;
pub mod sections;
pub mod slug;
pub mod timeline;
mod yaml_direct;
mod yaml_lines;
mod yaml_scalar;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::tz::TimeZone;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::model::{Incident, Status};

pub use cache::{ParseCache, load_cached};
pub use datetime::{parse_datetime, zone_from_text};
pub use frontmatter::{Format, FrontMatter, Split, split};

/// The folder postmortems live in, under the site root.
pub const CONTENT_DIR: &str = "content";

/// What loading found.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    /// Incidents that parsed, drafts left out unless asked for, sorted by
    /// start (unknown last), then slug. Shared, so that a copy of what
    /// loaded (`kb serve` keeps one between rebuilds) copies no incident.
    pub incidents: Vec<Arc<Incident>>,
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
    let site_zone = config.time_zone().clone();
    let Found {
        files, diagnostics, ..
    } = find_files(root, config.follow_symlinks_outside);
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

/// Checks slugs, leaves drafts out unless asked for, and sorts incidents by
/// start and diagnostics by file.
fn finish(mut incidents: Vec<Incident>, mut diagnostics: Vec<Diagnostic>, drafts: bool) -> Loaded {
    diagnostics.extend(duplicate_slugs(
        incidents
            .iter()
            .map(|i| (i.slug.as_str(), i.source.as_path())),
    ));
    incidents.retain(|i| drafts || i.status != Status::Draft);
    diagnostic::sort(&mut diagnostics);
    Loaded {
        incidents: shared_in_order(incidents),
        diagnostics,
    }
}

/// The order of incidents: by start (unknown last), then slug, then file.
/// Ties keep the order files are found in.
fn start_order(i: &Incident) -> (bool, Option<jiff::Timestamp>, &str, &Path) {
    (i.started.is_none(), i.started, &i.slug, &i.source)
}

/// `incidents` sorted (see [`start_order`]) and shared, moving each
/// incident once: they are large. They are allocated in that order, so
/// that analysis and rendering, which walk them in it, read memory in
/// order (allocated in the order files are found, the 10,000-postmortem
/// bench took a quarter longer to analyse).
fn shared_in_order(incidents: Vec<Incident>) -> Vec<Arc<Incident>> {
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    order.sort_by(|&a, &b| start_order(&incidents[a]).cmp(&start_order(&incidents[b])));
    let mut slots: Vec<Option<Incident>> = incidents.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots[i].take())
        .map(Arc::new)
        .collect()
}

/// Sorts shared incidents (see [`start_order`]).
fn sort_incidents(incidents: &mut [Arc<Incident>]) {
    incidents.sort_by(|a, b| start_order(a).cmp(&start_order(b)));
}

/// The largest postmortem kb reads, in bytes: a bigger file is refused
/// before it is read, so a stray dump in `content/` cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Opens the regular file at `path` for reading. Anything else (a FIFO,
/// `/dev/zero`, a socket, a folder) is refused: opened without blocking
/// (a FIFO with no writer would wait forever) and checked once open.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a device, a pipe, a socket or a folder)",
        ));
    }
    Ok(file)
}

/// Reads `root/rel`, refusing files over `MAX_FILE_BYTES`.
pub fn read_source(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(
            Code::UnreadableFile,
            rel,
            format!("cannot read the file: {e}"),
        )
    };
    let file = open_regular(&root.join(rel)).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    let too_large = |len: u64| {
        Diagnostic::error(
            Code::FileTooLarge,
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
                Code::NotUtf8,
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
            vec![
                Diagnostic::error(
                    Code::EmptyFile,
                    rel,
                    "the file is empty: a postmortem needs at least a title",
                )
                .at(&text, 1, 1),
            ],
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

/// Swap, backup and temporary files that editors write beside a file, and
/// hidden files and folders: no walk of `content/` lists them, and no
/// change to them rebuilds `kb serve`, so the two always agree.
pub fn is_editor_litter(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".kate-swp",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        || name.contains(".goutputstream-")
}

/// What a walk of `content/` found.
#[derive(Debug, Default)]
struct Found {
    /// Every postmortem file, relative to the site root, sorted.
    files: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
    /// Whether the walk met a symbolic link: a file may then change under
    /// another path than the one listed.
    links: bool,
}

/// Every postmortem file under `content/` (see [`kinds`]), relative to
/// `root`, sorted, and a warning for each other document. A symbolic link
/// to a place outside `root` is refused unless `allow_outside`.
fn find_files(root: &Path, allow_outside: bool) -> Found {
    let mut found = Found::default();
    let dir = root.join(CONTENT_DIR);
    if dir.exists() && !dir.is_dir() {
        let d = Diagnostic::error(
            Code::ContentNotAFolder,
            Path::new(CONTENT_DIR),
            "content/ is a file, not a folder: postmortems go in a folder named content/",
        );
        found.diagnostics.push(d);
        return found;
    }
    if !dir.is_dir() {
        let d = Diagnostic::warning(
            Code::NoContent,
            Path::new(CONTENT_DIR),
            "there is no content/ folder: the site has no incidents",
        );
        found.diagnostics.push(d);
        return found;
    }
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walk = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(is_editor_litter));
    while let Some(entry) = walk.next() {
        found.links |= entry
            .as_ref()
            .map_or_else(|e| e.loop_ancestor().is_some(), |e| e.path_is_symlink());
        if let Ok(e) = &entry
            && !allow_outside
            && let Some(d) = outside_site(e, &site, root)
        {
            found.diagnostics.push(d);
            if e.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        match entry {
            Ok(e) if e.file_type().is_file() && kinds::is_postmortem(e.path()) => {
                found.files.push(
                    e.path()
                        .strip_prefix(root)
                        .unwrap_or(e.path())
                        .to_path_buf(),
                );
            }
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                found.diagnostics.extend(kinds::passed_over(rel));
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                let d = if e.loop_ancestor().is_some() {
                    Diagnostic::error(
                        Code::SymlinkLoop,
                        &rel,
                        "this symbolic link loops back to a folder above it: remove it",
                    )
                } else {
                    let cause = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    Diagnostic::error(Code::UnreadableFile, &rel, format!("cannot read: {cause}"))
                };
                found.diagnostics.push(d);
            }
        }
    }
    found
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
        Code::SymlinkOutsideSite,
        rel,
        format!(
            "this symbolic link leads outside the site folder (to {}): refused; set `follow_symlinks_outside = true` in site.toml to allow it",
            target.display()
        ),
    ))
}

/// An error for every file whose slug another file already has, given
/// each incident's slug and file in the order the files were found.
fn duplicate_slugs<'a>(incidents: impl Iterator<Item = (&'a str, &'a Path)>) -> Vec<Diagnostic> {
    let mut first: FxHashMap<&str, &Path> = FxHashMap::default();
    let mut out = Vec::new();
    for (slug, source) in incidents {
        if let Some(&other) = first.get(slug) {
            out.push(Diagnostic::error(
                Code::DuplicateSlug,
                source,
                format!(
                    "slug `{slug}` is also the slug of {}: rename one of the two files",
                    other.display()
                ),
            ));
        } else {
            first.insert(slug, source);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` to `content/NAME` under `root`, making its folders.
    pub(super) fn write(root: &Path, name: &str, text: &str) {
        let path = root.join(CONTENT_DIR).join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// What `kb serve`'s watcher ignores, a walk does not list.
    #[test]
    fn editor_litter_is_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.md", ".hidden.md", ".notes/b.md", "c.md~", "#d.md#"] {
            write(dir.path(), name, "x");
        }
        let found = find_files(dir.path(), false);
        assert_eq!(found.files, [Path::new("content/a.md")]);
    }

    /// The parse cache inserts new files into the last listing by path.
    #[test]
    fn files_are_found_in_the_order_of_paths() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "a.md",
            "a b.md",
            "a/x.md",
            "a/b/c.md",
            "B.md",
            "a-b.md",
            "\u{e4}.md",
            "a.md.d/z.md",
        ];
        for name in names {
            write(dir.path(), name, "x");
        }
        let found = find_files(dir.path(), false);
        assert!(found.diagnostics.is_empty(), "{found:?}");
        assert!(!found.links);
        assert_eq!(found.files.len(), names.len());
        let mut sorted = found.files.clone();
        sorted.sort();
        assert_eq!(found.files, sorted);
    }

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
        assert_eq!(loaded.diagnostics[0].code, Code::EmptyFile);
    }
}
