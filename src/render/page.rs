//! What every page shares: [`PageCtx`], what a page module reads the site
//! from; [`Page`], the one value a page module makes for its template; and
//! the frame every page is rendered in (`site`, `root`, `page`, `nav`).

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::diagram::history::IncidentSpan;
use super::route::{self, Route};
use super::rows::{ItemTerms, Rows};
use super::{RenderInput, bounds};
use crate::diagnostic::Diagnostic;

/// One page, ready for its template: the value a page module makes from
/// the analysis. `view` is what the template gets besides the frame; it
/// serializes, so a later build can fingerprint it.
pub struct Page {
    /// The theme's template (`term.html`).
    pub template: &'static str,
    /// The page's `<title>`.
    pub title: String,
    /// Its `<meta name="description">`, else the site's.
    pub description: Option<String>,
    /// The template's own variables.
    pub view: Value,
}

impl Page {
    /// A page whose template needs nothing but the frame.
    pub fn plain(template: &'static str, title: &str) -> Page {
        Page {
            template,
            title: title.to_owned(),
            description: None,
            view: context! {},
        }
    }
}

/// The site-wide values every template gets as `site`.
#[derive(Debug, Clone, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    base_url: &'a str,
    timezone: &'a str,
    /// The build's date, only for the pages that depend on it (see
    /// [`PageCtx::dated`]): a page that showed it would change every day.
    #[serde(skip_serializing_if = "Option::is_none")]
    generated: Option<String>,
}

/// What the frame of every page shares: `site` (with the build's date for
/// the pages that depend on it, without for the others) and the assets'
/// version.
pub struct Frame {
    site: Value,
    site_dated: Value,
    asset_version: String,
}

impl Frame {
    /// The frame of `input`'s pages.
    pub fn new(input: &RenderInput<'_>) -> Frame {
        let site = |generated: Option<String>| {
            Value::from(Serde(SiteView {
                title: &input.config.title,
                description: &input.config.description,
                lang: &input.config.language,
                base_url: &input.base_url,
                timezone: &input.config.timezone,
                generated,
            }))
        };
        Frame {
            site: site(None),
            site_dated: site(Some(input.today().to_string())),
            asset_version: input.theme.asset_version(),
        }
    }
}

/// What a page module reads the site from.
pub struct PageCtx<'a> {
    /// The site's incidents, analysis and settings.
    pub input: &'a RenderInput<'a>,
    /// The theme's templates.
    pub env: &'a Environment<'static>,
    /// Every incident's list row.
    pub rows: &'a Rows,
    /// The frame every page shares.
    pub frame: &'a Frame,
    /// At most how many incidents a list or diagram shows (all, but when
    /// a page is rendered only for its template errors).
    pub most: usize,
    /// Whether the page depends on the build's date (overdue actions, the
    /// current quarter, series up to this month): only such a page gets
    /// it as `site.generated`, and only its fingerprint holds the date.
    pub dated: bool,
    /// Whether the page is one after its list's first (`incidents/page/2/`),
    /// whose rows link two folders further up (see [`Rows::get_deep`]).
    pub deep: bool,
}

impl PageCtx<'_> {
    /// Rows of `members` in the order given, with their fields only: no
    /// `row_html`, which is rendered for the incident list's depth and
    /// which a related incident's partial does not show.
    pub fn plain_rows_in_order(&self, members: &[usize]) -> Vec<Value> {
        members
            .iter()
            .take(self.most)
            .map(|&i| self.rows.plain(self.input, i).clone())
            .collect()
    }

    /// Rows of `members`, newest first.
    pub fn rows_of(&self, members: &[usize]) -> Result<Vec<Value>, Diagnostic> {
        self.collect_rows(members.iter().rev())
    }

    /// List items of `members`, newest first, linking only `terms` of
    /// their own (see [`ItemTerms`]).
    pub fn items_of(&self, members: &[usize], terms: ItemTerms) -> Result<Vec<Value>, Diagnostic> {
        members
            .iter()
            .rev()
            .take(self.most)
            .map(|&i| self.rows.item(self.input, i, terms, self.deep))
            .collect()
    }

    fn collect_rows<'m>(
        &self,
        members: impl Iterator<Item = &'m usize>,
    ) -> Result<Vec<Value>, Diagnostic> {
        members
            .take(self.most)
            .map(|&i| {
                if self.deep {
                    self.rows.get_deep(self.input, i).cloned()
                } else {
                    self.rows.get(self.input, i).cloned()
                }
            })
            .collect()
    }

    /// The time spans of `members` that have one, for the history diagrams.
    pub fn spans(&self, members: &[usize]) -> Vec<IncidentSpan<'_>> {
        self.rows
            .spans(self.input, members.iter().copied().take(self.most))
    }

    /// Renders `page` at `route` in the frame every page shares.
    pub fn render(&self, route: Route<'_>, page: Page) -> Result<Vec<u8>, Diagnostic> {
        let input = self.input;
        let path = route.path();
        let root = match route {
            Route::NotFound => crate::config::url_path(&input.base_url),
            _ => route.root(),
        };
        let canonical = match route {
            Route::NotFound => input.base_url.clone(),
            _ => format!("{}{path}", input.base_url),
        };
        let Page {
            template,
            title,
            description,
            view,
        } = page;
        let description = description.unwrap_or_else(|| input.config.description.clone());
        let section = route.section();
        let ctx = context! {
            site => if self.dated { &self.frame.site_dated } else { &self.frame.site },
            root,
            asset_version => &self.frame.asset_version,
            page => context! { title, description, canonical, path, section },
            nav => Serde(route::nav(section)),
            ..view
        };
        bounds::render_bytes(self.env, input.theme, template, ctx, bounds::MAX_PAGE_BYTES)
    }
}
