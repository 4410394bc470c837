//! HTML exports to Markdown, for `kb import`: a Confluence page export, a
//! Google Docs "Web page" export, a Notion HTML export, or any other HTML
//! page. The export's own markup is read first (which part is the
//! document, its title, its property table, its comments), the chrome is
//! left out (navigation, breadcrumbs, scripts, styles, HTML comments, page
//! metadata, attachment lists, footers, Google Docs' comment threads), and
//! what remains is simplified ([`clean`]) and converted to Markdown by the
//! `htmd` crate: headings, paragraphs, lists, tables, code, links and
//! images with their alt text. The Markdown starts with the title as a
//! heading and the export's properties as `**Key:** value` lines, so that
//! inference reads it like any plain postmortem.

mod clean;
mod exports;

use scraper::Html;

pub use exports::Export;

/// An HTML export as Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The tool the export came from.
    pub export: Export,
    /// `# Title`, `**Key:** value` lines, then the document.
    pub markdown: String,
}

/// Why a page was not converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// A list of an export's pages (Confluence's `index.html`), not a
    /// document.
    IndexPage,
    /// Nothing but chrome: no text in the document's part.
    Empty,
}

/// Whether `path` names an HTML file, by its extension.
pub fn is_html(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Converts the HTML page `html` to Markdown.
pub fn to_markdown(html: &str) -> Result<Converted, Skipped> {
    let doc = Html::parse_document(html);
    let export = Export::of(&doc);
    let parts = exports::parts(&doc, export)?;
    let styles = clean::Styles::of(&doc);
    let body = clean::simplify(parts.root, &styles);
    let converter = htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Default::default()
        })
        .build();
    let body = converter.convert(&body).map_err(|_| Skipped::Empty)?;
    let body = unescape_tasks(body.trim());
    let body = body.as_str();
    if body.is_empty() && parts.properties.is_empty() {
        return Err(Skipped::Empty);
    }
    let mut markdown = String::new();
    if let Some(title) = parts.title.filter(|t| !t.is_empty()) {
        markdown.push_str(&format!("# {title}\n\n"));
    }
    for (key, value) in &parts.properties {
        markdown.push_str(&format!("**{key}:** {value}  \n"));
    }
    if !parts.properties.is_empty() {
        markdown.push('\n');
    }
    markdown.push_str(body);
    markdown.push('\n');
    Ok(Converted { export, markdown })
}

/// `- [x] ` and `- [ ] ` at the start of list items, which the converter
/// escapes as text: task list items in Markdown.
fn unescape_tasks(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let (lead, rest) = line.split_at(indent);
        out.push_str(lead);
        let fixed = ["- ", "* ", "+ "].iter().find_map(|bullet| {
            let item = rest.strip_prefix(bullet)?;
            let (mark, text) = item
                .strip_prefix("\\[x\\] ")
                .map(|t| ("[x] ", t))
                .or_else(|| item.strip_prefix("\\[ \\] ").map(|t| ("[ ] ", t)))?;
            Some(format!("{bullet}{mark}{text}"))
        });
        out.push_str(fixed.as_deref().unwrap_or(rest));
    }
    out
}

/// The text of an element with its whitespace runs made single spaces.
fn text_of(element: scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
