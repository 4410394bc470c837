//! Text for the search index: HTML to plain text, folding (case and
//! diacritics), tokens and English stems. `search.js` applies the same rules
//! to queries, so a rule changed here must change there too.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

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
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
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
    out
}

/// The words of folded text: runs of letters and digits, at least two
/// characters (or a number), at most [`MAX_TOKEN_CHARS`].
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| {
        let n = w.chars().count();
        n <= MAX_TOKEN_CHARS && (n >= 2 || (n == 1 && w.chars().all(|c| c.is_ascii_digit())))
    })
}

/// The words of folded text that are indexed: [`words`] less stop words.
pub fn index_words(folded: &str) -> impl Iterator<Item = &str> {
    words(folded).filter(|w| !STOP_WORDS.contains(w))
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
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            push_decoded(&mut out, after);
            rest = "";
            break;
        };
        let tag = after[1..gt].trim_start_matches('/').to_ascii_lowercase();
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        rest = &after[gt + 1..];
        if (name == "script" || name == "style") && !after[1..].starts_with('/') {
            // Compare in place: lowercasing the whole rest per tag is quadratic.
            let close = format!("</{name}");
            let end = rest
                .as_bytes()
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                .unwrap_or(rest.len());
            rest = &rest[end..];
        } else if !matches!(
            name,
            "a" | "em" | "strong" | "code" | "del" | "span" | "b" | "i" | "sup" | "sub" | "mark"
        ) {
            out.push(' ');
        }
    }
    push_decoded(&mut out, rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_decoded(out: &mut String, text: &str) {
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
            index_words(&fold(text))
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

    #[test]
    fn html_becomes_text() {
        let html = "<h2 id=\"x\">Root&nbsp;cause</h2><p>A <code>memory</code> leak &amp; <a href=\"#\">502</a>s</p>\
                    <script>var x = '<p>';</script><pre><code>OOMKilled\n  exit 137</code></pre>";
        assert_eq!(
            html_to_text(html),
            "Root cause A memory leak & 502s OOMKilled exit 137"
        );
        assert_eq!(
            html_to_text("1 &lt; 2 &#39;q&#x27; &bogus; a & b"),
            "1 < 2 'q' &bogus; a & b"
        );
    }
}
