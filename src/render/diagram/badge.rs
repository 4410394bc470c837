//! Numbered badges: a pill with an event's number, the key from a diagram
//! to the page's numbered list of events. An unlinked badge is drawn as a
//! line with round caps as thick as the badge is high (`h0` for one
//! digit), so that all the badges of a phase are one path and their
//! numbers one group. A linked badge ([`draw_linked`]) is its own link.

use super::placement::Rect;
use crate::render::svg::{Path, Svg, push_num};

/// A badge's height.
pub const HEIGHT: f64 = 16.0;

/// The width of the badge showing `number`.
pub fn width(number: usize) -> f64 {
    let digits = number.checked_ilog10().unwrap_or(0) + 1;
    HEIGHT - 7.0 + 7.0 * f64::from(digits)
}

/// The badges of one phase, being drawn.
#[derive(Default)]
pub struct Badges {
    pills: Path,
    numbers: Svg,
}

impl Badges {
    /// A badge for `number` filling `rect` (as tall as [`HEIGHT`]).
    pub fn add(&mut self, rect: Rect, number: usize) {
        let mid = rect.y + HEIGHT / 2.0;
        self.pills
            .move_to(rect.x + HEIGHT / 2.0, mid)
            .horizontal_by(rect.w - HEIGHT);
        self.numbers.text(
            rect.x + rect.w / 2.0,
            rect.y + 12.0,
            "",
            &number.to_string(),
        );
    }

    /// Draws the badges into `svg`; their colours come from the enclosing
    /// phase group.
    pub fn draw(self, svg: &mut Svg) {
        if self.pills.is_empty() {
            return;
        }
        svg.path("kb-tl-badge", &self.pills);
        svg.group("kb-tl-num");
        svg.raw(&self.numbers.finish_fragment());
        svg.end_group();
    }
}

/// Draws the badge for event `number` filling `rect` (as tall as
/// [`HEIGHT`]) as a link to the page's list item `#event-N`, which also
/// names the link: the event's words are on the page once, in the list.
/// Its colours come from the enclosing phase group.
pub fn draw_linked(svg: &mut Svg, rect: Rect, number: usize) {
    let number = number.to_string();
    let mut out = String::with_capacity(128);
    out.push_str("<a href=\"#event-");
    out.push_str(&number);
    out.push_str("\" aria-labelledby=\"event-");
    out.push_str(&number);
    for (name, value) in [
        ("\"><rect x=\"", rect.x),
        ("\" y=\"", rect.y),
        ("\" width=\"", rect.w),
        ("\" height=\"", HEIGHT),
        ("\" rx=\"", HEIGHT / 2.0),
        ("\"/><text x=\"", rect.x + rect.w / 2.0),
        ("\" y=\"", rect.y + 12.0),
    ] {
        out.push_str(name);
        push_num(&mut out, value);
    }
    out.push_str("\">");
    out.push_str(&number);
    out.push_str("</text></a>\n");
    svg.raw(&out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_digit_is_a_circle() {
        assert_eq!(width(1), HEIGHT);
        assert_eq!(width(9), HEIGHT);
        assert_eq!(width(10), HEIGHT + 7.0);
        assert_eq!(width(100), HEIGHT + 14.0);
    }

    #[test]
    fn a_linked_badge_is_named_by_its_list_item() {
        let mut svg = Svg::fragment();
        let rect = Rect {
            x: 51.4,
            y: 84.0,
            w: width(12),
            h: HEIGHT,
        };
        draw_linked(&mut svg, rect, 12);
        // A pill 23 wide from 51.4: its number centred at 51.4 + 11.5.
        assert_eq!(
            svg.finish_fragment(),
            "<a href=\"#event-12\" aria-labelledby=\"event-12\"><rect x=\"51.4\" y=\"84\" \
             width=\"23\" height=\"16\" rx=\"8\"/><text x=\"62.9\" y=\"96\">12</text></a>\n"
        );
    }
}
