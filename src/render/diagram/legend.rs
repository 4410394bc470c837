//! The legend above a timeline diagram: a swatch and words for each phase
//! the diagram shows, then a note on the clock the times are on, flowed
//! into rows of the drawing's width.

use super::placement::Rect;
use super::timeline::{Phase, Timeline};
use crate::render::svg::{Svg, text_width};

/// Legend text size, px.
const SIZE: f64 = 12.0;
/// Swatch and gap before its words.
const SWATCH: f64 = 16.0;

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// The phase its swatch shows, or `None` for the note on times.
    pub phase: Option<Phase>,
    /// Where it is, swatch included.
    pub rect: Rect,
    /// Its words.
    pub words: String,
}

/// Legend items for the phases `t` shows and the note of its zone and of
/// what its `lags` count from (no note for times of day only), flowed into
/// rows of `width` with `pad` on both sides.
pub fn layout(t: &Timeline, width: f64, pad: f64, lags: &str) -> Vec<LegendItem> {
    let zone = t.zone_name();
    let mut phases: Vec<Phase> = t
        .band()
        .iter()
        .map(|b| b.2)
        .chain(t.events.iter().map(|e| t.phase(e.at)))
        .collect();
    phases.sort();
    phases.dedup();
    let note = if zone.is_empty() {
        "times of day as written".to_owned()
    } else {
        format!("times in {zone}; {lags}")
    };
    let items = phases
        .into_iter()
        .map(|p| (Some(p), p.legend().to_owned()))
        .chain([(None, note)]);
    let (mut x, mut y) = (pad, 4.0);
    let mut out = Vec::new();
    for (phase, words) in items {
        let swatch = if phase.is_some() { SWATCH } else { 0.0 };
        let w = swatch + text_width(&words, SIZE);
        if x + w > width - pad && x > pad {
            (x, y) = (pad, y + 18.0);
        }
        out.push(LegendItem {
            phase,
            rect: Rect { x, y, w, h: 14.0 },
            words,
        });
        x += w + 16.0;
    }
    out
}

/// The y just below the legend.
pub fn bottom(items: &[LegendItem]) -> f64 {
    items
        .iter()
        .map(|i| i.rect.y + i.rect.h)
        .fold(0.0, f64::max)
}

/// Draws `items`: swatches take their colour from their phase class.
pub fn draw(svg: &mut Svg, items: &[LegendItem]) {
    svg.group("kb-tl-legend");
    for item in items {
        let r = item.rect;
        match item.phase {
            Some(p) => {
                svg.rect(r.x, r.y + 2.0, 11.0, 11.0, 2.0, p.class());
                svg.text(r.x + SWATCH, r.y + 11.5, "", &item.words);
            }
            None => svg.text(r.x, r.y + 11.5, "kb-tl-note", &item.words),
        }
    }
    svg.end_group();
}
