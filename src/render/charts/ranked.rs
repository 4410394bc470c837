//! Horizontal bar chart of labelled items, each label a link: "top causes"
//! and "top services", by count or by downtime. A label sits above its bar,
//! so long names need no truncation on a phone.

use super::axis::{FONT, text_width};
use super::plot;
use super::table::Table;
use super::{Chart, ChartOptions, Unit};
use crate::render::svg::{num, xml_escape};

/// Data of a ranked bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedBars {
    /// Name of the items, heading the table's first column (`Service`).
    pub item_name: String,
    /// Name of the values, heading the second column (`Downtime`).
    pub value_name: String,
    /// The items, drawn top to bottom in this order (the caller ranks and
    /// cuts them).
    pub items: Vec<RankedItem>,
    /// What the values are.
    pub unit: Unit,
}

/// One item of a ranked bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedItem {
    /// Its name (`payments-api`).
    pub label: String,
    /// Where its label links to in the table, relative to the page
    /// (`../services/x/`).
    pub href: Option<String>,
    /// Its value (seconds for [`Unit::Seconds`]).
    pub value: f64,
}

const ROW: f64 = 34.0;
const BAR: f64 = 10.0;

/// Renders a ranked bar chart; without items, a chart that says "No data".
/// The SVG's links are left out of the tab order: the table beside it has
/// the same links for keyboards and screen readers (an `img` has no
/// interactive children for them).
///
/// ```
/// use kb::render::charts::{ranked_bars, ChartOptions, RankedBars, RankedItem, Size, Unit};
/// let item = |label: &str, value| RankedItem {
///     label: label.into(),
///     href: Some(format!("../causes/{label}/")),
///     value,
/// };
/// let data = RankedBars {
///     item_name: "Cause".into(),
///     value_name: "Incidents".into(),
///     items: vec![item("bad-deploy", 7.0), item("memory-leak", 3.0)],
///     unit: Unit::Count,
/// };
/// let options = ChartOptions { id: "top-causes", title: "Top causes", size: Size::Wide };
/// let chart = ranked_bars(&options, &data);
/// assert!(chart.table_html.contains("href=\"../causes/bad-deploy/\""));
/// assert!(!chart.svg.contains("href"));
/// ```
pub fn ranked_bars(options: &ChartOptions<'_>, data: &RankedBars) -> Chart {
    let headers = [data.item_name.as_str(), data.value_name.as_str()];
    if data.items.is_empty() {
        return plot::empty(options, "ranked", &headers);
    }
    let mut table = Table::new(options.title, &headers);
    for item in &data.items {
        table.row(
            &item.label,
            item.href.as_deref(),
            [data.unit.format(value(item))],
        );
    }
    Chart {
        svg: draw(options, data),
        table_html: table.finish(),
    }
}

fn value(item: &RankedItem) -> f64 {
    if item.value.is_finite() {
        item.value.max(0.0)
    } else {
        0.0
    }
}

fn draw(options: &ChartOptions<'_>, data: &RankedBars) -> String {
    let width = options.size.width();
    let height = 8.0 + ROW * data.items.len() as f64;
    let mut out = plot::open(options, "ranked", height, &summary(data), false);
    let max = data.items.iter().map(value).fold(0.0, f64::max);
    let widest_value = data
        .items
        .iter()
        .map(|i| text_width(&data.unit.format(value(i))))
        .fold(0.0, f64::max);
    let (left, track) = (8.0, width - 16.0 - widest_value - 8.0);
    out.push_str("<g class=\"series series-1\">");
    for (i, item) in data.items.iter().enumerate() {
        let v = value(item);
        let top = 4.0 + ROW * i as f64;
        let label = format!(
            "<text class=\"chart-label\" x=\"{}\" y=\"{}\">{}</text>",
            num(left),
            num(top + FONT),
            xml_escape(&fit(&item.label, width - 16.0))
        );
        // The link lives in the table: an image (role="img") may hold no
        // interactive element.
        out.push_str(&label);
        let bar = if max > 0.0 { track * v / max } else { 0.0 };
        let bar_top = top + FONT + 6.0;
        out.push_str(&format!(
            "<rect class=\"chart-track\" x=\"{l}\" y=\"{y}\" width=\"{}\" height=\"{BAR}\" rx=\"2\"/>\
             <rect x=\"{l}\" y=\"{y}\" width=\"{}\" height=\"{BAR}\" rx=\"2\"><title>{}</title></rect>\
             <text class=\"chart-value\" x=\"{}\" y=\"{}\" dy=\"0.35em\">{}</text>",
            num(track),
            num(bar),
            xml_escape(&format!("{}: {}", item.label, data.unit.format(v))),
            num(left + track + 8.0),
            num(bar_top + BAR / 2.0),
            xml_escape(&data.unit.format(v)),
            l = num(left),
            y = num(bar_top),
        ));
    }
    out.push_str("</g></svg>");
    out
}

/// `label`, cut with an ellipsis to about `width` units (the table and
/// the bar's tooltip keep it whole).
fn fit(label: &str, width: f64) -> String {
    if text_width(label) <= width {
        return label.to_string();
    }
    let keep = (width / text_width("x")).floor().max(2.0) as usize - 1;
    let mut cut: String = label.chars().take(keep).collect();
    cut.push('…');
    cut
}

/// The first three items with their values, and how many more there are
/// (`bad-deploy 7, memory-leak 3, dns 2, and 4 more.`).
fn summary(data: &RankedBars) -> String {
    let shown: Vec<String> = data
        .items
        .iter()
        .take(3)
        .map(|i| format!("{} {}", i.label, data.unit.format(value(i))))
        .collect();
    let rest = data.items.len().saturating_sub(3);
    if rest > 0 {
        format!("{}, and {rest} more.", shown.join(", "))
    } else {
        format!("{}.", shown.join(", "))
    }
}
