//! Documents to posting lists: every document's fields folded and split,
//! every distinct word stemmed once, then per term the documents with a
//! BM25F impact, and per adjacent pair of terms the documents.
//!
//! Terms are numbered in sorted order, so lists come out sorted by term.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

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

/// Sorted `(key, encoded postings)` of terms and of pairs (`"stem stem"`).
pub struct Postings {
    /// Term -> doc ids and impacts.
    pub terms: Vec<(String, String)>,
    /// Pair -> doc ids.
    pub pairs: Vec<(String, String)>,
}

/// Indexes `docs`; a doc's id is its position.
pub fn build(docs: &[SearchDoc]) -> Postings {
    let folded: Vec<[String; FIELDS]> = docs.par_iter().map(fields).collect();
    let vocabulary = Vocabulary::of(&folded);
    let analysed: Vec<DocTerms> = folded
        .par_iter()
        .map(|f| DocTerms::of(f, &vocabulary))
        .collect();
    Postings {
        terms: terms(&analysed, &vocabulary.stems),
        pairs: pairs(&analysed, &vocabulary.stems),
    }
}

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

/// Every indexed word with its term number, and the terms (stems) in order.
struct Vocabulary<'a> {
    words: HashMap<&'a str, u32>,
    stems: Vec<String>,
}

impl<'a> Vocabulary<'a> {
    fn of(folded: &'a [[String; FIELDS]]) -> Vocabulary<'a> {
        let distinct: HashSet<&str> = folded
            .par_iter()
            .fold(HashSet::new, |mut set, fields| {
                set.extend(fields.iter().flat_map(|f| text::index_words(f)));
                set
            })
            .reduce(HashSet::new, |mut a, b| {
                a.extend(b);
                a
            });
        let analyzer = Analyzer::default();
        let stemmed: Vec<(&str, String)> = distinct
            .into_par_iter()
            .map(|w| (w, analyzer.stem(w).into_owned()))
            .collect();
        let mut stems: Vec<String> = stemmed.iter().map(|(_, s)| s.clone()).collect();
        stems.par_sort_unstable();
        stems.dedup();
        let number: HashMap<&str, u32> = stems
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), id(i)))
            .collect();
        let words = stemmed
            .iter()
            .map(|(w, s)| (*w, number[s.as_str()]))
            .collect();
        Vocabulary { words, stems }
    }
}

fn id(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// A document's terms: frequency per field, field lengths, adjacent pairs
/// (two term numbers in one `u64`, sorted, distinct).
struct DocTerms {
    lengths: [u32; FIELDS],
    frequencies: HashMap<u32, [u16; FIELDS]>,
    pairs: Vec<u64>,
}

impl DocTerms {
    fn of(fields: &[String; FIELDS], vocabulary: &Vocabulary<'_>) -> DocTerms {
        let mut out = DocTerms {
            lengths: [0; FIELDS],
            frequencies: HashMap::new(),
            pairs: Vec::new(),
        };
        for (f, field) in fields.iter().enumerate() {
            let mut previous = None;
            for word in text::index_words(field) {
                let Some(&term) = vocabulary.words.get(word) else {
                    continue;
                };
                out.lengths[f] += 1;
                let tf = &mut out.frequencies.entry(term).or_default()[f];
                *tf = tf.saturating_add(1);
                if let Some(before) = previous {
                    out.pairs.push(u64::from(before) << 32 | u64::from(term));
                }
                previous = Some(term);
            }
        }
        out.pairs.sort_unstable();
        out.pairs.dedup();
        out
    }
}

/// Postings of every term with BM25F impacts, in term order.
fn terms(docs: &[DocTerms], stems: &[String]) -> Vec<(String, String)> {
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
    let mut lists: Vec<Vec<(u32, f32)>> = vec![Vec::new(); stems.len()];
    for (doc, d) in docs.iter().enumerate() {
        for (&term, tf) in &d.frequencies {
            let weighted: f32 = (0..FIELDS)
                .map(|f| {
                    WEIGHTS[f] * f32::from(tf[f])
                        / (1.0 - B[f] + B[f] * d.lengths[f] as f32 / avg[f])
                })
                .sum();
            lists[term as usize].push((id(doc), weighted / (weighted + K1)));
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
    let best = lists
        .iter()
        .flatten()
        .map(|p| p.1)
        .fold(f32::MIN_POSITIVE, f32::max);
    lists
        .into_par_iter()
        .zip(stems)
        .filter(|(list, _)| !list.is_empty())
        .map(|(list, stem)| {
            let scale = f32::from(encode::MAX_IMPACT) / best;
            let quantised: Vec<(u32, u8)> = list
                .iter()
                .map(|&(doc, s)| (doc, (s * scale).round() as u8))
                .collect();
            (stem.clone(), encode::postings(&quantised))
        })
        .collect()
}

/// Doc ids of every adjacent pair of terms, in pair order. Pairs sort as
/// their text does: a space sorts before any letter or digit.
fn pairs(docs: &[DocTerms], stems: &[String]) -> Vec<(String, String)> {
    // One sort of (pair, doc) beats millions of small growing lists.
    let mut all: Vec<(u64, u32)> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(doc, d)| d.pairs.iter().map(move |&p| (p, id(doc))))
        .collect();
    all.par_sort_unstable();
    let groups: Vec<&[(u64, u32)]> = all.chunk_by(|a, b| a.0 == b.0).collect();
    groups
        .into_par_iter()
        .map(|group| {
            let pair = group[0].0;
            let docs: Vec<u32> = group.iter().map(|&(_, doc)| doc).collect();
            let (a, b) = ((pair >> 32) as usize, (pair & u64::from(u32::MAX)) as usize);
            (format!("{} {}", stems[a], stems[b]), encode::ids(&docs))
        })
        .collect()
}
