//! The search index: documents in, the files under `search/` out, for
//! `search.js` to query with nothing but static files.
//!
//! Sized so a first query at 10,000 postmortems fetches a small fraction:
//! - `manifest.json`: the first term of every shard, the facet values, the
//!   stop words, a version for cache busting;
//! - `facets.json`: per document its service, cause, severity and year ids
//!   (compact columns, see [`facets`] and [`encode`]), for facet counts
//!   without any words;
//! - `terms/N.json`: shards of about [`SHARD_BYTES`], split at term
//!   boundaries in sorted order, so one word fetches one shard and a prefix
//!   a few neighbours; each posting is a doc id and a BM25F impact computed
//!   here, so the browser only adds numbers;
//! - `pairs/N.json`: the same for adjacent term pairs, fetched only for
//!   quoted phrases;
//! - `doc/ID.json`: what a result card shows and the text for its snippet,
//!   fetched only for the results on screen.
//!
//! Doc ids are the order of the documents given: newest first.

pub mod encode;
mod facets;
mod postings;
pub mod text;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

/// Target size of one shard of terms or pairs, in bytes of JSON.
pub const SHARD_BYTES: usize = 16 * 1024;

/// Snippet text kept per document, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// A facet value: its slug (in URLs) and its name (on screen).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FacetValue {
    /// URL-safe name.
    pub slug: String,
    /// Display name.
    pub name: String,
}

/// One postmortem as the index sees it, with card values ready to show.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    /// Title.
    pub title: String,
    /// Page path from the site root (`incidents/x/`).
    pub path: String,
    /// Start date in the site's zone, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Year of the start, in the site's zone.
    pub year: Option<i16>,
    /// Severity level, with its slug.
    pub severity: Option<FacetValue>,
    /// Duration, formatted.
    pub duration: Option<String>,
    /// Affected services.
    pub services: Vec<FacetValue>,
    /// Root-cause categories.
    pub causes: Vec<FacetValue>,
    /// Tags, trigger and detection.
    pub labels: Vec<String>,
    /// Summary and impact, plain text.
    pub summary: String,
    /// The body, plain text.
    pub body: String,
}

/// The index files, `(path under the site root, bytes)`, sorted by path.
pub type IndexFiles = Vec<(String, Vec<u8>)>;

/// Builds the index of `docs` (newest first); `severities` orders the
/// severity facet, worst first.
pub fn build(docs: &[SearchDoc], severities: &[String]) -> IndexFiles {
    let postings = postings::build(docs);
    let (facet_values, facet_columns) = facets::build(docs, severities);

    let mut files: IndexFiles = Vec::new();
    let terms_firsts = push_shards(&mut files, "terms", postings.terms);
    let pairs_firsts = push_shards(&mut files, "pairs", postings.pairs);
    files.push(("search/facets.json".into(), json(&facet_columns)));
    files.extend(
        docs.par_iter()
            .enumerate()
            .map(|(id, d)| (format!("search/doc/{id}.json"), json(&DocRecord::of(d))))
            .collect::<Vec<_>>(),
    );
    let manifest = Manifest {
        version: version(&files),
        docs: docs.len(),
        stop: text::STOP_WORDS,
        max_token_chars: text::MAX_TOKEN_CHARS,
        terms: terms_firsts,
        pairs: pairs_firsts,
        facets: facet_values,
    };
    files.push(("search/manifest.json".into(), json(&manifest)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Writes the shards of `entries` as `search/KIND/N.json`; gives their first keys.
fn push_shards(files: &mut IndexFiles, kind: &str, entries: Vec<(String, String)>) -> Vec<String> {
    let mut firsts = Vec::new();
    for (n, (first, shard)) in encode::shards(entries, SHARD_BYTES).into_iter().enumerate() {
        let map: BTreeMap<String, String> = shard.into_iter().collect();
        files.push((format!("search/{kind}/{n}.json"), json(&map)));
        firsts.push(first);
    }
    firsts
}

/// `search/doc/ID.json`: a result card and its snippet text.
#[derive(Debug, Serialize)]
struct DocRecord<'a> {
    /// Title.
    t: &'a str,
    /// Path.
    p: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'a FacetValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    u: Option<&'a str>,
    v: Vec<&'a str>,
    c: Vec<&'a str>,
    x: String,
}

impl<'a> DocRecord<'a> {
    fn of(d: &'a SearchDoc) -> DocRecord<'a> {
        let mut x = String::with_capacity(d.summary.len() + d.body.len() + 1);
        x.push_str(&d.summary);
        if !x.is_empty() && !d.body.is_empty() {
            x.push(' ');
        }
        x.push_str(&d.body);
        if let Some((cut, _)) = x.char_indices().nth(MAX_TEXT_CHARS) {
            x.truncate(cut);
        }
        DocRecord {
            t: &d.title,
            p: &d.path,
            d: d.date.as_deref(),
            s: d.severity.as_ref(),
            u: d.duration.as_deref(),
            v: d.services.iter().map(|v| v.name.as_str()).collect(),
            c: d.causes.iter().map(|v| v.name.as_str()).collect(),
            x,
        }
    }
}

#[derive(Debug, Serialize)]
struct Manifest {
    version: String,
    docs: usize,
    stop: &'static [&'static str],
    max_token_chars: usize,
    terms: Vec<String>,
    pairs: Vec<String>,
    facets: Vec<facets::Facet>,
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain maps, strings and numbers cannot fail.
    serde_json::to_vec(value).expect("index data serialises to JSON")
}

/// A short hash of every index file, so the browser never mixes two builds.
fn version(files: &IndexFiles) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, bytes) in files {
        for b in path.as_bytes().iter().chain(bytes) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:012x}", hash >> 16)
}

#[cfg(test)]
mod tests;
