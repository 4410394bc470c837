//! A calendar heatmap of downtime per day over the whole history.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::super::clock::MONTHS;
use super::{IncidentSpan, day_start, document, local_date, tooltip};
use crate::analysis::intervals::{Interval, union_length};
use crate::render::format;
use crate::render::svg::{Svg, num, text_width};

/// What one calendar day holds.
#[derive(Default)]
struct Day<'s> {
    intervals: Vec<Interval>,
    incidents: Vec<(i64, &'s IncidentSpan<'s>)>,
}

/// Downtime per local day of `zone`: the union of the incidents'
/// [started, resolved) clipped to the day, and the incidents touching it
/// with their seconds that day. An incident without an end counts on its
/// first day with no downtime.
fn days<'s>(spans: &'s [IncidentSpan<'s>], zone: &TimeZone) -> BTreeMap<Date, Day<'s>> {
    let mut out: BTreeMap<Date, Day<'s>> = BTreeMap::new();
    for s in spans {
        let (a, b) = (
            s.started.as_second(),
            s.resolved.map_or(s.started.as_second(), |r| r.as_second()),
        );
        let mut date = local_date(s.started, zone);
        loop {
            let (from, to) = (
                day_start(date, zone),
                date.tomorrow().map_or(i64::MAX, |d| day_start(d, zone)),
            );
            let seconds = (b.min(to) - a.max(from)).max(0);
            let day = out.entry(date).or_default();
            day.intervals.push((a.max(from), b.min(to)));
            day.incidents.push((seconds, s));
            match date.tomorrow() {
                Ok(next) if day_start(next, zone) < b => date = next,
                _ => break,
            }
        }
    }
    out
}

fn level(seconds: i64) -> usize {
    match seconds {
        s if s < 1800 => 1,
        s if s < 7200 => 2,
        s if s < 28_800 => 3,
        _ => 4,
    }
}

/// A calendar heatmap of downtime per day over the whole history: one
/// block per year, a column per week (Monday first), a cell per day shaded
/// by that day's downtime (the union, so overlapping incidents count
/// once). A day with incidents links to the one that was down longest that
/// day (`root` + path) and names them all in its tooltip. `None` without
/// incidents.
///
/// Days without incidents are not drawn one by one: a pattern of empty
/// cells fills each year's block, and the days with incidents are drawn
/// over it. Blocks are a whole number of cells apart so one pattern
/// lines up with all of them.
pub fn downtime_heatmap(spans: &[IncidentSpan<'_>], zone: &TimeZone, root: &str) -> Option<String> {
    let days = days(spans, zone);
    let first = days.keys().next()?.year();
    let last = days.keys().next_back()?.year();
    let mut body = Svg::fragment();
    heatmap_legend(&mut body);
    let mut down_days = 0;
    let year_top = |year: i16| HM_TOP + f64::from(year - first) * HM_YEAR;
    body.raw(&format!(
        "<defs><pattern id=\"kb-hm-empty\" width=\"13\" height=\"13\" patternUnits=\"userSpaceOnUse\" x=\"{}\" y=\"{}\"><rect width=\"11\" height=\"11\" rx=\"2\" class=\"kb-hm\"/></pattern></defs>\n",
        num(HM_X0),
        num(year_top(first) + 30.0)
    ));
    for year in first..=last {
        let y = year_top(year);
        year_labels(&mut body, year, y);
        let top = y + 30.0;
        let jan1 = Date::constant(year, 1, 1);
        let lead = i64::from(jan1.weekday().to_monday_zero_offset());
        empty_cells(&mut body, lead, i64::from(jan1.days_in_year()), top);
        let mut date = jan1;
        while date.year() == year {
            let index = lead + i64::from(date.day_of_year()) - 1;
            if let Some(day) = days.get(&date) {
                down_days += 1;
                let (x, y) = (
                    HM_X0 + (index / 7) as f64 * HM_STEP,
                    top + (index % 7) as f64 * HM_STEP,
                );
                day_cell(&mut body, date, day, (x, y), root, zone);
            }
            let Ok(next) = date.tomorrow() else { break };
            date = next;
        }
    }
    let intervals: Vec<Interval> = days
        .values()
        .flat_map(|d| d.intervals.iter().copied())
        .collect();
    let desc = format!(
        "Downtime per day from {first} to {last}: {down_days} day{} with incidents, {} of downtime in all (overlapping incidents counted once).",
        if down_days == 1 { "" } else { "s" },
        format::seconds(union_length(&intervals))
    );
    let height = year_top(last) + 30.0 + 7.0 * HM_STEP + 10.0;
    Some(document(
        "kb-heatmap",
        [HM_W, height],
        "Downtime per day",
        &desc,
        body,
        true,
    ))
}

const HM_CELL: f64 = 11.0;
const HM_STEP: f64 = 13.0;
const HM_X0: f64 = 34.0;
const HM_W: f64 = HM_X0 + 54.0 * HM_STEP + 6.0;
/// The top of the first year's block.
const HM_TOP: f64 = 28.0;
/// From one year's block to the next: ten cells.
const HM_YEAR: f64 = 10.0 * HM_STEP;

/// The legend of shades.
fn heatmap_legend(svg: &mut Svg) {
    let labels = ["none", "< 30 min", "< 2 h", "< 8 h", "8 h or more"];
    let classes = [
        "kb-hm",
        "kb-hm kb-hm-1",
        "kb-hm kb-hm-2",
        "kb-hm kb-hm-3",
        "kb-hm kb-hm-4",
    ];
    let mut x = 8.0;
    svg.group("kb-hist-legend");
    for (label, class) in labels.iter().zip(classes) {
        svg.rect(x, 6.0, HM_CELL, HM_CELL, 2.0, class);
        svg.text(x + 15.0, 15.5, "", label);
        x += 15.0 + text_width(label, 11.0) + 14.0;
    }
    svg.end_group();
}

/// The year, month and weekday labels of the block at `y`.
fn year_labels(svg: &mut Svg, year: i16, y: f64) {
    svg.text(8.0, y + 12.0, "kb-hist-year", &year.to_string());
    let jan1 = Date::constant(year, 1, 1);
    let lead = i64::from(jan1.weekday().to_monday_zero_offset());
    svg.group("kb-hist-month");
    for (m, label) in MONTHS.iter().enumerate() {
        let Ok(d) = Date::new(year, m as i8 + 1, 1) else {
            continue;
        };
        // Over the first week that starts in the month.
        let week = (lead + i64::from(d.day_of_year()) - 1 + 6) / 7;
        svg.text(HM_X0 + week as f64 * HM_STEP, y + 27.0, "", label);
    }
    svg.end_group();
    svg.group("kb-hist-weekday kb-end");
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
        svg.text(HM_X0 - 4.0, y + 39.0 + row as f64 * HM_STEP, "", name);
    }
    svg.end_group();
}

/// The pattern of empty cells over a year's days: `lead` cells into the
/// first week (Monday first), `days` long, from `top`.
fn empty_cells(svg: &mut Svg, lead: i64, days: i64, top: f64) {
    let last = lead + days - 1;
    // Whole weeks, and the partial first and last.
    let first_full = if lead > 0 { 1 } else { 0 };
    let last_full = if last % 7 == 6 {
        last / 7
    } else {
        last / 7 - 1
    };
    let mut blocks = vec![(first_full, 0, last_full - first_full + 1, 7)];
    if lead > 0 {
        blocks.push((0, lead, 1, 7 - lead));
    }
    if last % 7 != 6 {
        blocks.push((last / 7, 0, 1, last % 7 + 1));
    }
    for (col, row, cols, rows) in blocks {
        svg.rect(
            HM_X0 + col as f64 * HM_STEP,
            top + row as f64 * HM_STEP,
            cols as f64 * HM_STEP,
            rows as f64 * HM_STEP,
            0.0,
            "kb-hm-empty",
        );
    }
}

fn day_cell(
    svg: &mut Svg,
    date: Date,
    day: &Day<'_>,
    (x, y): (f64, f64),
    root: &str,
    zone: &TimeZone,
) {
    let seconds = union_length(&day.intervals);
    let mut incidents: Vec<&(i64, &IncidentSpan<'_>)> = day.incidents.iter().collect();
    incidents.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.started.cmp(&b.1.started)));
    let names: Vec<String> = incidents.iter().map(|(_, s)| tooltip(s, zone)).collect();
    let link = incidents.first().map_or("", |(_, s)| s.path);
    let title = format!(
        "{date}: {} down; {}",
        format::seconds(seconds),
        names.join("; ")
    );
    let class = [
        "kb-hm kb-hm-1",
        "kb-hm kb-hm-2",
        "kb-hm kb-hm-3",
        "kb-hm kb-hm-4",
    ][level(seconds) - 1];
    svg.linked_rect([root, link], [x, y, HM_CELL, HM_CELL], &[class], &title);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span<'a>(
        title: &'a str,
        path: &'a str,
        from: &str,
        to: Option<&str>,
        class: &'a str,
    ) -> IncidentSpan<'a> {
        IncidentSpan {
            title,
            path,
            started: from.parse().unwrap(),
            resolved: to.map(|t| t.parse().unwrap()),
            severity: Some("SEV1"),
            severity_class: class,
        }
    }

    #[test]
    fn downtime_is_split_by_day_and_counted_once() {
        // 22:00 to 02:00 UTC: 2 h on each day; a second incident inside the
        // first on day one adds nothing to that day.
        let spans = [
            span(
                "A",
                "incidents/a/",
                "2024-06-08T22:00:00Z",
                Some("2024-06-09T02:00:00Z"),
                "sev1",
            ),
            span(
                "B",
                "incidents/b/",
                "2024-06-08T22:30:00Z",
                Some("2024-06-08T23:00:00Z"),
                "sev2",
            ),
        ];
        let d = days(&spans, &TimeZone::UTC);
        let day1 = &d[&Date::constant(2024, 6, 8)];
        assert_eq!(union_length(&day1.intervals), 7200);
        assert_eq!(day1.incidents.len(), 2);
        assert_eq!(
            union_length(&d[&Date::constant(2024, 6, 9)].intervals),
            7200
        );
    }
}
