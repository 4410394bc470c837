//! Line chart: two or more series over categories (quarters), with a dot at
//! each value and a gap where one is missing. "Median and p90 time to
//! resolve per quarter".

use super::axis::{FONT, axis_reach};
use super::plot::{self, Style};
use super::table::Table;
use super::{Chart, ChartOptions, Unit};
use crate::render::svg::{num, xml_escape};

/// Data of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    /// Name of the categories, heading the table's first column (`Quarter`).
    pub category_name: String,
    /// Labels along the x axis, oldest first (`2025 Q1`).
    pub categories: Vec<String>,
    /// The lines.
    pub series: Vec<LineSeries>,
    /// What the values are.
    pub unit: Unit,
}

/// One line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    /// Name in the legend and the table (`Median`).
    pub name: String,
    /// CSS class that colours it; may be empty, then the series' position
    /// picks a colour and a dash pattern.
    pub class: String,
    /// One value per category; `None` (no data) leaves a gap, not a zero.
    pub values: Vec<Option<f64>>,
}

impl LineSeries {
    fn value(&self, category: usize) -> Option<f64> {
        self.values
            .get(category)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
    }
}

/// Renders a line chart; without categories, series or any value, a chart
/// that says "No data".
///
/// ```
/// use kb::render::charts::{lines, ChartOptions, LineSeries, Lines, Size, Unit};
/// let data = Lines {
///     category_name: "Quarter".into(),
///     categories: vec!["2024 Q4".into(), "2025 Q1".into(), "2025 Q2".into()],
///     series: vec![
///         LineSeries { name: "Median".into(), class: String::new(), values: vec![Some(3600.0), None, Some(1800.0)] },
///         LineSeries { name: "p90".into(), class: String::new(), values: vec![Some(7200.0), None, Some(5400.0)] },
///     ],
///     unit: Unit::Seconds,
/// };
/// let options = ChartOptions { id: "ttr", title: "Time to resolve", size: Size::Wide };
/// let chart = lines(&options, &data);
/// assert!(chart.svg.contains("Median: 1 h in 2024 Q4, 30 min in 2025 Q2"));
/// ```
pub fn lines(options: &ChartOptions<'_>, data: &Lines) -> Chart {
    let mut headers = vec![data.category_name.as_str()];
    headers.extend(data.series.iter().map(|s| s.name.as_str()));
    let n = data.categories.len();
    let values = || {
        data.series
            .iter()
            .flat_map(|s| (0..n).filter_map(|i| s.value(i)))
    };
    if values().next().is_none() {
        return plot::empty(options, "lines", &headers);
    }
    // An outlier is a category far above the others, whichever series.
    let highest = (0..n).map(|i| {
        data.series
            .iter()
            .filter_map(|s| s.value(i))
            .fold(0.0, f64::max)
    });
    let max = axis_reach(highest);
    let mut table = Table::new(options.title, &headers);
    for (i, category) in data.categories.iter().enumerate() {
        let cells = data.series.iter().map(|s| match s.value(i) {
            Some(v) => data.unit.format(v),
            None => "–".to_string(),
        });
        table.row(category, None, cells);
    }
    Chart {
        svg: draw(options, data, max),
        table_html: table.finish(),
    }
}

fn draw(options: &ChartOptions<'_>, data: &Lines, max: f64) -> String {
    let mut out = plot::open(
        options,
        "lines",
        options.size.height(),
        &summary(data),
        false,
    );
    let styles: Vec<Style<'_>> = data
        .series
        .iter()
        .map(|s| Style {
            name: &s.name,
            class: &s.class,
        })
        .collect();
    let (plot, layout) = plot::frame(
        &mut out,
        options,
        &styles,
        true,
        (max.max(0.0), data.unit),
        &data.categories,
    );
    let slot = plot.width / data.categories.len() as f64;
    for (s, series) in data.series.iter().enumerate() {
        out.push_str(&format!("<g class=\"{}\">", styles[s].classes(s)));
        let points: Vec<Option<(f64, f64)>> = (0..data.categories.len())
            .map(|i| {
                // Past the axis's top (an outlier), a point sits on the top.
                let v = series.value(i)?.clamp(0.0, plot.max);
                Some((plot.left + slot * (i as f64 + 0.5), plot.y(v)))
            })
            .collect();
        let path = line_path(&points);
        if !path.is_empty() {
            out.push_str(&format!("<path class=\"chart-line\" d=\"{path}\"/>"));
        }
        for (i, point) in points.iter().enumerate() {
            if let (Some((x, y)), Some(v)) = (point, series.value(i)) {
                let name = format!(
                    "{} · {}: {}",
                    data.categories[i],
                    series.name,
                    data.unit.format(v)
                );
                out.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\"><title>{}</title></circle>",
                    num(*x),
                    num(*y),
                    xml_escape(&name)
                ));
                if v > plot.max {
                    let right_half = *x > plot.left + plot.width / 2.0;
                    let (tx, anchor) = if right_half {
                        (x - 6.0, "end")
                    } else {
                        (x + 6.0, "start")
                    };
                    out.push_str(&format!(
                        "<text class=\"chart-value chart-off-scale\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{} ↑</text>",
                        num(tx),
                        num(plot.top + FONT),
                        xml_escape(&data.unit.format(v))
                    ));
                }
            }
        }
        out.push_str("</g>");
    }
    plot::category_axis(&mut out, &plot, &data.categories, &layout);
    out.push_str("</svg>");
    out
}

/// Path data joining consecutive points; a missing point starts a new
/// segment, and a point alone draws no line (its dot shows it).
fn line_path(points: &[Option<(f64, f64)>]) -> String {
    let mut d = String::new();
    for (i, point) in points.iter().enumerate() {
        let Some((x, y)) = point else { continue };
        let joined = i > 0 && points[i - 1].is_some();
        let continues = points.get(i + 1).is_some_and(Option::is_some);
        if joined {
            d.push_str(&format!("L{} {}", num(*x), num(*y)));
        } else if continues {
            d.push_str(&format!("M{} {}", num(*x), num(*y)));
        }
    }
    d
}

/// Per series: its first and last values, its highest, and how many are
/// missing (`Median: 2 h in 2024 Q1, 1 h in 2025 Q1; highest 5 h in
/// 2024 Q3; 1 missing.`).
fn summary(data: &Lines) -> String {
    let n = data.categories.len();
    let at = |s: &LineSeries, i: usize| -> String {
        format!(
            "{} in {}",
            data.unit.format(s.value(i).unwrap_or(0.0)),
            data.categories[i]
        )
    };
    let parts: Vec<String> = data
        .series
        .iter()
        .map(|s| {
            let known: Vec<usize> = (0..n).filter(|&i| s.value(i).is_some()).collect();
            let (Some(&first), Some(&last)) = (known.first(), known.last()) else {
                return format!("{}: no data.", s.name);
            };
            let peak = known.iter().copied().fold(first, |best, i| {
                if s.value(i) > s.value(best) { i } else { best }
            });
            let mut text = if first == last {
                format!("{}: {}", s.name, at(s, first))
            } else {
                format!(
                    "{}: {}, {}; highest {}",
                    s.name,
                    at(s, first),
                    at(s, last),
                    at(s, peak)
                )
            };
            if known.len() < n {
                text.push_str(&format!("; {} missing", n - known.len()));
            }
            text + "."
        })
        .collect();
    parts.join(" ")
}
