//! `kb import` of HTML exports: an `.html` file is converted to Markdown
//! (see [`crate::content::html`]) before inference reads it, and named
//! after its file without the export's page id.

use std::path::Path;

use crate::content::html::{self, Export, Skipped};

/// A file ready for inference: its text, the stem of the file to write,
/// and the tool that exported it (for HTML).
pub struct Prepared {
    /// Markdown or plain text.
    pub bytes: Vec<u8>,
    /// The output file's name without `.md`.
    pub stem: String,
    /// The export's tool, for an HTML file.
    pub export: Option<Export>,
}

/// Converts `bytes`, read from `file`, when it is HTML; other files pass
/// as they are. Err holds the report's status and message.
pub fn prepare(file: &Path, bytes: Vec<u8>) -> Result<Prepared, (&'static str, String)> {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "imported".into());
    if !html::is_html(file) {
        return Ok(Prepared {
            bytes,
            stem,
            export: None,
        });
    }
    let text = String::from_utf8_lossy(&bytes);
    match html::to_markdown(&text) {
        Ok(converted) => Ok(Prepared {
            bytes: converted.markdown.into_bytes(),
            stem: without_page_id(&stem).to_owned(),
            export: Some(converted.export),
        }),
        Err(Skipped::IndexPage) => Err((
            "skipped",
            "an index of the export's pages, not a postmortem".into(),
        )),
        Err(Skipped::Empty) => Err(("not-text", "the page has no text".into())),
    }
}

/// A file stem without the id an export adds: Notion's ` 3f2a...` (32 hex
/// digits) and Confluence's `_2146304017`.
fn without_page_id(stem: &str) -> &str {
    if let Some((name, id)) = stem.rsplit_once(' ')
        && id.len() == 32
        && id.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return name;
    }
    if let Some((name, id)) = stem.rsplit_once('_')
        && id.len() >= 5
        && id.bytes().all(|b| b.is_ascii_digit())
    {
        return name;
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_ids_leave_the_name() {
        assert_eq!(
            without_page_id("Checkout 502s after deploy 3f2a9c1e0b7d4a6e9c8b7a6d5e4f3a2b"),
            "Checkout 502s after deploy"
        );
        assert_eq!(
            without_page_id("Payments-API-outage-2024-03-12_2146304017"),
            "Payments-API-outage-2024-03-12"
        );
        assert_eq!(without_page_id("db_2024"), "db_2024");
    }
}
