//! Charts as inline SVG, made at build time: pure functions from plain data
//! (categories, series, values) to a [`Chart`], which is the SVG and the same
//! numbers as an HTML table for a `<details>` beside it.
//!
//! Every SVG has `role="img"`, a `<title>` and a `<desc>` that summarises the
//! data, ids made from the caller's prefix, and a `viewBox` so it scales to
//! the width of its container. Colours come only from CSS classes (the
//! `/* Charts */` section of the theme's style.css), so light, dark and print
//! each get theirs. Every label is escaped; output is deterministic.

mod axis;
pub mod bars;
mod columns;
pub mod histogram;
pub mod lines;
mod plot;
pub mod ranked;
pub mod stacked;
mod table;

pub use bars::{Bars, bars};
pub use histogram::{Bucket, Histogram, histogram};
pub use lines::{LineSeries, Lines, lines};
pub use ranked::{RankedBars, RankedItem, ranked_bars};
pub use stacked::{BarSeries, StackedBars, stacked_bars};

/// A rendered chart: inline SVG and its data as an accessible table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// `<svg role="img" ...>` with `<title>` and `<desc>`.
    pub svg: String,
    /// `<table>` with a caption and header cells, for a `<details>` beside
    /// the chart.
    pub table_html: String,
}

/// What every chart needs besides its data.
#[derive(Debug, Clone, Copy)]
pub struct ChartOptions<'a> {
    /// Prefix of the chart's element ids: unique in the page, no spaces
    /// (`trends-severity` gives `trends-severity-title`, ...).
    pub id: &'a str,
    /// The SVG's `<title>` and the table's caption.
    pub title: &'a str,
    /// How large it is drawn.
    pub size: Size,
}

/// The size a chart is laid out for. Both scale to their container's width;
/// a small chart has fewer units across, so its text stays readable in a
/// narrow card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// A series over time across the page's full width: 960 × 260 units
    /// (on a phone it keeps 50rem and scrolls sideways in its figure).
    Full,
    /// A page's main chart: 480 × 260 units.
    Wide,
    /// A chart in a card or a side column: 320 × 160 units.
    Small,
}

impl Size {
    fn width(self) -> f64 {
        match self {
            Size::Full => 960.0,
            Size::Wide => 480.0,
            Size::Small => 320.0,
        }
    }

    fn height(self) -> f64 {
        match self {
            Size::Full | Size::Wide => 260.0,
            Size::Small => 160.0,
        }
    }
}

/// What the values are, which decides how they and the axis ticks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Plain numbers: `4`, `12.5`; ticks at 1, 2, 5 × 10ⁿ.
    Count,
    /// Durations in seconds: `45 min`, `3 h`; ticks at round durations.
    Seconds,
}

#[cfg(test)]
mod tests;
