//! `kb build`: builds the site and writes it atomically.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use crate::output;
use crate::site::{self, BuildOptions};

/// Runs a build; returns the process exit code.
pub fn run(root: &Path, drafts: bool, base_url: Option<String>, out: &Path) -> i32 {
    let started = Instant::now();
    let options = BuildOptions {
        drafts,
        base_url,
        build_time: super::build_time(),
    };
    let build = site::build(root, &options);
    let color = std::io::stderr().is_terminal();
    for d in &build.diagnostics {
        eprintln!("{}", super::report::render(d, color));
    }
    let errors = build.errors().count();
    let warnings = build.diagnostics.len() - errors;
    let Some(files) = &build.files else {
        eprintln!(
            "kb: build failed: {errors} error(s), {warnings} warning(s); {} left as it was",
            out.display()
        );
        return 1;
    };
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    match output::write_site(&out, files) {
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
            eprintln!("kb: cannot write {}: {e}", out.display());
            1
        }
    }
}
