//! `kb build`: builds the site and writes it atomically (see
//! [`site::build_to`]), then reports what it did.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use super::cache_file::CacheFile;
use crate::diagnostic::Diagnostic;
use crate::site::{self, BuildOptions, WriteFailure, Written};

/// Runs a build; returns the process exit code. With `cache`, the build
/// parses only the postmortems that changed since the last build into
/// `out` (see [`CacheFile`]), and keeps what it parsed for the next.
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
    let cache_file = cache.then(|| CacheFile::beside(&out_dir));
    let store = cache_file.as_ref().map(|f| f as &dyn site::CacheStore);
    let written = site::build_to(root, &options, &out_dir, store);
    if let (Some(file), Some(e)) = (&cache_file, &written.cache_error) {
        eprintln!(
            "kb: cannot write the parse cache {}: {e}",
            file.path().display()
        );
    }
    let code = report(&written, out, &out_dir, started);
    // The process exits next: freeing the incidents, their rows and the
    // analysis one allocation at a time would only delay that, by about
    // 100 ms at 10,000 postmortems.
    std::mem::forget(written);
    code
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
        Err(WriteFailure::Output(e)) => {
            eprintln!("kb: cannot write {}: {e}", out_dir.display());
            1
        }
    }
}
