//! Documents to their terms, each document alone: its fields folded and
//! split, every distinct word judged (stop word, too long) and stemmed
//! once, then per document its terms' frequencies per field, its fields'
//! lengths and its adjacent pairs of terms. What comes out depends on the
//! document only, so a build can keep it for the next (see [`super::reuse`]).
//!
//! Terms are numbered in sorted order, so a document's terms come out
//! sorted as their stems are.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::SearchDoc;
use super::text::{self, Analyzer};

/// Title, services and causes, labels (tags, trigger, detection), summary, body.
pub const FIELDS: usize = 5;
/// Documents tokenized together, sharing one table of words: enough that
/// most words are already in it, few enough to keep both cores busy.
const BATCH: usize = 256;
/// The term of a token that is not indexed (a stop word, a hash).
pub const NO_TERM: u32 = u32::MAX;

/// A document's terms: frequency per field in term order, field lengths,
/// adjacent pairs of terms.
#[derive(Debug, Clone)]
pub struct DocTerms {
    /// Indexed words per field.
    pub lengths: [u32; FIELDS],
    /// Term number and its frequency per field, by increasing term.
    pub frequencies: Vec<(u32, [u16; FIELDS])>,
    /// Adjacent pairs of terms, each term by its position in
    /// `frequencies`: sorted and distinct. Positions, not term numbers,
    /// so that renumbering the terms (in the same order) leaves them be.
    pub pairs: Vec<(u32, u32)>,
}

impl DocTerms {
    /// Whether the numbers hold together: terms strictly increasing and
    /// below `terms`, pairs strictly increasing and naming positions
    /// there are. A kept document that does not is not used.
    pub fn is_consistent(&self, terms: usize) -> bool {
        let n = self.frequencies.len();
        self.frequencies.windows(2).all(|w| w[0].0 < w[1].0)
            && self
                .frequencies
                .last()
                .is_none_or(|(t, _)| (*t as usize) < terms)
            && self.pairs.windows(2).all(|w| w[0] < w[1])
            && self
                .pairs
                .iter()
                .all(|&(a, b)| (a as usize) < n && (b as usize) < n)
    }
}

/// The terms of some documents: the stems, sorted, and each document's
/// terms as numbers into them.
pub struct Analysed {
    /// Every stem the documents use, sorted, once.
    pub stems: Vec<String>,
    /// Per document, in the order given.
    pub docs: Vec<DocTerms>,
}

/// Analyses `docs`, each with its body as plain text.
pub fn analyse(docs: &[(&SearchDoc<'_>, &str)]) -> Analysed {
    let batches: Vec<Batch> = docs.par_chunks(BATCH).map(Batch::of).collect();
    let vocabulary = Vocabulary::of(&batches);
    let analysed: Vec<DocTerms> = batches
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
    Analysed {
        stems: vocabulary.stems,
        docs: analysed,
    }
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
    fn of(docs: &[(&SearchDoc<'_>, &str)]) -> Batch {
        let folded: Vec<[String; FIELDS]> = docs.iter().map(|(d, body)| fields(d, body)).collect();
        let mut numbers = Numbering::default();
        let mut ids = Vec::new();
        let mut all_ends = Vec::with_capacity(docs.len());
        for doc in &folded {
            let mut ends = [0; FIELDS];
            for (f, field) in doc.iter().enumerate() {
                for token in text::tokens(field) {
                    ids.push(numbers.of(token));
                }
                ends[f] = ids.len();
            }
            all_ends.push(ends);
        }
        Batch {
            tokens: numbers.distinct.into_iter().map(Box::from).collect(),
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

/// Distinct tokens numbered in order of first use. A token of at most 15
/// bytes is looked up as one number (its bytes and its length): hashed
/// and compared at once, where a string is hashed byte by byte and
/// compared through `memcmp`.
#[derive(Default)]
struct Numbering<'a> {
    short: FxHashMap<u128, u32>,
    long: FxHashMap<&'a str, u32>,
    /// The tokens by number.
    distinct: Vec<&'a str>,
}

impl<'a> Numbering<'a> {
    /// The number of `token`, a new one the first time.
    fn of(&mut self, token: &'a str) -> u32 {
        let next = id(self.distinct.len());
        let number = match short_key(token) {
            Some(key) => *self.short.entry(key).or_insert(next),
            None => *self.long.entry(token).or_insert(next),
        };
        if number == next {
            self.distinct.push(token);
        }
        number
    }
}

/// `token`'s bytes and, in the highest byte, its length, if it has at
/// most 15 bytes.
fn short_key(token: &str) -> Option<u128> {
    let bytes = token.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut key = [0; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    key[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(key))
}

/// A document's fields, folded; `body` is its body as plain text.
fn fields(doc: &SearchDoc<'_>, body: &str) -> [String; FIELDS] {
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
        text::fold(body),
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
        let mut numbers = Numbering::default();
        let batch_tokens: Vec<Vec<u32>> = batches
            .iter()
            .map(|batch| batch.tokens.iter().map(|token| numbers.of(token)).collect())
            .collect();
        let distinct = numbers.distinct;
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

/// `index` as a number of 32 bits (no site has four billion terms).
pub fn id(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Room for one thread to count a document's terms: frequencies by term
/// number, all zero between documents, the terms seen, and where each
/// term seen stands among them; and room to sort the document's pairs.
struct Counts {
    frequencies: Vec<[u16; FIELDS]>,
    seen: Vec<u32>,
    /// By term number: its position among the document's terms, for the
    /// terms it has (stale for the others).
    positions: Vec<u32>,
    /// Per position of a first term, where its pairs start in `seconds`.
    starts: Vec<u32>,
    /// The pairs' second terms, grouped by their first.
    seconds: Vec<u32>,
}

impl Counts {
    fn new(terms: usize) -> Counts {
        Counts {
            frequencies: vec![[0; FIELDS]; terms],
            seen: Vec::new(),
            positions: vec![0; terms],
            starts: Vec::new(),
            seconds: Vec::new(),
        }
    }

    /// `pairs` of terms (the first high), all among the `n` terms seen
    /// and placed, as pairs of positions: sorted, distinct. A counting
    /// sort by the first, then a short sort of each one's seconds.
    fn sorted_pairs(&mut self, pairs: &[u64], n: usize) -> Vec<(u32, u32)> {
        let at = |positions: &[u32], term: u64| positions[term as usize];
        self.starts.clear();
        self.starts.resize(n + 1, 0);
        for &pair in pairs {
            self.starts[at(&self.positions, pair >> 32) as usize + 1] += 1;
        }
        for i in 1..self.starts.len() {
            self.starts[i] += self.starts[i - 1];
        }
        self.seconds.clear();
        self.seconds.resize(pairs.len(), 0);
        // `starts[a]` moves to where `a`'s pairs end, then back.
        for &pair in pairs {
            let a = at(&self.positions, pair >> 32) as usize;
            let slot = &mut self.starts[a];
            self.seconds[*slot as usize] = at(&self.positions, pair & u64::from(u32::MAX));
            *slot += 1;
        }
        let mut distinct = 0;
        let mut start = 0;
        for a in 0..n {
            let end = self.starts[a] as usize;
            let group = &mut self.seconds[start..end];
            group.sort_unstable();
            distinct += group.len() - group.windows(2).filter(|w| w[0] == w[1]).count();
            start = end;
        }
        // Kept for the whole build and the next (about a third of the
        // index's memory): exactly as long as the distinct pairs.
        let mut sorted = Vec::with_capacity(distinct);
        let mut start = 0;
        for a in 0..n {
            let end = self.starts[a] as usize;
            let mut last = None;
            for &b in &self.seconds[start..end] {
                if last != Some(b) {
                    sorted.push((id(a), b));
                    last = Some(b);
                }
            }
            start = end;
        }
        sorted
    }
}

impl DocTerms {
    /// `fields` are token ids of the document's batch; `terms` their terms.
    fn of(fields: [&[u32]; FIELDS], terms: &[u32], counts: &mut Counts) -> DocTerms {
        let mut lengths = [0; FIELDS];
        // Adjacent terms as one number, the first high.
        let mut pairs: Vec<u64> = Vec::new();
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
        for (at, &term) in counts.seen.iter().enumerate() {
            counts.positions[term as usize] = id(at);
        }
        let frequencies: Vec<(u32, [u16; FIELDS])> = counts
            .seen
            .drain(..)
            .map(|term| (term, std::mem::take(&mut counts.frequencies[term as usize])))
            .collect();
        // Every term of a pair is among the document's terms.
        let pairs = counts.sorted_pairs(&pairs, frequencies.len());
        DocTerms {
            lengths,
            frequencies,
            pairs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`DocTerms::of`] as it was: pairs as pairs of terms, each term's
    /// position searched for, pairs sorted as tuples.
    fn of_before(fields: [&[u32]; FIELDS], terms: &[u32], counts: &mut Counts) -> DocTerms {
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
                    pairs.push((before, term));
                }
                previous = Some(term);
            }
        }
        counts.seen.sort_unstable();
        let frequencies: Vec<(u32, [u16; FIELDS])> = counts
            .seen
            .drain(..)
            .map(|term| (term, std::mem::take(&mut counts.frequencies[term as usize])))
            .collect();
        let at = |term: u32| id(frequencies.partition_point(|(t, _)| *t < term));
        let mut pairs: Vec<(u32, u32)> = pairs.into_iter().map(|(a, b)| (at(a), at(b))).collect();
        pairs.sort_unstable();
        pairs.dedup();
        DocTerms {
            lengths,
            frequencies,
            pairs,
        }
    }

    #[test]
    fn tokens_are_numbered_in_order_of_first_use() {
        // Lengths 0 to 20 bytes around the 15 of a short key, letters
        // beyond ASCII, a token and its prefixes.
        let words: Vec<String> = (0..21)
            .flat_map(|n| ["a".repeat(n), "b".repeat(n), format!("é{}", "x".repeat(n))])
            .collect();
        let mut draws = crate::analysis::search::Draws(1);
        let mut numbering = Numbering::default();
        let mut expected: FxHashMap<&str, u32> = FxHashMap::default();
        for _ in 0..5000 {
            let token = words[draws.below(words.len())].as_str();
            let next = id(expected.len());
            assert_eq!(
                numbering.of(token),
                *expected.entry(token).or_insert(next),
                "{token}"
            );
        }
        // 21 lengths of three words, the two empty ones the same.
        assert_eq!(expected.len(), 62, "every word met");
        for (token, number) in expected {
            assert_eq!(numbering.distinct[number as usize], token);
        }
    }

    #[test]
    fn doc_terms_are_those_counted_before() {
        // 300 tokens, every seventh not indexed, the others on 200 terms
        // (so tokens share terms, as words share stems).
        let terms: Vec<u32> = (0..300u32)
            .map(|t| if t % 7 == 3 { NO_TERM } else { (t * 37) % 200 })
            .collect();
        let mut draws = crate::analysis::search::Draws(11);
        let mut next = |n: usize| draws.below(n) as u32;
        let (mut now, mut before) = (Counts::new(200), Counts::new(200));
        let mut pairs = 0;
        for doc in 0..300 {
            // Fields of 0 to doc % 90 tokens, some of few distinct tokens
            // (repeated pairs), one of 70,000 tokens (frequencies saturate).
            let fields: Vec<Vec<u32>> = (0..FIELDS)
                .map(|f| {
                    let (len, spread) = match (doc + f) % 4 {
                        0 => (doc % 90, 300),
                        1 => (doc % 40, 5),
                        2 if doc == 17 => (70_000, 3),
                        _ => (next(60) as usize, 300),
                    };
                    (0..len).map(|_| next(spread)).collect()
                })
                .collect();
            let fields: [&[u32]; FIELDS] = std::array::from_fn(|f| fields[f].as_slice());
            let a = DocTerms::of(fields, &terms, &mut now);
            let b = of_before(fields, &terms, &mut before);
            assert_eq!(a.lengths, b.lengths, "doc {doc}");
            assert_eq!(a.frequencies, b.frequencies, "doc {doc}");
            assert_eq!(a.pairs, b.pairs, "doc {doc}");
            assert!(a.is_consistent(200));
            assert_eq!(a.pairs.capacity(), a.pairs.len(), "no room kept");
            pairs += a.pairs.len();
        }
        assert!(pairs > 10_000, "{pairs}");
    }
}
