//! The HTML pages: which pages a site has, the context each template gets,
//! and rendering them in parallel.

use jiff::tz::TimeZone;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use super::views::{self, Row};
use super::{Files, RenderInput, format, template_error};
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
enum Job<'a> {
    Home,
    Incidents,
    Incident(usize),
    List { path: String, section: &'static str, heading: String, intro: Option<String>, members: Vec<usize> },
    Terms { path: String, section: &'static str, heading: String, taxonomy: &'a Taxonomy },
    Years,
    Search,
    NotFound,
}

/// Renders every HTML page.
pub fn render_all(input: &RenderInput<'_>, env: &Environment<'static>) -> Result<Files, Vec<Diagnostic>> {
    let ctx = Ctx::new(input);
    let jobs = jobs(input, &ctx);
    let rendered: Vec<Result<(String, Vec<u8>), Diagnostic>> =
        jobs.par_iter().map(|job| ctx.render(env, job)).collect();
    let mut files = Files::new();
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok((path, bytes)) => {
                files.insert(path, bytes);
            }
            Err(d) if !errors.contains(&d) => errors.push(d),
            Err(_) => {}
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

fn jobs<'a>(input: &RenderInput<'a>, ctx: &Ctx<'a>) -> Vec<Job<'a>> {
    let a = input.analysis;
    let mut jobs = vec![Job::Home, Job::Incidents, Job::NotFound, Job::Years, Job::Search];
    jobs.extend((0..input.incidents.len()).map(Job::Incident));
    for (year, members) in &ctx.years {
        jobs.push(Job::List {
            path: format!("years/{year}/"),
            section: "years",
            heading: format!("Incidents in {year}"),
            intro: None,
            members: members.clone(),
        });
    }
    for (section, label, taxonomy) in [("services", "Services", &a.services), ("causes", "Causes", &a.causes), ("tags", "Tags", &a.tags)] {
        jobs.push(Job::Terms { path: format!("{section}/"), section, heading: label.to_owned(), taxonomy });
        for term in &taxonomy.terms {
            let heading = match section {
                "services" => format!("Incidents affecting {}", term.name),
                "causes" => format!("Incidents caused by {}", term.name),
                _ => format!("Incidents tagged {}", term.name),
            };
            jobs.push(Job::List { path: format!("{section}/{}/", term.slug), section, heading, intro: None, members: term.incidents.clone() });
        }
    }
    for level in &input.config.severities {
        let members: Vec<usize> = (0..input.incidents.len())
            .filter(|&i| input.incidents[i].severity.as_deref() == Some(level.as_str()))
            .collect();
        if !members.is_empty() {
            let slug = crate::content::slug::slugify(level);
            jobs.push(Job::List { path: format!("severity/{slug}/"), section: "severity", heading: format!("{level} incidents"), intro: None, members });
        }
    }
    jobs
}

/// Shared, precomputed values for rendering pages.
struct Ctx<'a> {
    input: &'a RenderInput<'a>,
    site: Value,
    asset_version: String,
    zone: TimeZone,
    rows: Vec<Row>,
    years: Vec<(i16, Vec<usize>)>,
}

impl<'a> Ctx<'a> {
    fn new(input: &'a RenderInput<'a>) -> Self {
        let zone = input.config.time_zone().unwrap_or(TimeZone::UTC);
        let site = Value::from(Serde(SiteView {
            title: &input.config.title,
            description: &input.config.description,
            lang: &input.config.language,
            base_url: &input.base_url,
            timezone: &input.config.timezone,
            generated: input.build_time.to_zoned_datetime(zone.clone()).date().to_string(),
        }));
        let rows: Vec<Row> = input
            .incidents
            .par_iter()
            .map(|i| views::row(i, input.analysis, &input.config.severities, &zone))
            .collect();
        let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
        for (i, incident) in input.incidents.iter().enumerate() {
            let Some(started) = incident.started else { continue };
            let year = started.to_zoned_datetime(zone.clone()).year();
            match years.iter_mut().find(|(y, _)| *y == year) {
                Some((_, members)) => members.push(i),
                None => years.push((year, vec![i])),
            }
        }
        Ctx { input, site, asset_version: input.theme.asset_version(), zone, rows, years }
    }

    /// Rows of `members`, newest first.
    fn rows_of(&self, members: &[usize]) -> Vec<&Row> {
        members.iter().rev().map(|&i| &self.rows[i]).collect()
    }

    fn render(&self, env: &Environment<'static>, job: &Job<'_>) -> Result<(String, Vec<u8>), Diagnostic> {
        let input = self.input;
        let (path, template, title, section, description, extra) = match job {
            Job::Home => ("".to_owned(), "index.html", input.config.title.clone(), "home", None, self.home()),
            Job::Incidents => (
                "incidents/".to_owned(),
                "incidents.html",
                "All incidents".to_owned(),
                "incidents",
                None,
                self.incidents_page(),
            ),
            Job::Incident(i) => {
                let view = views::incident(input.incidents, *i, input.analysis, &input.config.severities, &self.zone, input.build_time.to_zoned_datetime(self.zone.clone()).date());
                let description = view.summary.clone();
                (view.path.clone(), "incident.html", view.title.clone(), "incident", description, context! { incident => Serde(view) })
            }
            Job::List { path, section, heading, intro, members } => (
                path.clone(),
                "list.html",
                heading.clone(),
                *section,
                None,
                context! { heading, intro, rows => Serde(self.rows_of(members)) },
            ),
            Job::Terms { path, section, heading, taxonomy } => {
                let terms: Vec<TermView> = taxonomy
                    .terms
                    .iter()
                    .map(|t| TermView { name: t.name.clone(), path: format!("{section}/{}/", t.slug), count: t.incidents.len() })
                    .collect();
                (path.clone(), "terms.html", heading.clone(), *section, None, context! { heading, terms => Serde(terms) })
            }
            Job::Years => {
                let terms: Vec<TermView> = self
                    .years
                    .iter()
                    .rev()
                    .map(|(y, m)| TermView { name: y.to_string(), path: format!("years/{y}/"), count: m.len() })
                    .collect();
                ("years/".to_owned(), "terms.html", "Incidents by year".to_owned(), "years", None, context! { heading => "Incidents by year", terms => Serde(terms) })
            }
            Job::Search => ("search/".to_owned(), "search.html", "Search".to_owned(), "search", None, context! {}),
            Job::NotFound => ("404.html".to_owned(), "404.html", "Page not found".to_owned(), "404", None, context! {}),
        };
        let root = if matches!(job, Job::NotFound) { crate::config::url_path(&input.base_url) } else { root_of(&path) };
        let canonical = format!("{}{}", input.base_url, if path == "404.html" { "" } else { &path });
        let description = description.unwrap_or_else(|| input.config.description.clone());
        let ctx = context! {
            site => &self.site,
            root,
            asset_version => &self.asset_version,
            page => context! { title, description, canonical, path => &path, section },
            nav => Serde(nav(section)),
            ..extra
        };
        let tmpl = env.get_template(template).map_err(|e| template_error(input.theme, &e))?;
        let html = tmpl.render(ctx).map_err(|e| template_error(input.theme, &e))?;
        let file = if path.ends_with(".html") { path } else { format!("{path}index.html") };
        Ok((file, html.into_bytes()))
    }

    fn home(&self) -> Value {
        let s = &self.input.analysis.summary;
        let latest: Vec<&Row> = self.rows.iter().rev().take(10).collect();
        context! {
            stats => context! {
                count => s.count,
                total_downtime => format::seconds(s.total_downtime_s),
                incident_hours => format::hours(s.incident_seconds_sum),
                median_ttr => s.time_to_resolve.median.map(format::seconds),
                p90_ttr => s.time_to_resolve.p90.map(format::seconds),
                ttr_count => s.time_to_resolve.count,
                ttr_missing => s.time_to_resolve.missing,
            },
            latest => Serde(latest),
        }
    }

    fn incidents_page(&self) -> Value {
        let all: Vec<usize> = (0..self.rows.len()).collect();
        let years: Vec<TermView> = self
            .years
            .iter()
            .rev()
            .map(|(y, m)| TermView { name: y.to_string(), path: format!("years/{y}/"), count: m.len() })
            .collect();
        context! { rows => Serde(self.rows_of(&all)), severities => Serde(&self.input.config.severities), years => Serde(years) }
    }
}

/// The relative prefix from a page at `path` to the site root.
fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 { "./".to_owned() } else { "../".repeat(depth) }
}

#[derive(Serialize)]
struct NavItem {
    title: &'static str,
    path: &'static str,
    current: bool,
}

fn nav(section: &str) -> Vec<NavItem> {
    [("Incidents", "incidents/", "incidents"), ("Services", "services/", "services"), ("Causes", "causes/", "causes"), ("Years", "years/", "years"), ("Search", "search/", "search")]
        .into_iter()
        .map(|(title, path, s)| NavItem { title, path, current: s == section })
        .collect()
}
