//! The Atom feed of incidents, the sitemap and robots.txt.

use std::fmt::Write;

use super::RenderInput;
use super::escape::xml_escape;
use super::route::{self, Route};

/// The Atom feed: the newest incidents (`feed_limit` of them), newest first.
pub fn atom(input: &RenderInput<'_>) -> String {
    let base = &input.base_url;
    let mut dated: Vec<_> = input
        .incidents
        .iter()
        .filter(|i| i.started.is_some())
        .collect();
    dated.reverse();
    dated.truncate(input.config.feed_limit);
    let updated_of =
        |i: &crate::model::Incident| i.resolved.or(i.started).unwrap_or(input.build_time);
    let feed_updated = dated
        .iter()
        .map(|i| updated_of(i))
        .max()
        .unwrap_or(input.build_time);
    let mut xml = String::with_capacity(512 + dated.len() * 600);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    xml.push_str(&xml_escape(&input.config.language));
    let _ = write!(
        xml,
        "\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link href=\"{base}feed.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{base}\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{base}</id>\n  <updated>{}</updated>\n  <generator>kb</generator>\n",
        xml_escape(&input.config.title),
        xml_escape(&input.config.description),
        super::format::iso(feed_updated),
    );
    for incident in dated {
        let url = format!("{base}{}", Route::Incident(&incident.slug).path());
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\" rel=\"alternate\" type=\"text/html\"/>\n    <id>{url}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n",
            xml_escape(&incident.title),
            super::format::iso(incident.started.unwrap_or(input.build_time)),
            super::format::iso(updated_of(incident)),
        );
        for author in &incident.authors {
            let _ = writeln!(
                xml,
                "    <author><name>{}</name></author>",
                xml_escape(author)
            );
        }
        if incident.authors.is_empty() {
            let _ = writeln!(
                xml,
                "    <author><name>{}</name></author>",
                xml_escape(&input.config.title)
            );
        }
        if let Some(severity) = &incident.severity {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", xml_escape(severity));
        }
        if let Some(summary) = &incident.summary {
            let _ = writeln!(xml, "    <summary>{}</summary>", xml_escape(summary));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
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
    format!("User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n")
}
