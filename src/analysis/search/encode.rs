//! Compact encodings of the index files, decoded by `search.js`.
//!
//! Everything is a JSON string over a 64-character alphabet that needs no
//! escaping (`0-9A-Za-z-_`):
//! - a number is a little-endian varint of 5-bit digits, a digit `d` written
//!   as `ALPHABET[d + 32]` when more digits follow, else `ALPHABET[d]`;
//! - a posting list is, per document in id order, the gap to the previous id
//!   minus one as a varint, then (for terms) the impact as one character 1..63;
//! - a single-valued facet column is a fixed-width id per document (width
//!   chars of 6 bits), `.` repeated for "none";
//! - a multi-valued facet column is, per document, its ids at fixed width,
//!   documents separated by `.`.

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

/// How many 6-bit characters an id below `count` needs.
pub fn width(count: usize) -> usize {
    let mut width = 1;
    while count > 1 << (6 * width) {
        width += 1;
    }
    width
}

fn push_id(out: &mut String, id: usize, width: usize) {
    for i in (0..width).rev() {
        out.push(ALPHABET[(id >> (6 * i)) & 63] as char);
    }
}

/// A single-valued facet column.
pub fn column_one(values: &[Option<usize>], width: usize) -> String {
    let mut out = String::with_capacity(values.len() * width);
    for value in values {
        match value {
            Some(id) => push_id(&mut out, *id, width),
            None => out.extend(std::iter::repeat_n('.', width)),
        }
    }
    out
}

/// A multi-valued facet column.
pub fn column_many(values: &[Vec<usize>], width: usize) -> String {
    let mut out = String::with_capacity(values.len() * (width + 1));
    for (i, ids) in values.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        for &id in ids {
            push_id(&mut out, id, width);
        }
    }
    out
}

/// Splits sorted `(key, encoded)` entries into shards of about `budget`
/// bytes of JSON; a key is never split. Gives each shard's first key and its
/// entries.
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
            _ => {
                size = 0;
                out.push((key.clone(), vec![(key, value)]));
            }
        }
        size += entry;
    }
    out
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
        assert_eq!(width(64), 1);
        assert_eq!(width(65), 2);
        assert_eq!(column_one(&[Some(0), None, Some(63)], 1), "0._");
        assert_eq!(column_one(&[Some(64), None], 2), "10..");
        assert_eq!(column_many(&[vec![1, 2], vec![], vec![3]], 1), "12..3");
    }

    #[test]
    fn shards_respect_the_budget_but_keep_keys_whole() {
        let entries: Vec<(String, String)> = ["aa", "ab", "b", "c"]
            .iter()
            .map(|k| ((*k).to_owned(), "x".repeat(10)))
            .collect();
        let out = shards(entries, 40);
        let firsts: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(firsts, ["aa", "b"]);
        let big = vec![
            ("huge".to_owned(), "y".repeat(100)),
            ("next".to_owned(), String::new()),
        ];
        assert_eq!(shards(big, 40).len(), 2);
    }
}
