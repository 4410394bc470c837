//! A build: the site folder in, a site ready to render out (see
//! [`Renderer`]), with every diagnostic. Nothing here writes to disk or
//! reads the clock: the build time comes in with the options.

use std::path::Path;

use jiff::Timestamp;

use crate::analysis;
use crate::config::Config;
use crate::content;
use crate::diagnostic::Diagnostic;
use crate::git::log::GitHistory;
use crate::git::{self, SiteGit};
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
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(d) => {
            return Build {
                diagnostics: vec![d],
                ..Build::default()
            };
        }
    };
    let theme = match Theme::load(root, &config.theme) {
        Ok(theme) => theme,
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
    for (incident, links) in loaded.incidents.iter().zip(&analysis.links) {
        for slug in &links.unknown {
            build.diagnostics.push(Diagnostic::warning(
                "unknown-related",
                &incident.source,
                format!("`related` names `{slug}`, which is no incident's slug"),
            ));
        }
    }
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

/// Phase times on stderr when `KB_TIMINGS` is set (for benchmarks).
pub struct Timings(Option<std::cell::Cell<std::time::Instant>>);

impl Timings {
    /// Timings that print only when the environment asks for them.
    pub fn from_env() -> Timings {
        Timings(
            std::env::var_os("KB_TIMINGS").map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    /// Prints the time since the last lap as `phase`.
    pub fn lap(&self, phase: &str) {
        if let Some(last) = &self.0 {
            let now = std::time::Instant::now();
            eprintln!(
                "kb: {phase:>10} {:7.1} ms",
                (now - last.get()).as_secs_f64() * 1000.0
            );
            last.set(now);
        }
    }
}
