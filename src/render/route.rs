//! URL shapes, in one place: where each page of a site is ([`Route`]), the
//! file it is written to, the relative way back to the site root, and the
//! site-wide navigation. Pages, lists, the nav, the sitemap, the feed and
//! the search index all link through here.

use serde::Serialize;

use super::format::concat;
use crate::analysis::TermKind;

/// The Atom feed's file.
pub const FEED: &str = "feed.xml";
/// The sitemap's file.
pub const SITEMAP: &str = "sitemap.xml";
/// robots.txt.
pub const ROBOTS: &str = "robots.txt";

/// A page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// `/`.
    Home,
    /// `/incidents/`: every incident in a table.
    Incidents,
    /// `/incidents/SLUG/`.
    Incident(&'a str),
    /// The index of a kind's terms: `/services/`, `/tags/`, `/years/`, ...
    Terms(TermKind),
    /// One term's page: `/services/NAME/`, `/years/2024/`, ...
    Term(TermKind, &'a str),
    /// `/trends/`.
    Trends,
    /// `/actions/`.
    Actions,
    /// Page `n` (from 2) of a list paginated at `route`: `incidents/page/2/`
    /// (see [`Route::nth`]). Its first page is `route` itself.
    Nth(Paginated<'a>, usize),
    /// `/search/`.
    Search,
    /// `/404.html`, which a server shows at any depth.
    NotFound,
}

/// A list that has pages of its own (see [`Route::Nth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paginated<'a> {
    /// `/incidents/`.
    Incidents,
    /// `/actions/`.
    Actions,
    /// One term's page, by kind and slug.
    Term(TermKind, &'a str),
}

impl<'a> Paginated<'a> {
    /// The route of the list's first page.
    pub fn first(self) -> Route<'a> {
        match self {
            Paginated::Incidents => Route::Incidents,
            Paginated::Actions => Route::Actions,
            Paginated::Term(kind, slug) => Route::Term(kind, slug),
        }
    }

    /// The route of the list's page `n` (from 1): the first page is where
    /// the whole list was before it had pages, so links to it still hold.
    pub fn nth(self, n: usize) -> Route<'a> {
        if n <= 1 {
            self.first()
        } else {
            Route::Nth(self, n)
        }
    }
}

impl Route<'_> {
    /// The URL path from the site root: `incidents/x/`, empty for the home
    /// page. Templates write links as `{{ root }}{{ path }}`.
    pub fn path(&self) -> String {
        match self {
            Route::Nth(list, n) => format!("{}page/{n}/", list.first().path()),
            Route::Home => String::new(),
            Route::Incidents => "incidents/".to_owned(),
            Route::Incident(slug) => concat(&["incidents/", slug, "/"]),
            Route::Terms(kind) => concat(&[kind.section(), "/"]),
            Route::Term(kind, slug) => concat(&[kind.section(), "/", slug, "/"]),
            Route::Trends => "trends/".to_owned(),
            Route::Actions => "actions/".to_owned(),
            Route::Search => "search/".to_owned(),
            Route::NotFound => "404.html".to_owned(),
        }
    }

    /// The output file: `incidents/x/index.html`, `404.html`.
    pub fn file(&self) -> String {
        let path = self.path();
        if path.ends_with(".html") {
            path
        } else {
            format!("{path}index.html")
        }
    }

    /// The part of the site the page belongs to, as templates see it in
    /// `page.section` and the nav marks as current: `incident`, `services`.
    pub fn section(&self) -> &'static str {
        match self {
            Route::Home => "home",
            Route::Incidents => "incidents",
            Route::Incident(_) => "incident",
            Route::Terms(kind) | Route::Term(kind, _) => kind.section(),
            Route::Nth(list, _) => list.first().section(),
            Route::Trends => "trends",
            Route::Actions => "actions",
            Route::Search => "search",
            Route::NotFound => "404",
        }
    }

    /// The relative prefix from the page to the site root: `../../`.
    pub fn root(&self) -> String {
        let depth = self.path().matches('/').count();
        if depth == 0 {
            "./".to_owned()
        } else {
            "../".repeat(depth)
        }
    }
}

/// The URL path of a sitemap entry for the output file `file`: the pages
/// written as `index.html`; none for other files.
pub fn sitemap_path(file: &str) -> Option<&str> {
    file.strip_suffix("index.html")
}

/// One entry of the site-wide navigation.
#[derive(Debug, Serialize)]
pub struct NavItem {
    title: &'static str,
    path: String,
    current: bool,
}

/// The navigation of a page in `section` (see [`Route::section`]).
pub fn nav(section: &str) -> Vec<NavItem> {
    [
        ("Incidents", Route::Incidents),
        ("Services", Route::Terms(TermKind::Service)),
        ("Causes", Route::Terms(TermKind::Cause)),
        ("Trends", Route::Trends),
        ("Actions", Route::Actions),
        ("Search", Route::Search),
    ]
    .into_iter()
    .map(|(title, route)| NavItem {
        title,
        path: route.path(),
        current: route.section() == section,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_url() {
        let cases = [
            (Route::Home, "", "index.html", "./"),
            (
                Route::Incident("db-down"),
                "incidents/db-down/",
                "incidents/db-down/index.html",
                "../../",
            ),
            (
                Route::Terms(TermKind::Cause),
                "causes/",
                "causes/index.html",
                "../",
            ),
            (
                Route::Term(TermKind::Severity, "sev1"),
                "severity/sev1/",
                "severity/sev1/index.html",
                "../../",
            ),
            (
                Route::Term(TermKind::Year, "2024"),
                "years/2024/",
                "years/2024/index.html",
                "../../",
            ),
            (Route::NotFound, "404.html", "404.html", "./"),
            (
                Paginated::Incidents.nth(2),
                "incidents/page/2/",
                "incidents/page/2/index.html",
                "../../../",
            ),
            (
                Paginated::Actions.nth(1),
                "actions/",
                "actions/index.html",
                "../",
            ),
            (
                Paginated::Term(TermKind::Service, "db").nth(12),
                "services/db/page/12/",
                "services/db/page/12/index.html",
                "../../../../",
            ),
        ];
        for (route, path, file, root) in cases {
            assert_eq!((route.path().as_str(), route.file().as_str()), (path, file));
            assert_eq!(route.root(), root, "{route:?}");
        }
        assert_eq!(sitemap_path("tags/x/index.html"), Some("tags/x/"));
        assert_eq!(sitemap_path("404.html"), None);
        let current: Vec<&str> = nav("causes")
            .iter()
            .filter(|i| i.current)
            .map(|i| i.title)
            .collect();
        assert_eq!(current, ["Causes"]);
    }

    #[test]
    fn paths_are_what_format_made() {
        let kinds = [
            TermKind::Service,
            TermKind::Cause,
            TermKind::Tag,
            TermKind::Severity,
            TermKind::Year,
        ];
        for slug in [
            "db",
            "",
            "orders-db-black-friday-lock",
            "störung",
            "2024",
            "a/b",
        ] {
            assert_eq!(Route::Incident(slug).path(), format!("incidents/{slug}/"));
            for kind in kinds {
                assert_eq!(Route::Terms(kind).path(), format!("{}/", kind.section()));
                assert_eq!(
                    Route::Term(kind, slug).path(),
                    format!("{}/{slug}/", kind.section())
                );
            }
        }
    }
}
