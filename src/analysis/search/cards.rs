//! Result cards, [`PER_FILE`] documents to a file: `cards/N.json` holds the
//! cards of documents `N * PER_FILE ..`, each `[title, path, date, duration,
//! snippet]` (date and duration may be null). Severity and services come
//! from the facet columns the page has already.
//!
//! A first page of results fetches one file per result at most, so a card
//! is small: the snippet is the start of the summary (else of the body), not
//! the whole text.

use rayon::prelude::*;
use serde::Serialize;

use super::{IndexFiles, SearchDoc};

/// Cards in one file.
pub const PER_FILE: usize = 16;

/// Characters of the snippet at most (then cut after a word, with `…`).
pub const SNIPPET_CHARS: usize = 160;

/// Every `search/cards/N.json`.
pub fn files(docs: &[SearchDoc]) -> IndexFiles {
    docs.par_chunks(PER_FILE)
        .enumerate()
        .map(|(n, chunk)| {
            let cards: Vec<Card<'_>> = chunk.iter().map(Card::of).collect();
            (format!("search/cards/{n}.json"), super::json(&cards))
        })
        .collect()
}

/// One card, written as a JSON array.
#[derive(Debug, Serialize)]
struct Card<'a>(&'a str, &'a str, Option<&'a str>, Option<&'a str>, String);

impl<'a> Card<'a> {
    fn of(d: &'a SearchDoc) -> Card<'a> {
        let text = if d.summary.trim().is_empty() {
            &d.body
        } else {
            &d.summary
        };
        Card(
            &d.title,
            &d.path,
            d.date.as_deref(),
            d.duration.as_deref(),
            snippet(text),
        )
    }
}

/// The first [`SNIPPET_CHARS`] characters of `text`, cut after a whole word.
pub fn snippet(text: &str) -> String {
    let text = text.trim();
    let Some((cut, _)) = text.char_indices().nth(SNIPPET_CHARS) else {
        return text.to_owned();
    };
    // Back to the last break before the cut, unless a word ends at the cut
    // or the first word is that long.
    let head = &text[..cut];
    let end = if text[cut..].starts_with(char::is_whitespace) {
        cut
    } else {
        head.rfind(char::is_whitespace)
            .filter(|&at| at > 0)
            .unwrap_or(cut)
    };
    let kept = head[..end].trim_end_matches(|c: char| !c.is_alphanumeric());
    format!("{kept} …")
}
