//! Stacked bar chart: a column per category (month), stacked by series
//! (severity). "Incidents per month by severity".

use super::columns::{self, Columns};
use super::plot::{self, Style};
use super::table::Table;
use super::{Chart, ChartOptions, Unit};

/// Data of a stacked bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct StackedBars {
    /// Name of the categories, heading the table's first column (`Month`).
    pub category_name: String,
    /// Labels along the x axis, oldest first (`2025-03`).
    pub categories: Vec<String>,
    /// The series, stacked bottom first (most severe first reads best).
    pub series: Vec<BarSeries>,
    /// What the values are.
    pub unit: Unit,
    /// Where each category's column links to (the incidents it counts),
    /// one per category; empty for no links, an empty string for none.
    pub links: Vec<String>,
    /// The query parameter that names a series (`severity`): each segment
    /// links to its column's link narrowed to its series
    /// (`...?q=2025-03&severity=SEV2`); `None` links whole columns.
    pub series_param: Option<String>,
}

/// One stacked series.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// Name in the legend and the table (`SEV1`).
    pub name: String,
    /// CSS class that colours it (`sev1`); may be empty, then the series'
    /// position picks a colour.
    pub class: String,
    /// One value per category; a missing one counts as zero.
    pub values: Vec<f64>,
}

/// Renders a stacked bar chart; without categories or series, a chart
/// that says "No data".
///
/// ```
/// use kb::render::charts::{stacked_bars, BarSeries, ChartOptions, Size, StackedBars, Unit};
/// let data = StackedBars {
///     category_name: "Month".into(),
///     categories: vec!["2025-02".into(), "2025-03".into()],
///     series: vec![
///         BarSeries { name: "SEV1".into(), class: "sev1".into(), values: vec![0.0, 1.0] },
///         BarSeries { name: "SEV2".into(), class: "sev2".into(), values: vec![2.0, 3.0] },
///     ],
///     unit: Unit::Count,
///     links: Vec::new(),
///     series_param: None,
/// };
/// let options = ChartOptions { id: "per-month", title: "Incidents per month", size: Size::Wide };
/// let chart = stacked_bars(&options, &data);
/// assert!(chart.svg.contains("the most in 2025-03 (4: SEV1 1, SEV2 3)"));
/// ```
pub fn stacked_bars(options: &ChartOptions<'_>, data: &StackedBars) -> Chart {
    let mut headers = vec![data.category_name.as_str()];
    headers.extend(data.series.iter().map(|s| s.name.as_str()));
    headers.push("Total");
    if data.categories.is_empty() || data.series.is_empty() {
        return plot::empty(options, "stacked", &headers);
    }
    let c = Columns {
        kind: "stacked",
        categories: &data.categories,
        series: data
            .series
            .iter()
            .map(|s| Style {
                name: &s.name,
                class: &s.class,
            })
            .collect(),
        values: data.series.iter().map(|s| s.values.as_slice()).collect(),
        unit: data.unit,
        gap: 0.25,
        links: &data.links,
        series_param: data.series_param.as_deref(),
    };
    let desc = columns::summary(&c, |peak| {
        let parts: Vec<String> = data
            .series
            .iter()
            .enumerate()
            .filter(|(s, _)| c.value(*s, peak) > 0.0)
            .map(|(s, series)| format!("{} {}", series.name, data.unit.format(c.value(s, peak))))
            .collect();
        if parts.len() > 1 {
            format!(": {}", parts.join(", "))
        } else {
            String::new()
        }
    });
    let mut table = Table::new(options.title, &headers);
    for (i, category) in data.categories.iter().enumerate() {
        let cells = (0..data.series.len())
            .map(|s| data.unit.format(c.value(s, i)))
            .chain([data.unit.format(c.total(i))]);
        let link = data
            .links
            .get(i)
            .map(String::as_str)
            .filter(|l| !l.is_empty());
        table.row(category, link, cells);
    }
    Chart {
        svg: columns::render(options, &c, &desc),
        table_html: table.finish(),
    }
}
