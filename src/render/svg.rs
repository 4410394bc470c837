//! The small toolkit every chart and diagram is drawn with: numbers
//! written the same way every time, text widths estimated from characters
//! with one table (a build has no fonts to measure with), word wrapping,
//! escaping, path data, and an SVG string builder that opens with the
//! accessibility frame (`role`, `<title>`, `<desc>`). Markup is terse:
//! styling lives in the theme's stylesheet, reached through classes, mostly
//! set once on a group or a path that draws many shapes.

pub use crate::render::escape::{push_xml_escaped, xml_escape};
use crate::render::format::push_count;

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
    push_count(out, t / 10);
    if !t.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + (t % 10) as u8));
    }
}

/// Whether [`push_num`] writes `x` with a minus sign.
fn num_is_negative(x: f64) -> bool {
    (x * 10.0).round() < 0.0
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

/// Path data (`d`) being written: absolute moves, relative and absolute
/// lines, numbers as [`push_num`] writes them.
#[derive(Debug, Default)]
pub struct Path {
    d: String,
}

impl Path {
    /// An empty path.
    pub fn new() -> Path {
        Path {
            d: String::with_capacity(256),
        }
    }

    fn command(&mut self, c: char, x: f64) -> &mut Path {
        self.d.push(c);
        push_num(&mut self.d, x);
        self
    }

    fn pair(&mut self, c: char, x: f64, y: f64) -> &mut Path {
        self.command(c, x);
        // A minus sign separates the numbers as well as a space does.
        if num_is_negative(y) {
            push_num(&mut self.d, y);
        } else {
            self.d.push(' ');
            push_num(&mut self.d, y);
        }
        self
    }

    /// `M x y`: starts a subpath.
    pub fn move_to(&mut self, x: f64, y: f64) -> &mut Path {
        self.pair('M', x, y)
    }

    /// `L x y`, or `V y` when the line is vertical.
    pub fn line_to(&mut self, from_x: f64, x: f64, y: f64) -> &mut Path {
        if (x - from_x).abs() < 0.05 {
            self.vertical_to(y)
        } else {
            self.pair('L', x, y)
        }
    }

    /// `V y`: a vertical line to `y`.
    pub fn vertical_to(&mut self, y: f64) -> &mut Path {
        self.command('V', y)
    }

    /// `v dy`: a vertical line by `dy`.
    pub fn vertical_by(&mut self, dy: f64) -> &mut Path {
        self.command('v', dy)
    }

    /// `H x`: a horizontal line to `x`.
    pub fn horizontal_to(&mut self, x: f64) -> &mut Path {
        self.command('H', x)
    }

    /// `h dx`: a horizontal line by `dx`. With round caps, `h0` draws a dot.
    pub fn horizontal_by(&mut self, dx: f64) -> &mut Path {
        self.command('h', dx)
    }

    /// `l dx dy`: a line by (dx, dy).
    pub fn line_by(&mut self, dx: f64, dy: f64) -> &mut Path {
        self.pair('l', dx, dy)
    }

    /// `z`: closes the subpath.
    pub fn close(&mut self) -> &mut Path {
        self.d.push('z');
        self
    }

    /// Whether nothing was drawn.
    pub fn is_empty(&self) -> bool {
        self.d.is_empty()
    }
}

/// An SVG document being written.
#[derive(Debug, Default)]
pub struct Svg {
    out: String,
}

impl Svg {
    /// Opens `<svg>` of `width` x `height` user units with `class`, named
    /// by `title` and described by `desc`; `id` makes the title and desc
    /// ids unique in a page. The role is `img`: a picture with its text
    /// alternative. Inline in HTML: no `xmlns`, and no `width` or
    /// `height`, the stylesheet sizes it and the `viewBox` keeps its shape.
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
        let mut out = String::with_capacity(4096);
        out.push_str("<svg class=\"");
        out.push_str(class);
        out.push_str("\" viewBox=\"0 0 ");
        push_num(&mut out, width);
        out.push(' ');
        push_num(&mut out, height);
        for part in [
            "\" role=\"",
            role,
            "\" aria-labelledby=\"",
            id,
            "-t ",
            id,
            "-d\"><title id=\"",
            id,
            "-t\">",
        ] {
            out.push_str(part);
        }
        push_xml_escaped(&mut out, title);
        for part in ["</title><desc id=\"", id, "-d\">"] {
            out.push_str(part);
        }
        push_xml_escaped(&mut out, desc);
        out.push_str("</desc>\n");
        Svg { out }
    }

    /// An empty piece of markup to draw into before the document's size is
    /// known; [`Svg::finish_fragment`] gives it back for [`Svg::raw`].
    pub fn fragment() -> Svg {
        Svg {
            out: String::with_capacity(4096),
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

    /// Opens an element `<tag class="class"` (no class when empty),
    /// leaving it open for attributes.
    fn start(&mut self, tag: &str, class: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        if !class.is_empty() {
            self.out.push_str(" class=\"");
            self.out.push_str(class);
            self.out.push('"');
        }
    }

    /// Opens `<g class="class">`; [`Svg::end_group`] closes it.
    pub fn group(&mut self, class: &str) {
        self.start("g", class);
        self.out.push('>');
    }

    /// Opens `<g class="class">` moved right by `dx`: texts in it are
    /// written without their `x` when they start at the group's left.
    pub fn column(&mut self, class: &str, dx: f64) {
        self.start("g", class);
        self.out.push_str(" transform=\"translate(");
        push_num(&mut self.out, dx);
        self.out.push_str(")\">");
    }

    /// Closes the innermost group.
    pub fn end_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// A `<text>` at (x, y) with `class` (none when empty); its anchor and
    /// looks come from the stylesheet. An `x` of 0 (as written) is left out: it is the default, and a
    /// group's `transform` can place a column of texts once.
    pub fn text(&mut self, x: f64, y: f64, class: &str, text: &str) {
        self.start("text", class);
        if (x * 10.0).round() != 0.0 {
            self.attr("x", x);
        }
        self.attr("y", y);
        self.out.push('>');
        push_xml_escaped(&mut self.out, text);
        self.out.push_str("</text>");
    }

    /// A `<rect>` with `class` and corner radius `r`.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, r: f64, class: &str) {
        self.start("rect", class);
        self.attr("x", x);
        self.attr("y", y);
        self.attr("width", w.max(0.0));
        self.attr("height", h.max(0.0));
        if r > 0.0 {
            self.attr("rx", r);
        }
        self.out.push_str("/>");
    }

    /// A link to `href` (its parts joined) around a `<rect>` at
    /// `[x, y, width, height]` with corners rounded by 2, `class` (its
    /// parts joined) and the tooltip `title`.
    pub fn linked_rect(&mut self, href: [&str; 2], rect: [f64; 4], class: &[&str], title: &str) {
        self.out.push_str("<a href=\"");
        for part in href {
            push_xml_escaped(&mut self.out, part);
        }
        self.out.push_str("\"><rect");
        for (name, value) in ["x", "y", "width", "height"].into_iter().zip(rect) {
            self.attr(name, value);
        }
        self.out.push_str(" rx=\"2\" class=\"");
        for part in class {
            push_xml_escaped(&mut self.out, part);
        }
        self.out.push_str("\"><title>");
        push_xml_escaped(&mut self.out, title);
        self.out.push_str("</title></rect></a>\n");
    }

    /// A `<path>` with `class`; nothing when the path is empty.
    pub fn path(&mut self, class: &str, d: &Path) {
        if d.is_empty() {
            return;
        }
        self.start("path", class);
        self.out.push_str(" d=\"");
        self.out.push_str(&d.d);
        self.out.push_str("\"/>\n");
    }

    /// Ends a line of markup, to keep the output readable in reviews.
    pub fn newline(&mut self) {
        self.out.push('\n');
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
        assert_eq!(num(0.05), "0.1");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::NEG_INFINITY), "-922337203685477580.8");
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
