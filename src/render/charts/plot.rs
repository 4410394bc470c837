//! The parts every chart shares: the `<svg>` element with its title and
//! description, the "No data" chart, the legend, and the value axis with its
//! grid lines.

use super::axis::{FONT, label_every, labelled, text_width};
use super::{Chart, ChartOptions, Size, Unit, table};
use crate::render::svg::{num, xml_escape};

/// Space right of the plot, for the last category label.
const RIGHT: f64 = 12.0;

/// A series as the legend and the marks see it.
pub(super) struct Style<'a> {
    pub name: &'a str,
    pub class: &'a str,
}

impl Style<'_> {
    /// Class attribute value of series `index`: a position class that
    /// picks a colour, plus the caller's own (`sev1`).
    pub fn classes(&self, index: usize) -> String {
        let own = xml_escape(self.class.trim());
        if own.is_empty() {
            format!("series series-{}", index + 1)
        } else {
            format!("series series-{} {own}", index + 1)
        }
    }
}

/// The plot area, in SVG units, and the value at its top.
pub(super) struct Plot {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub max: f64,
}

impl Plot {
    /// The y coordinate of `value`.
    pub fn y(&self, value: f64) -> f64 {
        self.top + self.height * (1.0 - value / self.max)
    }
}

/// Opens the `<svg>`: `kind` names the chart (`stacked`, `bars`, ...) for
/// CSS; `desc` is the text summary. A chart whose marks are links is a
/// `group` (an `img` must not hold interactive elements).
pub(super) fn open(
    options: &ChartOptions<'_>,
    kind: &str,
    height: f64,
    desc: &str,
    linked: bool,
) -> String {
    let role = if linked { "group" } else { "img" };
    let id = xml_escape(options.id);
    let size = match options.size {
        Size::Full => " chart-full",
        Size::Wide => "",
        Size::Small => " chart-small",
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-{kind}{size}\" \
         viewBox=\"0 0 {w} {h}\" width=\"100%\" font-size=\"{FONT}\" role=\"{role}\" \
         aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        w = num(options.size.width()),
        h = num(height),
        title = xml_escape(options.title),
        desc = xml_escape(desc),
    )
}

/// A valid chart that says "No data", with an empty table.
pub(super) fn empty(options: &ChartOptions<'_>, kind: &str, headers: &[&str]) -> Chart {
    // Short: a blank plot of full height would look broken.
    let height = 60.0;
    let mut svg = open(options, kind, height, "No data.", false);
    svg.push_str(&format!(
        "<text class=\"chart-empty\" x=\"{}\" y=\"{}\" dy=\"0.35em\" text-anchor=\"middle\">No data</text></svg>",
        num(options.size.width() / 2.0),
        num(height / 2.0)
    ));
    let mut t = table::Table::new(options.title, headers);
    t.empty("No data");
    Chart {
        svg,
        table_html: t.finish(),
    }
}

/// Draws a legend of `series` in rows from (`left`, `top`) within `width`,
/// with line samples (`line`) or squares; returns its height.
fn legend(
    out: &mut String,
    series: &[Style<'_>],
    left: f64,
    top: f64,
    width: f64,
    line: bool,
) -> f64 {
    if series.len() < 2 {
        return 0.0;
    }
    let row = FONT + 8.0;
    let (mut x, mut y) = (left, top + FONT / 2.0);
    out.push_str("<g class=\"chart-legend\">");
    for (i, s) in series.iter().enumerate() {
        let w = 18.0 + text_width(s.name) + 14.0;
        if x > left && x + w > left + width {
            x = left;
            y += row;
        }
        let swatch = if line {
            format!(
                "<path d=\"M{} {y}h14\"/><circle cx=\"{}\" cy=\"{y}\" r=\"3\"/>",
                num(x),
                num(x + 7.0),
                y = num(y)
            )
        } else {
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" rx=\"2\"/>",
                num(x + 2.0),
                num(y - 5.0)
            )
        };
        out.push_str(&format!(
            "<g class=\"{}\">{swatch}<text x=\"{}\" y=\"{}\" dy=\"0.35em\">{}</text></g>",
            s.classes(i),
            num(x + 18.0),
            num(y),
            xml_escape(s.name)
        ));
        x += w;
    }
    out.push_str("</g>");
    y - top + row / 2.0 + 6.0
}

/// Lays out and draws what a chart over categories has around its marks:
/// the legend of `series` (line samples when `line`), the value axis from
/// zero to `max` with its grid, room for the category labels. Returns the
/// plot area and the category layout for [`category_axis`].
pub(super) fn frame(
    out: &mut String,
    options: &ChartOptions<'_>,
    series: &[Style<'_>],
    line: bool,
    (max, unit): (f64, Unit),
    categories: &[String],
) -> (Plot, Categories) {
    let (width, height) = (options.size.width(), options.size.height());
    let legend = legend(out, series, 8.0, 6.0, width - 16.0, line);
    let ticks = unit.ticks(max);
    let left = value_axis_width(&ticks, unit);
    let top = 8.0 + legend.max(FONT / 2.0);
    let plot_width = width - left - RIGHT;
    let layout = Categories::fit(categories, plot_width / categories.len() as f64);
    let plot = Plot {
        left,
        top,
        width: plot_width,
        height: height - top - layout.height(),
        max: ticks.last().copied().unwrap_or(1.0),
    };
    value_axis(out, &plot, &ticks, unit);
    (plot, layout)
}

/// Width of the value labels left of the plot for `ticks`.
fn value_axis_width(ticks: &[f64], unit: Unit) -> f64 {
    let widest = ticks
        .iter()
        .map(|t| text_width(&unit.tick(*t)))
        .fold(0.0, f64::max);
    widest + 8.0
}

/// Grid lines at `ticks` across the plot, labelled at the left.
fn value_axis(out: &mut String, plot: &Plot, ticks: &[f64], unit: Unit) {
    out.push_str("<g class=\"chart-grid\">");
    for &t in ticks {
        let y = num(plot.y(t));
        let class = if t == 0.0 {
            " class=\"chart-baseline\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<path{class} d=\"M{} {y}H{}\"/><text x=\"{}\" y=\"{y}\" dy=\"0.35em\" text-anchor=\"end\">{}</text>",
            num(plot.left),
            num(plot.left + plot.width),
            num(plot.left - 6.0),
            xml_escape(&unit.tick(t))
        ));
    }
    out.push_str("</g>");
}

/// How category labels fit under the plot: every how many is shown, and
/// whether each is broken at its first space onto two lines (`2025` over
/// `Q1`), which is tried before leaving labels out.
pub(super) struct Categories {
    every: usize,
    wrap: bool,
}

impl Categories {
    /// The layout of `labels` in slots of `slot` units.
    pub fn fit(labels: &[String], slot: f64) -> Categories {
        let widest = |width: &dyn Fn(&String) -> f64| labels.iter().map(width).fold(0.0, f64::max);
        let every = label_every(widest(&|l| text_width(l)), slot);
        let wrapped = label_every(
            widest(&|l| match l.split_once(' ') {
                Some((a, b)) => text_width(a).max(text_width(b)),
                None => text_width(l),
            }),
            slot,
        );
        if every > 1 && wrapped == 1 {
            Categories {
                every: 1,
                wrap: true,
            }
        } else {
            Categories { every, wrap: false }
        }
    }

    /// Height of the labels under the plot.
    pub fn height(&self) -> f64 {
        if self.wrap {
            2.0 * FONT + 14.0
        } else {
            FONT + 12.0
        }
    }
}

/// Category labels under the plot, centred in their slots.
pub(super) fn category_axis(out: &mut String, plot: &Plot, labels: &[String], layout: &Categories) {
    let n = labels.len();
    let slot = plot.width / n as f64;
    let y = plot.top + plot.height + FONT + 6.0;
    out.push_str("<g class=\"chart-categories\">");
    for (i, label) in labels.iter().enumerate() {
        if !labelled(i, n, layout.every) {
            continue;
        }
        let lines: Vec<&str> = match label.split_once(' ') {
            Some((a, b)) if layout.wrap => vec![a, b],
            _ => vec![label],
        };
        // Keep the first and last labels inside the picture.
        let half = lines.iter().map(|l| text_width(l)).fold(0.0, f64::max) / 2.0;
        let x = (plot.left + slot * (i as f64 + 0.5))
            .max(half + 2.0)
            .min(plot.left + plot.width + RIGHT - half - 2.0);
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">",
            num(x),
            num(y)
        ));
        for (j, line) in lines.iter().enumerate() {
            if j == 0 {
                out.push_str(&xml_escape(line));
            } else {
                out.push_str(&format!(
                    "<tspan x=\"{}\" dy=\"1.15em\">{}</tspan>",
                    num(x),
                    xml_escape(line)
                ));
            }
        }
        out.push_str("</text>");
    }
    out.push_str("</g>");
}
