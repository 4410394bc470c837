//! `kb build`: builds the site and writes it atomically (see
//! [`site::build_to`]), reports what it did, and keeps the site's front
//! matter schema current.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::cache_file::CacheFile;
use crate::diagnostic::Diagnostic;
use crate::git::log::GitHistory;
use crate::output;
use crate::site::{self, BuildOptions, WriteFailure, Written};

/// What `kb build` was asked for.
#[derive(Debug, Clone)]
pub struct BuildArgs {
    /// Include drafts.
    pub drafts: bool,
    /// Overrides site.toml's `base_url`.
    pub base_url: Option<String>,
    /// The output folder (relative to the site root unless absolute).
    pub output: PathBuf,
    /// Read and write the parse cache.
    pub cache: bool,
    /// Read the postmortems' history from git.
    pub git: bool,
}

/// Runs a build; returns the process exit code. With `cache`, the build
/// parses only the postmortems that changed since the last build into
/// `out` (see [`CacheFile`]), and keeps what it parsed for the next.
pub fn run(root: &Path, args: &BuildArgs) -> i32 {
    let started = Instant::now();
    let out = args.output.as_path();
    let out_dir = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: args.base_url.clone(),
        build_time: super::build_time(),
        git: git_history(args, &out_dir),
    };
    let cache_file = args.cache.then(|| CacheFile::beside(&out_dir));
    let store = cache_file.as_ref().map(|f| f as &dyn site::CacheStore);
    // One build at a time writes an output folder: a second waits.
    let waiting = |lock: &Path| {
        eprintln!(
            "kb: another build is writing {}; waiting for it to finish (lock: {})",
            out.display(),
            lock.display()
        );
    };
    let written = site::build_to(root, &options, &out_dir, store, &waiting);
    if let (Some(file), Some(e)) = (&cache_file, &written.cache_error) {
        eprintln!(
            "kb: cannot write the parse cache {}: {e}",
            file.path().display()
        );
    }
    let code = report(&written, out, &out_dir, started);
    if code == 0 {
        keep_schema_current(root);
    }
    // The process exits next: freeing the incidents, their rows and the
    // analysis one allocation at a time would only delay that, by about
    // 100 ms at 10,000 postmortems.
    std::mem::forget(written);
    code
}

/// How the build reads git: the history read is kept beside the output
/// too, with the parse cache, so that the next build reads only the
/// commits since.
fn git_history(args: &BuildArgs, out_dir: &Path) -> GitHistory {
    match (args.git, args.cache) {
        (false, _) => GitHistory::Off,
        (true, false) => GitHistory::Read,
        (true, true) => GitHistory::Cached {
            path: output::cache_file(out_dir).with_extension("kb-history"),
            program: super::program(),
        },
    }
}

/// Prints the build's diagnostics and its summary line; gives the exit code.
fn report(written: &Written, out: &Path, out_dir: &Path, started: Instant) -> i32 {
    let color = std::io::stderr().is_terminal();
    let print = |d: &Diagnostic| eprintln!("{}", super::report::render(d, color));
    let build = &written.build;
    build.diagnostics.iter().for_each(print);
    let errors = build.errors().count();
    let warnings = build.diagnostics.len() - errors;
    let failed = |errors: usize| {
        eprintln!(
            "kb: build failed: {errors} error(s), {warnings} warning(s); {} left as it was",
            out.display()
        );
        1
    };
    match &written.result {
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
        Err(WriteFailure::Build) => failed(errors),
        Err(WriteFailure::Render(render_errors)) => {
            render_errors.iter().for_each(print);
            failed(render_errors.len())
        }
        Err(WriteFailure::Lock(e)) => {
            eprintln!("kb: cannot lock {}: {e}", out_dir.display());
            1
        }
        Err(WriteFailure::Output(e)) => {
            eprintln!("kb: cannot write {}: {e}", out_dir.display());
            1
        }
    }
}

/// Rewrites the site's `postmortem.schema.json`, when it has one, if
/// site.toml changed what it says (see [`super::schema::keep_current`]).
fn keep_schema_current(root: &Path) {
    let Ok(config) = crate::config::Config::load(root) else {
        return;
    };
    match super::schema::keep_current(root, &config) {
        Ok(Some(path)) => println!("kb: updated {}", path.display()),
        Ok(None) => {}
        Err(e) => eprintln!("kb: cannot update the front matter schema: {e}"),
    }
}
