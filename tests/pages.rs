//! Whole pages as reviewed snapshots: one page of each type of the `basic`
//! fixture (home, the incident table, an incident, the index of services,
//! a service, a cause, a tag, a severity, a year, the indexes of tags and
//! years, trends, actions, search, not found) and the feed and sitemap,
//! kept under `tests/snapshots/`. A change to any page shows in review as
//! a diff of these files: accept it with `cargo insta review` (or
//! `INSTA_UPDATE=always`) only when the change is meant.

mod common;

use common::Built;

/// One output file of each type.
const PAGES: [&str; 17] = [
    "index.html",
    "incidents/index.html",
    "incidents/a-payments-toml/index.html",
    "services/index.html",
    "services/payments/index.html",
    "causes/third-party-outage/index.html",
    "tags/psp/index.html",
    "severity/sev1/index.html",
    "years/2025/index.html",
    "tags/index.html",
    "years/index.html",
    "trends/index.html",
    "actions/index.html",
    "search/index.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
];

/// `text` with the assets' version (`?v=` and eight hex digits, a hash of
/// the theme's static files) as `?v=VERSION`: a change to the stylesheet
/// is not a change to every page.
fn without_asset_version(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("?v=") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let hex = tail.bytes().take_while(u8::is_ascii_hexdigit).count();
        if hex == 8 {
            out.push_str("VERSION");
            rest = &tail[8..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn one_page_of_each_type() {
    let site = Built::new("basic");
    for path in PAGES {
        let name = path
            .trim_end_matches("/index.html")
            .replace(['/', '.'], "_");
        insta::assert_snapshot!(name, without_asset_version(&site.text(path)));
    }
}

#[test]
fn the_asset_version_is_masked_and_nothing_else() {
    assert_eq!(
        without_asset_version("a.css?v=0badf00d\">b.js?v=12\" ?v="),
        "a.css?v=VERSION\">b.js?v=12\" ?v="
    );
}
