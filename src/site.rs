//! A build, stage by stage: load, analyse, render, write. [`build`] takes
//! the site folder to a site ready to render (see [`Renderer`]) with every
//! diagnostic; [`build_to`] runs the whole of `kb build`: it loads with the
//! parse cache, renders every file in parallel and writes each one to the
//! output as it is made. Nothing here reads the clock or prints: the build
//! time comes in with the options, the cache's storage from the caller.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;

use jiff::Timestamp;

use crate::analysis;
use crate::analysis::search::IndexCache;
use crate::config::Config;
use crate::content;
use crate::content::ParseCache;
use crate::diagnostic::{Code, Diagnostic};
use crate::git::log::GitHistory;
use crate::git::{self, SiteGit};
use crate::output::{OutputLock, Staging, Stamp, TreeRecord, WriteStats, record::UnitRecord};
use crate::render::{Renderer, SiteData, theme::Theme};

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url` of site.toml.
    pub base_url: Option<String>,
    /// The build's time: "today" for overdue actions, the feed's fallback date.
    pub build_time: Timestamp,
    /// Whether and how to read each postmortem's history from git (one
    /// `git log` beside loading) for its page.
    pub git: GitHistory,
}

/// What a build made.
#[derive(Default)]
pub struct Build {
    /// The site, ready to render, when there was no error.
    pub site: Option<Renderer>,
    /// Every error and warning, sorted by file.
    pub diagnostics: Vec<Diagnostic>,
    /// How many incidents the site has.
    pub incidents: usize,
}

impl Build {
    /// How many HTML pages the site has.
    pub fn pages(&self) -> usize {
        self.site.as_ref().map_or(0, Renderer::pages)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Builds the site at `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Build {
    build_loading(root, options, |config| {
        content::load(root, config, options.drafts)
    })
}

/// Builds like [`build`], re-parsing only the postmortems that changed
/// since `cache` last saw them (`kb serve` rebuilds this way).
pub fn build_with(root: &Path, options: &BuildOptions, cache: &mut content::ParseCache) -> Build {
    build_loading(root, options, |config| {
        content::load_cached(root, config, options.drafts, cache)
    })
}

/// A build whose postmortems `load` reads.
fn build_loading(
    root: &Path,
    options: &BuildOptions,
    load: impl FnOnce(&Config) -> content::Loaded,
) -> Build {
    if let Some(url) = &options.base_url
        && let Err(e) = crate::config::check_base_url(url)
    {
        return Build {
            diagnostics: vec![Diagnostic::error(
                Code::InvalidBaseUrl,
                Path::new("--base-url"),
                e,
            )],
            ..Build::default()
        };
    }
    let (config, theme) = match settings(root) {
        Ok(settings) => settings,
        Err(d) => {
            return Build {
                diagnostics: vec![d],
                ..Build::default()
            };
        }
    };
    let timings = Timings::from_env();
    let history = git::log::Pending::start(root, &options.git);
    let loaded = load(&config);
    timings.lap("load");
    let git = SiteGit {
        history: history.finish(),
        repo: config.repo(),
        prefix: git::site_prefix(root).unwrap_or_default(),
    };
    timings.lap("git");
    let mut build = Build {
        diagnostics: loaded.diagnostics,
        incidents: loaded.incidents.len(),
        site: None,
    };
    if build.errors().next().is_some() {
        return build;
    }
    let analysis = analysis::analyse(&loaded.incidents, &config, options.build_time);
    timings.lap("analyse");
    build
        .diagnostics
        .extend(unknown_related(&loaded.incidents, &analysis));
    let base_url =
        crate::config::with_trailing_slash(options.base_url.as_deref().unwrap_or(&config.base_url));
    let data = SiteData {
        config,
        incidents: loaded.incidents,
        analysis,
        theme,
        base_url,
        build_time: options.build_time,
        git,
    };
    let site = Renderer::new(data);
    timings.lap("prepare");
    match site {
        Ok(site) => build.site = Some(site),
        Err(errors) => build.diagnostics.extend(errors),
    }
    build
}

/// The site's settings and theme.
fn settings(root: &Path) -> Result<(Config, Theme), Diagnostic> {
    let config = Config::load(root)?;
    let theme = Theme::load(root, &config.theme)?;
    Ok((config, theme))
}

/// A warning for each `related` slug that is no incident's.
fn unknown_related(
    incidents: &[std::sync::Arc<crate::model::Incident>],
    analysis: &analysis::Analysis,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (incident, links) in incidents.iter().zip(&analysis.links) {
        for slug in &links.unknown {
            warnings.push(Diagnostic::warning(
                Code::UnknownRelated,
                &incident.source,
                format!("`related` names `{slug}`, which is no incident's slug"),
            ));
        }
    }
    warnings
}

/// Where a build keeps its parse cache between runs: `kb build` keeps it
/// in a file beside the output (`cmd::cache_file`).
pub trait CacheStore: Sync {
    /// The cache the last build kept; an empty one when there is none.
    fn read(&self) -> ParseCache;
    /// Keeps `cache` for the next build.
    fn write(&self, cache: &ParseCache) -> io::Result<()>;
    /// Removes what builds killed while they kept a cache left behind;
    /// called only while the output's lock is held.
    fn remove_leftovers(&self);
    /// What the last build that wrote the output tree at `tree` (the
    /// output folder or its hidden sibling) recorded of it, when it is
    /// still there.
    fn read_record(&self, tree: &Path) -> Option<TreeRecord>;
    /// Keeps `record` as the record of the output tree at `tree`.
    fn write_record(&self, tree: &Path, record: &TreeRecord) -> io::Result<()>;
    /// What the last build kept of its search index; an empty cache when
    /// there is none.
    fn read_index(&self) -> IndexCache;
    /// Keeps `cache` for the next build's search index.
    fn write_index(&self, cache: &IndexCache) -> io::Result<()>;
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum WriteFailure {
    /// The build had errors (in [`Build::diagnostics`]).
    Build,
    /// Templates failed while the pages were made.
    Render(Vec<Diagnostic>),
    /// The output folder's lock could not be taken.
    Lock(io::Error),
    /// The output folder could not be written.
    Output(io::Error),
}

/// What [`build_to`] did.
pub struct Written {
    /// The build, with every diagnostic of loading it.
    pub build: Build,
    /// The parse cache as the build left it.
    pub cache: ParseCache,
    /// What was written, or why nothing was.
    pub result: Result<WriteStats, WriteFailure>,
    /// Why the parse cache could not be kept, when it could not.
    pub cache_error: Option<io::Error>,
}

/// Builds the site at `root` and writes it into `out` (atomically: a
/// failed build leaves `out` as it was), parsing only the postmortems that
/// changed since the cache `store` keeps, and keeping it for the next.
/// One build at a time writes an output folder ([`OutputLock`]): when
/// another holds it, `waiting` is told once, then the build waits.
pub fn build_to(
    root: &Path,
    options: &BuildOptions,
    out: &Path,
    store: Option<&dyn CacheStore>,
    waiting: &dyn Fn(&Path),
) -> Written {
    // Where the output's folder does not exist yet there is nothing to
    // read: the lock is taken, and the folder made, only when there is a
    // site to write (a failed build leaves no trace).
    let early = out.parent().is_none_or(Path::is_dir);
    let lock = match early.then(|| OutputLock::acquire(out, waiting)) {
        Some(Err(e)) => return Written::failed(Build::default(), ParseCache::default(), e),
        Some(Ok(lock)) => Some(lock),
        None => None,
    };
    if let (Some(_), Some(store)) = (&lock, store) {
        store.remove_leftovers();
    }
    // Listing what the output's hidden sibling holds walks a folder of the
    // whole site: it runs beside loading rather than after it, but for a
    // build that keeps records, which may find nothing to write (and then
    // needs no listing).
    let ((build, cache), staging) = rayon::join(
        || {
            let mut cache = store.map(CacheStore::read).unwrap_or_default();
            let build = build_with(root, options, &mut cache);
            (build, cache)
        },
        || {
            lock.as_ref()
                .filter(|_| store.is_none())
                .map(|_| Staging::open(out))
        },
    );
    let lock = match lock {
        None if build.site.is_some() => match OutputLock::acquire(out, waiting) {
            Ok(lock) => Some(lock),
            Err(e) => return Written::failed(build, cache, e),
        },
        lock => lock,
    };
    // The cache is written (when it changed) beside the rendering, by a
    // build that holds the lock.
    let records = store.filter(|_| lock.is_some());
    let (result, cache_error) = rayon::join(
        || write(&build, out, staging, records),
        || match store {
            Some(store) if lock.is_some() && cache.changed() => store.write(&cache).err(),
            _ => None,
        },
    );
    Written {
        build,
        cache,
        result,
        cache_error,
    }
}

impl Written {
    /// A build that could not take the output's lock.
    fn failed(build: Build, cache: ParseCache, e: io::Error) -> Written {
        Written {
            build,
            cache,
            result: Err(WriteFailure::Lock(e)),
            cache_error: None,
        }
    }
}

/// Renders `build`'s site, when it has one, through `staging` (opened now
/// when it was not yet): pages go to disk as they are made, so the site is
/// never whole in memory. With `records`, only what changed: when the
/// output folder holds every unit of files as the last build recorded it,
/// with the same fingerprints, nothing is rendered or written; else the
/// units the sibling holds as recorded are kept without being rendered or
/// read, the others rendered, and the new tree's record kept.
fn write(
    build: &Build,
    out: &Path,
    staging: Option<io::Result<Staging>>,
    records: Option<&dyn CacheStore>,
) -> Result<WriteStats, WriteFailure> {
    let site = build.site.as_ref().ok_or(WriteFailure::Build)?;
    let timings = Timings::from_env();
    let fingerprints = records.map(|_| site.fingerprints());
    timings.lap("fingerprint");
    if let (Some(records), Some(fingerprints)) = (records, &fingerprints)
        && let Some(stats) = unchanged(records, out, fingerprints)
    {
        timings.lap("check");
        return Ok(stats);
    }
    let sibling = records.and_then(|records| records.read_record(&crate::output::sibling(out)));
    let staging = staging
        .unwrap_or_else(|| Staging::open_listed(out, sibling.as_ref()))
        .map_err(WriteFailure::Output)?;
    let sibling = sibling.unwrap_or_default();
    let kept: HashSet<&str> = fingerprints
        .as_ref()
        .map(|f| sibling.intact(staging.dir(), f).into_iter().collect())
        .unwrap_or_default();
    for unit in &kept {
        for (path, stamp) in sibling.units.get(*unit).map_or(&[][..], |u| &u.files) {
            staging.keep(path, *stamp);
        }
    }
    timings.lap("check");
    let wanted = |unit: &str| !kept.contains(unit);
    let emit = |path: &str, bytes: &[u8]| staging.put(path, bytes);
    // Like the record, a search cache that cannot be kept costs the next
    // build time, not correctness.
    let keep = |index: IndexCache| {
        if let Some(records) = records.filter(|_| index.worth_keeping()) {
            let _ = records.write_index(&index);
        }
    };
    let rendered = match records {
        Some(records) => site.render_units_reusing(&wanted, &emit, &|| records.read_index(), &keep),
        None => site.render_units(&wanted, &emit),
    };
    timings.lap("render");
    rendered.map_err(WriteFailure::Render)?;
    let committed = staging.commit_stamped();
    let (stats, stamps) = committed.map_err(WriteFailure::Output)?;
    timings.lap("commit");
    if let (Some(records), Some(fingerprints)) = (records, fingerprints) {
        // A record that cannot be kept costs the next build time, not
        // correctness: it renders everything and compares bytes.
        let _ = records.write_record(out, &record(site, fingerprints, stamps));
    }
    Ok(stats)
}

/// When the output folder holds every unit of `fingerprints` as the last
/// build recorded it, and no other: what a build that writes nothing did.
fn unchanged(
    records: &dyn CacheStore,
    out: &Path,
    fingerprints: &[(String, u64)],
) -> Option<WriteStats> {
    let record = records.read_record(out)?;
    let all = record.units.len() == fingerprints.len()
        && record.intact(out, fingerprints).len() == fingerprints.len();
    all.then(|| WriteStats {
        written: 0,
        unchanged: record.files(),
        removed: 0,
    })
}

/// The record of a tree just written: each unit's fingerprint and its
/// files' stamps.
fn record(
    site: &Renderer,
    fingerprints: Vec<(String, u64)>,
    stamps: HashMap<String, Stamp>,
) -> TreeRecord {
    let mut files: HashMap<&str, Vec<(String, Stamp)>> = HashMap::new();
    for (path, stamp) in &stamps {
        files
            .entry(site.unit_of(path))
            .or_default()
            .push((path.clone(), *stamp));
    }
    let units = fingerprints
        .into_iter()
        .map(|(unit, fingerprint)| {
            let mut files = files.remove(unit.as_str()).unwrap_or_default();
            files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            (unit, UnitRecord { fingerprint, files })
        })
        .collect();
    TreeRecord { units }
}

/// Phase times on stderr when `KB_TIMINGS` is set (for benchmarks).
pub struct Timings(Option<Lap>);

/// When the last lap ended: the clock and the CPU time used by then.
struct Lap {
    wall: std::cell::Cell<std::time::Instant>,
    cpu: std::cell::Cell<std::time::Duration>,
}

impl Timings {
    /// Timings that print only when the environment asks for them.
    pub fn from_env() -> Timings {
        Timings(std::env::var_os("KB_TIMINGS").map(|_| Lap {
            wall: std::cell::Cell::new(std::time::Instant::now()),
            cpu: std::cell::Cell::new(cpu_time()),
        }))
    }

    /// Prints the time since the last lap as `phase`, with the CPU time
    /// all threads used meanwhile and the peak memory so far.
    pub fn lap(&self, phase: &str) {
        if let Some(last) = &self.0 {
            let (now, cpu) = (std::time::Instant::now(), cpu_time());
            eprintln!(
                "kb: {phase:>10} {:7.1} ms (CPU {:7.1} ms{})",
                (now - last.wall.get()).as_secs_f64() * 1000.0,
                (cpu.saturating_sub(last.cpu.get())).as_secs_f64() * 1000.0,
                peak_rss()
            );
            last.wall.set(now);
            last.cpu.set(cpu);
        }
    }
}

/// The CPU time (user and system) the process's threads have used so far.
#[cfg(unix)]
fn cpu_time() -> std::time::Duration {
    // SAFETY: getrusage fills the struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        std::time::Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_usec).unwrap_or(0) * 1000,
        )
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// No CPU time where `getrusage` is not there.
#[cfg(not(unix))]
fn cpu_time() -> std::time::Duration {
    std::time::Duration::ZERO
}

/// The process's peak resident set size so far, as `/proc` tells it
/// (empty where there is no `/proc`).
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!(", peak {} MB", kb / 1024))
        })
        .unwrap_or_default()
}
