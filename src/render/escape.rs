//! Escaping text for HTML and XML: the five characters that matter, and
//! the characters XML does not allow (controls, U+FFFE, U+FFFF) dropped.

/// Escapes `&`, `<`, `>`, `"` and `'`; drops control characters other than
/// tab and line ends, and U+FFFE and U+FFFF. Safe in text and in quoted attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_xml_escaped(&mut out, text);
    out
}

/// Appends [`xml_escape`]`(text)` to `out`.
pub fn push_xml_escaped(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = write_xml_escaped(out, text);
}

/// Writes [`xml_escape`]`(text)` to `out`, copying the runs between the
/// characters that need escaping whole: most text has none. Besides
/// control characters, the two noncharacters XML forbids (U+FFFE, U+FFFF)
/// are dropped: one in a title made the feed ill-formed.
pub fn write_xml_escaped(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // Every byte matched is ASCII or starts a character, so `i` and `i + len`
    // are char boundaries.
    while i < bytes.len() {
        // Eight bytes at a time past those that need nothing.
        while let Some(word) = bytes[i..].first_chunk::<8>() {
            if may_need_escaping(u64::from_le_bytes(*word)) {
                break;
            }
            i += 8;
        }
        let Some(&byte) = bytes.get(i) else {
            break;
        };
        let (replacement, len) = match byte {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\n' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            0..0x20 => ("", 1),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.write_str(&text[start..i])?;
        out.write_str(replacement)?;
        i += len;
        start = i;
    }
    out.write_str(&text[start..])
}

/// Whether one of the eight bytes of `word` may need escaping or dropping:
/// a control character (tab and line ends too, which the caller keeps), one
/// of `&<>"'`, or 0xEF (which starts U+FFFE and U+FFFF). Each test is
/// nonzero exactly when some byte matches (the bit tricks of "Bit Twiddling
/// Hacks": `hasless` and `haszero`).
fn may_need_escaping(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let equal = |b: u8| {
        let v = word ^ (ONES * u64::from(b));
        v.wrapping_sub(ONES) & !v & HIGHS
    };
    below(0x20) | equal(b'&') | equal(b'<') | equal(b'>') | equal(b'"') | equal(b'\'') | equal(0xEF)
        != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            xml_escape(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
        assert_eq!(xml_escape("a\u{0}b/c"), "ab/c");
        assert_eq!(xml_escape("tab\there\r\nend\u{1f}"), "tab\there\r\nend");
        assert_eq!(xml_escape("ünïcödé — <ok>"), "ünïcödé — &lt;ok&gt;");
        assert_eq!(xml_escape(""), "");
        assert_eq!(
            xml_escape("a\u{ffff}b\u{fffe}c\u{fffd}\u{efbf}"),
            "abc\u{fffd}\u{efbf}"
        );
    }

    #[test]
    fn long_text_escapes_as_byte_by_byte() {
        // Each special character at every offset of a run of plain text
        // longer than the eight bytes skipped at a time, against an
        // escaping written byte by byte.
        let specials = [
            "&", "<", ">", "\"", "'", "\u{0}", "\u{1f}", "\t", "\n", "\u{fffe}", "\u{ffff}",
            "\u{fffd}", "é", "\u{7f}",
        ];
        for special in specials {
            for at in 0..20 {
                let text = format!("{}{special}{}", "a".repeat(at), "b".repeat(20 - at));
                let expected: String = text
                    .chars()
                    .filter_map(|c| match c {
                        '&' => Some("&amp;".to_owned()),
                        '<' => Some("&lt;".to_owned()),
                        '>' => Some("&gt;".to_owned()),
                        '"' => Some("&quot;".to_owned()),
                        '\'' => Some("&#39;".to_owned()),
                        '\t' | '\n' | '\r' => Some(c.to_string()),
                        '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => None,
                        _ => Some(c.to_string()),
                    })
                    .collect();
                assert_eq!(xml_escape(&text), expected, "{text:?}");
            }
        }
    }
}
