//! Tests of every chart kind: well-formed XML, the right marks, text
//! alternatives, escaping, gaps; snapshots of one chart of each kind; and a
//! demo page of them all (`cargo test charts_demo -- --ignored`).

use super::*;

const WIDE: ChartOptions<'static> = ChartOptions {
    id: "c",
    title: "A chart",
    size: Size::Wide,
};

fn months(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}-{:02}", 2024 + i / 12, i % 12 + 1))
        .collect()
}

fn severity_per_month() -> StackedBars {
    let counts = [
        [0, 1, 0, 0, 2, 0, 1, 0, 0, 1, 0, 0],
        [1, 0, 2, 1, 0, 1, 0, 2, 1, 0, 1, 0],
        [2, 1, 1, 3, 1, 0, 2, 1, 1, 2, 0, 1],
        [0, 2, 1, 0, 1, 1, 0, 1, 2, 0, 1, 1],
    ];
    StackedBars {
        category_name: "Month".into(),
        categories: months(12),
        series: counts
            .iter()
            .enumerate()
            .map(|(i, c)| BarSeries {
                name: format!("SEV{}", i + 1),
                class: format!("sev{}", i + 1),
                values: c.iter().map(|&v| v as f64).collect(),
            })
            .collect(),
        unit: Unit::Count,
        links: Vec::new(),
        series_param: None,
    }
}

fn downtime_per_month() -> Bars {
    let hours = [
        3.0, 0.5, 7.5, 0.0, 12.0, 1.0, 2.25, 0.0, 4.0, 9.0, 0.75, 2.0,
    ];
    Bars {
        category_name: "Month".into(),
        value_name: "Downtime".into(),
        categories: months(12),
        values: hours.iter().map(|h| h * 3600.0).collect(),
        unit: Unit::Seconds,
        links: Vec::new(),
        class: String::new(),
    }
}

fn time_to_resolve() -> Lines {
    let h = |x: f64| Some(x * 3600.0);
    Lines {
        category_name: "Quarter".into(),
        categories: [
            "2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2",
        ]
        .map(String::from)
        .to_vec(),
        series: vec![
            LineSeries {
                name: "Median".into(),
                class: String::new(),
                values: vec![h(2.0), h(1.5), None, h(2.5), h(1.0), h(0.75)],
            },
            LineSeries {
                name: "p90".into(),
                class: String::new(),
                values: vec![h(6.0), h(4.0), None, h(9.0), h(3.0), h(2.5)],
            },
        ],
        unit: Unit::Seconds,
    }
}

fn top_causes() -> RankedBars {
    let item = |label: &str, value| RankedItem {
        label: label.into(),
        href: Some(format!("../causes/{label}/")),
        value,
    };
    RankedBars {
        item_name: "Cause".into(),
        value_name: "Incidents".into(),
        items: vec![
            item("bad-deploy", 9.0),
            item("config-change", 6.0),
            item("memory-leak", 4.0),
            item("third-party-outage-at-a-payment-provider", 2.0),
            item("dns", 1.0),
        ],
        unit: Unit::Count,
    }
}

fn durations() -> Histogram {
    Histogram {
        bucket_name: "Duration".into(),
        count_name: "Incidents".into(),
        buckets: [
            ("≤30 min", 3),
            ("≤1 h", 3),
            ("≤2 h", 2),
            ("≤4 h", 2),
            ("≤8 h", 1),
            ("≤1 d", 1),
            ("≤3 d", 1),
            ("≤7 d", 0),
            (">7 d", 1),
        ]
        .map(|(label, count)| Bucket {
            label: label.into(),
            count,
        })
        .to_vec(),
    }
}

/// Parses `xml` and returns its document; panics with the text if it is
/// not well-formed.
fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"))
}

fn count(doc: &roxmltree::Document<'_>, tag: &str, class: Option<&str>) -> usize {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter(|n| class.is_none_or(|c| n.attribute("class") == Some(c)))
        .count()
}

/// The checks every chart passes: well-formed SVG and table, an img (a
/// group when its marks are links) with title and description it is
/// labelled by, a viewBox and a full width.
fn check(chart: &Chart, id: &str) -> String {
    let doc = parse(&chart.svg);
    let root = doc.root_element();
    let linked = root.descendants().any(|n| n.has_tag_name("a"));
    let role = if linked { "group" } else { "img" };
    assert_eq!(root.attribute("role"), Some(role));
    assert_eq!(root.attribute("width"), Some("100%"));
    assert!(root.attribute("viewBox").is_some());
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some(format!("{id}-title {id}-desc").as_str())
    );
    let text = |tag: &str| {
        let node = root.children().find(|n| n.has_tag_name(tag)).unwrap();
        assert_eq!(node.attribute("id"), Some(format!("{id}-{tag}").as_str()));
        node.text().unwrap_or_default().to_string()
    };
    assert!(!text("title").is_empty());
    let table = parse(&chart.table_html);
    assert_eq!(count(&table, "caption", None), 1);
    assert!(
        table
            .descendants()
            .filter(|n| n.has_tag_name("th"))
            .all(|n| n.attribute("scope").is_some())
    );
    text("desc")
}

#[test]
fn stacked_bars_stack_each_series() {
    let chart = stacked_bars(&WIDE, &severity_per_month());
    let desc = check(&chart, "c");
    let doc = parse(&chart.svg);
    // Non-zero counts above: 4 + 7 + 10 + 8.
    assert_eq!(
        count(&doc, "rect", None) - 4,
        29,
        "29 segments and 4 legend swatches"
    );
    assert_eq!(count(&doc, "g", Some("series series-1 sev1")), 2);
    // Totals: 3 4 4 4 4 2 3 4 4 3 2 2 = 39; the first 4 is in 2024-02.
    assert_eq!(
        desc,
        "39 in total, from 2024-01 to 2024-12; the most in 2024-02 (4: SEV1 1, SEV3 1, SEV4 2)."
    );
    assert_eq!(count(&parse(&chart.table_html), "tr", None), 13);
}

#[test]
fn bars_format_their_values() {
    let chart = bars(&WIDE, &downtime_per_month());
    let desc = check(&chart, "c");
    let doc = parse(&chart.svg);
    assert_eq!(count(&doc, "rect", None), 10, "no bar for the two zeros");
    assert_eq!(
        desc,
        "1 d 18 h in total, from 2024-01 to 2024-12; the most in 2024-05 (12 h)."
    );
    assert!(
        chart
            .table_html
            .contains("<td class=\"num\">2 h 15 min</td>")
    );
    let ticks: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("text") && n.parent().unwrap().attribute("class") == Some("chart-grid")
        })
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(ticks, ["0", "3 h", "6 h", "9 h", "12 h"]);
}

/// The targets of the links in `doc`, in order.
fn hrefs<'a>(doc: &'a roxmltree::Document<'_>) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|n| n.attribute("href"))
        .collect()
}

#[test]
fn columns_link_to_what_they_count() {
    // Links for January and March only: the other months have none.
    let mut data = downtime_per_month();
    data.links = vec![String::new(); 12];
    data.links[0] = "incidents/?q=2024-01".into();
    data.links[2] = "incidents/?q=2024-03&x=<".into();
    let chart = bars(&WIDE, &data);
    check(&chart, "c");
    let doc = parse(&chart.svg);
    let hrefs = hrefs(&doc);
    assert_eq!(hrefs, ["incidents/?q=2024-01", "incidents/?q=2024-03&x=<"]);
    // Each link holds its month's column.
    let first = doc.descendants().find(|n| n.has_tag_name("a")).unwrap();
    assert!(
        first
            .descendants()
            .any(|n| n.text() == Some("2024-01: 3 h"))
    );
    // The table links the same months.
    assert!(
        chart
            .table_html
            .contains("<a href=\"incidents/?q=2024-01\">2024-01</a>")
    );
    assert!(
        chart
            .table_html
            .contains("<a href=\"incidents/?q=2024-03&amp;x=&lt;\">2024-03</a>")
    );
}

#[test]
fn stacked_segments_link_to_their_series() {
    // 2024-02 holds SEV1 1, SEV3 1 and SEV4 2 (no SEV2): three segments.
    let mut data = severity_per_month();
    data.links = vec![String::new(); 12];
    data.links[1] = "incidents/?q=2024-02".into();
    data.series_param = Some("severity".into());
    let chart = stacked_bars(&WIDE, &data);
    check(&chart, "c");
    let doc = parse(&chart.svg);
    let hrefs = hrefs(&doc);
    assert_eq!(
        hrefs,
        [
            "incidents/?q=2024-02&severity=SEV1",
            "incidents/?q=2024-02&severity=SEV3",
            "incidents/?q=2024-02&severity=SEV4"
        ]
    );
}

#[test]
fn one_outlier_is_clipped_and_labelled() {
    // May holds a 2-day incident (57 h); the next highest month is 12 h.
    // 57 > 3 × 12, so the axis reaches 1.25 × 12 h = 15 h: in four steps
    // of a round duration, 4 h each, to 16 h.
    let mut data = downtime_per_month();
    data.values[4] = 57.0 * 3600.0;
    data.values[9] = 12.0 * 3600.0;
    let chart = bars(&WIDE, &data);
    check(&chart, "c");
    let doc = parse(&chart.svg);
    let grid: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("text") && n.parent().unwrap().attribute("class") == Some("chart-grid")
        })
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(grid, ["0", "4 h", "8 h", "12 h", "16 h"]);
    let labels: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("chart-value chart-off-scale"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(labels, ["2 d 9 h ↑"]);
    assert_eq!(count(&doc, "path", Some("chart-cut")), 1);
    // The column stops at the top of the plot, the 16 h grid line.
    let top = |n: roxmltree::Node<'_, '_>| n.attribute("y").unwrap().parse::<f64>().unwrap();
    let may = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("rect") && n.children().any(|t| t.text() == Some("2024-05: 2 d 9 h"))
        })
        .unwrap();
    let grid_top = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.text() == Some("16 h"))
        .map(top)
        .next()
        .unwrap();
    assert_eq!(top(may), grid_top);
}

#[test]
fn all_zero_values_name_no_highest_column() {
    let mut data = downtime_per_month();
    data.values = vec![0.0; 12];
    let chart = bars(&WIDE, &data);
    assert_eq!(check(&chart, "c"), "0 s in total, from 2024-01 to 2024-12.");
    assert_eq!(count(&parse(&chart.svg), "rect", None), 0);
}

#[test]
fn many_categories_thin_out_their_labels() {
    let mut data = downtime_per_month();
    data.categories = months(36);
    data.values = vec![3600.0; 36];
    let svg = bars(&WIDE, &data).svg;
    let doc = parse(&svg);
    let labels: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("text")
                && n.parent().unwrap().attribute("class") == Some("chart-categories")
        })
        .map(|n| n.text().unwrap())
        .collect();
    assert!(labels.len() < 12, "{labels:?}");
    assert_eq!(labels.last(), Some(&"2026-12"));
}

#[test]
fn lines_leave_gaps_for_missing_values() {
    let chart = lines(&WIDE, &time_to_resolve());
    let desc = check(&chart, "c");
    let doc = parse(&chart.svg);
    assert_eq!(
        count(&doc, "circle", None) - 2,
        10,
        "5 dots a series, 2 in the legend"
    );
    let paths: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("chart-line"))
        .map(|n| n.attribute("d").unwrap())
        .collect();
    assert_eq!(paths.len(), 2);
    for d in paths {
        // Q1-Q2 joined, Q3 missing, Q4 to 2025 Q2 joined: two segments.
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 3, "{d}");
    }
    assert!(desc.starts_with(
        "Median: 2 h in 2024 Q1, 45 min in 2025 Q2; highest 2 h 30 min in 2024 Q4; 1 missing."
    ));
    assert!(chart.table_html.contains("<td class=\"num\">–</td>"));
}

#[test]
fn a_lone_point_is_a_dot_without_a_line() {
    let mut data = time_to_resolve();
    data.series[0].values = vec![None, Some(60.0), None, None, None, None];
    let svg = lines(&WIDE, &data).svg;
    let doc = parse(&svg);
    let first = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("series series-1"))
        .find(|n| n.parent().unwrap().attribute("class") != Some("chart-legend"))
        .unwrap();
    assert_eq!(
        first
            .children()
            .filter(|n| n.has_tag_name("circle"))
            .count(),
        1
    );
    assert!(!first.children().any(|n| n.has_tag_name("path")));
}

#[test]
fn ranked_bars_link_their_labels_in_the_table() {
    let chart = ranked_bars(&WIDE, &top_causes());
    let desc = check(&chart, "c");
    let doc = parse(&chart.svg);
    assert_eq!(count(&doc, "a", None), 0, "no link inside role=img");
    assert_eq!(count(&doc, "rect", Some("chart-track")), 5);
    assert_eq!(
        desc,
        "bad-deploy 9, config-change 6, memory-leak 4, and 2 more."
    );
    let table = parse(&chart.table_html);
    let first = table.descendants().find(|n| n.has_tag_name("a")).unwrap();
    assert_eq!(first.attribute("href"), Some("../causes/bad-deploy/"));
}

#[test]
fn long_ranked_labels_are_cut_to_the_width() {
    let mut data = top_causes();
    data.items[0].label = "x".repeat(200);
    let svg = ranked_bars(&WIDE, &data).svg;
    let doc = parse(&svg);
    let label = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("chart-label"));
    let text = label.unwrap().text().unwrap();
    assert!(text.ends_with('…') && text.chars().count() < 80, "{text}");
}

#[test]
fn histogram_draws_a_column_per_non_empty_bucket() {
    let chart = histogram(&WIDE, &durations());
    let desc = check(&chart, "c");
    assert_eq!(count(&parse(&chart.svg), "rect", None), 8);
    assert_eq!(
        desc,
        "14 in total, from ≤30 min to >7 d; the most in ≤30 min (3)."
    );
}

#[test]
fn every_label_is_escaped() {
    let evil = "<script>alert('x')</script> & \"q\"";
    let mut stacked = severity_per_month();
    stacked.categories[0] = evil.into();
    stacked.series[0].name = evil.into();
    stacked.series[0].class = evil.into();
    let mut ranked = top_causes();
    ranked.items[0].label = evil.into();
    ranked.items[0].href = Some("\"><script>".into());
    let mut line = time_to_resolve();
    line.categories[0] = evil.into();
    let options = ChartOptions {
        id: "\"x",
        title: evil,
        size: Size::Small,
    };
    for chart in [
        stacked_bars(&options, &stacked),
        ranked_bars(&options, &ranked),
        lines(&options, &line),
    ] {
        check(&chart, "\"x");
        for html in [&chart.svg, &chart.table_html] {
            assert!(!html.contains("<script"), "{html}");
            assert!(html.contains("&lt;script&gt;"), "{html}");
        }
    }
}

#[test]
fn empty_data_says_so() {
    let mut lines_data = time_to_resolve();
    for s in &mut lines_data.series {
        s.values = vec![None; 6];
    }
    let charts = [
        stacked_bars(
            &WIDE,
            &StackedBars {
                categories: vec![],
                ..severity_per_month()
            },
        ),
        bars(
            &WIDE,
            &Bars {
                categories: vec![],
                ..downtime_per_month()
            },
        ),
        lines(&WIDE, &lines_data),
        ranked_bars(
            &WIDE,
            &RankedBars {
                items: vec![],
                ..top_causes()
            },
        ),
        histogram(
            &WIDE,
            &Histogram {
                buckets: vec![],
                ..durations()
            },
        ),
    ];
    for chart in charts {
        assert_eq!(check(&chart, "c"), "No data.");
        assert!(chart.svg.contains(">No data</text>"));
        assert!(chart.table_html.contains(">No data</td>"));
    }
}

#[test]
fn output_is_deterministic_and_coordinates_short() {
    let a = stacked_bars(&WIDE, &severity_per_month());
    assert_eq!(a, stacked_bars(&WIDE, &severity_per_month()));
    let doc = parse(&a.svg);
    for n in doc.descendants().filter(|n| n.has_tag_name("rect")) {
        for attr in ["x", "y", "width", "height"] {
            let v = n.attribute(attr).unwrap();
            assert!(
                v.split('.').nth(1).is_none_or(|d| d.len() == 1),
                "{attr}={v}"
            );
        }
    }
}

#[test]
fn snapshots() {
    let small = ChartOptions {
        size: Size::Small,
        ..WIDE
    };
    // One element a line, to review by eye.
    let lines_of = |markup: String| markup.replace("><", ">\n<");
    let stacked = stacked_bars(&WIDE, &severity_per_month());
    insta::assert_snapshot!("stacked", lines_of(stacked.svg));
    insta::assert_snapshot!("stacked_table", lines_of(stacked.table_html));
    insta::assert_snapshot!(
        "bars_small",
        lines_of(bars(&small, &downtime_per_month()).svg)
    );
    insta::assert_snapshot!("lines", lines_of(lines(&WIDE, &time_to_resolve()).svg));
    insta::assert_snapshot!("ranked", lines_of(ranked_bars(&WIDE, &top_causes()).svg));
    insta::assert_snapshot!("histogram", lines_of(histogram(&WIDE, &durations()).svg));
}

/// Writes every chart kind into `target/charts-demo.html`, light and dark
/// side by side, to look at in a browser or a headless screenshot.
#[test]
#[ignore = "writes a demo page; run by hand"]
fn charts_demo() {
    let small = ChartOptions {
        id: "small",
        title: "Incidents per quarter",
        size: Size::Small,
    };
    let quarters = Bars {
        category_name: "Quarter".into(),
        value_name: "Incidents".into(),
        categories: ["2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]
            .map(String::from)
            .to_vec(),
        values: vec![2.0, 5.0, 1.0, 3.0],
        unit: Unit::Count,
        links: Vec::new(),
        class: String::new(),
    };
    let opts = |id: &'static str, title: &'static str| ChartOptions {
        id,
        title,
        size: Size::Wide,
    };
    let charts = [
        stacked_bars(
            &opts("sev", "Incidents per month by severity"),
            &severity_per_month(),
        ),
        bars(&opts("down", "Downtime per month"), &downtime_per_month()),
        lines(
            &opts("ttr", "Time to resolve per quarter"),
            &time_to_resolve(),
        ),
        ranked_bars(&opts("causes", "Top causes"), &top_causes()),
        histogram(&opts("hist", "Incident durations"), &durations()),
        bars(&small, &quarters),
        histogram(
            &opts("empty", "Nothing yet"),
            &Histogram {
                buckets: vec![],
                ..durations()
            },
        ),
    ];
    let mut body = String::new();
    for c in &charts {
        body.push_str(&format!(
            "<figure class=\"chart-figure\">{}<details><summary>Data</summary>{}</details></figure>",
            c.svg, c.table_html
        ));
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <link rel=\"stylesheet\" href=\"file://{root}/themes/default/static/style.css\">\
         <title>Charts</title></head><body><main class=\"wrap\"><h1>Charts</h1>\
         <div>{body}</div></main></body></html>"
    );
    std::fs::write(format!("{root}/target/charts-demo.html"), page).unwrap();
}
