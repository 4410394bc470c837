//! Numbered badges: a pill with an event's number, the key from a diagram
//! to the page's numbered list of events. A badge is drawn as a line with
//! round caps as thick as the badge is high (`h0` for one digit), so that
//! all the badges of a phase are one path and their numbers one group.

use super::placement::Rect;
use crate::render::svg::{Path, Svg};

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
}
