//! `kb build`: builds the site and writes it atomically, and keeps the
//! site's front matter schema current.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content::ParseCache;
use crate::git::log::GitHistory;
use crate::output::{self, Staging};
use crate::site::{self, Build, BuildOptions};

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
/// `out` (see [`ParseCache::read`]), and keeps what it parsed for the next.
pub fn run(root: &Path, args: &BuildArgs) -> i32 {
    let started = Instant::now();
    let out = args.output.as_path();
    let cache = args.cache;
    let out_dir = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    // The history read from git is kept beside the output too, so that the
    // next build reads only the commits since.
    let git = match (args.git, cache) {
        (false, _) => GitHistory::Off,
        (true, false) => GitHistory::Read,
        (true, true) => {
            GitHistory::Cached(output::cache_file(&out_dir).with_extension("kb-history"))
        }
    };
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: args.base_url.clone(),
        build_time: super::build_time(),
        git,
    };
    let cache_path = cache.then(|| output::cache_file(&out_dir));
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
        || Staging::open(&out_dir),
    );
    let save = || {
        if let Some(path) = &cache_path
            && let Err(e) = parse_cache.write(path)
        {
            eprintln!("kb: cannot write the parse cache {}: {e}", path.display());
        }
    };
    // The cache is written (when it changed) beside the rendering.
    let (code, ()) = rayon::join(|| write(&build, staging, out, &out_dir, started), save);
    if code == 0 {
        keep_schema_current(root);
    }
    // The process exits next: freeing the incidents, their rows and the
    // analysis one allocation at a time would only delay that, by about
    // 100 ms at 10,000 postmortems.
    std::mem::forget(build);
    std::mem::forget(parse_cache);
    code
}

/// Reports `build`'s diagnostics and, when it has a site, writes it
/// through `staging`; returns the exit code.
fn write(
    build: &Build,
    staging: std::io::Result<Staging>,
    out: &Path,
    out_dir: &Path,
    started: Instant,
) -> i32 {
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
    let staging = match staging {
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
