//! Documents to posting lists: every document's fields folded and split
//! once, every distinct word judged (stop word, too long) and stemmed once,
//! then per term the documents with a BM25F impact, and per adjacent pair of
//! terms the documents.
//!
//! Terms are numbered in sorted order, so lists come out sorted by term.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::text::{self, Analyzer};
use super::{SearchDoc, encode};

/// Title, services and causes, labels (tags, trigger, detection), summary, body.
pub const FIELDS: usize = 5;
/// Field weights of BM25F: a word in the title counts five times one in the body.
const WEIGHTS: [f32; FIELDS] = [5.0, 3.0, 2.0, 2.0, 1.0];
/// Length normalisation per field.
const B: [f32; FIELDS] = [0.75, 0.5, 0.5, 0.75, 0.75];
/// Saturation of term frequency.
const K1: f32 = 1.6;
/// Documents tokenized together, sharing one table of words: enough that
/// most words are already in it, few enough to keep both cores busy.
const BATCH: usize = 256;
/// The term of a token that is not indexed (a stop word, a hash).
const NO_TERM: u32 = u32::MAX;

/// Terms of a document's body kept as its key terms, for the card's passages.
pub const KEY_TERMS: usize = 12;

/// Sorted `(key, encoded postings)` of terms and of pairs (`"stem stem"`),
/// and each document's key terms.
pub struct Postings {
    /// Term -> doc ids and impacts.
    pub terms: Vec<(String, String)>,
    /// Pair -> doc ids.
    pub pairs: Vec<(String, String)>,
    /// Per document (by id), up to [`KEY_TERMS`] stems of its body with the
    /// highest impacts, each with its impact (before quantising), best first:
    /// the words for which it ranks high, so the words a snippet should show.
    pub keys: Vec<Vec<(String, f32)>>,
}

/// Indexes `docs`; a doc's id is its position.
pub fn build(docs: &[SearchDoc]) -> Postings {
    let batches: Vec<Batch> = docs.par_chunks(BATCH).map(Batch::of).collect();
    let vocabulary = Vocabulary::of(&batches);
    let mut analysed: Vec<DocTerms> = batches
        .par_iter()
        .zip(&vocabulary.batch_terms)
        .map_init(
            || Counts::new(vocabulary.stems.len()),
            |counts, (batch, terms)| {
                let docs = batch
                    .docs()
                    .map(|tokens| DocTerms::of(tokens, terms, counts));
                docs.collect::<Vec<_>>()
            },
        )
        .flatten_iter()
        .collect();
    // The tokens are counted: free them before the pairs are laid out.
    drop(batches);
    let pairs = pairs(&mut analysed, &vocabulary.stems);
    let (terms, keys) = terms(&analysed, vocabulary.stems);
    Postings { terms, pairs, keys }
}

/// The tokens of a few documents, as numbers into the batch's own table of
/// distinct tokens: each token is hashed once, by one thread.
struct Batch {
    /// Distinct tokens in order of first use.
    tokens: Vec<Box<str>>,
    /// Every document's tokens, field after field.
    ids: Vec<u32>,
    /// Per document, where each field's tokens end in `ids`.
    ends: Vec<[usize; FIELDS]>,
}

impl Batch {
    fn of(docs: &[SearchDoc]) -> Batch {
        let folded: Vec<[String; FIELDS]> = docs.iter().map(fields).collect();
        let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        let mut ids = Vec::new();
        let mut all_ends = Vec::with_capacity(docs.len());
        for doc in &folded {
            let mut ends = [0; FIELDS];
            for (f, field) in doc.iter().enumerate() {
                for token in text::tokens(field) {
                    ids.push(*numbers.entry(token).or_insert_with(|| {
                        distinct.push(token);
                        id(distinct.len() - 1)
                    }));
                }
                ends[f] = ids.len();
            }
            all_ends.push(ends);
        }
        Batch {
            tokens: distinct.into_iter().map(Box::from).collect(),
            ids,
            ends: all_ends,
        }
    }

    /// Per document, its fields' token ids.
    fn docs(&self) -> impl Iterator<Item = [&[u32]; FIELDS]> {
        let mut start = 0;
        self.ends.iter().map(move |ends| {
            std::array::from_fn(|f| {
                let field = &self.ids[start..ends[f]];
                start = ends[f];
                field
            })
        })
    }
}

/// A document's fields, folded.
fn fields(doc: &SearchDoc) -> [String; FIELDS] {
    let names: Vec<&str> = doc
        .services
        .iter()
        .chain(&doc.causes)
        .map(|v| v.name.as_str())
        .collect();
    [
        text::fold(&doc.title),
        text::fold(&names.join(" , ")),
        text::fold(&doc.labels.join(" , ")),
        text::fold(&doc.summary),
        text::fold(&doc.body),
    ]
}

/// The terms (stems) in order, and per batch the term of each of its tokens.
struct Vocabulary {
    stems: Vec<String>,
    batch_terms: Vec<Vec<u32>>,
}

impl Vocabulary {
    fn of(batches: &[Batch]) -> Vocabulary {
        // The batches' tables overlap: one table of every distinct token.
        let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        let batch_tokens: Vec<Vec<u32>> = batches
            .iter()
            .map(|batch| {
                let tokens = batch.tokens.iter().map(|token| {
                    *numbers.entry(token).or_insert_with(|| {
                        distinct.push(token);
                        id(distinct.len() - 1)
                    })
                });
                tokens.collect()
            })
            .collect();
        let analyzer = Analyzer::default();
        let stemmed: Vec<Option<String>> = distinct
            .par_iter()
            .map(|token| text::is_indexed(token).then(|| analyzer.stem(token).into_owned()))
            .collect();
        let mut stems: Vec<&str> = stemmed.iter().flatten().map(String::as_str).collect();
        stems.par_sort_unstable();
        stems.dedup();
        let term_of: FxHashMap<&str, u32> =
            stems.iter().enumerate().map(|(i, s)| (*s, id(i))).collect();
        let token_terms: Vec<u32> = stemmed
            .iter()
            .map(|s| s.as_deref().map_or(NO_TERM, |s| term_of[s]))
            .collect();
        let batch_terms = batch_tokens
            .into_iter()
            .map(|tokens| {
                tokens
                    .into_iter()
                    .map(|t| token_terms[t as usize])
                    .collect()
            })
            .collect();
        Vocabulary {
            stems: stems.into_iter().map(str::to_owned).collect(),
            batch_terms,
        }
    }
}

fn id(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// A document's terms: frequency per field in term order, field lengths,
/// adjacent pairs (two term numbers in one `u64`, sorted, distinct).
struct DocTerms {
    lengths: [u32; FIELDS],
    frequencies: Vec<(u32, [u16; FIELDS])>,
    pairs: Vec<u64>,
}

/// Room for one thread to count a document's terms: frequencies by term
/// number, all zero between documents, and the terms seen.
struct Counts {
    frequencies: Vec<[u16; FIELDS]>,
    seen: Vec<u32>,
}

impl Counts {
    fn new(terms: usize) -> Counts {
        Counts {
            frequencies: vec![[0; FIELDS]; terms],
            seen: Vec::new(),
        }
    }
}

impl DocTerms {
    /// `fields` are token ids of the document's batch; `terms` their terms.
    fn of(fields: [&[u32]; FIELDS], terms: &[u32], counts: &mut Counts) -> DocTerms {
        let mut lengths = [0; FIELDS];
        let mut pairs = Vec::new();
        for (f, field) in fields.iter().enumerate() {
            let mut previous = None;
            for &token in *field {
                let term = terms[token as usize];
                if term == NO_TERM {
                    continue;
                }
                lengths[f] += 1;
                let tf = &mut counts.frequencies[term as usize];
                if *tf == [0; FIELDS] {
                    counts.seen.push(term);
                }
                tf[f] = tf[f].saturating_add(1);
                if let Some(before) = previous {
                    pairs.push(u64::from(before) << 32 | u64::from(term));
                }
                previous = Some(term);
            }
        }
        counts.seen.sort_unstable();
        let frequencies = counts
            .seen
            .drain(..)
            .map(|term| (term, std::mem::take(&mut counts.frequencies[term as usize])))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        DocTerms {
            lengths,
            frequencies,
            pairs,
        }
    }
}

/// The average length of each field over `docs` (1 for a field no
/// document has).
fn average_lengths(docs: &[DocTerms]) -> [f32; FIELDS] {
    let n = docs.len() as f32;
    let mut avg = [0f32; FIELDS];
    for d in docs {
        for (a, len) in avg.iter_mut().zip(d.lengths) {
            *a += len as f32;
        }
    }
    for a in &mut avg {
        *a = if n > 0.0 && *a > 0.0 { *a / n } else { 1.0 };
    }
    avg
}

/// Each document's terms' frequencies, weighted by field, normalised by
/// length against `avg` and saturated (BM25F without the idf).
fn saturated(docs: &[DocTerms], avg: &[f32; FIELDS]) -> Vec<Vec<f32>> {
    docs.par_iter()
        .map(|d| {
            let norms: [f32; FIELDS] =
                std::array::from_fn(|f| 1.0 - B[f] + B[f] * d.lengths[f] as f32 / avg[f]);
            d.frequencies
                .iter()
                .map(|(_, tf)| {
                    let weighted: f32 = (0..FIELDS)
                        .map(|f| WEIGHTS[f] * f32::from(tf[f]) / norms[f])
                        .sum();
                    weighted / (weighted + K1)
                })
                .collect()
        })
        .collect()
}

/// Postings of every term with BM25F impacts, in term order; each
/// document's key terms.
fn terms(docs: &[DocTerms], stems: Vec<String>) -> (Vec<(String, String)>, Keys) {
    let n = docs.len() as f32;
    // Saturated term frequencies per document, in parallel; then one pass
    // lays them out per term into lists of exact size.
    let weights = saturated(docs, &average_lengths(docs));
    let mut df = vec![0usize; stems.len()];
    for d in docs {
        for (term, _) in &d.frequencies {
            df[*term as usize] += 1;
        }
    }
    let mut lists: Vec<Vec<(u32, f32)>> = df.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (doc, (d, w)) in docs.iter().zip(&weights).enumerate() {
        for ((term, _), &weight) in d.frequencies.iter().zip(w) {
            lists[*term as usize].push((id(doc), weight));
        }
    }
    // Multiply by idf, then scale every impact against the best one.
    lists.par_iter_mut().for_each(|list| {
        let df = list.len() as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        for p in list.iter_mut() {
            p.1 *= idf;
        }
    });
    let keys = keys(docs, &weights, &df, &stems);
    let best = lists
        .par_iter()
        .map(|list| list.iter().map(|p| p.1).fold(f32::MIN_POSITIVE, f32::max))
        .reduce(|| f32::MIN_POSITIVE, f32::max);
    let scale = f32::from(encode::MAX_IMPACT) / best;
    let terms = lists
        .into_par_iter()
        .zip(stems)
        .filter(|(list, _)| !list.is_empty())
        .map(|(list, stem)| {
            let quantised: Vec<(u32, u8)> = list
                .iter()
                .map(|&(doc, s)| (doc, (s * scale).round() as u8))
                .collect();
            (stem, encode::postings(&quantised))
        })
        .collect();
    (terms, keys)
}

/// Per document, its key terms: see [`Postings::keys`].
type Keys = Vec<Vec<(String, f32)>>;

/// The key terms of every document: among the terms of its body, those
/// with the highest impact (saturated frequency times idf, as the postings).
fn keys(docs: &[DocTerms], weights: &[Vec<f32>], df: &[usize], stems: &[String]) -> Keys {
    const BODY: usize = FIELDS - 1;
    let n = docs.len() as f32;
    docs.par_iter()
        .zip(weights)
        .map(|(d, w)| {
            let mut scored: Vec<(u32, f32)> = d
                .frequencies
                .iter()
                .zip(w)
                .filter(|((_, tf), _)| tf[BODY] > 0)
                .map(|(&(term, _), &weight)| {
                    let df = df[term as usize] as f32;
                    (term, weight * (1.0 + (n - df + 0.5) / (df + 0.5)).ln())
                })
                .collect();
            // Best first; equal impacts in term order, so builds agree.
            scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(KEY_TERMS);
            scored
                .into_iter()
                .map(|(term, impact)| (stems[term as usize].clone(), impact))
                .collect()
        })
        .collect()
}

/// Doc ids of every adjacent pair of terms, in pair order. Pairs sort as
/// their text does: a space sorts before any letter or digit. Each
/// document's pairs are freed once laid out.
fn pairs(docs: &mut [DocTerms], stems: &[String]) -> Vec<(String, String)> {
    // Millions of (pair, doc): a counting sort by the first term (docs stay
    // in order within each), then small sorts by the second term.
    let mut starts = vec![0usize; stems.len() + 1];
    for d in docs.iter() {
        for &pair in &d.pairs {
            starts[(pair >> 32) as usize + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    // Per first term: the second term and the doc in one number.
    let mut seconds = vec![0u64; starts[stems.len()]];
    for (doc, d) in docs.iter_mut().enumerate() {
        for pair in std::mem::take(&mut d.pairs) {
            let slot = &mut next[(pair >> 32) as usize];
            seconds[*slot] = (pair & u64::from(u32::MAX)) << 32 | doc as u64;
            *slot += 1;
        }
    }
    let mut buckets = Vec::with_capacity(stems.len());
    let mut rest = seconds.as_mut_slice();
    for first in 0..stems.len() {
        let (bucket, tail) = rest.split_at_mut(starts[first + 1] - starts[first]);
        buckets.push((first, bucket));
        rest = tail;
    }
    buckets
        .into_par_iter()
        .flat_map_iter(|(first, bucket)| {
            bucket.sort_unstable();
            let groups: Vec<(String, String)> = bucket
                .chunk_by(|a, b| a >> 32 == b >> 32)
                .map(|group| {
                    let second = (group[0] >> 32) as usize;
                    let docs: Vec<u32> = group.iter().map(|&x| x as u32).collect();
                    let (a, b) = (&stems[first], &stems[second]);
                    let mut key = String::with_capacity(a.len() + 1 + b.len());
                    key.push_str(a);
                    key.push(' ');
                    key.push_str(b);
                    (key, encode::ids(&docs))
                })
                .collect();
            groups
        })
        .collect()
}
