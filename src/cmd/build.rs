//! `kb build`: builds the site and writes it atomically.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use crate::content::ParseCache;
use crate::output::{self, Staging};
use crate::site::{self, Build, BuildOptions};

/// Runs a build; returns the process exit code. With `cache`, the build
/// parses only the postmortems that changed since the last build into
/// `out` (see [`ParseCache::read`]), and keeps what it parsed for the next.
pub fn run(root: &Path, drafts: bool, base_url: Option<String>, out: &Path, cache: bool) -> i32 {
    let started = Instant::now();
    let options = BuildOptions {
        drafts,
        base_url,
        build_time: super::build_time(),
    };
    let out_dir = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    // One build at a time writes an output folder: a second waits here.
    // Where the output's folder does not exist yet there is nothing to
    // read: the lock is taken, and the folder made, only when there is a
    // site to write (a failed build leaves no trace).
    let early = out_dir.parent().is_none_or(Path::is_dir);
    let lock = match early.then(|| lock(out, &out_dir)).transpose() {
        Ok(lock) => lock,
        Err(code) => return code,
    };
    let cache_path = cache.then(|| output::cache_file(&out_dir));
    if lock.is_some() {
        ParseCache::remove_leftovers(&output::cache_file(&out_dir));
    }
    // Listing what the output's hidden sibling holds walks a folder of the
    // whole site: it runs beside loading rather than after it.
    let ((build, parse_cache), staging) = rayon::join(
        || {
            let mut parse_cache = cache_path
                .as_deref()
                .map(ParseCache::read)
                .unwrap_or_default();
            let build = site::build_with(root, &options, &mut parse_cache);
            (build, parse_cache)
        },
        || lock.as_ref().map(|_| Staging::open(&out_dir)),
    );
    let output = Output {
        out,
        out_dir: &out_dir,
        lock,
        staging,
    };
    let save = || {
        if let Some(path) = &cache_path
            && let Err(e) = parse_cache.write(path)
        {
            eprintln!("kb: cannot write the parse cache {}: {e}", path.display());
        }
    };
    // The cache is written (when it changed) beside the rendering.
    let (code, ()) = rayon::join(|| write(&build, output, started), save);
    // The process exits next: freeing the incidents, their rows and the
    // analysis one allocation at a time would only delay that, by about
    // 100 ms at 10,000 postmortems.
    std::mem::forget(build);
    std::mem::forget(parse_cache);
    code
}

/// Takes the lock on the output folder `out_dir` (`out` as the user wrote
/// it), waiting for another build; the exit code when it cannot.
fn lock(out: &Path, out_dir: &Path) -> Result<output::OutputLock, i32> {
    output::OutputLock::acquire(out_dir, |lock| {
        eprintln!(
            "kb: another build is writing {}; waiting for it to finish (lock: {})",
            out.display(),
            lock.display()
        );
    })
    .map_err(|e| {
        eprintln!("kb: cannot lock {}: {e}", out_dir.display());
        1
    })
}

/// Where a build writes: the output folder, its lock and its sibling, the
/// last two taken up front when the output's folder exists.
struct Output<'a> {
    out: &'a Path,
    out_dir: &'a Path,
    lock: Option<output::OutputLock>,
    staging: Option<std::io::Result<Staging>>,
}

/// Reports `build`'s diagnostics and, when it has a site, writes it
/// through `output`; returns the exit code.
fn write(build: &Build, output: Output<'_>, started: Instant) -> i32 {
    let Output {
        out,
        out_dir,
        lock: held,
        staging,
    } = output;
    let color = std::io::stderr().is_terminal();
    for d in &build.diagnostics {
        eprintln!("{}", super::report::render(d, color));
    }
    let errors = build.errors().count();
    let warnings = build.diagnostics.len() - errors;
    let failed = |errors: usize, warnings: usize| {
        eprintln!(
            "kb: build failed: {errors} error(s), {warnings} warning(s); {} left as it was",
            out.display()
        );
        1
    };
    let Some(site) = &build.site else {
        return failed(errors, warnings);
    };
    let _held = match held {
        Some(held) => held,
        None => match lock(out, out_dir) {
            Ok(held) => held,
            Err(code) => return code,
        },
    };
    let staging = match staging.unwrap_or_else(|| Staging::open(out_dir)) {
        Ok(staging) => staging,
        Err(e) => {
            eprintln!("kb: cannot write {}: {e}", out_dir.display());
            return 1;
        }
    };
    let timings = site::Timings::from_env();
    // Pages go to disk as they are made: the site is never whole in memory.
    let rendered = site.render_all(&|path, bytes| staging.put(path, bytes));
    timings.lap("render");
    if let Err(render_errors) = rendered {
        for d in &render_errors {
            eprintln!("{}", super::report::render(d, color));
        }
        return failed(render_errors.len(), warnings);
    }
    let committed = staging.commit();
    timings.lap("commit");
    match committed {
        Ok(stats) => {
            println!(
                "kb: {} incidents, {} pages, {} warnings, {} files written, {} unchanged, {} ms",
                build.incidents,
                build.pages(),
                warnings,
                stats.written,
                stats.unchanged,
                started.elapsed().as_millis()
            );
            0
        }
        Err(e) => {
            eprintln!("kb: cannot write {}: {e}", out_dir.display());
            1
        }
    }
}
