//! Simplifying an export's document to plain HTML that a Markdown
//! converter reads well: chrome and comments left out, tools' own markup
//! (task lists, callouts, code macros, Google Docs' styled spans and
//! redirect links) turned into the plain elements they stand for, every
//! attribute dropped but links' targets, images' sources and alt text, and
//! code blocks' language.

use std::collections::HashSet;
use std::fmt::Write as _;

use scraper::node::Node;
use scraper::{ElementRef, Html};

use super::exports::selector;

/// Elements that are chrome or cannot show in Markdown: left out whole.
const DROPPED: [&str; 20] = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "iframe",
    "form", "button", "svg", "link", "meta", "title", "head", "object", "embed", "canvas",
    "select",
];

/// Classes and ids of the exports' chrome inside the document.
const CHROME: [&str; 9] = [
    "page-metadata",
    "breadcrumb-section",
    "pageSection",
    "plugin-tabmeta-details",
    "aui-icon",
    "page-header-icon",
    "icon",
    "checkbox",
    "indented",
];

/// Elements kept as they are (without their attributes).
const KEPT: [&str; 27] = [
    "p",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "strong",
    "b",
    "em",
    "i",
    "code",
    "hr",
    "del",
    "s",
    "div",
];

/// Google Docs' classes that stand for bold, italic and monospace text.
#[derive(Debug, Default)]
pub struct Styles {
    bold: HashSet<String>,
    italic: HashSet<String>,
    mono: HashSet<String>,
}

impl Styles {
    /// Reads the `.cN{...}` rules of the page's `<style>` elements.
    pub fn of(doc: &Html) -> Styles {
        let mut styles = Styles::default();
        let css: String = doc
            .select(&selector("style"))
            .flat_map(|s| s.text())
            .collect();
        for rule in css.split('}') {
            let Some((selector, body)) = rule.split_once('{') else {
                continue;
            };
            let Some(class) = selector.trim().strip_prefix('.') else {
                continue;
            };
            if class.contains([' ', '>', ':', ',', '.']) {
                continue;
            }
            let body = body.replace(' ', "").to_ascii_lowercase();
            let add = |set: &mut HashSet<String>| set.insert(class.to_owned());
            if body.contains("font-weight:700") || body.contains("font-weight:bold") {
                add(&mut styles.bold);
            }
            if body.contains("font-style:italic") {
                add(&mut styles.italic);
            }
            if [
                "couriernew",
                "consolas",
                "robotomono",
                "sourcecodepro",
                "monospace",
            ]
            .iter()
            .any(|f| body.contains(&format!("font-family:\"{f}")) || body.contains(f))
                && body.contains("font-family")
            {
                add(&mut styles.mono);
            }
        }
        styles
    }
}

/// `root` as simple HTML.
pub fn simplify(root: ElementRef<'_>, styles: &Styles) -> String {
    let mut out = String::new();
    children(root, styles, &mut out);
    out
}

fn children(element: ElementRef<'_>, styles: &Styles, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => escape(text, out),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    node(child, styles, out);
                }
            }
            _ => {}
        }
    }
}

fn node(e: ElementRef<'_>, styles: &Styles, out: &mut String) {
    let el = e.value();
    let name = el.name();
    if DROPPED.contains(&name)
        || el.classes().any(|c| CHROME.contains(&c))
        || el.id().is_some_and(|id| CHROME.contains(&id))
        || is_comment_thread(e)
    {
        return;
    }
    match name {
        "pre" => code_block(e, out),
        "a" => link(e, styles, out),
        "img" => image(e, out),
        "li" => {
            out.push_str("<li>");
            if let Some(done) = task_state(e) {
                out.push_str(if done { "[x] " } else { "[ ] " });
            }
            children(e, styles, out);
            out.push_str("</li>");
        }
        "figure" if el.classes().any(|c| c == "callout") => wrap("blockquote", e, styles, out),
        _ if el.classes().any(|c| c == "confluence-information-macro") => {
            wrap("blockquote", e, styles, out);
        }
        "figcaption" => wrap("p", e, styles, out),
        "p" if is_inside(e, &["td", "th"]) => {
            children(e, styles, out);
            out.push(' ');
        }
        "p" if is_all_mono(e, styles) => {
            out.push_str("<pre><code>");
            escape(&e.text().collect::<String>(), out);
            out.push_str("</code></pre>");
        }
        "table" => table(e, styles, out),
        // Google Docs' title, which the Markdown puts first as a heading.
        "p" if el.classes().any(|c| c == "title" || c == "subtitle") => {}
        "ul" | "ol" => list(e, styles, out),
        "span" => styled(e, styles, out),
        _ if KEPT.contains(&name) => wrap(name, e, styles, out),
        "section" | "figure" | "article" | "main" => wrap("div", e, styles, out),
        _ => children(e, styles, out),
    }
}

fn wrap(tag: &str, e: ElementRef<'_>, styles: &Styles, out: &mut String) {
    let _ = write!(out, "<{tag}>");
    children(e, styles, out);
    let _ = write!(out, "</{tag}>");
}

/// A Google Docs span: its classes may mean bold, italic or code.
fn styled(e: ElementRef<'_>, styles: &Styles, out: &mut String) {
    let has = |set: &HashSet<String>| e.value().classes().any(|c| set.contains(c));
    let tags: Vec<&str> = [
        (has(&styles.mono), "code"),
        (has(&styles.bold), "strong"),
        (has(&styles.italic), "em"),
    ]
    .into_iter()
    .filter_map(|(on, tag)| on.then_some(tag))
    .collect();
    let text = e.text().collect::<String>();
    if text.trim().is_empty() || tags.is_empty() {
        children(e, styles, out);
        return;
    }
    for tag in &tags {
        let _ = write!(out, "<{tag}>");
    }
    children(e, styles, out);
    for tag in tags.iter().rev() {
        let _ = write!(out, "</{tag}>");
    }
}

/// A paragraph whose text is all in monospace spans: a command pasted in a
/// document, which Google Docs cannot mark as code otherwise.
fn is_all_mono(p: ElementRef<'_>, styles: &Styles) -> bool {
    if styles.mono.is_empty() || p.text().collect::<String>().trim().is_empty() {
        return false;
    }
    p.children().filter_map(ElementRef::wrap).all(|span| {
        span.value().classes().any(|c| styles.mono.contains(c))
            || span.text().collect::<String>().trim().is_empty()
    }) && p
        .children()
        .all(|c| !matches!(c.value(), Node::Text(t) if !t.trim().is_empty()))
}

/// A `<pre>`: its text as a code block, with the language Confluence's
/// code macro (`brush: yml`) or Notion (`language-YAML`) names.
fn code_block(e: ElementRef<'_>, out: &mut String) {
    let from_brush = e
        .value()
        .attr("data-syntaxhighlighter-params")
        .and_then(|p| p.split(';').find_map(|kv| kv.trim().strip_prefix("brush:")))
        .map(|l| l.trim().to_ascii_lowercase());
    let from_class = e
        .descendants()
        .filter_map(ElementRef::wrap)
        .flat_map(|c| c.value().classes().collect::<Vec<_>>())
        .find_map(|c| c.strip_prefix("language-"))
        .map(str::to_ascii_lowercase);
    out.push_str("<pre><code");
    if let Some(lang) = from_brush.or(from_class).filter(|l| {
        l.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '+')
    }) {
        let _ = write!(out, " class=\"language-{lang}\"");
    }
    out.push('>');
    escape(&e.text().collect::<String>(), out);
    out.push_str("</code></pre>");
}

/// A link: Google's redirect unwrapped; a person mention, an anchor, or a
/// link to another page of the export (a relative `.html`, which kb does
/// not have) kept as its text.
fn link(e: ElementRef<'_>, styles: &Styles, out: &mut String) {
    let href = e.value().attr("href").map(unredirect);
    let mention = e
        .value()
        .classes()
        .any(|c| c == "user-mention" || c == "confluence-userlink");
    match href {
        Some(href) if !mention && is_external(&href) => {
            out.push_str("<a href=\"");
            escape(&href, out);
            out.push_str("\">");
            children(e, styles, out);
            out.push_str("</a>");
        }
        _ => children(e, styles, out),
    }
}

fn is_external(href: &str) -> bool {
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| href.to_ascii_lowercase().starts_with(scheme))
}

/// `https://www.google.com/url?q=TARGET&sa=...` (Google Docs' links) to
/// TARGET.
fn unredirect(href: &str) -> String {
    let Some(query) = href.strip_prefix("https://www.google.com/url?") else {
        return href.to_owned();
    };
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("q="))
        .map(|q| {
            percent_encoding::percent_decode_str(q)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_else(|| href.to_owned())
}

/// An image: its source and alt text (or its title, when it has no alt).
fn image(e: ElementRef<'_>, out: &mut String) {
    let el = e.value();
    let alt = el
        .attr("alt")
        .filter(|a| !a.trim().is_empty())
        .or_else(|| el.attr("title").filter(|t| !t.trim().is_empty()));
    let (Some(src), Some(alt)) = (el.attr("src"), alt) else {
        return;
    };
    out.push_str("<img src=\"");
    escape(src, out);
    out.push_str("\" alt=\"");
    escape(alt, out);
    out.push_str("\">");
}

/// A list; lists of one kind that follow each other with nothing between
/// are one list (Notion exports every item as a list of its own).
fn list(e: ElementRef<'_>, styles: &Styles, out: &mut String) {
    let name = e.value().name();
    let same = |other: Option<ElementRef<'_>>| {
        other.is_some_and(|o| {
            o.value().name() == name && o.value().attr("class") == e.value().attr("class")
        })
    };
    if !same(sibling(e, false)) {
        let _ = write!(out, "<{name}>");
    }
    children(e, styles, out);
    if !same(sibling(e, true)) {
        let _ = write!(out, "</{name}>");
    }
}

/// The element next to `e` (after it when `next`), when only whitespace
/// lies between.
fn sibling(e: ElementRef<'_>, next: bool) -> Option<ElementRef<'_>> {
    let mut node = if next {
        e.next_sibling()
    } else {
        e.prev_sibling()
    };
    while let Some(n) = node {
        match n.value() {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Element(_) => return ElementRef::wrap(n),
            _ => return None,
        }
        node = if next {
            n.next_sibling()
        } else {
            n.prev_sibling()
        };
    }
    None
}

/// A table; without a header row, its first row becomes one (documents'
/// tables rarely mark it, and a Markdown table needs it), its cells plain
/// text.
fn table(e: ElementRef<'_>, styles: &Styles, out: &mut String) {
    let rows: Vec<ElementRef<'_>> = e
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|r| r.value().name() == "tr")
        .collect();
    out.push_str("<table>");
    for (i, row) in rows.iter().enumerate() {
        out.push_str("<tr>");
        for cell in row.children().filter_map(ElementRef::wrap) {
            if i == 0 {
                out.push_str("<th>");
                escape(&super::text_of(cell), out);
                out.push_str("</th>");
            } else {
                wrap("td", cell, styles, out);
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

/// Done or not, for an item of a task list (Confluence's `li.checked`,
/// Notion's `.checkbox-on`); `None` for any other item.
fn task_state(li: ElementRef<'_>) -> Option<bool> {
    let parent = li.parent().and_then(ElementRef::wrap)?;
    let classes: Vec<&str> = parent.value().classes().collect();
    if classes.contains(&"inline-task-list") {
        return Some(li.value().classes().any(|c| c == "checked"));
    }
    if classes.contains(&"to-do-list") {
        return Some(li.select(&selector(".checkbox-on")).next().is_some());
    }
    None
}

fn is_inside(e: ElementRef<'_>, names: &[&str]) -> bool {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| names.contains(&a.value().name()))
}

/// Google Docs' comments: the `[a]` marks in the text (`#cmnt1`) and the
/// threads at the end, each in a `div` with a link back (`#cmnt_ref1`).
fn is_comment_thread(e: ElementRef<'_>) -> bool {
    let href = |a: ElementRef<'_>| a.value().attr("href").unwrap_or_default().to_owned();
    match e.value().name() {
        "sup" => e
            .children()
            .filter_map(ElementRef::wrap)
            .any(|a| href(a).starts_with("#cmnt")),
        "div" => e
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(|a| href(a).starts_with("#cmnt_ref")),
        _ => false,
    }
}

/// Escapes `text` for HTML; a no-break space (which documents put after
/// a bold "Severity:") becomes a space.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\u{a0}' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
