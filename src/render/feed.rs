//! The Atom feed of incidents (the theme's `feed.xml` template, so a theme
//! can change it), the sitemap and robots.txt.

use std::fmt::Write;
use std::sync::Arc;

use minijinja::value::Serde;
use minijinja::{Environment, context};
use serde::Serialize;

use super::escape::xml_escape;
use super::format::iso;
use super::route::{self, Route};
use super::{RenderInput, bounds};
use crate::diagnostic::Diagnostic;
use crate::model::Incident;

/// One incident in the feed.
#[derive(Debug, Serialize)]
struct Entry<'a> {
    title: &'a str,
    url: String,
    published: String,
    updated: String,
    /// The incident's authors, else the site's title: Atom wants one.
    authors: Vec<&'a str>,
    category: Option<&'a str>,
    summary: Option<&'a str>,
}

/// What the theme's `feed.xml` gets as `feed`.
#[derive(Debug, Serialize)]
struct Feed<'a> {
    lang: &'a str,
    title: &'a str,
    subtitle: &'a str,
    /// The feed's own URL.
    url: String,
    site_url: &'a str,
    updated: String,
    entries: Vec<Entry<'a>>,
}

/// The Atom feed: the newest incidents (`feed_limit` of them), newest
/// first, rendered by the theme's `feed.xml`.
pub fn atom(input: &RenderInput<'_>, env: &Environment<'static>) -> Result<Vec<u8>, Diagnostic> {
    let feed = feed(input);
    let ctx = context! { feed => Serde(feed) };
    bounds::render_bytes(env, input.theme, TEMPLATE, ctx, bounds::MAX_PAGE_BYTES)
}

/// The theme's template of the feed.
const TEMPLATE: &str = "feed.xml";

fn feed<'a>(input: &'a RenderInput<'_>) -> Feed<'a> {
    let base = &input.base_url;
    let mut dated: Vec<&Incident> = input
        .incidents
        .iter()
        .map(Arc::as_ref)
        .filter(|i| i.started.is_some())
        .collect();
    dated.reverse();
    dated.truncate(input.config.feed_limit);
    // Never the clock: a feed that changed with it would be written again
    // by every build.
    let fallback = input.content_time();
    let updated_of = |i: &Incident| i.resolved.or(i.started).unwrap_or(fallback);
    let feed_updated = dated
        .iter()
        .map(|i| updated_of(i))
        .max()
        .unwrap_or(fallback);
    let entries = dated
        .into_iter()
        .map(|incident| Entry {
            title: &incident.title,
            url: format!("{base}{}", Route::Incident(&incident.slug).path()),
            published: iso(incident.started.unwrap_or(fallback)),
            updated: iso(updated_of(incident)),
            authors: match incident.authors.as_slice() {
                [] => vec![input.config.title.as_str()],
                names => names.iter().map(String::as_str).collect(),
            },
            category: incident.severity.as_deref(),
            summary: incident.summary.as_deref(),
        })
        .collect();
    Feed {
        lang: &input.config.language,
        title: &input.config.title,
        subtitle: &input.config.description,
        url: format!("{base}{}", route::FEED),
        site_url: base,
        updated: iso(feed_updated),
        entries,
    }
}

/// The sitemap of every HTML page but the 404 page.
pub fn sitemap<'a>(base_url: &str, paths: impl Iterator<Item = &'a String>) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        if let Some(dir) = route::sitemap_path(path) {
            let _ = writeln!(
                xml,
                "  <url><loc>{}{}</loc></url>",
                xml_escape(base_url),
                xml_escape(dir)
            );
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

/// robots.txt: everything allowed, the sitemap named.
pub fn robots(base_url: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {base_url}{}\n",
        route::SITEMAP
    )
}
