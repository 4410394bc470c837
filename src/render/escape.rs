//! Escaping text for HTML and XML: the five characters that matter, and
//! control characters XML does not allow dropped.

/// Escapes `&`, `<`, `>`, `"` and `'`; drops control characters other than
/// tab and line ends. Safe in text and in quoted attribute values.
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
/// characters that need escaping whole: most text has none.
pub fn write_xml_escaped(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut start = 0;
    // Every byte looked at is ASCII, so `i` and `i + 1` are char boundaries.
    for (i, b) in text.bytes().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' | b'\t' | b'\r' => continue,
            0..0x20 => "",
            _ => continue,
        };
        out.write_str(&text[start..i])?;
        out.write_str(replacement)?;
        start = i + 1;
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
    }
}
