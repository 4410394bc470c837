//! Result cards, [`PER_FILE`] documents to a file: `cards/N.json` holds the
//! cards of documents `N * PER_FILE ..`, each `[title, path, date, duration,
//! lead, passages]` (date and duration may be null). Severity and services
//! come from the facet columns the page has already.
//!
//! A first page of results fetches one file per result at most, so a card
//! is small: not the whole text, but the start of the summary (else of the
//! body) as the lead, and a few of the body's sentences as passages, those
//! holding the document's key terms (the words it ranks high for, see
//! [`super::postings::Postings::keys`]) that the title and lead do not,
//! each key term weighing by its rank (the best of twelve 12, the last 1),
//! so that a card depends on the order of its key terms only. The browser
//! shows the part of the lead or a passage around the words matched.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::analyse::{NO_TERM, id};
use super::text::{self, Analyzer};
use super::{IndexFiles, SearchDoc};

/// Cards in one file.
pub const PER_FILE: usize = 16;

/// Characters of the lead at most (then cut after a word, with `…`).
pub const SNIPPET_CHARS: usize = 320;

/// Characters of a card's passages at most, all together.
pub const PASSAGE_CHARS: usize = 400;

/// Characters of one passage at most: a longer sentence is cut after a word.
const SENTENCE_CHARS: usize = 240;

/// A sentence shorter than this (a heading, a time) is no passage.
const MIN_SENTENCE_CHARS: usize = 24;

/// Every `search/cards/N.json`, from each document's card as [`card`]
/// writes it, by id.
pub fn files(cards: &[&[u8]]) -> IndexFiles {
    cards
        .par_chunks(PER_FILE)
        .enumerate()
        .map(|(n, chunk)| {
            let mut json = Vec::with_capacity(chunk.iter().map(|c| c.len() + 1).sum::<usize>() + 1);
            json.push(b'[');
            for (i, card) in chunk.iter().enumerate() {
                if i > 0 {
                    json.push(b',');
                }
                json.extend_from_slice(card);
            }
            json.push(b']');
            (format!("search/cards/{n}.json"), json)
        })
        .collect()
}

/// The card of `d`, whose body is `body` as plain text, as JSON; `keys`
/// are its key terms, best first, as numbers into `words`' stems.
pub fn card(d: &SearchDoc<'_>, body: &str, keys: &[u32], words: &mut Words<'_>) -> Vec<u8> {
    // Weighed by rank, the best highest: the card depends on the order of
    // the key terms only, which it is kept with.
    let weighted: Vec<(u32, f32)> = keys
        .iter()
        .enumerate()
        .map(|(rank, &t)| (t, (keys.len() - rank) as f32))
        .collect();
    super::json(&Card::of(d, body, &weighted, words))
}

/// One card, written as a JSON array.
#[derive(Debug, Serialize)]
struct Card<'a>(
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    String,
    Vec<String>,
);

impl<'a> Card<'a> {
    fn of(
        d: &'a SearchDoc<'_>,
        body: &str,
        keys: &[(u32, f32)],
        words: &mut Words<'_>,
    ) -> Card<'a> {
        let lead = if d.summary.trim().is_empty() {
            snippet(body.lines().next().unwrap_or(""))
        } else {
            snippet(&d.summary)
        };
        let passages = passages(body, keys, &format!("{} {lead}", d.title), words);
        Card(
            &d.title,
            &d.path,
            d.date.as_deref(),
            d.duration.as_deref(),
            lead,
            passages,
        )
    }
}

/// The first [`SNIPPET_CHARS`] characters of `text`, cut after a whole word.
pub fn snippet(text: &str) -> String {
    cut(text, SNIPPET_CHARS).into_owned()
}

/// The first `chars` characters of `text`, cut after a whole word with ` …`.
fn cut(text: &str, chars: usize) -> Cow<'_, str> {
    let text = text.trim();
    // No more bytes than characters allowed: nothing to count (most sentences).
    if text.len() <= chars {
        return Cow::Borrowed(text);
    }
    let Some((cut, _)) = text.char_indices().nth(chars) else {
        return Cow::Borrowed(text);
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
    Cow::Owned(format!("{kept} …"))
}

/// The sentences of `body` (lines, split after `.`, `!` or `?` and a
/// space), each cut to [`SENTENCE_CHARS`].
fn sentences(body: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    body.lines()
        .flat_map(split_sentences)
        .map(str::trim)
        .filter(|s| s.chars().count() >= MIN_SENTENCE_CHARS)
        .map(|s| cut(s, SENTENCE_CHARS))
}

/// `line` cut after each `.`, `!` or `?` that a space follows.
fn split_sentences(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // By bytes: these are ASCII, no byte of another character.
        let end = rest
            .as_bytes()
            .windows(2)
            .position(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ')
            .map_or(rest.len(), |at| at + 1);
        let (sentence, tail) = rest.split_at(end);
        rest = tail;
        Some(sentence)
    })
}

/// The passages of a card: the sentences of `body` that together hold the
/// most weight of key terms (`keys`, terms of `words` with their weights)
/// not already in `shown`, within [`PASSAGE_CHARS`], in the body's order.
/// A sentence adds the weight of each key term it holds that no sentence
/// taken before holds.
pub fn passages(
    body: &str,
    keys: &[(u32, f32)],
    shown: &str,
    words: &mut Words<'_>,
) -> Vec<String> {
    // At most a dozen keys: a list is quicker than a map.
    let mut weight: Vec<(u32, f32)> = keys.to_vec();
    let heads = Heads::of(weight.iter().map(|&(t, _)| words.stem(t)));
    // One buffer for every sentence folded.
    let mut folded = String::new();
    for term in key_terms(shown, &weight, &heads, words, &mut folded) {
        weight.retain(|&(t, _)| t != term);
    }
    if weight.is_empty() {
        return Vec::new();
    }
    // Sentences with a key term, in body order, with their length in
    // characters and their key terms.
    let candidates: Vec<(String, usize, Vec<u32>)> = sentences(body)
        .filter_map(|s| {
            let terms = key_terms(&s, &weight, &heads, words, &mut folded);
            let chars = s.chars().count();
            (!terms.is_empty()).then(|| (s.into_owned(), chars, terms))
        })
        .collect();
    let mut taken: Vec<usize> = Vec::new();
    let mut room = PASSAGE_CHARS;
    loop {
        // The best sentence that fits; the first of equals, so builds agree.
        let mut best: Option<(f32, usize)> = None;
        for (at, (_, chars, terms)) in candidates.iter().enumerate() {
            if taken.contains(&at) || *chars > room {
                continue;
            }
            let gain: f32 = terms.iter().filter_map(|&t| weight_of(&weight, t)).sum();
            if gain > best.map_or(0.0, |(b, _)| b) {
                best = Some((gain, at));
            }
        }
        let Some((_, at)) = best else { break };
        let (_, chars, terms) = &candidates[at];
        room -= chars;
        weight.retain(|(t, _)| !terms.contains(t));
        taken.push(at);
    }
    taken.sort_unstable();
    taken
        .into_iter()
        .map(|at| candidates[at].0.clone())
        .collect()
}

/// The weight of `term` in `weight`, if it is there.
fn weight_of(weight: &[(u32, f32)], term: u32) -> Option<f32> {
    weight.iter().find(|(t, _)| *t == term).map(|(_, w)| *w)
}

/// The terms of words, as one thread met them: each distinct word is
/// judged and stemmed once, not at each of its sentences.
pub struct Words<'s> {
    /// Every stem of the index, sorted: terms are positions in it.
    stems: &'s [String],
    analyzer: Analyzer,
    /// ASCII words as written: the term of the word lowered.
    ascii: FxHashMap<Box<str>, u32>,
    /// Words of folded text: their term.
    folded: FxHashMap<Box<str>, u32>,
}

impl<'s> Words<'s> {
    /// No word met yet; `stems` sorted.
    pub fn new(stems: &'s [String]) -> Words<'s> {
        Words {
            stems,
            analyzer: Analyzer::default(),
            ascii: FxHashMap::default(),
            folded: FxHashMap::default(),
        }
    }

    /// The stem of `term`.
    fn stem(&self, term: u32) -> &'s str {
        &self.stems[term as usize]
    }

    /// The term of ASCII `word` lowered: [`NO_TERM`] for a word not
    /// indexed or whose stem no document has.
    fn of_ascii(&mut self, word: &str, room: &mut String) -> u32 {
        if let Some(&term) = self.ascii.get(word) {
            return term;
        }
        room.clear();
        room.push_str(word);
        room.make_ascii_lowercase();
        let term = self.judge(room);
        self.ascii.insert(word.into(), term);
        term
    }

    /// The term of `word` of folded text, as [`Words::of_ascii`] says.
    fn of_folded(&mut self, word: &str) -> u32 {
        if let Some(&term) = self.folded.get(word) {
            return term;
        }
        let term = self.judge(word);
        self.folded.insert(word.into(), term);
        term
    }

    fn judge(&self, word: &str) -> u32 {
        if !text::is_indexed(word) {
            return NO_TERM;
        }
        let stem = self.analyzer.stem(word);
        self.stems
            .binary_search_by(|s| s.as_str().cmp(&stem))
            .map_or(NO_TERM, id)
    }
}

/// The distinct terms of `text`'s words that are keys of `weight`, in the
/// order of their first word. A word is judged only when it starts as
/// some key does (`heads`): a stem is a prefix of its word but for the
/// last letters, so most words are passed over. `room` is room to fold
/// `text`, or a word of it, in.
fn key_terms(
    text: &str,
    weight: &[(u32, f32)],
    heads: &Heads,
    words: &mut Words<'_>,
    room: &mut String,
) -> Vec<u32> {
    let mut found: Vec<u32> = Vec::new();
    let mut judge = |term: u32| {
        if weight.iter().any(|&(t, _)| t == term) && !found.contains(&term) {
            found.push(term);
        }
    };
    if text::folds_as_ascii(text) {
        // Folding such text lowers its ASCII letters and moves no boundary
        // between words: only the words that start as a key does are folded.
        for token in text::tokens(text) {
            if heads.admit_folded(token) {
                judge(words.of_ascii(token, room));
            }
        }
    } else {
        room.clear();
        text::fold_into(room, text);
        for word in text::tokens(room).filter(|w| heads.admit(w)) {
            judge(words.of_folded(word));
        }
    }
    found
}

/// How some keys begin: their first byte when they have one, else their
/// first two bytes.
struct Heads {
    /// A key is empty: every word is admitted.
    all: bool,
    /// The keys of one byte, as a [`ByteSet`].
    one: ByteSet,
    /// First two bytes of the longer keys.
    two: Vec<u16>,
    /// The first byte of every key that has one: most words are turned
    /// away by this one test.
    firsts: ByteSet,
}

impl Heads {
    fn of<'a>(keys: impl Iterator<Item = &'a str>) -> Heads {
        let mut heads = Heads {
            all: false,
            one: [0; 4],
            two: Vec::new(),
            firsts: [0; 4],
        };
        for key in keys {
            if let Some(&a) = key.as_bytes().first() {
                insert(&mut heads.firsts, a);
            }
            match *key.as_bytes() {
                [] => heads.all = true,
                [a] => insert(&mut heads.one, a),
                [a, b, ..] => heads.two.push(u16::from_le_bytes([a, b])),
            }
        }
        heads
    }

    /// Whether `word` starts as one of the keys does.
    fn admit(&self, word: &str) -> bool {
        self.admit_start(word.as_bytes())
    }

    /// Whether ASCII `word`, folded (lower case), starts as one of the
    /// keys does.
    #[inline]
    fn admit_folded(&self, word: &str) -> bool {
        match *word.as_bytes() {
            [] => self.admit_start(&[]),
            [a] => self.admit_start(&[a.to_ascii_lowercase()]),
            [a, b, ..] => self.admit_start(&[a.to_ascii_lowercase(), b.to_ascii_lowercase()]),
        }
    }

    /// Whether a word whose first bytes are `start` (two, or all of a
    /// shorter word) starts as one of the keys does.
    #[inline]
    fn admit_start(&self, start: &[u8]) -> bool {
        match *start {
            [] => self.all,
            _ if self.all => true,
            [a, ..] if !has(&self.firsts, a) => false,
            [a] => has(&self.one, a),
            [a, b, ..] => has(&self.one, a) || self.two.contains(&u16::from_le_bytes([a, b])),
        }
    }
}

/// A set of bytes, a bit each: one test, where `contains` on a short
/// `Vec<u8>` goes through `memchr`.
type ByteSet = [u64; 4];

fn insert(set: &mut ByteSet, byte: u8) {
    set[usize::from(byte >> 6)] |= 1 << (byte & 63);
}

fn has(set: &ByteSet, byte: u8) -> bool {
    set[usize::from(byte >> 6)] & 1 << (byte & 63) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_admit_the_words_that_start_as_a_key_does() {
        let heads = Heads::of(["rollback", "x", "ém"].into_iter());
        // Two bytes of a longer key, one of a one-byte key; `é` is two bytes.
        for word in ["rolled", "ro", "xyz", "x", "émis"] {
            assert!(heads.admit(word), "{word}");
        }
        for word in ["r", "deploy", "", "e"] {
            assert!(!heads.admit(word), "{word}");
        }
        let all = Heads::of(["", "db"].into_iter());
        assert!(all.admit("anything") && all.admit(""));
    }

    /// `keys` as weighted terms of a table of stems holding them and
    /// `others`, sorted.
    fn table(keys: &[(&str, f32)], others: &[&str]) -> (Vec<String>, Vec<(u32, f32)>) {
        let mut stems: Vec<String> = keys
            .iter()
            .map(|(k, _)| *k)
            .chain(others.iter().copied())
            .map(String::from)
            .collect();
        stems.sort();
        stems.dedup();
        let terms = keys
            .iter()
            .map(|(k, w)| {
                (
                    id(stems.binary_search_by(|s| s.as_str().cmp(k)).unwrap()),
                    *w,
                )
            })
            .collect();
        (stems, terms)
    }

    #[test]
    fn key_terms_finds_each_key_once_in_order() {
        let (stems, weight) = table(&[("rollback", 2.0), ("deploy", 1.0)], &["anoth"]);
        assert_eq!(stems, ["anoth", "deploy", "rollback"]);
        let mut words = Words::new(&stems);
        let heads = Heads::of(["rollback", "deploy"].into_iter());
        let found = key_terms(
            "Deployed, then the rollback; another deploy.",
            &weight,
            &heads,
            &mut words,
            &mut String::from("left over"),
        );
        assert_eq!(found, [1, 2], "deploy, then rollback");
    }

    #[test]
    fn key_terms_reads_ascii_as_folded_text() {
        let (stems, weight) = table(&[("rollback", 2.0), ("deploy", 1.0)], &[]);
        let mut words = Words::new(&stems);
        let heads = Heads::of(["rollback", "deploy"].into_iter());
        let mut room = String::new();
        let mut terms = |text: &str| key_terms(text, &weight, &heads, &mut words, &mut room);
        // ASCII is lowered word by word; with `é` the whole text is folded.
        let ascii = "ROLLBACKS of the X-DEPLOYING; Deploy";
        assert_eq!(terms(ascii), [1, 0], "rollback, then deploy");
        assert_eq!(terms(&format!("{ascii} é")), terms(ascii));
        assert_eq!(terms("Rolled back, REDEPLOYED"), Vec::<u32>::new());
        // Met again, a word gives the term it gave the first time.
        assert_eq!(terms("deploy DEPLOY Deploy"), [0]);
        assert_eq!(terms("déploy, rollback"), [0, 1], "déploy folds to deploy");
    }

    /// Passages as they were chosen before [`Words`]: every word admitted
    /// stemmed again, key terms as stems in a map.
    mod before {
        use super::super::{Heads, sentences, text};
        use rustc_hash::FxHashMap;

        pub fn passages(
            body: &str,
            keys: &[(String, f32)],
            shown: &str,
            analyzer: &text::Analyzer,
        ) -> Vec<String> {
            let mut weight: FxHashMap<&str, f32> =
                keys.iter().map(|(k, w)| (k.as_str(), *w)).collect();
            let heads = Heads::of(weight.keys().copied());
            let mut folded = String::new();
            for stem in key_stems(shown, &weight, &heads, analyzer, &mut folded) {
                weight.remove(stem);
            }
            if weight.is_empty() {
                return Vec::new();
            }
            let candidates: Vec<(String, usize, Vec<&str>)> = sentences(body)
                .filter_map(|s| {
                    let stems = key_stems(&s, &weight, &heads, analyzer, &mut folded);
                    let chars = s.chars().count();
                    (!stems.is_empty()).then(|| (s.into_owned(), chars, stems))
                })
                .collect();
            let mut taken: Vec<usize> = Vec::new();
            let mut room = super::PASSAGE_CHARS;
            loop {
                let mut best: Option<(f32, usize)> = None;
                for (at, (_, chars, stems)) in candidates.iter().enumerate() {
                    if taken.contains(&at) || *chars > room {
                        continue;
                    }
                    let gain: f32 = stems.iter().filter_map(|s| weight.get(s)).sum();
                    if gain > best.map_or(0.0, |(b, _)| b) {
                        best = Some((gain, at));
                    }
                }
                let Some((_, at)) = best else { break };
                let (_, chars, stems) = &candidates[at];
                room -= chars;
                for stem in stems {
                    weight.remove(stem);
                }
                taken.push(at);
            }
            taken.sort_unstable();
            taken
                .into_iter()
                .map(|at| candidates[at].0.clone())
                .collect()
        }

        /// `line` cut after each `.`, `!` or `?` that a space follows,
        /// found as characters.
        pub fn split_sentences(line: &str) -> impl Iterator<Item = &str> {
            let mut rest = line;
            std::iter::from_fn(move || {
                if rest.is_empty() {
                    return None;
                }
                let end = rest
                    .match_indices(['.', '!', '?'])
                    .map(|(at, _)| at + 1)
                    .find(|&at| rest[at..].starts_with(' '))
                    .unwrap_or(rest.len());
                let (sentence, tail) = rest.split_at(end);
                rest = tail;
                Some(sentence)
            })
        }

        fn key_stems<'k>(
            text: &str,
            weight: &FxHashMap<&'k str, f32>,
            heads: &Heads,
            analyzer: &text::Analyzer,
            room: &mut String,
        ) -> Vec<&'k str> {
            let mut found: Vec<&'k str> = Vec::new();
            let mut judge = |word: &str| {
                if !text::is_indexed(word) {
                    return;
                }
                let stem = analyzer.stem(word);
                if let Some((&key, _)) = weight.get_key_value(stem.as_ref())
                    && !found.contains(&key)
                {
                    found.push(key);
                }
            };
            if text.is_ascii() {
                for token in text::tokens(text) {
                    if heads.admit_folded(token) {
                        room.clear();
                        room.push_str(token);
                        room.make_ascii_lowercase();
                        judge(room);
                    }
                }
            } else {
                room.clear();
                text::fold_into(room, text);
                for word in text::tokens(room).filter(|w| heads.admit(w)) {
                    judge(word);
                }
            }
            found
        }
    }

    /// Words of many kinds: cases, stop words, diacritics, a stem that
    /// does not start as its word does (`dying`), numbers, a hash.
    const VOCABULARY: [&str; 46] = [
        "e\u{301}te\u{301}",
        "’s",
        "²",
        "İstanbul",
        "\u{212a}ernel",
        "x\u{301}y",
        "Deploy",
        "deployed",
        "DEPLOYING",
        "rollback",
        "Rollbacks",
        "the",
        "of",
        "memory",
        "Memories",
        "leak",
        "leaking",
        "dying",
        "died",
        "die",
        "Störung",
        "störungen",
        "café",
        "CAFÉ",
        "Straße",
        "strasse",
        "alert",
        "alerts",
        "muted",
        "mute",
        "page",
        "paged",
        "paging",
        "502",
        "9",
        "x",
        "p99",
        "timeout",
        "TimeOuts",
        "dns",
        "DNS",
        "œuvre",
        "ΟΔΟΣ",
        "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5",
        "queue",
        "queued",
    ];
    const PUNCTUATION: [&str; 8] = [" ", " ", " ", ", ", ". ", "! ", "? ", " — "];

    /// A body of sentences and lines of words from [`VOCABULARY`], drawn
    /// from `draws`.
    fn generated(draws: &mut crate::analysis::search::Draws, words: usize) -> String {
        let mut next = |n: usize| draws.below(n);
        let mut body = String::new();
        for _ in 0..words {
            body.push_str(VOCABULARY[next(VOCABULARY.len())]);
            if next(12) == 0 {
                body.push('\n');
            } else {
                body.push_str(PUNCTUATION[next(PUNCTUATION.len())]);
            }
        }
        body
    }

    #[test]
    fn passages_are_those_chosen_when_each_word_was_stemmed_anew() {
        let analyzer = Analyzer::default();
        // Every stem of the vocabulary, as the index has them.
        let mut stems: Vec<String> = VOCABULARY
            .iter()
            .map(|w| text::fold(w))
            .filter(|w| text::is_indexed(w))
            .map(|w| analyzer.stem(&w).into_owned())
            .collect();
        stems.sort();
        stems.dedup();
        let mut draws = crate::analysis::search::Draws(7);
        let mut words = Words::new(&stems);
        let mut chosen = 0;
        for round in 0..400 {
            let body = generated(&mut draws, 20 + round % 120);
            let shown = generated(&mut draws, round % 6);
            // Up to twelve keys, by rank, from the table.
            let keys: Vec<u32> = (0..stems.len())
                .filter(|t| (t * 7 + round) % 5 < 2)
                .take(12)
                .map(id)
                .collect();
            let weighted: Vec<(u32, f32)> = keys
                .iter()
                .enumerate()
                .map(|(rank, &t)| (t, (keys.len() - rank) as f32))
                .collect();
            let named: Vec<(String, f32)> = weighted
                .iter()
                .map(|&(t, w)| (stems[t as usize].clone(), w))
                .collect();
            for line in body
                .lines()
                .chain([shown.as_str(), "a.", "b. ", ". ", "?! x"])
            {
                assert!(
                    split_sentences(line).eq(before::split_sentences(line)),
                    "{line:?}"
                );
            }
            let now = passages(&body, &weighted, &shown, &mut words);
            assert_eq!(
                now,
                before::passages(&body, &named, &shown, &analyzer),
                "{body:?}"
            );
            chosen += now.len();
        }
        // Most bodies have passages: the comparison saw them.
        assert!(chosen > 400, "{chosen}");
    }
}
