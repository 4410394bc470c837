//! Histogram: counts over buckets given by the caller, drawn as adjacent
//! columns. "Incident durations" on widening buckets (`≤30 min` ... `>7 d`,
//! counted by the analysis).

use super::columns::{self, Columns};
use super::plot::{self, Style};
use super::table::Table;
use super::{Chart, ChartOptions, Unit};

/// Data of a histogram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    /// Name of the buckets, heading the table's first column (`Duration`).
    pub bucket_name: String,
    /// Name of the counts, heading the second column (`Incidents`).
    pub count_name: String,
    /// The buckets, in order.
    pub buckets: Vec<Bucket>,
}

/// One bucket of a histogram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// Label under the column (`≤1 h`).
    pub label: String,
    /// How many values fall in it.
    pub count: u64,
}

/// Renders a histogram; without buckets, a chart that says "No data".
///
/// ```
/// use kb::render::charts::{histogram, Bucket, ChartOptions, Histogram, Size};
/// let bucket = |label: &str, count| Bucket { label: label.into(), count };
/// let data = Histogram {
///     bucket_name: "Duration".into(),
///     count_name: "Incidents".into(),
///     buckets: vec![bucket("≤30 min", 1), bucket("≤1 h", 2), bucket(">1 h", 1)],
/// };
/// let options = ChartOptions { id: "durations", title: "Incident durations", size: Size::Wide };
/// let chart = histogram(&options, &data);
/// assert!(chart.svg.contains("the most in ≤1 h (2)"));
/// ```
pub fn histogram(options: &ChartOptions<'_>, data: &Histogram) -> Chart {
    let headers = [data.bucket_name.as_str(), data.count_name.as_str()];
    if data.buckets.is_empty() {
        return plot::empty(options, "histogram", &headers);
    }
    let labels: Vec<String> = data.buckets.iter().map(|b| b.label.clone()).collect();
    let counts: Vec<f64> = data.buckets.iter().map(|b| b.count as f64).collect();
    let c = Columns {
        kind: "histogram",
        categories: &labels,
        series: vec![Style {
            name: &data.count_name,
            class: "",
        }],
        values: vec![&counts],
        unit: Unit::Count,
        gap: 0.06,
        links: &[],
        series_param: None,
    };
    let mut table = Table::new(options.title, &headers);
    for b in &data.buckets {
        table.row(&b.label, None, [b.count.to_string()]);
    }
    Chart {
        svg: columns::render(options, &c, &columns::summary(&c, |_| String::new())),
        table_html: table.finish(),
    }
}
