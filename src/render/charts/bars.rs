//! Bar chart: one column per category, oldest first. "Downtime per month",
//! and small on service and cause pages, "incidents per quarter".

use super::columns::{self, Columns};
use super::plot::{self, Style};
use super::table::Table;
use super::{Chart, ChartOptions, Unit};

/// Data of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// Name of the categories, heading the table's first column (`Month`).
    pub category_name: String,
    /// Name of the values, heading the second column (`Downtime`).
    pub value_name: String,
    /// Labels along the x axis, oldest first (`2025-03`).
    pub categories: Vec<String>,
    /// One value per category (seconds for [`Unit::Seconds`]).
    pub values: Vec<f64>,
    /// What the values are, which decides how they read (`3 h`).
    pub unit: Unit,
    /// Where each category's column links to (the incidents it counts),
    /// one per category; empty for no links, an empty string for none.
    pub links: Vec<String>,
    /// CSS class of the bars; may be empty (the first series colour).
    pub class: String,
}

/// Renders a bar chart; without categories, a chart that says "No data".
///
/// ```
/// use kb::render::charts::{bars, Bars, ChartOptions, Size, Unit};
/// let data = Bars {
///     category_name: "Month".into(),
///     value_name: "Downtime".into(),
///     categories: vec!["2025-02".into(), "2025-03".into()],
///     values: vec![5400.0, 10_800.0],
///     unit: Unit::Seconds,
///     links: Vec::new(),
///     class: String::new(),
/// };
/// let options = ChartOptions { id: "downtime", title: "Downtime per month", size: Size::Wide };
/// let chart = bars(&options, &data);
/// assert!(chart.svg.contains("the most in 2025-03 (3 h)"));
/// ```
pub fn bars(options: &ChartOptions<'_>, data: &Bars) -> Chart {
    let headers = [data.category_name.as_str(), data.value_name.as_str()];
    if data.categories.is_empty() {
        return plot::empty(options, "bars", &headers);
    }
    let c = Columns {
        kind: "bars",
        categories: &data.categories,
        series: vec![Style {
            name: &data.value_name,
            class: &data.class,
        }],
        values: vec![&data.values],
        unit: data.unit,
        gap: 0.3,
        links: &data.links,
        series_param: None,
    };
    let mut table = Table::new(options.title, &headers);
    for (i, category) in data.categories.iter().enumerate() {
        let link = data
            .links
            .get(i)
            .map(String::as_str)
            .filter(|l| !l.is_empty());
        table.row(category, link, [data.unit.format(c.value(0, i))]);
    }
    Chart {
        svg: columns::render(options, &c, &columns::summary(&c, |_| String::new())),
        table_html: table.finish(),
    }
}
