//! The search index: documents in, the files under `search/` out, for
//! `search.js` to query with nothing but static files.
//!
//! Sized so a first query at 10,000 postmortems fetches a small fraction,
//! from files that each serve many documents (creating a file per document
//! was half the files of a build):
//! - `manifest.json`: where each shard's terms begin, the facet values,
//!   the stop words, the cards per file, a version for cache busting;
//! - `facets.json`: per document its service, cause, severity and year ids
//!   (compact columns, see [`facets`] and [`encode`]), for facet counts
//!   without any words;
//! - `terms/N.json`: shards of about [`TERM_SHARD_BYTES`], split at term
//!   boundaries in sorted order, so one word fetches one shard and a prefix
//!   a few neighbours; each posting is a doc id and a BM25F impact computed
//!   here, so the browser only adds numbers;
//! - `pairs/N.json`: the same for adjacent term pairs in shards of about
//!   [`PAIR_SHARD_BYTES`], fetched only for quoted phrases;
//! - `cards/N.json`: what the results show of [`cards::PER_FILE`] documents
//!   in a row, fetched only for the results on screen.
//!
//! Doc ids are the order of the documents given: newest first.
//!
//! What the index reads of each document alone (its terms, its card) a
//! build can keep for the next ([`IndexCache`], see [`build_reusing`]).

mod analyse;
mod cards;
pub mod encode;
mod facets;
mod postings;
mod reuse;
pub mod text;

use std::borrow::Cow;
use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::FxHasher;
use serde::Serialize;

/// Target size of one shard of terms, in bytes of JSON: a rare word fetches
/// one shard, a frequent one its own shard of any size.
pub const TERM_SHARD_BYTES: usize = 4 * 1024;

/// Target size of one shard of pairs; a phrase is rarer than a word.
pub const PAIR_SHARD_BYTES: usize = 16 * 1024;

pub use reuse::IndexCache;

/// A facet value: its slug (in URLs) and its name (on screen).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FacetValue {
    /// URL-safe name.
    pub slug: String,
    /// Display name.
    pub name: String,
}

/// One postmortem as the index sees it, with card values ready to show.
#[derive(Debug, Clone, Default, Hash)]
pub struct SearchDoc<'a> {
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
    /// The body as HTML (plain text reads as itself), which the index
    /// reads as text, a line per block (paragraph, item, heading).
    pub body_html: Cow<'a, str>,
}

/// Numbers for tests, the same each run (a linear congruential
/// generator from its seed).
#[cfg(test)]
struct Draws(u64);

#[cfg(test)]
impl Draws {
    /// The next number, below `n`.
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }
}

/// The index files, `(path under the site root, bytes)`, sorted by path.
pub type IndexFiles = Vec<(String, Vec<u8>)>;

/// Builds the index of `docs` (newest first); `severities` orders the
/// severity facet, worst first.
pub fn build(docs: &[SearchDoc<'_>], severities: &[String]) -> IndexFiles {
    build_reusing(docs, severities, IndexCache::default()).0
}

/// Builds the index of `docs` like [`build`], reusing what `previous`
/// kept of the documents that did not change: the same files, without
/// analysing those documents again. Gives also what to keep for the next.
pub fn build_reusing(
    docs: &[SearchDoc<'_>],
    severities: &[String],
    previous: IndexCache,
) -> (IndexFiles, IndexCache) {
    let keys: Vec<u64> = docs.par_iter().map(reuse::doc_key).collect();
    let Documents {
        stems,
        mut all,
        mut bodies,
        mut stale,
    } = documents(docs, &keys, previous);
    let terms: Vec<&analyse::DocTerms> = all.iter().map(|d| &d.terms).collect();
    let (postings, (facets, columns)) = rayon::join(
        || postings::build(&terms, &stems),
        || facets::build(docs, severities),
    );
    stale += remake_cards(&mut all, postings.keys, docs, &mut bodies, &stems);
    drop(bodies);
    let cards: Vec<&[u8]> = all.iter().map(|d| d.card.as_slice()).collect();
    let mut files: IndexFiles = cards::files(&cards);
    let terms = push_shards(&mut files, "terms", postings.terms, TERM_SHARD_BYTES);
    let pairs = push_shards(&mut files, "pairs", postings.pairs, PAIR_SHARD_BYTES);
    files.push(("search/facets.json".into(), json(&columns)));
    let manifest = Manifest {
        version: version(&files),
        docs: docs.len(),
        cards: cards::PER_FILE,
        stop: text::STOP_WORDS,
        max_token_chars: text::MAX_TOKEN_CHARS,
        terms,
        pairs,
        facets,
    };
    files.push(("search/manifest.json".into(), json(&manifest)));
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let cache = IndexCache::new(stems, keys.into_iter().zip(all).collect(), stale);
    (files, cache)
}

/// Every document of a build, as [`documents`] gives them.
struct Documents {
    /// The stems their terms are numbers into.
    stems: Vec<String>,
    /// Per document: its terms, and its card with the key terms it was
    /// made with (none for a document analysed now).
    all: Vec<reuse::KeptDoc>,
    /// Per document its body as text, when it was read as text.
    bodies: Vec<Option<String>>,
    /// How many documents were analysed now, plus those the cache held
    /// that are gone.
    stale: usize,
}

/// The documents `docs` (whose keys are `keys`): each kept in `previous`
/// taken from it, the others read as text and analysed, all in one
/// numbering of terms.
fn documents(docs: &[SearchDoc<'_>], keys: &[u64], mut previous: IndexCache) -> Documents {
    let mut kept: Vec<Option<reuse::KeptDoc>> = keys.iter().map(|k| previous.take(*k)).collect();
    let removed = previous.left();
    let bodies: Vec<Option<String>> = kept
        .par_iter()
        .zip(docs)
        .map(|(k, d)| k.is_none().then(|| text::html_to_blocks(&d.body_html)))
        .collect();
    let fresh: Vec<(&SearchDoc<'_>, &str)> = docs
        .iter()
        .zip(&bodies)
        .filter_map(|(d, b)| Some((d, b.as_deref()?)))
        .collect();
    let stale = removed + fresh.len();
    let analysed = analyse::analyse(&fresh);
    let (stems, fresh) = previous.merge(&mut kept, analysed);
    let mut fresh = fresh.into_iter();
    let all = kept
        .into_iter()
        .map(|k| {
            k.or_else(|| fresh.next())
                .expect("one analysed document per missing one")
        })
        .collect();
    Documents {
        stems,
        all,
        bodies,
        stale,
    }
}

/// Makes the card of each document of `all` whose key terms are not
/// those it was made with (`keys`, by document); gives how many.
fn remake_cards(
    all: &mut [reuse::KeptDoc],
    keys: Vec<postings::Keys>,
    docs: &[SearchDoc<'_>],
    bodies: &mut [Option<String>],
    stems: &[String],
) -> usize {
    all.par_iter_mut()
        .zip(keys)
        .zip(docs)
        .zip(bodies)
        .map_init(
            || cards::Words::new(stems),
            |words, (((d, keys), doc), body)| {
                if !d.card.is_empty() && d.keys == keys {
                    return 0;
                }
                let body = body.get_or_insert_with(|| text::html_to_blocks(&doc.body_html));
                d.card = cards::card(doc, body, &keys, words);
                d.keys = keys;
                1
            },
        )
        .sum()
}

/// Writes the shards of `entries` as `search/KIND/N.json`; gives their
/// lower bounds.
fn push_shards(
    files: &mut IndexFiles,
    kind: &str,
    entries: Vec<(String, String)>,
    budget: usize,
) -> Vec<String> {
    let shards = encode::shards(entries, budget);
    let written: Vec<(String, Vec<u8>)> = shards
        .par_iter()
        .enumerate()
        .map(|(n, (_, shard))| (format!("search/{kind}/{n}.json"), json(&Shard(shard))))
        .collect();
    files.extend(written);
    shards.into_iter().map(|(bound, _)| bound).collect()
}

/// A shard, written as a JSON object with its keys in the order given (sorted).
struct Shard<'a>(&'a [(String, String)]);

impl Serialize for Shard<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

#[derive(Debug, Serialize)]
struct Manifest {
    version: String,
    docs: usize,
    cards: usize,
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
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|(path, bytes)| {
            let mut hasher = FxHasher::default();
            hasher.write(path.as_bytes());
            hasher.write(bytes);
            hasher.finish()
        })
        .collect();
    let mut hasher = FxHasher::default();
    for hash in hashes {
        hasher.write_u64(hash);
    }
    format!("{:012x}", hasher.finish() >> 16)
}

#[cfg(test)]
mod tests;
