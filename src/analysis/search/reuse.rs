//! What the index keeps of each document between builds, so that a build
//! after an edit neither converts, splits nor stems the documents that did
//! not change, and writes their cards again only when their key terms
//! moved: per document, by a hash of everything the index reads of it
//! ([`doc_key`]), its terms ([`DocTerms`]), its key terms and its card as
//! written. Terms are numbers into one sorted table of stems, which a
//! build merges with the stems of the documents it analysed anew.
//!
//! As bytes (see [`IndexCache::encode`]): a magic line, the program that
//! wrote them, the stems, then one record per document, each prefixed with
//! its length, so that the records are decoded in parallel. Bytes of
//! another program, or that do not decode, or whose numbers do not hold
//! together, give an empty cache: the build then analyses every document.
//! A build writes the cache again only when the one on disk would have the
//! next build analyse more than one document in a hundred again.

use std::hash::{Hash, Hasher};
use std::io::{self, Write};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use super::SearchDoc;
use super::analyse::{Analysed, DocTerms, FIELDS, id};
use super::postings::Keys;

/// The first bytes of the cache.
const MAGIC: &[u8] = b"kb search cache 1\n";

/// A cache is written again when more than one document in this many
/// differs from the one on disk (see [`IndexCache::worth_keeping`]).
pub const STALE_PER_DOCS: usize = 100;

/// Records encoded in parallel, then written, at a time.
const ENCODED_TOGETHER: usize = 1024;

/// What the last build of the index kept of its documents.
#[derive(Debug, Default)]
pub struct IndexCache {
    /// Every stem the documents use, sorted, once.
    stems: Vec<String>,
    /// By [`doc_key`].
    docs: FxHashMap<u64, KeptDoc>,
    /// How many documents the build analysed or whose card it made anew,
    /// or dropped: the work a build from the cache it started with would
    /// do again.
    stale: usize,
}

/// One document as kept.
#[derive(Debug, Clone)]
pub struct KeptDoc {
    /// Its terms, as numbers into the cache's stems.
    pub terms: DocTerms,
    /// The key terms its card was made with.
    pub keys: Keys,
    /// The card, as JSON.
    pub card: Vec<u8>,
}

/// A hash of everything the index reads of `doc`: a kept document whose
/// hash is the same is the same document.
pub fn doc_key(doc: &SearchDoc<'_>) -> u64 {
    // Fx: several times faster than SipHash on the bodies' 50 MB at
    // 10,000 postmortems, and as unlikely to make two documents one.
    let mut h = FxHasher::default();
    doc.hash(&mut h);
    h.finish()
}

impl IndexCache {
    /// A cache of `docs` (by key), whose terms and keys are numbers into
    /// `stems`: the stems no document uses are dropped. `stale` counts the
    /// documents that differ from the cache the build started from (see
    /// [`IndexCache::worth_keeping`]).
    pub fn new(stems: Vec<String>, docs: Vec<(u64, KeptDoc)>, stale: usize) -> IndexCache {
        let mut used = vec![false; stems.len()];
        for (_, d) in &docs {
            for (t, _) in &d.terms.frequencies {
                used[*t as usize] = true;
            }
        }
        let mut renumbered = Vec::with_capacity(stems.len());
        let mut kept = Vec::new();
        for (stem, used) in stems.into_iter().zip(&used) {
            renumbered.push(id(kept.len()));
            if *used {
                kept.push(stem);
            }
        }
        let mut docs: FxHashMap<u64, KeptDoc> = docs.into_iter().collect();
        if kept.len() < renumbered.len() {
            docs.par_iter_mut()
                .for_each(|(_, d)| renumber(d, &renumbered));
        }
        IndexCache {
            stems: kept,
            docs,
            stale,
        }
    }

    /// Whether the cache is worth writing over the one its build started
    /// from: when that one would have the next build analyse again more
    /// than one in [`STALE_PER_DOCS`] documents. After an edit or two it
    /// is not: analysing a few documents again costs less than writing the
    /// whole cache (15 MB at 10,000 postmortems).
    pub fn worth_keeping(&self) -> bool {
        self.stale * STALE_PER_DOCS > self.docs.len()
    }

    /// Takes out what is kept of the document of `key`, when anything is.
    pub fn take(&mut self, key: u64) -> Option<KeptDoc> {
        self.docs.remove(&key)
    }

    /// How many documents are kept and not taken.
    pub fn left(&self) -> usize {
        self.docs.len()
    }

    /// The documents `kept` (taken out of this cache, by [`IndexCache::take`])
    /// and the newly `analysed` ones in one numbering of terms: the stems of
    /// both, merged; the kept documents renumbered in place, the analysed
    /// ones as documents with no card yet, in their order.
    pub fn merge(
        self,
        kept: &mut [Option<KeptDoc>],
        analysed: Analysed,
    ) -> (Vec<String>, Vec<KeptDoc>) {
        let (stems, old, new) = merge_sorted(self.stems, analysed.stems);
        kept.par_iter_mut()
            .flatten()
            .for_each(|d| renumber(d, &old));
        let fresh = analysed
            .docs
            .into_par_iter()
            .map(|mut terms| {
                for (t, _) in &mut terms.frequencies {
                    *t = new[*t as usize];
                }
                KeptDoc {
                    terms,
                    keys: Vec::new(),
                    card: Vec::new(),
                }
            })
            .collect();
        (stems, fresh)
    }

    /// Writes the cache as bytes into `out`, for `program` (which build of
    /// kb) to read back; some records at a time, made in parallel, so that
    /// the bytes are never all in memory.
    pub fn encode(&self, out: &mut impl Write, program: &str) -> io::Result<()> {
        let mut head = MAGIC.to_vec();
        put_bytes(&mut head, program.as_bytes());
        put(&mut head, self.stems.len() as u64);
        for stem in &self.stems {
            put_bytes(&mut head, stem.as_bytes());
        }
        put(&mut head, self.docs.len() as u64);
        out.write_all(&head)?;
        let docs: Vec<(&u64, &KeptDoc)> = self.docs.iter().collect();
        for chunk in docs.chunks(ENCODED_TOGETHER) {
            let bytes: Vec<Vec<u8>> = chunk
                .par_iter()
                .map(|(key, d)| {
                    let mut record = Vec::new();
                    encode_doc(&mut record, **key, d);
                    let mut bytes = Vec::with_capacity(record.len() + 4);
                    put_bytes(&mut bytes, &record);
                    bytes
                })
                .collect();
            for record in bytes {
                out.write_all(&record)?;
            }
        }
        Ok(())
    }

    /// The cache in `bytes`, when `program` wrote them and they hold
    /// together; else an empty one.
    pub fn decode(bytes: &[u8], program: &str) -> IndexCache {
        decode(bytes, program).unwrap_or_default()
    }
}

/// Renumbers the terms of `d` by `to`, which keeps their order.
/// At most how many items a count read from the cache reserves room for
/// at once: a damaged count must not reserve many times the file's size.
const MAX_RESERVE: usize = 1 << 16;

fn renumber(d: &mut KeptDoc, to: &[u32]) {
    for (t, _) in &mut d.terms.frequencies {
        *t = to[*t as usize];
    }
    for t in &mut d.keys {
        *t = to[*t as usize];
    }
}

/// `a` and `b` (each sorted, distinct) merged, and where each of their
/// items went.
fn merge_sorted(a: Vec<String>, b: Vec<String>) -> (Vec<String>, Vec<u32>, Vec<u32>) {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut from_a, mut from_b) = (Vec::with_capacity(a.len()), Vec::with_capacity(b.len()));
    let mut b = b.into_iter().peekable();
    for item in a {
        while let Some(next) = b.next_if(|next| *next < item) {
            from_b.push(id(merged.len()));
            merged.push(next);
        }
        if b.next_if(|next| *next == item).is_some() {
            from_b.push(id(merged.len()));
        }
        from_a.push(id(merged.len()));
        merged.push(item);
    }
    for next in b {
        from_b.push(id(merged.len()));
        merged.push(next);
    }
    (merged, from_a, from_b)
}

fn decode(bytes: &[u8], program: &str) -> Option<IndexCache> {
    let mut r = Reader(bytes.strip_prefix(MAGIC)?);
    if r.bytes()? != program.as_bytes() {
        return None;
    }
    let count = r.len()?;
    let mut stems = Vec::with_capacity(count.min(r.0.len()).min(MAX_RESERVE));
    for _ in 0..count {
        stems.push(std::str::from_utf8(r.bytes()?).ok()?.to_owned());
    }
    if !stems.windows(2).all(|w| w[0] < w[1]) {
        return None;
    }
    let count = r.len()?;
    let mut records = Vec::with_capacity(count.min(r.0.len()).min(MAX_RESERVE));
    for _ in 0..count {
        records.push(r.bytes()?);
    }
    if !r.0.is_empty() {
        return None;
    }
    let docs: Option<FxHashMap<u64, KeptDoc>> = records
        .into_par_iter()
        .map(|record| decode_doc(record, stems.len()))
        .collect();
    Some(IndexCache {
        stems,
        docs: docs?,
        stale: 0,
    })
}

/// One document: its key, field lengths, terms (gaps between term
/// numbers, then a mask of the fields it is in and its frequency in
/// each), pairs, key terms and card.
fn encode_doc(out: &mut Vec<u8>, key: u64, d: &KeptDoc) {
    let t = &d.terms;
    out.extend(key.to_le_bytes());
    for len in t.lengths {
        put(out, u64::from(len));
    }
    put(out, t.frequencies.len() as u64);
    let mut last = 0;
    for (term, tf) in &t.frequencies {
        put(out, u64::from(term - last));
        last = *term;
        let mask = tf
            .iter()
            .enumerate()
            .fold(0u8, |m, (f, n)| if *n > 0 { m | 1 << f } else { m });
        out.push(mask);
        for n in tf.iter().filter(|n| **n > 0) {
            put(out, u64::from(*n));
        }
    }
    put(out, t.pairs.len() as u64);
    for (a, b) in &t.pairs {
        put(out, u64::from(*a));
        put(out, u64::from(*b));
    }
    put(out, d.keys.len() as u64);
    for term in &d.keys {
        put(out, u64::from(*term));
    }
    put_bytes(out, &d.card);
}

fn decode_doc(record: &[u8], stems: usize) -> Option<(u64, KeptDoc)> {
    let (key, rest) = record.split_first_chunk::<8>()?;
    let mut r = Reader(rest);
    let mut lengths = [0; FIELDS];
    for len in &mut lengths {
        *len = r.u32()?;
    }
    let count = r.len()?;
    let mut frequencies = Vec::with_capacity(count.min(r.0.len()).min(MAX_RESERVE));
    let mut term = 0u32;
    for _ in 0..count {
        term = term.checked_add(r.u32()?)?;
        let mask = r.byte()?;
        let mut tf = [0; FIELDS];
        for (f, n) in tf.iter_mut().enumerate() {
            if mask & 1 << f != 0 {
                *n = u16::try_from(r.value()?).ok()?;
            }
        }
        frequencies.push((term, tf));
    }
    let count = r.len()?;
    let mut pairs = Vec::with_capacity(count.min(r.0.len()).min(MAX_RESERVE));
    for _ in 0..count {
        pairs.push((r.u32()?, r.u32()?));
    }
    let count = r.len()?;
    let mut keys = Vec::with_capacity(count.min(r.0.len()).min(MAX_RESERVE));
    for _ in 0..count {
        keys.push(r.u32()?);
    }
    let card = r.bytes()?.to_vec();
    let terms = DocTerms {
        lengths,
        frequencies,
        pairs,
    };
    let consistent =
        r.0.is_empty() && terms.is_consistent(stems) && keys.iter().all(|t| (*t as usize) < stems);
    consistent.then(|| (u64::from_le_bytes(*key), KeptDoc { terms, keys, card }))
}

/// Appends `n` as a varint: seven bits a byte, the high bit set when more follow.
fn put(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Appends `bytes`, after their length.
fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Reads what [`put`] and [`put_bytes`] wrote; `None` past the end or on
/// a number too large.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }

    fn value(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.value()?).ok()
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.value()?).ok()
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.len()?;
        if len > self.0.len() {
            return None;
        }
        let (bytes, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(cache: &IndexCache, program: &str) -> Vec<u8> {
        let mut bytes = Vec::new();
        cache.encode(&mut bytes, program).unwrap();
        bytes
    }

    fn kept(terms: &[u32], card: &str) -> KeptDoc {
        KeptDoc {
            terms: DocTerms {
                lengths: [1, 0, 0, 0, 300],
                frequencies: terms.iter().map(|t| (*t, [1, 0, 0, 0, 7])).collect(),
                pairs: vec![(0, 1), (1, 0)],
            },
            keys: vec![terms[1]],
            card: card.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_cache_is_worth_keeping_when_more_than_one_document_in_a_hundred_is_new() {
        let stems = ["alpha", "beta"].map(String::from).to_vec();
        let docs = |n: u64| (0..n).map(|k| (k, kept(&[0, 1], "[]"))).collect::<Vec<_>>();
        // 2 of 200 is one in a hundred: not more.
        assert!(!IndexCache::new(stems.clone(), docs(200), 2).worth_keeping());
        assert!(IndexCache::new(stems.clone(), docs(200), 3).worth_keeping());
        assert!(IndexCache::new(stems, docs(20), 1).worth_keeping());
    }

    #[test]
    fn merging_keeps_both_orders() {
        let (merged, a, b) = merge_sorted(
            ["b", "d", "f"].map(String::from).to_vec(),
            ["a", "d", "e", "g"].map(String::from).to_vec(),
        );
        assert_eq!(merged, ["a", "b", "d", "e", "f", "g"]);
        assert_eq!(a, [1, 2, 4]);
        assert_eq!(b, [0, 2, 3, 5]);
    }

    #[test]
    fn a_cache_reads_back_and_drops_unused_stems() {
        let stems = ["alpha", "beta", "gamma", "unused"]
            .map(String::from)
            .to_vec();
        let docs = vec![(7, kept(&[0, 2], "[1]")), (9, kept(&[1, 2], "[2]"))];
        let cache = IndexCache::new(stems, docs, 2);
        assert!(cache.worth_keeping(), "two of two documents new");
        assert_eq!(cache.stems, ["alpha", "beta", "gamma"]);
        let bytes = encoded(&cache, "kb test");
        let mut back = IndexCache::decode(&bytes, "kb test");
        assert!(!back.worth_keeping());
        assert_eq!(back.stems, cache.stems);
        let doc = back.take(9).expect("kept");
        assert_eq!(doc.terms.frequencies, cache.docs[&9].terms.frequencies);
        assert_eq!(doc.terms.pairs, [(0, 1), (1, 0)]);
        assert_eq!(doc.keys, [2]);
        assert_eq!(doc.card, b"[2]");
        assert_eq!(back.left(), 1);
    }

    #[test]
    fn another_program_or_damaged_bytes_give_an_empty_cache() {
        let stems = ["alpha", "beta"].map(String::from).to_vec();
        let cache = IndexCache::new(stems, vec![(1, kept(&[0, 1], "[]"))], 1);
        let bytes = encoded(&cache, "kb one");
        assert_eq!(IndexCache::decode(&bytes, "kb two").left(), 0);
        for cut in 0..bytes.len() {
            assert_eq!(
                IndexCache::decode(&bytes[..cut], "kb one").left(),
                0,
                "cut at {cut}"
            );
        }
        // A term number past the stems: decodes, but does not hold together.
        let mut wrong = cache;
        wrong.stems.pop();
        assert_eq!(
            IndexCache::decode(&encoded(&wrong, "kb one"), "kb one").left(),
            0
        );
    }
}
