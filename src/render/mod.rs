//! Rendering: the site's pages from the incidents and their analysis, with
//! the theme's templates (minijinja), plus the feed, sitemap and static
//! files. A pure function of its input: same input, same bytes.

mod actions;
pub mod bounds;
mod budgets;
pub mod charts;
mod detection;
pub mod diagram;
mod escape;
mod exports;
mod feed;
pub mod fingerprint;
mod followthrough;
pub mod format;
mod home;
mod incident;
mod incident_body;
mod incident_related;
mod indent;
mod list;
mod page;
mod pager;
mod pages;
mod remediation;
mod restated;
mod review_exports;
pub mod route;
mod rows;
mod search;
mod svg;
mod term;
pub mod theme;
mod trends;
pub mod views;

pub use escape::xml_escape;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use jiff::Timestamp;
use minijinja::{AutoEscape, Environment};
use rayon::prelude::*;

use crate::analysis::Analysis;
use crate::analysis::search::IndexCache;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::git::SiteGit;
use crate::model::Incident;
use theme::Theme;

/// A built site in memory: output path (`incidents/x/index.html`) -> bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Everything a render needs, borrowed from a [`SiteData`].
pub struct RenderInput<'a> {
    /// Site settings.
    pub config: &'a Config,
    /// Incidents, sorted by start.
    pub incidents: &'a [Arc<Incident>],
    /// Their analysis.
    pub analysis: &'a Analysis,
    /// Templates and static files.
    pub theme: &'a Theme,
    /// Absolute URL of the site root, ending with `/`.
    pub base_url: String,
    /// The build's date and time (the clock is read by the command, not here).
    pub build_time: Timestamp,
    /// The postmortems' history and forge.
    pub git: &'a SiteGit,
}

/// Everything a site is rendered from, owned.
pub struct SiteData {
    /// Site settings.
    pub config: Config,
    /// Incidents, sorted by start.
    pub incidents: Vec<Arc<Incident>>,
    /// Their analysis.
    pub analysis: Analysis,
    /// Templates and static files.
    pub theme: Theme,
    /// Absolute URL of the site root, ending with `/`.
    pub base_url: String,
    /// The build's date and time.
    pub build_time: Timestamp,
    /// The postmortems' history and forge.
    pub git: SiteGit,
}

impl RenderInput<'_> {
    /// The build's date in the site's zone: what overdue actions and the
    /// current quarter are reckoned from.
    pub fn today(&self) -> jiff::civil::Date {
        self.build_time
            .to_zoned_datetime(self.config.time_zone().clone())
            .date()
    }

    /// The newest moment the postmortems state (a start, detection,
    /// acknowledgement, mitigation or end): what the exports and the feed
    /// give as the time they were made, so that a build with nothing
    /// changed writes the same bytes whatever the clock says. The Unix
    /// epoch for a site without a dated incident.
    pub fn content_time(&self) -> Timestamp {
        self.incidents
            .iter()
            .flat_map(|i| {
                [
                    i.started,
                    i.detected,
                    i.acknowledged,
                    i.mitigated,
                    i.resolved,
                ]
            })
            .flatten()
            .max()
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

impl SiteData {
    /// The data as a render's input.
    pub fn input(&self) -> RenderInput<'_> {
        RenderInput {
            config: &self.config,
            incidents: &self.incidents,
            analysis: &self.analysis,
            theme: &self.theme,
            base_url: self.base_url.clone(),
            build_time: self.build_time,
            git: &self.git,
        }
    }
}

/// The unit of the two exports' files.
const EXPORTS_UNIT: &str = "exports";
/// The unit of the search index's files.
const SEARCH_UNIT: &str = "search/";

/// Where an output file comes from.
#[derive(Debug)]
enum Source {
    /// A page, by number.
    Page(usize),
    /// A file of the theme's `static/`, by name.
    Static(String),
    Feed,
    /// `incidents.csv`, `incidents.json`, `services.json` and
    /// `actions.json`, made together.
    Exports,
    Sitemap,
    Robots,
}

/// A site ready to render: its whole file list is known, and any file can
/// be rendered alone (`kb serve`, on request) or all of them at once, in
/// parallel, handed over one by one as they are made (`kb build`, which
/// so never holds the whole site in memory).
pub struct Renderer {
    data: SiteData,
    env: Environment<'static>,
    pages: pages::Pages,
    /// Output path -> where it comes from, for one file on demand.
    sources: HashMap<String, Source>,
    /// The search index, made on the first request for one of its files.
    search: OnceLock<HashMap<String, Vec<u8>>>,
}

impl Renderer {
    /// Prepares the site; fails when a template does not compile.
    pub fn new(data: SiteData) -> Result<Renderer, Vec<Diagnostic>> {
        let mut env = environment(&data.theme)?;
        env.set_fuel(Some(bounds::page_fuel(items(&data))));
        let pages = pages::Pages::new(&data.input(), bounds::fragments(&env));
        let mut sources: HashMap<String, Source> = pages
            .paths()
            .iter()
            .enumerate()
            .map(|(i, path)| (path.clone(), Source::Page(i)))
            .collect();
        for name in data.theme.statics.keys() {
            sources.insert(format!("static/{name}"), Source::Static(name.clone()));
        }
        if data.theme.statics.contains_key("favicon.svg") {
            sources.insert("favicon.svg".into(), Source::Static("favicon.svg".into()));
        }
        for name in exports::NAMES {
            sources.insert(name.to_owned(), Source::Exports);
        }
        sources.insert(route::FEED.into(), Source::Feed);
        sources.insert(route::SITEMAP.into(), Source::Sitemap);
        sources.insert(route::ROBOTS.into(), Source::Robots);
        Ok(Renderer {
            data,
            env,
            pages,
            sources,
            search: OnceLock::new(),
        })
    }

    /// How many incidents the site has.
    pub fn incidents(&self) -> usize {
        self.data.incidents.len()
    }

    /// How many HTML pages the site has.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    /// Renders every file in parallel, handing each to `emit` as it is
    /// made; returns every template error.
    pub fn render_all(&self, emit: &(dyn Fn(&str, &[u8]) + Sync)) -> Result<(), Vec<Diagnostic>> {
        self.render_units(&|_| true, emit)
    }

    /// Every unit of the site's files (see [`Renderer::unit_of`]) with
    /// its fingerprint (see [`fingerprint`]), sorted by unit.
    pub fn fingerprints(&self) -> Vec<(String, u64)> {
        let input = self.data.input();
        let hashes = fingerprint::SiteHashes::new(&input);
        let mut units: Vec<(String, u64)> = self
            .sources
            .par_iter()
            .filter(|(path, source)| {
                !matches!(source, Source::Exports) || path.as_str() == exports::NAMES[0]
            })
            .map(|(path, source)| {
                let unit = self.unit_of(path).to_owned();
                let fp = match source {
                    Source::Page(page) => self.pages.fingerprint(&input, &hashes, *page),
                    Source::Static(name) => {
                        let bytes = self.data.theme.statics.get(name);
                        hashes
                            .start(path)
                            .bytes(bytes.map_or(&[][..], Vec::as_slice))
                            .finish()
                    }
                    // The overdue actions are in incidents.json and
                    // actions.json; services.json is as of the build's date.
                    Source::Exports => hashes
                        .start(&unit)
                        .number(hashes.all)
                        .bytes(hashes.today.as_bytes())
                        .finish(),
                    Source::Feed | Source::Sitemap | Source::Robots => {
                        hashes.start(path).number(hashes.all).finish()
                    }
                };
                (unit, fp)
            })
            .collect();
        // The search index holds every body's words.
        let search = hashes.start(SEARCH_UNIT).number(hashes.all_whole).finish();
        units.push((SEARCH_UNIT.to_owned(), search));
        units.sort_unstable();
        units
    }

    /// The unit the file at `path` is made in: the files made together
    /// (the two exports; the search index's files) are one unit, named
    /// `exports` and `search/`; every other file is a unit of its own,
    /// named by its path.
    pub fn unit_of<'p>(&self, path: &'p str) -> &'p str {
        match self.sources.get(path) {
            Some(Source::Exports) => EXPORTS_UNIT,
            Some(_) => path,
            None if path.starts_with("search/") => SEARCH_UNIT,
            None => path,
        }
    }

    /// Renders in parallel the files of the units `wanted` takes (see
    /// [`Renderer::unit_of`]), handing each to `emit` as it is made;
    /// returns every template error.
    pub fn render_units(
        &self,
        wanted: &(dyn Fn(&str) -> bool + Sync),
        emit: &(dyn Fn(&str, &[u8]) + Sync),
    ) -> Result<(), Vec<Diagnostic>> {
        self.render_units_reusing(wanted, emit, &IndexCache::default, &|_| {})
    }

    /// Renders like [`Renderer::render_units`]; the search index, when
    /// wanted, reuses what `previous` (called once) kept of the last
    /// build's, and what to keep for the next is handed to `keep` as soon
    /// as the index is made.
    pub fn render_units_reusing(
        &self,
        wanted: &(dyn Fn(&str) -> bool + Sync),
        emit: &(dyn Fn(&str, &[u8]) + Sync),
        previous: &(dyn Fn() -> IndexCache + Sync),
        keep: &(dyn Fn(IndexCache) + Sync),
    ) -> Result<(), Vec<Diagnostic>> {
        let input = self.data.input();
        // The search index is the largest user of memory (about 100 MB at
        // 10,000 postmortems): it is made first, beside the exports (one
        // long task), and is written and gone before the pages make their
        // rows (about 40 MB), so the two never add up.
        rayon::join(
            || {
                if wanted(EXPORTS_UNIT) {
                    exports::each(&input, &mut |path, bytes| emit(path, &bytes));
                }
            },
            || {
                if wanted(SEARCH_UNIT) {
                    let (files, cache) = search::index(&input, previous());
                    files.par_iter().for_each(|(path, bytes)| emit(path, bytes));
                    drop(files);
                    keep(cache);
                }
            },
        );
        // Every path has one source, and each source but the exports (two
        // paths, one pass) makes just the file at its path.
        let mut files: Vec<(&String, &Source)> = self
            .sources
            .iter()
            .filter(|(path, s)| !matches!(s, Source::Exports) && wanted(self.unit_of(path)))
            .collect();
        // The large pages first, so that none of them is last to start and
        // leaves one core working alone at the end.
        files.sort_by_key(|(path, source)| {
            let small = match source {
                Source::Page(page) => self.pages.is_incident_page(*page),
                _ => true,
            };
            (small, *path)
        });
        // A broken template fails every page made with it: after the first
        // error no page is rendered (a template that runs out of fuel would
        // otherwise spend its budget once per page).
        let failed = AtomicBool::new(false);
        let results: Vec<Diagnostic> = files
            .par_iter()
            .filter(|_| !failed.load(Ordering::Relaxed))
            .filter_map(|(path, source)| {
                let made = self.one(&input, path, source);
                let error = made.map(|bytes| emit(path, &bytes)).err();
                failed.fetch_or(error.is_some(), Ordering::Relaxed);
                error
            })
            .collect();
        let mut errors: Vec<Diagnostic> = Vec::new();
        for d in results {
            if !errors.contains(&d) {
                errors.push(d);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The whole site in memory.
    pub fn files(&self) -> Result<Files, Vec<Diagnostic>> {
        let files = Mutex::new(Files::new());
        self.render_all(&|path, bytes| {
            files
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(path.to_owned(), bytes.to_vec());
        })?;
        Ok(files.into_inner().unwrap_or_else(PoisonError::into_inner))
    }

    /// Renders one page of each kind (see [`pages::Pages::samples`]) and the
    /// feed, and gives their template errors: `kb serve`, which renders
    /// pages only when asked, shows a broken template at once this way.
    pub fn check(&self) -> Vec<Diagnostic> {
        let input = self.data.input();
        let mut errors: Vec<Diagnostic> = Vec::new();
        let samples = self.pages.samples().into_iter();
        let pages = samples.map(|page| self.pages.render_sample(&input, &self.env, page));
        let feed = feed::atom(&input, &self.env).map(drop);
        for d in pages.chain([feed]).filter_map(Result::err) {
            if !errors.contains(&d) {
                errors.push(d);
            }
        }
        errors
    }

    /// The path of every file of the site, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .sources
            .keys()
            .chain(self.search_files().keys())
            .cloned()
            .collect();
        paths.sort();
        paths
    }

    /// Whether the site has a file at `path` (`incidents/x/index.html`).
    pub fn has(&self, path: &str) -> bool {
        self.sources.contains_key(path)
            || (path.starts_with("search/") && self.search_files().contains_key(path))
    }

    /// Renders the file at `path` alone, when the site has one.
    pub fn render_file(&self, path: &str) -> Option<Result<Vec<u8>, Diagnostic>> {
        let input = self.data.input();
        match self.sources.get(path) {
            Some(source) => Some(self.one(&input, path, source)),
            None if path.starts_with("search/") => self.search_files().get(path).cloned().map(Ok),
            None => None,
        }
    }

    fn search_files(&self) -> &HashMap<String, Vec<u8>> {
        self.search.get_or_init(|| {
            let (files, _) = search::index(&self.data.input(), IndexCache::default());
            files.into_iter().collect()
        })
    }

    /// The bytes of the file at `path`, which `source` makes.
    fn one(
        &self,
        input: &RenderInput<'_>,
        path: &str,
        source: &Source,
    ) -> Result<Vec<u8>, Diagnostic> {
        Ok(match source {
            Source::Page(page) => self.pages.render(input, &self.env, *page)?,
            Source::Static(name) => self
                .data
                .theme
                .statics
                .get(name)
                .cloned()
                .unwrap_or_default(),
            Source::Feed => feed::atom(input, &self.env)?,
            Source::Sitemap => {
                let mut paths: Vec<&String> = self.pages.paths().iter().collect();
                paths.sort();
                feed::sitemap(&input.base_url, paths.into_iter()).into_bytes()
            }
            Source::Robots => feed::robots(&input.base_url).into_bytes(),
            Source::Exports => exports::one(input, path).unwrap_or_default(),
        })
    }
}

/// How many incidents, action items and terms the site has: what a page
/// may list, and so what its fuel grows with.
fn items(data: &SiteData) -> usize {
    let a = &data.analysis;
    let actions: usize = data.incidents.iter().map(|i| i.actions.len()).sum();
    data.incidents.len()
        + actions
        + a.services.terms.len()
        + a.causes.terms.len()
        + a.tags.terms.len()
}

/// A template environment with the theme's templates; HTML and XML
/// templates escape what they print.
pub fn environment(theme: &Theme) -> Result<Environment<'static>, Vec<Diagnostic>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if is_markup(name) {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    // Escape only what HTML needs (minijinja's default also escapes `/`,
    // which makes every link longer without making it safer).
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Html)
            && !value.is_safe()
            && let Some(text) = value.as_str()
        {
            return escape::write_xml_escaped(out, text).map_err(|_| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write the page")
            });
        }
        minijinja::escape_formatter(out, state, value)
    });
    let mut errors = Vec::new();
    for (name, source) in &theme.templates {
        if let Err(e) = env.add_template_owned(name.clone(), source.clone()) {
            errors.push(template_error(theme, &e));
        }
    }
    if errors.is_empty() {
        Ok(env)
    } else {
        Err(errors)
    }
}

/// Whether template `name` makes HTML or XML: escaped when printed, its
/// indentation dropped (see [`indent`]).
pub fn is_markup(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".svg")
}

/// A template error as a diagnostic pointing into the template file.
pub fn template_error(theme: &Theme, e: &minijinja::Error) -> Diagnostic {
    let name = e.name().unwrap_or("template");
    let path = theme
        .template_paths
        .get(name)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(name));
    let d = if bounds::is_out_of_fuel(e) {
        let message = format!(
            "template `{name}` did more work than one page may (at most {} steps, plus {} per incident, action and term): a loop inside a loop?",
            bounds::BASE_FUEL,
            bounds::FUEL_PER_ITEM
        );
        Diagnostic::error(Code::TemplateOutOfFuel, &path, message)
    } else {
        let message = format!(
            "template error: {}",
            e.detail().unwrap_or(&e.kind().to_string())
        );
        Diagnostic::error(Code::TemplateError, &path, message)
    };
    match (e.line(), theme.templates.get(name)) {
        (Some(line), Some(source)) => d.at(source, line, 1),
        _ => d,
    }
}
