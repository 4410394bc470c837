//! Every document's terms (see [`super::analyse`]) to posting lists: per
//! term the documents with a BM25F impact, per adjacent pair of terms the
//! documents, and each document's key terms.
//!
//! Terms are numbered in sorted order, so lists come out sorted by term.

use rayon::prelude::*;

use super::analyse::{DocTerms, FIELDS, id};
use super::encode;

/// Field weights of BM25F: a word in the title counts five times one in the body.
const WEIGHTS: [f32; FIELDS] = [5.0, 3.0, 2.0, 2.0, 1.0];
/// Length normalisation per field.
const B: [f32; FIELDS] = [0.75, 0.5, 0.5, 0.75, 0.75];
/// Saturation of term frequency.
const K1: f32 = 1.6;

/// Terms of a document's body kept as its key terms, for the card's passages.
pub const KEY_TERMS: usize = 12;

/// A document's key terms, best first: see [`Postings::keys`].
pub type Keys = Vec<u32>;

/// Sorted `(key, encoded postings)` of terms and of pairs (`"stem stem"`),
/// and each document's key terms.
pub struct Postings {
    /// Term -> doc ids and impacts.
    pub terms: Vec<(String, String)>,
    /// Pair -> doc ids.
    pub pairs: Vec<(String, String)>,
    /// Per document (by id), up to [`KEY_TERMS`] terms of its body with
    /// the highest impacts (before quantising), best first, equal impacts
    /// in term order: the words for which it ranks high, so the words a
    /// snippet should show. An edit elsewhere moves every impact a little
    /// but seldom this order, so most cards stay as they were.
    pub keys: Vec<Keys>,
}

/// Indexes `docs`, whose term numbers are positions in `stems`; a doc's
/// id is its position.
pub fn build(docs: &[&DocTerms], stems: &[String]) -> Postings {
    let (pairs, (terms, keys)) = rayon::join(|| pairs(docs, stems), || terms(docs, stems));
    Postings { terms, pairs, keys }
}

/// The average length of each field over `docs` (1 for a field no
/// document has).
fn average_lengths(docs: &[&DocTerms]) -> [f32; FIELDS] {
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
fn saturated(docs: &[&DocTerms], avg: &[f32; FIELDS]) -> Vec<Vec<f32>> {
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

/// The inverse document frequency of a term in `df` of `n` documents.
fn idf(n: f32, df: f32) -> f32 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Postings of every term with BM25F impacts, in term order; each
/// document's key terms.
fn terms(docs: &[&DocTerms], stems: &[String]) -> (Vec<(String, String)>, Vec<Keys>) {
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
        let idf = idf(n, list.len() as f32);
        for p in list.iter_mut() {
            p.1 *= idf;
        }
    });
    let best = lists
        .par_iter()
        .map(|list| list.iter().map(|p| p.1).fold(f32::MIN_POSITIVE, f32::max))
        .reduce(|| f32::MIN_POSITIVE, f32::max);
    let scale = f32::from(encode::MAX_IMPACT) / best;
    let quantise = |impact: f32| ((impact * scale).round() as u8).max(1);
    let keys = keys(docs, &weights, |term, weight| {
        weight * idf(n, df[term as usize] as f32)
    });
    let terms = lists
        .into_par_iter()
        .zip(stems)
        .filter(|(list, _)| !list.is_empty())
        .map(|(list, stem)| {
            let quantised: Vec<(u32, u8)> =
                list.iter().map(|&(doc, s)| (doc, quantise(s))).collect();
            (stem.clone(), encode::postings(&quantised))
        })
        .collect();
    (terms, keys)
}

/// The key terms of every document: among the terms of its body, those
/// with the highest impact (`impact` of a term and its saturated
/// frequency, as in the postings).
fn keys(
    docs: &[&DocTerms],
    weights: &[Vec<f32>],
    impact: impl Fn(u32, f32) -> f32 + Sync,
) -> Vec<Keys> {
    const BODY: usize = FIELDS - 1;
    docs.par_iter()
        .zip(weights)
        .map(|(d, w)| {
            let mut scored: Vec<(u32, f32)> = d
                .frequencies
                .iter()
                .zip(w)
                .filter(|((_, tf), _)| tf[BODY] > 0)
                .map(|(&(term, _), &weight)| (term, impact(term, weight)))
                .collect();
            // Best first; equal impacts in term order, so builds agree:
            // an order without ties, so the best few are picked out first.
            let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if scored.len() > KEY_TERMS {
                scored.select_nth_unstable_by(KEY_TERMS - 1, order);
                scored.truncate(KEY_TERMS);
            }
            scored.sort_unstable_by(order);
            scored.into_iter().map(|(term, _)| term).collect()
        })
        .collect()
}

/// Doc ids of every adjacent pair of terms, in pair order. Pairs sort as
/// their text does: a space sorts before any letter or digit.
fn pairs(docs: &[&DocTerms], stems: &[String]) -> Vec<(String, String)> {
    // Millions of (pair, doc): a counting sort by the first term (docs stay
    // in order within each), then small sorts by the second term.
    let term = |d: &DocTerms, at: u32| d.frequencies[at as usize].0;
    let mut starts = vec![0usize; stems.len() + 1];
    for d in docs {
        for &(a, _) in &d.pairs {
            starts[term(d, a) as usize + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    // Per first term: the second term and the doc in one number.
    let mut seconds = vec![0u64; starts[stems.len()]];
    for (doc, d) in docs.iter().enumerate() {
        for &(a, b) in &d.pairs {
            let slot = &mut next[term(d, a) as usize];
            seconds[*slot] = u64::from(term(d, b)) << 32 | doc as u64;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_terms_are_the_best_of_the_whole_order() {
        // 60 documents of 0 to 59 terms, impacts of few values (many
        // ties, broken by term), some terms outside the body.
        let mut draws = crate::analysis::search::Draws(5);
        let mut next = |n: usize| draws.below(n) as u32;
        let docs: Vec<DocTerms> = (0..60u32)
            .map(|n| DocTerms {
                lengths: [0; FIELDS],
                frequencies: (0..n)
                    .map(|t| (t * 3, [0, 0, 0, 0, u16::from(t % 5 != 2)]))
                    .collect(),
                pairs: Vec::new(),
            })
            .collect();
        let weights: Vec<Vec<f32>> = docs
            .iter()
            .map(|d| d.frequencies.iter().map(|_| next(4) as f32 / 4.0).collect())
            .collect();
        let refs: Vec<&DocTerms> = docs.iter().collect();
        let impact = |term: u32, weight: f32| weight * (1.0 + (term % 3) as f32);
        let found = keys(&refs, &weights, impact);
        for ((d, w), found) in docs.iter().zip(&weights).zip(&found) {
            let mut all: Vec<(u32, f32)> = d
                .frequencies
                .iter()
                .zip(w)
                .filter(|((_, tf), _)| tf[FIELDS - 1] > 0)
                .map(|(&(term, _), &weight)| (term, impact(term, weight)))
                .collect();
            all.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let expected: Vec<u32> = all.iter().take(KEY_TERMS).map(|(t, _)| *t).collect();
            assert_eq!(found, &expected);
        }
        assert_eq!(found[59].len(), KEY_TERMS);
    }
}
