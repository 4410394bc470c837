//! Telling exports apart, and the parts of each: which element holds the
//! document, its title, and its properties (Notion's property table,
//! Confluence's page-properties macro).

use scraper::{ElementRef, Html, Selector};

use super::{Skipped, text_of};

/// The tool an HTML page was exported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Export {
    /// A Confluence page export (space export or "Export to HTML").
    Confluence,
    /// Google Docs' File > Download > Web page.
    GoogleDocs,
    /// Notion's Export > HTML.
    Notion,
    /// Any other HTML page.
    Html,
}

impl Export {
    /// Which tool made `doc`, by the markup each one writes.
    pub fn of(doc: &Html) -> Export {
        let has = |css: &str| doc.select(&selector(css)).next().is_some();
        if has("#main-content.wiki-content, #title-heading.pagetitle, .confluenceTable") {
            Export::Confluence
        } else if has("body.doc-content, [class*='lst-kix_'], p.title[id^='h.']") {
            Export::GoogleDocs
        } else if has("article.page .page-body, h1.page-title") {
            Export::Notion
        } else {
            Export::Html
        }
    }
}

/// The parts of an export.
pub struct Parts<'a> {
    /// The element that holds the document.
    pub root: ElementRef<'a>,
    /// Its title.
    pub title: Option<String>,
    /// Its properties, in order.
    pub properties: Vec<(String, String)>,
}

/// A selector from our own constant text.
pub(super) fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
}

fn first<'a>(doc: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    doc.select(&selector(css)).next()
}

/// The `<title>`, without a Confluence space's "Space : " in front.
fn page_title(doc: &Html) -> Option<String> {
    first(doc, "title").map(text_of).filter(|t| !t.is_empty())
}

/// The parts of `doc`, an export by `export`.
pub fn parts(doc: &Html, export: Export) -> Result<Parts<'_>, Skipped> {
    let body = first(doc, "body").unwrap_or_else(|| doc.root_element());
    match export {
        Export::Confluence => confluence(doc, body),
        Export::GoogleDocs => Ok(Parts {
            root: first(doc, "body").unwrap_or(body),
            title: first(doc, "p.title")
                .map(text_of)
                .or_else(|| page_title(doc)),
            properties: Vec::new(),
        }),
        Export::Notion => Ok(Parts {
            root: first(doc, "article .page-body").unwrap_or(body),
            title: first(doc, "h1.page-title")
                .map(text_of)
                .or_else(|| page_title(doc)),
            properties: property_rows(doc, "table.properties tr"),
        }),
        Export::Html => Ok(Parts {
            root: first(doc, "main")
                .or_else(|| first(doc, "article"))
                .unwrap_or(body),
            title: page_title(doc).or_else(|| first(doc, "h1").map(text_of)),
            properties: Vec::new(),
        }),
    }
}

/// A Confluence page: `#main-content`, titled `#title-text` less the
/// space's name; a space's `index.html` lists pages and is skipped.
fn confluence<'a>(doc: &'a Html, body: ElementRef<'a>) -> Result<Parts<'a>, Skipped> {
    let root = first(doc, "#main-content.wiki-content").ok_or_else(|| {
        if first(doc, ".pageSectionTitle").is_some() {
            Skipped::IndexPage
        } else {
            Skipped::Empty
        }
    });
    let root = match root {
        Ok(root) => root,
        Err(Skipped::Empty) if first(doc, "#main-content").is_none() => body,
        Err(e) => return Err(e),
    };
    let title = first(doc, "#title-text")
        .map(text_of)
        .or_else(|| page_title(doc))
        .map(|t| match t.split_once(" : ") {
            Some((_space, page)) => page.trim().to_owned(),
            None => t,
        });
    Ok(Parts {
        root,
        title,
        properties: property_rows(doc, "#main-content .plugin-tabmeta-details tr"),
    })
}

/// `(th, td)` rows of a property table as (key, value), a multi-select's
/// values joined with commas.
fn property_rows(doc: &Html, rows: &str) -> Vec<(String, String)> {
    let th = selector("th");
    let td = selector("td");
    let choice = selector(".selected-value");
    doc.select(&selector(rows))
        .filter_map(|row| {
            let key = text_of(row.select(&th).next()?);
            let cell = row.select(&td).next()?;
            let choices: Vec<String> = cell.select(&choice).map(text_of).collect();
            let value = if choices.len() > 1 {
                choices.join(", ")
            } else {
                text_of(cell)
            };
            (!key.is_empty() && !value.is_empty()).then_some((key, value))
        })
        .collect()
}
