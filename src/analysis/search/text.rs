//! Text for the search index: HTML to plain text, folding (case and
//! diacritics), tokens and English stems. `search.js` applies the same rules
//! to queries, so a rule changed here must change there too.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Words too common to index; sent to the browser in the manifest so that
/// queries drop the same ones.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "in", "into", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the",
    "their", "then", "there", "these", "this", "to", "was", "were", "which", "with",
];

/// Tokens longer than this (hashes, base64) are not words anyone types.
pub const MAX_TOKEN_CHARS: usize = 32;

/// Lower case without diacritics: `Störung` -> `storung`, `Straße` -> `strasse`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(&mut out, text);
    out
}

/// Appends `text` folded as [`fold`] does to `out`, so that a caller
/// folding many short texts reuses one buffer.
pub fn fold_into(out: &mut String, text: &str) {
    let mut rest = text;
    // Runs of ASCII are lowercased whole; other characters one by one.
    while let Some(at) = first_beyond_ascii(rest) {
        push_lowercase(out, &rest[..at]);
        let mut chars = rest[at..].chars();
        if let Some(c) = chars.next() {
            fold_char(out, c);
        }
        rest = chars.as_str();
    }
    push_lowercase(out, rest);
}

/// Whether folding `text` only lowers its ASCII letters: every other
/// character is no letter or digit and folds to itself (a dash, a curly
/// quote). Then `text`'s tokens, lowered, are its folded tokens.
pub fn folds_as_ascii(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = first_beyond_ascii(rest) {
        let mut chars = rest[at..].chars();
        match chars.next() {
            Some(c) if folds_to_itself(c) && !c.is_alphanumeric() => rest = chars.as_str(),
            _ => return false,
        }
    }
    true
}

/// Where the first character of `text` beyond ASCII starts, if any:
/// sixteen bytes at a time while they are all ASCII.
fn first_beyond_ascii(text: &str) -> Option<usize> {
    let mut at = 0;
    for chunk in text.as_bytes().chunks(16) {
        if !chunk.is_ascii() {
            return chunk.iter().position(|b| !b.is_ascii()).map(|p| at + p);
        }
        at += chunk.len();
    }
    None
}

/// Whether [`fold_char`] writes `c` as it is.
fn folds_to_itself(c: char) -> bool {
    let mut lower = c.to_lowercase();
    let mut decomposed = 0;
    decompose_canonical(c, |d| decomposed += if d == c { 1 } else { 2 });
    lower.next() == Some(c) && lower.next().is_none() && decomposed == 1 && !is_combining_mark(c)
}

fn push_lowercase(out: &mut String, ascii: &str) {
    let start = out.len();
    out.push_str(ascii);
    out[start..].make_ascii_lowercase();
}

fn fold_char(out: &mut String, c: char) {
    // Char by char: the marks NFD would reorder are dropped anyway, and
    // every sigma folds to σ, so no context is needed.
    for c in c.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            'ς' => out.push('σ'),
            _ => out.push(c),
        }
    }
}

/// The words of folded text: runs of letters and digits, at least two
/// characters (or a number), at most [`MAX_TOKEN_CHARS`].
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    tokens(folded).filter(|w| is_word(w))
}

/// The runs of letters and digits of folded text, words or not.
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = next_boundary::<true>(folded, at)?;
        at = next_boundary::<false>(folded, start).unwrap_or(folded.len());
        Some(&folded[start..at])
    })
}

/// Where, from byte `at` on, the first character that is (or is not, as
/// `ALPHANUMERIC` says) alphanumeric starts; by bytes, through
/// [`BYTE_CLASS`], while they are ASCII. One copy of each kind, inlined:
/// called twice a token, on every byte of the text.
#[inline(always)]
fn next_boundary<const ALPHANUMERIC: bool>(text: &str, mut at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (wanted, passed) = if ALPHANUMERIC {
        (ALNUM, OTHER)
    } else {
        (OTHER, ALNUM)
    };
    loop {
        // The ASCII bytes of the other class in one tight loop.
        at += bytes
            .get(at..)?
            .iter()
            .position(|&byte| BYTE_CLASS[usize::from(byte)] != passed)?;
        if BYTE_CLASS[usize::from(bytes[at])] == wanted {
            return Some(at);
        }
        let c = text[at..].chars().next()?;
        if c.is_alphanumeric() == ALPHANUMERIC {
            return Some(at);
        }
        at += c.len_utf8();
    }
}

/// [`BYTE_CLASS`] of an ASCII byte that is not a letter or digit.
const OTHER: u8 = 0;
/// [`BYTE_CLASS`] of an ASCII letter or digit.
const ALNUM: u8 = 1;
/// [`BYTE_CLASS`] of a byte of a character beyond ASCII.
const NOT_ASCII: u8 = 2;

/// What each byte is to [`next_boundary`]: one load instead of comparing
/// ranges.
const BYTE_CLASS: [u8; 256] = {
    let mut classes = [NOT_ASCII; 256];
    let mut byte = 0;
    while byte < 128 {
        classes[byte] = if (byte as u8).is_ascii_alphanumeric() {
            ALNUM
        } else {
            OTHER
        };
        byte += 1;
    }
    classes
};

/// Is this token a word: at least two characters (or a digit), at most
/// [`MAX_TOKEN_CHARS`]?
fn is_word(token: &str) -> bool {
    // A token is ASCII almost always: then bytes are characters.
    let n = if token.is_ascii() {
        token.len()
    } else {
        token.chars().count()
    };
    n <= MAX_TOKEN_CHARS && (n >= 2 || (n == 1 && token.bytes().all(|b| b.is_ascii_digit())))
}

/// Is this token indexed: a word and no stop word?
pub fn is_indexed(token: &str) -> bool {
    is_word(token) && !STOP_WORDS.contains(&token)
}

/// The English (Porter2) stemmer.
pub struct Analyzer {
    stemmer: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Analyzer {
    /// The English stem of one folded word.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        self.stemmer.stem(word)
    }
}

/// The text of an HTML fragment: tags dropped (blocks become spaces), the
/// entities pulldown-cmark writes decoded, `<script>` and `<style>` skipped,
/// runs of white space collapsed.
pub fn html_to_text(html: &str) -> String {
    convert(html, false)
}

/// As [`html_to_text`], with a line break (`\n`) between blocks (paragraphs,
/// list items, headings, cells) instead of a space, so a heading does not
/// run into the sentence after it.
pub fn html_to_blocks(html: &str) -> String {
    convert(html, true)
}

fn convert(html: &str, blocks: bool) -> String {
    let mut out = Collapsed::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            push_decoded(&mut out, after);
            rest = "";
            break;
        };
        let tag = &after[1..gt];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let is = |known: &str| name.eq_ignore_ascii_case(known);
        rest = &after[gt + 1..];
        if (is("script") || is("style")) && !closing {
            // Compare in place: lowercasing the whole rest per tag is quadratic.
            let close = format!("</{name}");
            let end = rest
                .as_bytes()
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                .unwrap_or(rest.len());
            rest = &rest[end..];
        } else if !INLINE_TAGS.iter().any(|t| is(t)) {
            out.space();
            out.block |= blocks;
        }
    }
    push_decoded(&mut out, rest);
    out.text
}

/// Tags inside a word: `<code>502</code>s` is one word.
const INLINE_TAGS: [&str; 11] = [
    "a", "em", "strong", "code", "del", "span", "b", "i", "sup", "sub", "mark",
];

/// Text with every run of white space written as one space, none at the ends.
struct Collapsed {
    text: String,
    space: bool,
    /// The pending break ends a block: written as a line break.
    block: bool,
}

impl Collapsed {
    fn with_capacity(capacity: usize) -> Collapsed {
        Collapsed {
            text: String::with_capacity(capacity),
            space: false,
            block: false,
        }
    }

    /// A word break: a space before the next text, if any.
    fn space(&mut self) {
        self.space = true;
    }

    fn push_str(&mut self, text: &str) {
        let (mut at, mut word) = (0, 0);
        let bytes = text.as_bytes();
        while at < bytes.len() {
            if matches!(bytes[at], b'!'..=b'~') {
                at += 1;
                continue;
            }
            // One space between two words is written as it is: the words
            // around it go out together.
            if bytes[at] == b' ' && at > word && matches!(bytes.get(at + 1), Some(b'!'..=b'~')) {
                at += 2;
                continue;
            }
            let (space, len) = space_at(text, at);
            if space {
                self.push_word(&text[word..at]);
                self.space = true;
                word = at + len;
            }
            at += len;
        }
        self.push_word(&text[word..]);
    }

    fn push_word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if self.space && !self.text.is_empty() {
            self.text.push(if self.block { '\n' } else { ' ' });
        }
        self.space = false;
        self.block = false;
        self.text.push_str(word);
    }

    fn push(&mut self, c: char) {
        let mut buffer = [0; 4];
        self.push_str(c.encode_utf8(&mut buffer));
    }
}

/// Is the character at byte `at` of `text` white space; its length in bytes.
fn space_at(text: &str, at: usize) -> (bool, usize) {
    let byte = text.as_bytes()[at];
    if byte.is_ascii() {
        // What char::is_whitespace says of ASCII, without decoding.
        return (matches!(byte, b'\t'..=b'\r' | b' '), 1);
    }
    text[at..]
        .chars()
        .next()
        .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
}

fn push_decoded(out: &mut Collapsed, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&after[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let code = name.strip_prefix('#')?;
            let n = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse().ok()?,
            };
            char::from_u32(n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_diacritics() {
        assert_eq!(fold("Störung"), "storung");
        assert_eq!(fold("CAFÉ Ångström"), "cafe angstrom");
        assert_eq!(
            fold("Straße Œuvre Øresund Łódź"),
            "strasse oeuvre oresund lodz"
        );
        assert_eq!(fold("ASCII Only"), "ascii only");
        assert_eq!(fold("ΟΔΟΣ οδος"), "οδοσ οδοσ");
        assert_eq!(fold("e\u{301}te\u{301}"), "ete", "decomposed input");
    }

    #[test]
    fn tokens_are_the_runs_of_letters_and_digits() {
        let pieces = [
            "a",
            "Zz9",
            " ",
            "-",
            "é",
            "ß",
            "—",
            "\u{301}",
            "²",
            "日本",
            "_",
            "\u{10348}",
            ".",
        ];
        let mut draws = crate::analysis::search::Draws(9);
        let mut next = |n: usize| draws.below(n);
        for _ in 0..3000 {
            let text: String = (0..next(20)).map(|_| pieces[next(pieces.len())]).collect();
            let runs = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|run| !run.is_empty());
            assert!(tokens(&text).eq(runs), "{text:?}");
        }
    }

    #[test]
    fn the_first_character_beyond_ascii_is_found_in_any_chunk() {
        for len in 0..40 {
            let ascii = "x".repeat(len);
            assert_eq!(first_beyond_ascii(&ascii), None);
            for tail in ["é", "—z", "\u{10348}"] {
                let text = format!("{ascii}{tail}{ascii}é");
                assert_eq!(first_beyond_ascii(&text), Some(len), "{text}");
            }
        }
    }

    #[test]
    fn text_that_folds_as_ascii_is_its_ascii_lowered() {
        assert!(folds_as_ascii("Deploy — the ‘API’ timed out… at 10:00"));
        for other in ["é", "e\u{301}", "²", "Ⅻ", "ß", "\u{212a}", "İ", "Ω"] {
            assert!(!folds_as_ascii(&format!("Ab {other} cd")), "{other}");
        }
        // Every character up to U+3000, and a few beyond, among ASCII.
        let mut seen = 0;
        for c in (0x80..0x3000)
            .chain(0x1F300..0x1F400)
            .filter_map(char::from_u32)
        {
            let text = format!("Ab{c}Cd X{c} {c}y");
            if !folds_as_ascii(&text) {
                continue;
            }
            seen += 1;
            let lowered = text.to_ascii_lowercase();
            assert_eq!(fold(&text), lowered, "U+{:04X}", c as u32);
            let raw: Vec<String> = tokens(&text).map(str::to_ascii_lowercase).collect();
            assert_eq!(
                raw,
                tokens(&lowered).collect::<Vec<_>>(),
                "U+{:04X}",
                c as u32
            );
        }
        // Punctuation, symbols, spaces: thousands of them.
        assert!(seen > 1000, "{seen}");
    }

    #[test]
    fn words_split_on_punctuation() {
        let text = fold("502 Bad-Gateway: the web_server's p99 (x) was 9 s; é");
        let found: Vec<&str> = words(&text).collect();
        assert_eq!(
            found,
            [
                "502", "bad", "gateway", "the", "web", "server", "p99", "was", "9"
            ]
        );
        let long = "a".repeat(MAX_TOKEN_CHARS + 1);
        assert_eq!(words(&long).count(), 0);
    }

    #[test]
    fn terms_are_stems_without_stop_words() {
        let a = Analyzer::default();
        let terms = |text: &str| {
            tokens(&fold(text))
                .filter(|w| is_indexed(w))
                .map(|w| a.stem(w).into_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            terms("The Memory leaks of the servers"),
            ["memori", "leak", "server"]
        );
        assert_eq!(
            terms("Connection connected connecting"),
            ["connect", "connect", "connect"]
        );
        assert_eq!(terms("Certificates expired"), ["certif", "expir"]);
        assert_eq!(a.stem("dying"), "die");
    }

    /// [`Collapsed::push_str`] as it was: each word pushed alone.
    fn push_str_before(out: &mut Collapsed, text: &str) {
        let (mut at, mut word) = (0, 0);
        let bytes = text.as_bytes();
        while at < bytes.len() {
            if matches!(bytes[at], b'!'..=b'~') {
                at += 1;
                continue;
            }
            let (space, len) = space_at(text, at);
            if space {
                out.push_word(&text[word..at]);
                out.space = true;
                word = at + len;
            }
            at += len;
        }
        out.push_word(&text[word..]);
    }

    #[test]
    fn collapsed_text_is_as_when_each_word_was_pushed_alone() {
        let pieces = [
            "a", "bc", " ", "  ", "\n", "\t", "é", "\u{a0}", "\u{2003}", "x y", " z ", "—", "1.",
            "",
        ];
        let mut draws = crate::analysis::search::Draws(3);
        let mut next = |n: usize| draws.below(n);
        for _ in 0..2000 {
            let (mut now, mut before) = (Collapsed::with_capacity(0), Collapsed::with_capacity(0));
            for _ in 0..next(6) {
                let text: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
                match next(4) {
                    0 => {
                        now.space();
                        before.space();
                    }
                    1 => {
                        now.block = true;
                        before.block = true;
                    }
                    _ => {}
                }
                now.push_str(&text);
                push_str_before(&mut before, &text);
                assert_eq!(now.text, before.text, "{text:?}");
                assert_eq!((now.space, now.block), (before.space, before.block));
            }
        }
    }

    #[test]
    fn blocks_are_lines() {
        let html = "<h2>Root cause</h2>\n<p>A <code>memory</code> leak.\n  Then more.</p><ul><li>one</li><li>two</li></ul>";
        assert_eq!(
            html_to_blocks(html),
            "Root cause\nA memory leak. Then more.\none\ntwo"
        );
        assert_eq!(
            html_to_text(html),
            "Root cause A memory leak. Then more. one two"
        );
    }

    #[test]
    fn html_becomes_text() {
        let html = "<h2 id=\"x\">Root&nbsp;cause</h2><p>A <code>memory</code> leak &amp; <a href=\"#\">502</a>s</p>\
                    <script>var x = '<p>';</script><pre><code>OOMKilled\n  exit 137</code></pre>";
        assert_eq!(
            html_to_text(html),
            "Root cause A memory leak & 502s OOMKilled exit 137"
        );
        assert_eq!(
            html_to_text("<p>\u{2003}a\u{b}\u{a0} b</p>&nbsp;<p>c<br>d\r\n</p>\t"),
            "a b c d",
            "any white space, decoded or not, collapses to one space"
        );
        assert_eq!(
            html_to_text("1 &lt; 2 &#39;q&#x27; &bogus; a & b"),
            "1 < 2 'q' &bogus; a & b"
        );
    }
}
