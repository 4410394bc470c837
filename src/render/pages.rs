//! The HTML pages: which pages a site has, the context each template gets,
//! and rendering them in parallel.

use std::sync::OnceLock;

use jiff::tz::TimeZone;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use super::diagram::history::IncidentSpan;
use super::views;
use super::{RenderInput, diagram, format, insights, template_error};
use crate::analysis::taxonomy::Taxonomy;
use crate::diagnostic::Diagnostic;

/// The site-wide values every template gets as `site`.
#[derive(Debug, Clone, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    base_url: &'a str,
    timezone: &'a str,
    generated: String,
}

/// A taxonomy term in an index of terms.
#[derive(Debug, Clone, Serialize)]
struct TermView {
    name: String,
    path: String,
    count: usize,
}

/// One page to render.
#[derive(Debug, Clone)]
enum Job {
    Home,
    Incidents,
    Incident(usize),
    List {
        path: String,
        section: &'static str,
        heading: String,
        intro: Option<String>,
        members: Vec<usize>,
    },
    /// The index of tags.
    Tags,
    Years,
    Search,
    NotFound,
    /// A service's or a cause's page.
    Term {
        section: &'static str,
        index: usize,
    },
    /// `/services/` or `/causes/`.
    TermIndex {
        section: &'static str,
    },
    Trends,
    Actions,
}

/// How many incidents a list shows in [`Pages::render_sample`].
const SAMPLE_ROWS: usize = 3;

/// Where an incident's page is and its severity's class: what the
/// history diagrams link and colour each incident with.
struct Anchor {
    path: String,
    severity_class: String,
}

/// The site's HTML pages: which there are, and the values they share,
/// ready to render any one of them, in any order, on any thread.
pub struct Pages {
    site: Value,
    asset_version: String,
    zone: TimeZone,
    /// Each incident's row, made the first time a page needs it.
    rows: Vec<OnceLock<Result<Value, Diagnostic>>>,
    /// Each incident's anchor, by incident number.
    anchors: Vec<Anchor>,
    years: Vec<(i16, Vec<usize>)>,
    jobs: Vec<Job>,
    /// Each page's output file (`incidents/x/index.html`).
    paths: Vec<String>,
}

impl Pages {
    /// The pages of the site `input` describes.
    pub fn new(input: &RenderInput<'_>) -> Pages {
        let zone = input.config.time_zone().clone();
        let site = Value::from(Serde(SiteView {
            title: &input.config.title,
            description: &input.config.description,
            lang: &input.config.language,
            base_url: &input.base_url,
            timezone: &input.config.timezone,
            generated: input
                .build_time
                .to_zoned_datetime(zone.clone())
                .date()
                .to_string(),
        }));
        let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
        for (i, incident) in input.incidents.iter().enumerate() {
            let Some(started) = incident.started else {
                continue;
            };
            let year = started.to_zoned_datetime(zone.clone()).year();
            match years.iter_mut().find(|(y, _)| *y == year) {
                Some((_, members)) => members.push(i),
                None => years.push((year, vec![i])),
            }
        }
        let jobs = jobs(input, &years);
        let paths = jobs
            .iter()
            .map(|job| file_of(&job_path(input, job)))
            .collect();
        Pages {
            site,
            asset_version: input.theme.asset_version(),
            zone,
            rows: (0..input.incidents.len())
                .map(|_| OnceLock::new())
                .collect(),
            anchors: input
                .incidents
                .iter()
                .map(|incident| Anchor {
                    path: views::incident_path(incident),
                    severity_class: views::severity_class(
                        incident.severity.as_deref(),
                        &input.config.severities,
                    )
                    .0,
                })
                .collect(),
            years,
            jobs,
            paths,
        }
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether page `page` is an incident's own page (small; there are
    /// thousands), not a list, index or summary (few, some megabytes).
    pub fn is_incident_page(&self, page: usize) -> bool {
        matches!(self.jobs[page], Job::Incident(_))
    }

    /// One page of each kind, by number, but the two whole-site tables
    /// (`/incidents/`, `/actions/`): what renders these (see
    /// [`Pages::render_sample`]) shows most template errors at once.
    pub fn samples(&self) -> Vec<usize> {
        let mut seen = Vec::new();
        let mut pages = Vec::new();
        for (page, job) in self.jobs.iter().enumerate() {
            let kind = std::mem::discriminant(job);
            if !matches!(job, Job::Incidents | Job::Actions) && !seen.contains(&kind) {
                seen.push(kind);
                pages.push(page);
            }
        }
        pages
    }

    /// The output file of every page, by page number.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Makes every incident's row, in parallel: a whole build needs them all.
    pub fn prepare_rows(&self, input: &RenderInput<'_>, env: &Environment<'static>) {
        (0..self.rows.len())
            .into_par_iter()
            .for_each(|i| drop(self.row(input, env, i)));
    }

    /// Renders page number `page`: its output file and bytes.
    pub fn render(
        &self,
        input: &RenderInput<'_>,
        env: &Environment<'static>,
        page: usize,
    ) -> Result<(&str, Vec<u8>), Diagnostic> {
        let bytes = Ctx {
            input,
            env,
            pages: self,
            most: usize::MAX,
        }
        .render(&self.jobs[page], &self.paths[page])?;
        Ok((&self.paths[page], bytes))
    }

    /// Renders page number `page` with at most [`SAMPLE_ROWS`] incidents
    /// in each of its lists and diagrams, only for its errors: a list's
    /// template fails on its first rows as on all of them, in a fraction
    /// of the time.
    pub fn render_sample(
        &self,
        input: &RenderInput<'_>,
        env: &Environment<'static>,
        page: usize,
    ) -> Result<(), Diagnostic> {
        Ctx {
            input,
            env,
            pages: self,
            most: SAMPLE_ROWS,
        }
        .render(&self.jobs[page], &self.paths[page])
        .map(drop)
    }

    /// Incident `i`'s row, made on first use.
    fn row(
        &self,
        input: &RenderInput<'_>,
        env: &Environment<'static>,
        i: usize,
    ) -> Result<&Value, Diagnostic> {
        self.rows[i]
            .get_or_init(|| row(input, env, &self.zone, i))
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn jobs(input: &RenderInput<'_>, years: &[(i16, Vec<usize>)]) -> Vec<Job> {
    let a = input.analysis;
    let mut jobs = vec![
        Job::Home,
        Job::Incidents,
        Job::NotFound,
        Job::Years,
        Job::Search,
    ];
    jobs.extend((0..input.incidents.len()).map(Job::Incident));
    for (year, members) in years {
        jobs.push(Job::List {
            path: format!("years/{year}/"),
            section: "years",
            heading: format!("Incidents in {year}"),
            intro: None,
            members: members.clone(),
        });
    }
    jobs.extend([Job::Trends, Job::Actions]);
    for (section, taxonomy) in [("services", &a.services), ("causes", &a.causes)] {
        jobs.push(Job::TermIndex { section });
        jobs.extend((0..taxonomy.terms.len()).map(|index| Job::Term { section, index }));
    }
    jobs.push(Job::Tags);
    for term in &a.tags.terms {
        jobs.push(Job::List {
            path: format!("tags/{}/", term.slug),
            section: "tags",
            heading: format!("Incidents tagged {}", term.name),
            intro: None,
            members: term.incidents.clone(),
        });
    }
    for level in &input.config.severities {
        let members: Vec<usize> = (0..input.incidents.len())
            .filter(|&i| input.incidents[i].severity.as_deref() == Some(level.as_str()))
            .collect();
        if !members.is_empty() {
            let slug = crate::content::slug::slugify(level);
            jobs.push(Job::List {
                path: format!("severity/{slug}/"),
                section: "severity",
                heading: format!("{level} incidents"),
                intro: None,
                members,
            });
        }
    }
    jobs
}

/// The URL path of a page, from the site root (`incidents/x/`).
fn job_path(input: &RenderInput<'_>, job: &Job) -> String {
    match job {
        Job::Home => String::new(),
        Job::Incidents => "incidents/".to_owned(),
        Job::Incident(i) => views::incident_path(&input.incidents[*i]),
        Job::List { path, .. } => path.clone(),
        Job::Tags => "tags/".to_owned(),
        Job::Years => "years/".to_owned(),
        Job::Search => "search/".to_owned(),
        Job::NotFound => "404.html".to_owned(),
        Job::Term { section, index } => {
            format!("{section}/{}/", taxonomy(input, section).terms[*index].slug)
        }
        Job::TermIndex { section } => format!("{section}/"),
        Job::Trends => "trends/".to_owned(),
        Job::Actions => "actions/".to_owned(),
    }
}

/// The output file of the page at URL path `path`.
fn file_of(path: &str) -> String {
    if path.ends_with(".html") {
        path.to_owned()
    } else {
        format!("{path}index.html")
    }
}

/// The URL path of the page in output file `file`: [`file_of`] undone.
fn url_of(file: &str) -> &str {
    match file.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
        _ => file,
    }
}

/// The services or the causes.
fn taxonomy<'a>(input: &RenderInput<'a>, section: &str) -> &'a Taxonomy {
    if section == "services" {
        &input.analysis.services
    } else {
        &input.analysis.causes
    }
}

/// What rendering one page needs.
struct Ctx<'a> {
    input: &'a RenderInput<'a>,
    env: &'a Environment<'static>,
    pages: &'a Pages,
    /// At most how many incidents a list or diagram shows.
    most: usize,
}

impl Ctx<'_> {
    fn row(&self, i: usize) -> Result<&Value, Diagnostic> {
        self.pages.row(self.input, self.env, i)
    }

    /// Rows of `members` in the order given.
    fn rows_in_order(&self, members: &[usize]) -> Result<Vec<Value>, Diagnostic> {
        members
            .iter()
            .take(self.most)
            .map(|&i| self.row(i).cloned())
            .collect()
    }

    /// Rows of `members`, newest first.
    fn rows_of(&self, members: &[usize]) -> Result<Vec<Value>, Diagnostic> {
        members
            .iter()
            .rev()
            .take(self.most)
            .map(|&i| self.row(i).cloned())
            .collect()
    }

    /// Renders `job`, whose output file is `file`.
    fn render(&self, job: &Job, file: &str) -> Result<Vec<u8>, Diagnostic> {
        let input = self.input;
        let zone = &self.pages.zone;
        let path = url_of(file);
        let (template, title, section, description, extra) = match job {
            Job::Home => (
                "index.html",
                input.config.title.clone(),
                "home",
                None,
                self.home()?,
            ),
            Job::Incidents => (
                "incidents.html",
                "All incidents".to_owned(),
                "incidents",
                None,
                self.incidents_page()?,
            ),
            Job::Incident(i) => {
                let mut view = views::incident(
                    input.incidents,
                    *i,
                    input.analysis,
                    &input.config.severities,
                    zone,
                    input.build_time.to_zoned_datetime(zone.clone()).date(),
                );
                let incident = &input.incidents[*i];
                let style = incident
                    .timeline_style
                    .unwrap_or(input.config.timeline_style);
                view.diagram_svg = diagram::incident_svg(incident, &incident.timezone, style);
                let description = view.summary.clone();
                let links = &input.analysis.links[*i];
                let related = context! {
                    incident => Serde(&view),
                    related => self.rows_in_order(&links.similar)?,
                    related_explicit => self.rows_in_order(&links.explicit)?,
                    referenced_by => self.rows_in_order(&links.referenced_by)?,
                };
                (
                    "incident.html",
                    view.title,
                    "incident",
                    description,
                    related,
                )
            }
            Job::Term { section, index } => {
                let term = &taxonomy(input, section).terms[*index];
                let (title, ctx) = insights::term_page(
                    input,
                    section,
                    *index,
                    self.rows_of(&term.incidents)?,
                    zone,
                );
                let lanes = if *section == "services" {
                    self.incidents_over_time(&term.incidents, "../../")
                } else {
                    None
                };
                let ctx = context! { service_diagram => lanes, ..ctx };
                ("term.html", title, *section, None, ctx)
            }
            Job::TermIndex { section } => {
                let (title, ctx) = insights::term_index(input, section, zone);
                ("taxonomy.html", title, *section, None, ctx)
            }
            Job::Trends => (
                "trends.html",
                "Trends".to_owned(),
                "trends",
                None,
                context! { heatmap => self.heatmap(), ..insights::trends(input) },
            ),
            Job::Actions => (
                "actions.html",
                "Action items".to_owned(),
                "actions",
                None,
                insights::actions(input, self.env, zone)?,
            ),
            Job::List {
                section,
                heading,
                intro,
                members,
                ..
            } => (
                "list.html",
                heading.clone(),
                *section,
                None,
                context! { heading, intro, rows => self.rows_of(members)? },
            ),
            Job::Tags => {
                let terms: Vec<TermView> = input
                    .analysis
                    .tags
                    .terms
                    .iter()
                    .map(|t| TermView {
                        name: t.name.clone(),
                        path: format!("tags/{}/", t.slug),
                        count: t.incidents.len(),
                    })
                    .collect();
                (
                    "terms.html",
                    "Tags".to_owned(),
                    "tags",
                    None,
                    context! { heading => "Tags", terms => Serde(terms) },
                )
            }
            Job::Years => (
                "terms.html",
                "Incidents by year".to_owned(),
                "years",
                None,
                context! { heading => "Incidents by year", terms => Serde(self.year_terms()) },
            ),
            Job::Search => (
                "search.html",
                "Search".to_owned(),
                "search",
                None,
                context! {},
            ),
            Job::NotFound => (
                "404.html",
                "Page not found".to_owned(),
                "404",
                None,
                context! {},
            ),
        };
        let root = if matches!(job, Job::NotFound) {
            crate::config::url_path(&input.base_url)
        } else {
            root_of(path)
        };
        let canonical = format!(
            "{}{}",
            input.base_url,
            if path == "404.html" { "" } else { path }
        );
        let description = description.unwrap_or_else(|| input.config.description.clone());
        let ctx = context! {
            site => &self.pages.site,
            root,
            asset_version => &self.pages.asset_version,
            page => context! { title, description, canonical, path, section },
            nav => Serde(nav(section)),
            ..extra
        };
        let fail = |e: minijinja::Error| template_error(input.theme, &e);
        let html = self
            .env
            .get_template(template)
            .map_err(fail)?
            .render(ctx)
            .map_err(fail)?;
        Ok(html.into_bytes())
    }

    /// The calendar of downtime per day over the whole history, for `/trends/`.
    fn heatmap(&self) -> Option<String> {
        let all: Vec<usize> = (0..self.input.incidents.len()).collect();
        diagram::history::downtime_heatmap(&self.spans(&all), &self.pages.zone, "../")
    }

    /// The lanes diagram of `members` for a page whose root is `root`.
    fn incidents_over_time(&self, members: &[usize], root: &str) -> Option<String> {
        diagram::history::service_lanes(&self.spans(members), &self.pages.zone, root)
    }

    /// The time spans of `members` that have one, for the history diagrams.
    fn spans(&self, members: &[usize]) -> Vec<IncidentSpan<'_>> {
        members
            .iter()
            .take(self.most)
            .filter_map(|&i| {
                let anchor = &self.pages.anchors[i];
                IncidentSpan::of(
                    &self.input.incidents[i],
                    &anchor.path,
                    &anchor.severity_class,
                )
            })
            .collect()
    }

    fn home(&self) -> Result<Value, Diagnostic> {
        let s = &self.input.analysis.summary;
        let n = self.input.incidents.len();
        let newest: Vec<usize> = (n.saturating_sub(10)..n).collect();
        Ok(context! {
            stats => context! {
                count => s.count,
                total_downtime => format::seconds(s.total_downtime_s),
                incident_hours => format::hours(s.incident_seconds_sum),
                median_ttr => s.time_to_resolve.median.map(format::seconds),
                p90_ttr => s.time_to_resolve.p90.map(format::seconds),
                ttr_count => s.time_to_resolve.count,
                ttr_missing => s.time_to_resolve.missing,
            },
            latest => self.rows_of(&newest)?,
            ..insights::home_numbers(self.input, &self.pages.zone)
        })
    }

    fn incidents_page(&self) -> Result<Value, Diagnostic> {
        let all: Vec<usize> = (0..self.input.incidents.len()).collect();
        Ok(
            context! { rows => self.rows_of(&all)?, severities => Serde(&self.input.config.severities), years => Serde(self.year_terms()) },
        )
    }

    /// The years with incidents, newest first.
    fn year_terms(&self) -> Vec<TermView> {
        self.pages
            .years
            .iter()
            .rev()
            .map(|(y, m)| TermView {
                name: y.to_string(),
                path: format!("years/{y}/"),
                count: m.len(),
            })
            .collect()
    }
}

/// The theme's templates that render one incident as a list item (for
/// pages two levels down) and as a table row (for `/incidents/`).
const ROW_TEMPLATES: [&str; 2] = ["partials/incident-item.html", "partials/incident-row.html"];

/// Incident `i` as a list row, with its HTML rendered once: lists of
/// incidents are most of a site's rows, and each incident is in several.
fn row(
    input: &RenderInput<'_>,
    env: &Environment<'static>,
    zone: &TimeZone,
    i: usize,
) -> Result<Value, Diagnostic> {
    let fail = |e: minijinja::Error| template_error(input.theme, &e);
    let [item, table_row] = ROW_TEMPLATES;
    let mut row = views::row(
        &input.incidents[i],
        input.analysis,
        &input.config.severities,
        zone,
    );
    let plain = Value::from(Serde(&row));
    row.item_html = env
        .get_template(item)
        .and_then(|t| t.render(context! { row => &plain, root => "../../" }))
        .map_err(fail)?;
    row.row_html = env
        .get_template(table_row)
        .and_then(|t| t.render(context! { row => plain, root => "../" }))
        .map_err(fail)?;
    Ok(Value::from(Serde(&row)))
}

/// The relative prefix from a page at `path` to the site root.
fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    }
}

#[derive(Serialize)]
struct NavItem {
    title: &'static str,
    path: &'static str,
    current: bool,
}

fn nav(section: &str) -> Vec<NavItem> {
    [
        ("Incidents", "incidents/", "incidents"),
        ("Services", "services/", "services"),
        ("Causes", "causes/", "causes"),
        ("Trends", "trends/", "trends"),
        ("Actions", "actions/", "actions"),
        ("Search", "search/", "search"),
    ]
    .into_iter()
    .map(|(title, path, s)| NavItem {
        title,
        path,
        current: s == section,
    })
    .collect()
}
