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
        let (replacement, len) = match bytes[i] {
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
}
