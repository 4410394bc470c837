//! The HTML pages: which pages a site has, the context each template gets,
//! and rendering them in parallel.

use jiff::tz::TimeZone;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use super::diagram::history::IncidentSpan;
use super::views::{self, Row};
use super::{Files, RenderInput, diagram, format, insights, template_error};
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
    List {
        path: String,
        section: &'static str,
        heading: String,
        intro: Option<String>,
        members: Vec<usize>,
    },
    Terms {
        path: String,
        section: &'static str,
        heading: String,
        taxonomy: &'a Taxonomy,
    },
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

/// Renders every HTML page.
pub fn render_all(
    input: &RenderInput<'_>,
    env: &Environment<'static>,
) -> Result<Files, Vec<Diagnostic>> {
    let ctx = Ctx::new(input, env)?;
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
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn jobs<'a>(input: &RenderInput<'a>, ctx: &Ctx<'a>) -> Vec<Job<'a>> {
    let a = input.analysis;
    let mut jobs = vec![
        Job::Home,
        Job::Incidents,
        Job::NotFound,
        Job::Years,
        Job::Search,
    ];
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
    jobs.extend([Job::Trends, Job::Actions]);
    for (section, taxonomy) in [("services", &a.services), ("causes", &a.causes)] {
        jobs.push(Job::TermIndex { section });
        jobs.extend((0..taxonomy.terms.len()).map(|index| Job::Term { section, index }));
    }
    jobs.push(Job::Terms {
        path: "tags/".to_owned(),
        section: "tags",
        heading: "Tags".to_owned(),
        taxonomy: &a.tags,
    });
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

/// Shared, precomputed values for rendering pages.
struct Ctx<'a> {
    input: &'a RenderInput<'a>,
    site: Value,
    asset_version: String,
    zone: TimeZone,
    rows: Vec<Row>,
    /// `rows` as template values, made once: values share their data, so
    /// the many lists an incident is in do not copy its row again.
    row_values: Vec<Value>,
    years: Vec<(i16, Vec<usize>)>,
}

impl<'a> Ctx<'a> {
    fn new(
        input: &'a RenderInput<'a>,
        env: &Environment<'static>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let zone = input.config.time_zone().unwrap_or(TimeZone::UTC);
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
        let rows = rows(input, env, &zone).map_err(|e| vec![e])?;
        let row_values = rows.par_iter().map(|r| Value::from(Serde(r))).collect();
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
        Ok(Ctx {
            input,
            site,
            asset_version: input.theme.asset_version(),
            zone,
            rows,
            row_values,
            years,
        })
    }

    /// Rows of `members` in the order given.
    fn rows_in_order(&self, members: &[usize]) -> Vec<Value> {
        members
            .iter()
            .map(|&i| self.row_values[i].clone())
            .collect()
    }

    /// Rows of `members`, newest first.
    fn rows_of(&self, members: &[usize]) -> Vec<Value> {
        members
            .iter()
            .rev()
            .map(|&i| self.row_values[i].clone())
            .collect()
    }

    fn render(
        &self,
        env: &Environment<'static>,
        job: &Job<'_>,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let input = self.input;
        let (path, template, title, section, description, extra) = match job {
            Job::Home => (
                "".to_owned(),
                "index.html",
                input.config.title.clone(),
                "home",
                None,
                self.home(),
            ),
            Job::Incidents => (
                "incidents/".to_owned(),
                "incidents.html",
                "All incidents".to_owned(),
                "incidents",
                None,
                self.incidents_page(),
            ),
            Job::Incident(i) => {
                let mut view = views::incident(
                    input.incidents,
                    *i,
                    input.analysis,
                    &input.config.severities,
                    &self.zone,
                    input.build_time.to_zoned_datetime(self.zone.clone()).date(),
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
                    related => self.rows_in_order(&links.similar),
                    related_explicit => self.rows_in_order(&links.explicit),
                    referenced_by => self.rows_in_order(&links.referenced_by),
                };
                (
                    view.path.clone(),
                    "incident.html",
                    view.title.clone(),
                    "incident",
                    description,
                    related,
                )
            }
            Job::Term { section, index } => {
                let taxonomy = if *section == "services" {
                    &input.analysis.services
                } else {
                    &input.analysis.causes
                };
                let term = &taxonomy.terms[*index];
                let (title, ctx) = insights::term_page(
                    input,
                    section,
                    *index,
                    self.rows_of(&term.incidents),
                    &self.zone,
                );
                let lanes = (*section == "services")
                    .then(|| self.incidents_over_time(&term.incidents, "../../"))
                    .flatten();
                let ctx = context! { service_diagram => lanes, ..ctx };
                (
                    format!("{section}/{}/", term.slug),
                    "term.html",
                    title,
                    *section,
                    None,
                    ctx,
                )
            }
            Job::TermIndex { section } => {
                let (title, ctx) = insights::term_index(input, section, &self.zone);
                (
                    format!("{section}/"),
                    "taxonomy.html",
                    title,
                    *section,
                    None,
                    ctx,
                )
            }
            Job::Trends => (
                "trends/".to_owned(),
                "trends.html",
                "Trends".to_owned(),
                "trends",
                None,
                context! { heatmap => self.heatmap(), ..insights::trends(input) },
            ),
            Job::Actions => (
                "actions/".to_owned(),
                "actions.html",
                "Action items".to_owned(),
                "actions",
                None,
                insights::actions(input, &self.zone),
            ),
            Job::List {
                path,
                section,
                heading,
                intro,
                members,
            } => (
                path.clone(),
                "list.html",
                heading.clone(),
                *section,
                None,
                context! { heading, intro, rows => self.rows_of(members) },
            ),
            Job::Terms {
                path,
                section,
                heading,
                taxonomy,
            } => {
                let terms: Vec<TermView> = taxonomy
                    .terms
                    .iter()
                    .map(|t| TermView {
                        name: t.name.clone(),
                        path: format!("{section}/{}/", t.slug),
                        count: t.incidents.len(),
                    })
                    .collect();
                (
                    path.clone(),
                    "terms.html",
                    heading.clone(),
                    *section,
                    None,
                    context! { heading, terms => Serde(terms) },
                )
            }
            Job::Years => {
                let terms = self.year_terms();
                (
                    "years/".to_owned(),
                    "terms.html",
                    "Incidents by year".to_owned(),
                    "years",
                    None,
                    context! { heading => "Incidents by year", terms => Serde(terms) },
                )
            }
            Job::Search => (
                "search/".to_owned(),
                "search.html",
                "Search".to_owned(),
                "search",
                None,
                context! {},
            ),
            Job::NotFound => (
                "404.html".to_owned(),
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
            root_of(&path)
        };
        let canonical = format!(
            "{}{}",
            input.base_url,
            if path == "404.html" { "" } else { &path }
        );
        let description = description.unwrap_or_else(|| input.config.description.clone());
        let ctx = context! {
            site => &self.site,
            root,
            asset_version => &self.asset_version,
            page => context! { title, description, canonical, path => &path, section },
            nav => Serde(nav(section)),
            ..extra
        };
        let tmpl = env
            .get_template(template)
            .map_err(|e| template_error(input.theme, &e))?;
        let html = tmpl
            .render(ctx)
            .map_err(|e| template_error(input.theme, &e))?;
        let file = if path.ends_with(".html") {
            path
        } else {
            format!("{path}index.html")
        };
        Ok((file, html.into_bytes()))
    }

    /// The calendar of downtime per day over the whole history, for `/trends/`.
    fn heatmap(&self) -> Option<String> {
        let spans: Vec<IncidentSpan<'_>> = (0..self.rows.len())
            .filter_map(|i| {
                IncidentSpan::of(
                    &self.input.incidents[i],
                    &self.rows[i].path,
                    &self.rows[i].severity_class,
                )
            })
            .collect();
        diagram::history::downtime_heatmap(&spans, &self.zone, "../")
    }

    /// The lanes diagram of `members` for a page whose root is `root`.
    fn incidents_over_time(&self, members: &[usize], root: &str) -> Option<String> {
        let spans: Vec<IncidentSpan<'_>> = members
            .iter()
            .filter_map(|&i| {
                let row = &self.rows[i];
                IncidentSpan::of(&self.input.incidents[i], &row.path, &row.severity_class)
            })
            .collect();
        diagram::history::service_lanes(&spans, &self.zone, root)
    }

    fn home(&self) -> Value {
        let s = &self.input.analysis.summary;
        let latest: Vec<Value> = self.row_values.iter().rev().take(10).cloned().collect();
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
            ..insights::home_numbers(self.input, &self.zone)
        }
    }

    fn incidents_page(&self) -> Value {
        let all: Vec<usize> = (0..self.rows.len()).collect();
        context! { rows => self.rows_of(&all), severities => Serde(&self.input.config.severities), years => Serde(self.year_terms()) }
    }

    /// The years with incidents, newest first.
    fn year_terms(&self) -> Vec<TermView> {
        self.years
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

/// Every incident as a list row, with its HTML rendered once: lists of
/// incidents are most of a site's rows, and each incident is in several.
fn rows(
    input: &RenderInput<'_>,
    env: &Environment<'static>,
    zone: &TimeZone,
) -> Result<Vec<Row>, Diagnostic> {
    let item = env
        // Named `.html` so that what the row prints is escaped.
        .template_from_named_str(
            "incident-item.html",
            r#"{% import "macros.html" as m %}{{ m.incident_item(row) }}"#,
        )
        .map_err(|e| template_error(input.theme, &e))?;
    let table_row = env
        .template_from_named_str(
            "incident-row.html",
            r#"{% import "macros.html" as m %}{{ m.incident_row(row) }}"#,
        )
        .map_err(|e| template_error(input.theme, &e))?;
    input
        .incidents
        .par_iter()
        .map(|i| {
            let mut row = views::row(i, input.analysis, &input.config.severities, zone);
            let fail = |e: minijinja::Error| template_error(input.theme, &e);
            row.item_html = item
                .render(context! { row => Serde(&row), root => "../../" })
                .map_err(fail)?;
            row.row_html = table_row
                .render(context! { row => Serde(&row), root => "../" })
                .map_err(fail)?;
            Ok(row)
        })
        .collect()
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
