//! Histogram: counts over buckets given by the caller, drawn as adjacent
//! columns. "Incident durations" on widening buckets, which
//! [`duration_buckets`] makes.

use super::columns::{self, Columns};
use super::svg::{self, Style};
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

/// Upper bounds (inclusive, in seconds) and labels of the duration buckets.
const DURATION_BUCKETS: [(i64, &str); 8] = [
    (1800, "≤30 min"),
    (3600, "≤1 h"),
    (7200, "≤2 h"),
    (14_400, "≤4 h"),
    (28_800, "≤8 h"),
    (86_400, "≤1 d"),
    (259_200, "≤3 d"),
    (604_800, "≤7 d"),
];

/// Counts durations (in seconds) in widening buckets: ≤30 min, ≤1 h, ≤2 h,
/// ≤4 h, ≤8 h, ≤1 d, ≤3 d, ≤7 d and >7 d. A bound belongs to the bucket
/// it closes: exactly one hour is `≤1 h`.
pub fn duration_buckets(durations_s: impl IntoIterator<Item = i64>) -> Vec<Bucket> {
    let mut counts = [0u64; DURATION_BUCKETS.len() + 1];
    for d in durations_s {
        let i = DURATION_BUCKETS
            .iter()
            .position(|(bound, _)| d <= *bound)
            .unwrap_or(DURATION_BUCKETS.len());
        counts[i] += 1;
    }
    let labels = DURATION_BUCKETS.iter().map(|(_, l)| *l).chain([">7 d"]);
    labels
        .zip(counts)
        .map(|(label, count)| Bucket {
            label: label.to_string(),
            count,
        })
        .collect()
}

/// Renders a histogram; without buckets, a chart that says "No data".
///
/// ```
/// use kb::render::charts::{duration_buckets, histogram, ChartOptions, Histogram, Size};
/// let data = Histogram {
///     bucket_name: "Duration".into(),
///     count_name: "Incidents".into(),
///     buckets: duration_buckets([600, 3000, 3600, 90_000]),
/// };
/// let options = ChartOptions { id: "durations", title: "Incident durations", size: Size::Wide };
/// let chart = histogram(&options, &data);
/// assert!(chart.svg.contains("the most in ≤1 h (2)"));
/// ```
pub fn histogram(options: &ChartOptions<'_>, data: &Histogram) -> Chart {
    let headers = [data.bucket_name.as_str(), data.count_name.as_str()];
    if data.buckets.is_empty() {
        return svg::empty(options, "histogram", &headers);
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
