//! Compact encodings of the index files, decoded by `search.js`.
//!
//! Everything is a JSON string over a 64-character alphabet that needs no
//! escaping (`0-9A-Za-z-_`):
//! - a number is a little-endian varint of 5-bit digits, a digit `d` written
//!   as `ALPHABET[d + 32]` when more digits follow, else `ALPHABET[d]`;
//! - a posting list is, per document in id order, the gap to the previous id
//!   minus one as a varint, then (for terms) the impact as one character 1..63;
//! - the single-valued facets of a document are packed into one number,
//!   each facet's value id + 1 (0 for none) a digit in mixed radix (radix:
//!   the facet's number of values + 1, the first facet lowest), written as
//!   [`digits`]`(product of the radixes, 6)` characters of 6 bits, most
//!   significant first;
//! - a multi-valued facet column is, per document, `.` when it has no value,
//!   else its ids, each as [`digits`]`(number of values, 5)` characters of 5
//!   bits, most significant first, the last character of an id + 32 when
//!   another id of the same document follows.

/// The 64 characters, in digit order.
pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// The highest impact; impacts are 1..=MAX_IMPACT.
pub const MAX_IMPACT: u8 = 63;

fn push_varint(out: &mut String, mut n: u32) {
    loop {
        let digit = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(ALPHABET[digit] as char);
            return;
        }
        out.push(ALPHABET[digit + 32] as char);
    }
}

/// A term's postings: `(doc id, impact)` in increasing id order.
pub fn postings(entries: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(entries.len() * 2);
    let mut next = 0;
    for &(doc, impact) in entries {
        push_varint(&mut out, doc - next);
        out.push(ALPHABET[usize::from(impact.clamp(1, MAX_IMPACT))] as char);
        next = doc + 1;
    }
    out
}

/// A list of doc ids in increasing order.
pub fn ids(docs: &[u32]) -> String {
    let mut out = String::with_capacity(docs.len());
    let mut next = 0;
    for &doc in docs {
        push_varint(&mut out, doc - next);
        next = doc + 1;
    }
    out
}

/// How many characters of `bits` bits a number below `count` needs (at least one).
pub fn digits(count: usize, bits: u32) -> usize {
    let mut width = 1;
    while width * (bits as usize) < usize::BITS as usize && count > 1 << (bits as usize * width) {
        width += 1;
    }
    width
}

/// One number per document, each `width` characters of 6 bits.
pub fn column_fixed(values: &[usize], width: usize) -> String {
    let mut out = String::with_capacity(values.len() * width);
    for &value in values {
        for i in (0..width).rev() {
            out.push(ALPHABET[(value >> (6 * i)) & 63] as char);
        }
    }
    out
}

/// A multi-valued facet column over `count` values.
pub fn column_many(values: &[Vec<usize>], count: usize) -> String {
    let width = digits(count, 5);
    let mut out = String::with_capacity(values.len() * (width + 1));
    for ids in values {
        if ids.is_empty() {
            out.push('.');
        }
        for (n, &id) in ids.iter().enumerate() {
            let more = if n + 1 < ids.len() { 32 } else { 0 };
            for i in (0..width).rev() {
                let digit = (id >> (5 * i)) & 31;
                out.push(ALPHABET[if i == 0 { digit + more } else { digit }] as char);
            }
        }
    }
    out
}

/// Splits sorted `(key, encoded)` entries into shards of about `budget`
/// bytes of JSON; a key is never split. Gives each shard's lower bound and
/// its entries: the shortest string above every key of the shards before
/// (`""` for the first), so a key is in the last shard whose bound is not
/// above it.
pub fn shards(
    entries: Vec<(String, String)>,
    budget: usize,
) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut size = 0;
    for (key, value) in entries {
        let entry = key.len() + value.len() + 6;
        match out.last_mut() {
            Some((_, shard)) if size + entry <= budget => shard.push((key, value)),
            previous => {
                let bound = match previous {
                    Some((_, shard)) => shard
                        .last()
                        .map_or_else(String::new, |(last, _)| separator(last, &key).to_owned()),
                    None => String::new(),
                };
                size = 0;
                out.push((bound, vec![(key, value)]));
            }
        }
        size += entry;
    }
    out
}

/// The shortest prefix of `next` that sorts after `last`, given `last < next`.
fn separator<'a>(last: &str, next: &'a str) -> &'a str {
    next.char_indices()
        .skip(1)
        .map(|(end, _)| &next[..end])
        .find(|prefix| *prefix > last)
        .unwrap_or(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_use_five_bit_digits() {
        let mut s = String::new();
        for n in [0, 31, 32, 1000] {
            push_varint(&mut s, n);
        }
        // 32 = 0 + 1*32: "W" (0 + 32, more follows) then "1"; 1000 = 8 + 31*32: "e" (8 + 32) then "V" (31).
        assert_eq!(s, "0VW1eV");
    }

    #[test]
    fn postings_store_gaps_and_impacts() {
        // ids 0, 1, 5: gaps 0, 0, 3; impacts 63, 1, 200 clamped to 63.
        assert_eq!(postings(&[(0, 63), (1, 1), (5, 200)]), "0_013_");
        // gaps 2, 0, 36 = 4 + 1*32: "a" (4 + 32) then "1".
        assert_eq!(ids(&[2, 3, 40]), "20a1");
    }

    #[test]
    fn columns() {
        assert_eq!(digits(64, 6), 1);
        assert_eq!(digits(65, 6), 2);
        assert_eq!(digits(32, 5), 1);
        assert_eq!(digits(33, 5), 2);
        assert_eq!(digits(0, 5), 1);
        assert_eq!(column_fixed(&[0, 63, 64], 2), "000_10");
        // Ids 1 and 2 ("1" + 32 = "X", then "2"), none, id 3.
        assert_eq!(column_many(&[vec![1, 2], vec![], vec![3]], 5), "X2.3");
        // 40 values: two digits an id; 33 = 1 * 32 + 1, then 39 = 1 * 32 + 7.
        assert_eq!(column_many(&[vec![33, 39]], 40), "1X17");
    }

    #[test]
    fn shards_respect_the_budget_but_keep_keys_whole() {
        let entries: Vec<(String, String)> = ["aa", "ab", "b", "c"]
            .iter()
            .map(|k| ((*k).to_owned(), "x".repeat(10)))
            .collect();
        let out = shards(entries, 40);
        let bounds: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(bounds, ["", "b"]);
        assert_eq!(out[1].1[0].0, "b");
        let big = vec![
            ("huge".to_owned(), "y".repeat(100)),
            ("next".to_owned(), String::new()),
        ];
        assert_eq!(shards(big, 40).len(), 2);
    }

    #[test]
    fn bounds_are_the_shortest_separators() {
        assert_eq!(separator("leak", "leakag"), "leaka");
        assert_eq!(separator("leak", "lean"), "lean");
        assert_eq!(separator("abc", "b"), "b");
        assert_eq!(separator("memori leak", "memori lock"), "memori lo");
        assert_eq!(separator("a", "ä"), "ä", "whole characters only");
    }
}
