//! The small toolkit every diagram is drawn with: XML escaping, numbers
//! written the same way every time, text widths estimated from characters
//! (a build has no fonts to measure with), word wrapping, and an SVG string
//! builder that opens with the accessibility frame (`role="img"`, `<title>`,
//! `<desc>`).

use std::fmt::Write;

pub use crate::render::escape::xml_escape as escape;

/// A coordinate with at most one decimal and no trailing `.0`, so that the
/// same input always gives the same bytes.
pub fn num(x: f64) -> String {
    let mut out = String::with_capacity(8);
    push_num(&mut out, x);
    out
}

/// Appends [`num`]`(x)` to `out` without formatting machinery: diagrams
/// write thousands of coordinates per page.
pub fn push_num(out: &mut String, x: f64) {
    let tenths = (x * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let t = tenths.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut whole = t / 10;
    loop {
        i -= 1;
        digits[i] = b'0' + (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    digits[i..].iter().for_each(|&d| out.push(char::from(d)));
    if !t.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + (t % 10) as u8));
    }
}

/// The width of `text` at `size` px in a proportional sans-serif, estimated
/// on the wide side so that text placed by it does not collide.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(em).sum::<f64>() * size
}

/// The width of `c` in ems.
fn em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | '`' => 0.32,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '/' | '-' => 0.4,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '—' => 0.92,
        'A'..='Z' => 0.72,
        '0'..='9' => 0.6,
        c if c.is_ascii() => 0.6,
        c if is_wide(c) => 1.05,
        _ => 0.68,
    }
}

/// East Asian wide characters and emoji take a full em.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0x1F300..=0x1FAFF)
}

/// Splits `text` into lines no wider than `width` at `size` px; a word
/// longer than a line is cut.
pub fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    // Widths in ems, summed as they go: one pass over the text.
    let room = width / size;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for word in text.split_whitespace() {
        let w: f64 = word.chars().map(em).sum();
        let space = if line.is_empty() { 0.0 } else { em(' ') };
        if used + space + w <= room {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            used += space + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0.0;
        }
        for c in word.chars() {
            if used + em(c) > room && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            line.push(c);
            used += em(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// An SVG document being written.
pub struct Svg {
    out: String,
}

impl Svg {
    /// Opens `<svg>` of `width` x `height` with `class`, named by `title`
    /// and described by `desc`; `id` makes the title and desc ids unique
    /// in a page. The role is `img`: a picture with its text alternative.
    pub fn open(id: &str, class: &str, width: f64, height: f64, title: &str, desc: &str) -> Svg {
        Svg::open_as("img", id, class, width, height, title, desc)
    }

    /// Like [`Svg::open`] with another `role`: `group` for a diagram whose
    /// parts are links (an `img` must not hold interactive elements).
    pub fn open_as(
        role: &str,
        id: &str,
        class: &str,
        width: f64,
        height: f64,
        title: &str,
        desc: &str,
    ) -> Svg {
        let mut out = String::with_capacity(8192);
        let (w, h) = (num(width), num(height));
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="{role}" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(title),
            escape(desc)
        );
        Svg { out }
    }

    /// An empty piece of markup to draw into before the document's size is
    /// known; [`Svg::finish_fragment`] gives it back for [`Svg::raw`].
    pub fn fragment() -> Svg {
        Svg {
            out: String::with_capacity(8192),
        }
    }

    /// The markup drawn into a fragment.
    pub fn finish_fragment(self) -> String {
        self.out
    }

    /// Appends raw markup made by the caller from escaped parts.
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Appends ` name="value"` with a number value.
    fn attr(&mut self, name: &str, value: f64) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_num(&mut self.out, value);
        self.out.push('"');
    }

    /// A `<text>` at (x, y) with `class` and optional `text-anchor`.
    pub fn text(&mut self, x: f64, y: f64, class: &str, anchor: Option<&str>, text: &str) {
        self.out.push_str("<text");
        self.attr("x", x);
        self.attr("y", y);
        self.out.push_str(" class=\"");
        self.out.push_str(class);
        self.out.push('"');
        if let Some(a) = anchor {
            self.out.push_str(" text-anchor=\"");
            self.out.push_str(a);
            self.out.push('"');
        }
        self.out.push('>');
        self.out.push_str(&escape(text));
        self.out.push_str("</text>\n");
    }

    /// A `<rect>` with `class` and corner radius `r`.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, r: f64, class: &str) {
        self.out.push_str("<rect");
        self.attr("x", x);
        self.attr("y", y);
        self.attr("width", w.max(0.0));
        self.attr("height", h.max(0.0));
        if r > 0.0 {
            self.attr("rx", r);
        }
        self.close(class);
    }

    /// A `<line>` with `class`.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, class: &str) {
        self.out.push_str("<line");
        self.attr("x1", x1);
        self.attr("y1", y1);
        self.attr("x2", x2);
        self.attr("y2", y2);
        self.close(class);
    }

    /// Ends an empty element with its `class`.
    fn close(&mut self, class: &str) {
        self.out.push_str(" class=\"");
        self.out.push_str(class);
        self.out.push_str("\"/>\n");
    }

    /// A `<path>` with `class`.
    pub fn path(&mut self, d: &str, class: &str) {
        let _ = writeln!(self.out, r#"<path d="{d}" class="{class}"/>"#);
    }

    /// Closes the document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(3.04), "3");
        assert_eq!(num(3.06), "3.1");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(-12.34), "-12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(1234.0), "1234");
    }

    #[test]
    fn wrapped_lines_fit() {
        let text = "The web development team identified a recent update that potentially caused the memory leak";
        let lines = wrap(text, 12.0, 200.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 12.0) <= 200.0 + 1e-9));
        assert_eq!(lines.join(" "), text);
        let long = wrap(&"x".repeat(100), 12.0, 50.0);
        assert!(long.iter().all(|l| text_width(l, 12.0) <= 50.0 + 1e-9));
        assert_eq!(wrap("", 12.0, 50.0), vec![String::new()]);
    }
}
