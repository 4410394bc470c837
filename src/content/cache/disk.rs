//! The parse cache as bytes, kept between builds: `kb build` reads what the
//! last build parsed, parses again only the postmortems whose size,
//! modification time or inode changed, and writes the cache back when
//! anything did. Parsing is most of a build's work that does not depend
//! on the other postmortems; at 10,000 postmortems it is about a third.
//! This module only encodes and decodes: where the bytes are kept, which
//! build of kb is running and what time it is, the caller says (see
//! `cmd::build`'s cache file).
//!
//! The file: a magic line, a header naming the program that wrote it and
//! the configuration it parsed with, then one record per file (its stamp,
//! its diagnostics, its incident), each prefixed with its length, so that
//! the records are decoded in parallel. A cache from another build of kb
//! (a new version, or the same version compiled again), or one that does
//! not decode, is ignored: the build then parses everything.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{CachedFile, FileStamp, ParseCache};
use crate::content::{slug, sort_incidents};
use crate::diagnostic::{Code, Diagnostic, Position, Severity};
use crate::model::Incident;

/// The first bytes of a cache file.
const MAGIC: &[u8] = b"kb parse cache 1\n";

/// A change this recent may not show in a file's modification time (a
/// clock that ticks coarsely, a file system that keeps whole seconds): a
/// file changed so recently is left out of the cache, and parsed again by
/// the next build.
const SETTLE: Duration = Duration::from_secs(3);

#[derive(Serialize, Deserialize)]
struct Header<'a> {
    /// Which build of kb wrote the cache.
    program: Cow<'a, str>,
    /// The configuration and choice of drafts it parsed with.
    key: Cow<'a, str>,
}

/// One file, as written.
#[derive(Serialize)]
struct RecordRef<'a> {
    rel: &'a Path,
    stamp: &'a FileStamp,
    slug: Option<&'a str>,
    diagnostics: Vec<StoredDiagnostic<'a>>,
    incident: Option<&'a Incident>,
}

/// One file, as read: [`RecordRef`]'s fields, owned.
#[derive(Deserialize)]
struct Record {
    rel: PathBuf,
    stamp: FileStamp,
    slug: Option<String>,
    diagnostics: Vec<StoredDiagnostic<'static>>,
    incident: Option<Incident>,
}

impl Record {
    /// Whether a parse of its file could have given it: the incident is
    /// the file's, and the slug (which makes the page's path) is the file
    /// name's. A damaged cache that decodes is not trusted otherwise.
    fn is_consistent(&self) -> bool {
        let slug = slug::of_file(&self.rel);
        self.slug.as_ref().is_none_or(|s| *s == slug)
            && self
                .incident
                .as_ref()
                .is_none_or(|i| i.source == self.rel && i.slug == slug)
    }
}

/// A diagnostic, with its code by name.
#[derive(Serialize, Deserialize)]
struct StoredDiagnostic<'a> {
    error: bool,
    code: Cow<'a, str>,
    message: Cow<'a, str>,
    path: Cow<'a, Path>,
    position: Option<(usize, usize)>,
    line_text: Option<Cow<'a, str>>,
}

impl<'a> StoredDiagnostic<'a> {
    fn of(d: &'a Diagnostic) -> StoredDiagnostic<'a> {
        StoredDiagnostic {
            error: d.is_error(),
            code: Cow::Borrowed(d.code.as_str()),
            message: Cow::Borrowed(&d.message),
            path: Cow::Borrowed(&d.path),
            position: d.position.as_ref().map(|p| (p.line, p.column)),
            line_text: d.line_text.as_deref().map(Cow::Borrowed),
        }
    }

    /// The diagnostic; none when its code is no code of this build's.
    fn into_diagnostic(self) -> Option<Diagnostic> {
        Some(Diagnostic {
            severity: if self.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            code: Code::from_name(&self.code)?,
            message: self.message.into_owned(),
            path: self.path.into_owned(),
            position: self
                .position
                .map(|(line, column)| Position { line, column }),
            line_text: self.line_text.map(Cow::into_owned),
        })
    }
}

impl ParseCache {
    /// The cache `bytes` hold; an empty one when they are another build of
    /// kb's (`program` names the one running), or do not decode.
    pub fn decode(bytes: &[u8], program: &str) -> ParseCache {
        decode(bytes, program).unwrap_or_default()
    }

    /// Whether the cache holds anything the bytes it was decoded from do
    /// not: else there is nothing to write.
    pub fn changed(&self) -> bool {
        !self.stored
    }

    /// Writes the cache to `out`, as `program` (see [`ParseCache::decode`])
    /// at `now`: a file changed in the few seconds before is left out.
    pub fn encode(&self, out: &mut dyn Write, program: &str, now: SystemTime) -> io::Result<()> {
        let settled = now - SETTLE;
        let header = Header {
            program: Cow::Borrowed(program),
            key: Cow::Borrowed(&self.key),
        };
        out.write_all(MAGIC)?;
        out.write_all(&postcard::to_stdvec(&header).map_err(io::Error::other)?)?;
        // Encoded a few hundred at a time and written at once: the whole
        // cache (50 MB at 10,000 postmortems) is never in memory beside
        // the build.
        for chunk in self.ordered().chunks(RECORDS_AT_ONCE) {
            let records: Vec<Vec<u8>> = chunk
                .par_iter()
                .filter_map(|&(rel, file, incident)| record(rel, file, incident, settled))
                .collect();
            write_records(out, &records)?;
        }
        Ok(())
    }

    /// Every file with its incident, in the order the next build keeps
    /// them in memory: the files in the order of their incidents, then
    /// the files without one.
    fn ordered(&self) -> Vec<(&PathBuf, &CachedFile, Option<&Incident>)> {
        let incidents: FxHashMap<&Path, (usize, &Incident)> = self
            .loaded
            .incidents
            .iter()
            .enumerate()
            .map(|(n, i)| (i.source.as_path(), (n, Arc::as_ref(i))))
            .collect();
        let mut files: Vec<(usize, &PathBuf, &CachedFile, Option<&Incident>)> = self
            .files
            .iter()
            .map(|(rel, file)| {
                let found = incidents.get(rel.as_path());
                (
                    found.map_or(usize::MAX, |&(n, _)| n),
                    rel,
                    file,
                    found.map(|&(_, i)| i),
                )
            })
            .collect();
        files.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        files
            .into_iter()
            .map(|(_, rel, file, incident)| (rel, file, incident))
            .collect()
    }
}

/// How many records are encoded at once.
const RECORDS_AT_ONCE: usize = 512;

/// The record of the file at `rel`, unless it changed after `settled` (or
/// its path is not UTF-8): such a file is parsed again by the next build.
fn record(
    rel: &Path,
    file: &CachedFile,
    incident: Option<&Incident>,
    settled: SystemTime,
) -> Option<Vec<u8>> {
    let stamp = file.stamp.as_ref()?;
    if stamp.modified.is_none_or(|m| m > settled) {
        return None;
    }
    let record = RecordRef {
        rel,
        stamp,
        slug: file.slug.as_deref(),
        diagnostics: file.diagnostics.iter().map(StoredDiagnostic::of).collect(),
        incident,
    };
    postcard::to_stdvec(&record).ok()
}

/// Writes each record after its length.
fn write_records(out: &mut dyn Write, records: &[Vec<u8>]) -> io::Result<()> {
    for record in records {
        let len = u32::try_from(record.len()).map_err(io::Error::other)?;
        out.write_all(&len.to_le_bytes())?;
        out.write_all(record)?;
    }
    Ok(())
}

/// The cache `bytes` hold, when they are this build of kb's and whole.
fn decode(bytes: &[u8], program: &str) -> Option<ParseCache> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (header, mut rest) = postcard::take_from_bytes::<Header<'_>>(rest).ok()?;
    if header.program != program {
        return None;
    }
    let mut slices = Vec::new();
    while let Some((len, tail)) = rest.split_first_chunk::<4>() {
        let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
        if tail.len() < len {
            return None;
        }
        let (record, tail) = tail.split_at(len);
        slices.push(record);
        rest = tail;
    }
    if !rest.is_empty() {
        return None;
    }
    let records: Vec<Record> = slices
        .par_iter()
        .map(|slice| {
            postcard::from_bytes(slice)
                .ok()
                .filter(Record::is_consistent)
        })
        .collect::<Option<_>>()?;
    let mut cache = ParseCache {
        key: header.key.into_owned(),
        stored: true,
        ..ParseCache::default()
    };
    let mut incidents = Vec::new();
    for record in records {
        let file = CachedFile {
            stamp: Some(record.stamp),
            diagnostics: record
                .diagnostics
                .into_iter()
                .map(StoredDiagnostic::into_diagnostic)
                .collect::<Option<_>>()?,
            slug: record.slug,
        };
        incidents.extend(record.incident.map(Arc::new));
        cache.files.insert(record.rel, file);
    }
    sort_incidents(&mut incidents);
    cache.loaded.incidents = incidents;
    Some(cache)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::config::Config;
    use crate::content::CONTENT_DIR;
    use crate::content::tests::write;

    /// The program the tests' caches are written by.
    const PROGRAM: &str = "kb test";

    /// The cache in `file`, as a build reads it.
    fn read(file: &Path) -> ParseCache {
        ParseCache::decode(&std::fs::read(file).unwrap_or_default(), PROGRAM)
    }

    /// Writes `cache` to `file` now.
    fn save(cache: &ParseCache, file: &Path) {
        let mut bytes = Vec::new();
        cache
            .encode(&mut bytes, PROGRAM, SystemTime::now())
            .unwrap();
        std::fs::write(file, bytes).unwrap();
    }

    /// Writes `text` to `content/NAME` as if long ago, past [`SETTLE`].
    fn write_settled(root: &Path, name: &str, text: &str) {
        write(root, name, text);
        let file = std::fs::File::options()
            .write(true)
            .open(root.join(CONTENT_DIR).join(name))
            .unwrap();
        let past = SystemTime::now() - Duration::from_secs(3600);
        file.set_modified(past).unwrap();
    }

    /// A postmortem without front matter: warnings say what was inferred.
    const WARNED: &str = "# W went down\n\nOn 2025-01-02 the API failed from 10:00 to 11:40 UTC.\n";

    /// A site of three postmortems: one with keys kb does not know, a
    /// draft, and one without front matter (warnings).
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_settled(
            root,
            "a.md",
            "---\ntitle: A\nstarted: 2025-01-01T10:00:00+02:00\nresolved: 2025-01-01T11:30:00.25+02:00\ntimezone: Europe/Paris\nwho_knows: [1, {a: b}]\n---\n## Timeline\n\n- 10:05 detected it\n",
        );
        write_settled(
            root,
            "x/d.md",
            "+++\ntitle = \"D\"\nstatus = \"draft\"\n+++\n",
        );
        write_settled(root, "w.md", WARNED);
        dir
    }

    /// Loads the site at `root` and writes its cache; gives the cache's path.
    fn written(root: &Path) -> PathBuf {
        let file = root.join(".cache");
        let mut cache = read(&file);
        cache.load(root, &Config::default(), false);
        save(&cache, &file);
        file
    }

    #[test]
    fn a_cache_read_back_loads_what_a_fresh_load_does_without_parsing() {
        let dir = site();
        let root = dir.path();
        let file = root.join(".cache");
        let config = Config::default();
        let fresh = format!("{:?}", crate::content::load(root, &config, false));
        assert!(fresh.contains("who_knows") && fresh.contains("Europe/Paris"));
        assert!(fresh.contains("inferred") && fresh.contains(".25Z"));
        let mut first = read(&file);
        assert_eq!(format!("{:?}", first.load(root, &config, false)), fresh);
        save(&first, &file);
        let mut second = read(&file);
        assert!(second.stored);
        assert_eq!(second.files.len(), 3, "the draft and the warned file too");
        assert_eq!(format!("{:?}", second.load(root, &config, false)), fresh);
        assert!(second.stored, "nothing was parsed again");
        // Another choice of drafts parses everything again.
        let mut third = read(&file);
        let with_drafts = format!("{:?}", crate::content::load(root, &config, true));
        assert_eq!(
            format!("{:?}", third.load(root, &config, true)),
            with_drafts
        );
        assert!(!third.stored);
    }

    #[test]
    fn a_cache_of_more_records_than_are_encoded_at_once_reads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Two full rounds of encoding and part of a third.
        let n = 2 * RECORDS_AT_ONCE + 3;
        for i in 0..n {
            write_settled(
                root,
                &format!("p{i:04}.md"),
                &format!("---\ntitle: Outage {i}\nstarted: 2025-01-01T10:00:00Z\n---\nBody.\n"),
            );
        }
        let config = Config::default();
        let fresh = format!("{:?}", crate::content::load(root, &config, false));
        let file = written(root);
        let mut cache = read(&file);
        assert!(cache.stored);
        assert_eq!(cache.files.len(), n);
        assert_eq!(format!("{:?}", cache.load(root, &config, false)), fresh);
        assert!(cache.stored, "nothing was parsed again");
    }

    #[test]
    fn a_file_changed_since_is_parsed_again_and_a_recent_change_is_not_kept() {
        let dir = site();
        let root = dir.path();
        let (file, config) = (written(root), Config::default());
        // Same size, another time: the stamp differs.
        write(root, "w.md", &WARNED.replace("W went", "V went"));
        let mut cache = read(&file);
        let loaded = cache.load(root, &config, false).clone();
        assert!(loaded.incidents.iter().any(|i| i.title == "V went down"));
        assert!(!cache.stored);
        // Changed a moment ago, the file is left out of the cache.
        save(&cache, &file);
        let cache = read(&file);
        assert!(cache.files.contains_key(Path::new("content/a.md")));
        assert!(!cache.files.contains_key(Path::new("content/w.md")));
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_ignored() {
        let dir = site();
        let file = written(dir.path());
        let bytes = std::fs::read(&file).unwrap();
        let mut foreign = bytes.clone();
        let at = MAGIC.len() + 1;
        foreign[at] ^= 1;
        let damaged = [
            bytes[..bytes.len() - 1].to_vec(),
            [&bytes[..], b"\x05\0\0\0xx"].concat(),
            foreign,
            b"kb parse cache 0\n".to_vec(),
            Vec::new(),
        ];
        for bytes in damaged {
            std::fs::write(&file, &bytes).unwrap();
            let cache = read(&file);
            assert!(cache.files.is_empty() && !cache.stored);
        }
    }

    #[test]
    fn a_record_whose_slug_is_not_its_files_is_not_trusted() {
        let dir = site();
        let root = dir.path();
        let file = root.join(".cache");
        let mut cache = read(&file);
        cache.load(root, &Config::default(), false);
        Arc::make_mut(&mut cache.loaded.incidents[0]).slug = "../../outside".into();
        save(&cache, &file);
        let cache = read(&file);
        assert!(cache.files.is_empty() && !cache.stored);
    }
}
