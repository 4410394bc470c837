//! Vertical columns over categories, stacked when there are several series:
//! the drawing shared by the stacked bar chart, the bar chart and the
//! histogram.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::axis::{FONT, axis_reach};
use super::plot::{self, Plot, Style};
use super::{ChartOptions, Unit};
use crate::render::svg::{num, xml_escape};

/// Columns to draw.
pub(super) struct Columns<'a> {
    /// The chart's kind, for CSS (`chart-stacked`).
    pub kind: &'a str,
    /// Labels along the x axis.
    pub categories: &'a [String],
    /// The stacked series, bottom first.
    pub series: Vec<Style<'a>>,
    /// `values[series][category]`; missing, negative or not finite values
    /// draw nothing.
    pub values: Vec<&'a [f64]>,
    pub unit: Unit,
    /// Share of a slot left empty between two columns.
    pub gap: f64,
    /// Where each category's column links to; empty for no links, an
    /// empty string for none.
    pub links: &'a [String],
    /// The query parameter naming a series, added to a segment's link.
    pub series_param: Option<&'a str>,
}

impl Columns<'_> {
    /// The value of `series` in `category`, as drawn.
    pub fn value(&self, series: usize, category: usize) -> f64 {
        let v = self.values[series].get(category).copied().unwrap_or(0.0);
        if v.is_finite() && v > 0.0 { v } else { 0.0 }
    }

    /// The height of the stack in `category`.
    pub fn total(&self, category: usize) -> f64 {
        (0..self.series.len())
            .map(|s| self.value(s, category))
            .sum()
    }
}

/// The chart's SVG.
pub(super) fn render(options: &ChartOptions<'_>, c: &Columns<'_>, desc: &str) -> String {
    let linked = c.links.iter().any(|l| !l.is_empty());
    let mut out = plot::open(options, c.kind, options.size.height(), desc, linked);
    let max = axis_reach((0..c.categories.len()).map(|i| c.total(i)));
    let (plot, layout) = plot::frame(
        &mut out,
        options,
        &c.series,
        false,
        (max, c.unit),
        c.categories,
    );
    let slot = plot.width / c.categories.len() as f64;
    let bar = slot * (1.0 - c.gap);
    let rounded = if c.series.len() == 1 { " rx=\"2\"" } else { "" };
    let mut base = vec![0.0_f64; c.categories.len()];
    for (s, style) in c.series.iter().enumerate() {
        out.push_str(&format!("<g class=\"{}\">", style.classes(s)));
        for (i, category) in c.categories.iter().enumerate() {
            let v = c.value(s, i);
            if v == 0.0 {
                continue;
            }
            // Past the axis's top (an outlier), a column stops at the top.
            let (y0, y1) = (
                plot.y(base[i].min(plot.max)),
                plot.y((base[i] + v).min(plot.max)),
            );
            base[i] += v;
            if y0 <= y1 {
                continue;
            }
            let name = if c.series.len() > 1 {
                format!("{category} · {}: {}", style.name, c.unit.format(v))
            } else {
                format!("{category}: {}", c.unit.format(v))
            };
            let link = c.links.get(i).filter(|l| !l.is_empty());
            if let Some(href) = link {
                let href = match c.series_param {
                    Some(param) => format!(
                        "{href}&{param}={}",
                        utf8_percent_encode(style.name, NON_ALPHANUMERIC)
                    ),
                    None => href.clone(),
                };
                out.push_str(&format!("<a href=\"{}\">", xml_escape(&href)));
            }
            out.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{rounded}><title>{}</title></rect>",
                num(plot.left + slot * i as f64 + (slot - bar) / 2.0),
                num(y1),
                num(bar),
                num(y0 - y1),
                xml_escape(&name)
            ));
            if link.is_some() {
                out.push_str("</a>");
            }
        }
        out.push_str("</g>");
    }
    for (i, &total) in base.iter().enumerate() {
        if total > plot.max {
            let x = plot.left + slot * i as f64 + (slot - bar) / 2.0;
            off_scale(&mut out, &plot, (x, bar), &c.unit.format(total));
        }
    }
    plot::category_axis(&mut out, &plot, c.categories, &layout);
    out.push_str("</svg>");
    out
}

/// Marks the column at `(x, width)` as cut off at the top of `plot` (a
/// gap across it) and labels it with its value, beside it on the side with
/// more room.
fn off_scale(out: &mut String, plot: &Plot, (x, width): (f64, f64), value: &str) {
    let gap_y = plot.top + 6.0;
    out.push_str(&format!(
        "<path class=\"chart-cut\" d=\"M{} {}l{} -4\"/>",
        num(x - 2.0),
        num(gap_y + 2.0),
        num(width + 4.0)
    ));
    let right_half = x + width / 2.0 > plot.left + plot.width / 2.0;
    let (tx, anchor) = if right_half {
        (x - 4.0, "end")
    } else {
        (x + width + 4.0, "start")
    };
    out.push_str(&format!(
        "<text class=\"chart-value chart-off-scale\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{} ↑</text>",
        num(tx),
        num(plot.top + FONT),
        xml_escape(value)
    ));
}

/// The text summary: the total, the range of categories and the highest
/// column (`38 in total, from 2023-04 to 2025-03; the most in 2025-03 (4).`).
/// `detail` may add to the highest column's value (`: SEV1 1, SEV2 3`).
pub(super) fn summary(c: &Columns<'_>, detail: impl Fn(usize) -> String) -> String {
    let n = c.categories.len();
    let total: f64 = (0..n).map(|i| c.total(i)).sum();
    // The first highest column, so ties name the earliest.
    let peak = (0..n).fold(
        0,
        |best, i| if c.total(i) > c.total(best) { i } else { best },
    );
    let range = match (c.categories.first(), c.categories.last()) {
        (Some(first), Some(last)) if n > 1 => format!(", from {first} to {last}"),
        (Some(only), _) => format!(", in {only}"),
        _ => String::new(),
    };
    if total == 0.0 {
        return format!("{} in total{range}.", c.unit.format(0.0));
    }
    format!(
        "{} in total{range}; the most in {} ({}{}).",
        c.unit.format(total),
        c.categories[peak],
        c.unit.format(c.total(peak)),
        detail(peak)
    )
}
