//! Timeline diagrams: snapshots of the seed's and a multi-day incident's
//! SVG, well-formed XML for every example incident, graceful handling of
//! unknown times, one diagram per page in the chosen style with its badges
//! keyed to the page's numbered events, a size budget, `kb show`, and a
//! property test that no two labels of the axis layout overlap.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kb::config::Config;
use kb::model::{Incident, TimelineStyle};
use kb::render::diagram::history::{self, IncidentSpan};
use kb::render::diagram::{self, Event, Milestone, MilestoneKind, Timeline};
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The incidents of a knowledge base and its zone.
fn load(root: &Path) -> (Vec<Arc<Incident>>, TimeZone) {
    let config = Config::load(root).expect("fixture site.toml is valid");
    let loaded = kb::content::load(root, &config, false);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    (loaded.incidents, config.time_zone().clone())
}

fn only_timeline(name: &str) -> Timeline {
    let (incidents, zone) = load(&fixture(name));
    Timeline::of(&incidents[0], &zone).expect("the fixture has times")
}

/// Parses `svg` as XML and checks the accessibility frame: a picture
/// (`img`), or a `group` when its parts are links.
fn assert_accessible_xml(svg: &str) {
    let doc =
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let links = root.descendants().any(|n| n.tag_name().name() == "a");
    assert_eq!(
        root.attribute("role"),
        Some(if links { "group" } else { "img" })
    );
    let children: Vec<&str> = root
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .take(2)
        .collect();
    assert_eq!(children, ["title", "desc"]);
}

#[test]
fn seed_axis_snapshot() {
    let t = only_timeline("diagram-seed");
    // Started and detected 03:00 UTC, resolved 06:00: three hours, detected at once.
    assert_eq!(
        t.summary(),
        "Impact 03:00–06:00 UTC (3 h); detected 0 min after the start; resolved 3 h after the start; 11 events."
    );
    insta::assert_snapshot!("seed_axis", diagram::axis_svg(&t));
}

#[test]
fn seed_flow_snapshot() {
    let t = only_timeline("diagram-seed");
    insta::assert_snapshot!("seed_flow", diagram::flow_svg(&t));
}

#[test]
fn multiday_axis_snapshot() {
    let t = only_timeline("diagram-multiday");
    let svg = diagram::axis_svg(&t);
    // Two quiet stretches (the night to 20 May 10:15 CEST, and to 21 May 13:45) are compressed.
    assert_eq!(svg.matches(r#"class="kb-tl-gap""#).count(), 2);
    assert_eq!(diagram::axis_layout(&t).breaks.len(), 2);
    for day in ["Mon 19 May", "Tue 20 May", "Wed 21 May"] {
        assert!(svg.contains(day), "day label {day}");
    }
    insta::assert_snapshot!("multiday_axis", svg);
}

#[test]
fn every_example_diagram_is_well_formed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (incidents, zone) = load(root);
    assert!(incidents.len() >= 10);
    for incident in &incidents {
        for style in [TimelineStyle::Axis, TimelineStyle::Flow] {
            if let Some(svg) = diagram::incident_svg(incident, &zone, style) {
                assert_eq!(svg.matches("<svg").count(), 1, "{}", incident.slug);
                assert_accessible_xml(&svg);
            }
        }
        // The page's axis is the axis of the incident's timeline.
        let axis = Timeline::of(incident, &zone).map(|t| diagram::axis_svg(&t));
        assert_eq!(
            diagram::incident_svg(incident, &zone, TimelineStyle::Axis),
            axis
        );
    }
    let paths: Vec<String> = incidents
        .iter()
        .map(|i| format!("incidents/{}/", i.slug))
        .collect();
    let spans: Vec<IncidentSpan<'_>> = incidents
        .iter()
        .zip(&paths)
        .filter_map(|(i, p)| IncidentSpan::of(i, p, "sev1"))
        .collect();
    assert_accessible_xml(&history::service_lanes(&spans, &zone, "../../").expect("incidents"));
    let heatmap = history::downtime_heatmap(&spans, &zone, "../").expect("incidents");
    assert_accessible_xml(&heatmap);
    assert!(heatmap.contains(r#"<a href="../incidents/2024-06-08-web-platform-outage/">"#));
}

#[test]
fn text_is_escaped() {
    let mut t = only_timeline("diagram-times-of-day");
    t.title = r#"<b>"quoted" & 'single'</b>"#.into();
    let flow = diagram::flow_svg(&t);
    // Wrapped after `<the>`.
    assert!(flow.contains("&lt;the&gt;</text>") && flow.contains("&quot;lag&quot; &amp; errors"));
    assert_accessible_xml(&flow);
    let axis = diagram::axis_svg(&t);
    assert!(
        axis.contains("Timeline of &lt;b&gt;&quot;quoted&quot; &amp; &#39;single&#39;&lt;/b&gt;")
    );
    // The axis draws no long event texts: each badge links to its item of
    // the page's list, which names the link, so the page has the words once.
    assert!(axis.contains(r##"<a href="#event-2" aria-labelledby="event-2"><rect"##));
    assert!(!axis.contains("starts investigating"));
    assert_eq!(axis.matches("<title").count(), 1, "only the diagram's own");
    assert_accessible_xml(&axis);
}

#[test]
fn times_of_day_are_drawn_as_written() {
    // No date anywhere: 23:40 to 00:15 the next day, on a stand-in day.
    let t = only_timeline("diagram-times-of-day");
    assert!(!t.dated);
    assert!(t.milestones.is_empty());
    assert_eq!(t.events.len(), 4);
    let axis = diagram::axis_svg(&t);
    assert!(
        axis.contains(">23:45<") && axis.contains(">00:00<"),
        "ticks on the clock"
    );
    assert!(axis.contains("times of day as written"));
    assert!(axis.contains("Times of day only, 23:40 to 00:15; 4 events."));
    let flow = diagram::flow_svg(&t);
    assert!(flow.contains(">23:40<") && flow.contains(">00:15<"));
    for svg in [axis, flow] {
        assert!(!svg.contains("Jan"), "the stand-in day never shows");
    }
}

#[test]
fn nothing_known_draws_nothing() {
    let (mut incidents, zone) = load(&fixture("diagram-seed"));
    let i = Arc::make_mut(&mut incidents[0]);
    i.timeline.clear();
    (i.started, i.detected, i.resolved) = (None, None, None);
    assert!(diagram::incident_svg(i, &zone, TimelineStyle::Axis).is_none());
    // Only an end known: a milestone alone still draws.
    i.resolved = Some("2024-06-08T06:00:00Z".parse().unwrap());
    let svg = diagram::incident_svg(i, &zone, TimelineStyle::Axis).expect("resolved is known");
    assert!(svg.contains("Impact times unknown"));
}

/// The classes of every SVG in the page's timeline figure.
fn figure_svgs(page: &common::Page) -> Vec<String> {
    page.attrs("figure.timeline-diagram svg", "class")
}

#[test]
fn one_diagram_per_page_in_the_chosen_style() {
    // site.toml chooses flow; queue-backlog's front matter chooses axis.
    let built = common::Built::new("diagram-flow");
    let page = |slug: &str| built.page(&format!("incidents/{slug}/index.html"));
    assert_eq!(figure_svgs(&page("cache-eviction")), ["kb-tl kb-tl-flow"]);
    let axis = page("queue-backlog");
    assert_eq!(figure_svgs(&axis), ["kb-tl kb-tl-axis"]);
    // The figure scrolls sideways in a region a keyboard can reach.
    let region = ".timeline-diagram-scroll[role=region][tabindex=\"0\"]";
    assert_eq!(axis.attrs(region, "aria-label"), ["Timeline diagram"]);
    // The caption points to the timeline: the author's Timeline section,
    // which holds the numbered list of events in its place.
    assert_eq!(
        axis.attrs("figure.timeline-diagram figcaption a", "href"),
        ["#timeline"]
    );
    assert_eq!(
        axis.attrs("h2#timeline + ol.timeline", "id"),
        ["timeline-events"]
    );
    assert!(axis.texts("#timeline-events-heading").is_empty());
    let service = built.text("services/search/index.html");
    assert!(
        service.contains(r#"<a href="../../incidents/cache-eviction/">"#),
        "lanes link to incidents"
    );
}

/// `n` incidents a day apart from 2024-01-01 00:00 UTC, each an hour
/// long, SEV1 and SEV2 in turn from SEV1; the last one still open.
fn daily_spans(paths: &[String]) -> Vec<IncidentSpan<'_>> {
    let n = paths.len();
    let day0: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
    paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let started = day0 + jiff::SignedDuration::from_hours(24 * i as i64);
            let sev1 = i % 2 == 0;
            IncidentSpan {
                title: "Daily",
                path,
                started,
                resolved: (i + 1 < n).then(|| started + jiff::SignedDuration::from_hours(1)),
                severity: Some(if sev1 { "SEV1" } else { "SEV2" }),
                severity_class: if sev1 { "sev1" } else { "sev2" },
            }
        })
        .collect()
}

#[test]
fn a_busy_services_bars_are_one_path_per_look_without_links() {
    let paths: Vec<String> = (0..=history::LINKED_BARS)
        .map(|i| format!("incidents/pm-{i}/"))
        .collect();
    // At most LINKED_BARS (100) incidents: a link with a tooltip per bar.
    let few = history::service_lanes(&daily_spans(&paths[..100]), &TimeZone::UTC, "../../")
        .expect("incidents");
    assert_accessible_xml(&few);
    assert_eq!(few.matches("<a href=\"../../incidents/pm-").count(), 100);
    assert_eq!(few.matches("<title>Daily (2024-").count(), 100);
    // 101: no link and no tooltip; a picture whose bars are one path per
    // severity and state. Days 0, 2, ..., 98 are SEV1 and closed (50),
    // day 100 is SEV1 and open (1), days 1, 3, ..., 99 are SEV2 (50).
    let many =
        history::service_lanes(&daily_spans(&paths), &TimeZone::UTC, "../../").expect("incidents");
    assert_accessible_xml(&many);
    assert!(!many.contains("<a ") && !many.contains("<title>Daily"));
    let doc = roxmltree::Document::parse(&many).unwrap();
    assert_eq!(doc.root_element().attribute("role"), Some("img"));
    let bars: Vec<(&str, usize)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path"))
        .filter_map(|n| Some((n.attribute("class")?, n.attribute("d")?)))
        .filter(|(class, _)| class.starts_with("kb-bar "))
        .map(|(class, d)| (class, d.matches('M').count()))
        .collect();
    assert_eq!(
        bars,
        [
            ("kb-bar kb-sev-sev1", 50),
            ("kb-bar kb-sev-sev1 kb-bar-open", 1),
            ("kb-bar kb-sev-sev2", 50),
        ]
    );
    // Each bar is a closed box 10 high, as wide as the bar (an hour is
    // under a pixel of a year 704 wide, so the least width, 4): the first
    // starts the lane, at x 48.
    let sev1 = doc
        .descendants()
        .find(|n| n.has_tag_name("path") && n.attribute("class") == Some("kb-bar kb-sev-sev1"))
        .and_then(|n| n.attribute("d"))
        .unwrap();
    assert!(sev1.starts_with("M48 "), "{sev1}");
    assert_eq!(sev1.matches("h4v10h-4z").count(), 50, "{sev1}");
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(
        desc.starts_with("101 incidents from 2024 to 2024"),
        "{desc}"
    );
    assert!(desc.ends_with("The list of the service's incidents links each of them."));
}

#[test]
fn badges_are_numbered_as_the_events_list() {
    let built = common::Built::new("diagram-seed");
    let page = built.page("incidents/2024-06-08-web-platform-outage/index.html");
    let listed = page.texts("ol.timeline > li > div");
    assert_eq!(listed.len(), 11);
    assert_eq!(
        listed[6],
        "The web development team identified a recent update that potentially caused the memory leak."
    );
    let badges = page.texts("figure.timeline-diagram .kb-tl a text");
    let expected: Vec<String> = (1..=listed.len()).map(|n| n.to_string()).collect();
    assert_eq!(
        badges, expected,
        "one badge per listed event, numbered as listed"
    );
    // Each badge links to its list item and is named by it.
    let items = page.attrs("ol.timeline > li", "id");
    let targets: Vec<String> = page
        .attrs("figure.timeline-diagram .kb-tl a", "href")
        .iter()
        .map(|h| h.trim_start_matches('#').to_owned())
        .collect();
    assert_eq!(targets, items);
    assert_eq!(
        page.attrs("figure.timeline-diagram .kb-tl a", "aria-labelledby"),
        items
    );
}

#[test]
fn diagrams_stay_small() {
    // The seed: 11 events, three milestones, seven hour ticks. Its axis
    // diagram was 11 KB with the events' texts drawn in it and a 11 KB
    // flow twin beside it on the page; then 4.5 KB with each event's text
    // as its badge's tooltip. Now each badge is a link named by its item
    // of the page's list, so the seed's events (all too long to be drawn
    // beside their badges) are not in the drawing: 3,383 bytes, of which
    // the 11 links with their badges and numbers are 1,479 (134 each).
    // The multi-day one, 12 events and day ticks: 4,763.
    let seed = only_timeline("diagram-seed");
    let axis = diagram::axis_svg(&seed);
    assert!(axis.len() < 3_500, "axis: {} bytes", axis.len());
    assert!(seed.events.iter().all(|e| !axis.contains(&e.text)));
    let multiday = only_timeline("diagram-multiday");
    let axis = diagram::axis_svg(&multiday);
    assert!(axis.len() < 5_000, "multiday axis: {} bytes", axis.len());
    let flow = diagram::flow_svg(&seed);
    assert!(flow.len() < 5_500, "flow: {} bytes", flow.len());
}

fn kb_cmd() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("kb"))
}

#[test]
fn show_prints_facts_and_timeline() {
    let out = kb_cmd()
        .arg("--root")
        .arg(fixture("diagram-seed"))
        .args(["show", "2024-06-08-web-platform-outage"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Outage on June 8, 2024\n"));
    assert!(text.contains("severity  SEV1"));
    assert!(text.contains("detected +0 min"));
    assert!(text.contains("+45 min  resolved +3 h"));
    let missing = kb_cmd()
        .arg("--root")
        .arg(fixture("diagram-seed"))
        .args(["show", "outage"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("did you mean: 2024-06-08-web-platform-outage")
    );
}

/// A timeline of `offsets` (minutes after 2025-01-01 00:00 UTC) with texts
/// of `words` words, impact from the first to the last event.
fn generated(offsets: &[i64], words: &[usize]) -> Timeline {
    let base: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    let at = |m: i64| {
        base.checked_add(jiff::SignedDuration::from_mins(m))
            .unwrap()
    };
    let events: Vec<Event> = offsets
        .iter()
        .zip(words)
        .enumerate()
        .map(|(n, (&m, &w))| Event {
            number: n + 1,
            at: at(m),
            text: "word ".repeat(w).trim().to_owned(),
        })
        .collect();
    let (first, last) = (
        *offsets.iter().min().unwrap(),
        *offsets.iter().max().unwrap(),
    );
    let milestone = |kind, m: i64| Milestone {
        kind,
        at: at(m),
        lag: Some(jiff::SignedDuration::from_mins(m - first)),
    };
    let milestones = vec![
        Milestone {
            kind: MilestoneKind::Started,
            at: at(first),
            lag: None,
        },
        milestone(MilestoneKind::Detected, first + (last - first) / 10),
        milestone(MilestoneKind::Mitigated, first + (last - first) / 2),
        milestone(MilestoneKind::Resolved, last),
    ];
    Timeline {
        title: "Generated".into(),
        milestones,
        events,
        zone: TimeZone::UTC,
        dated: true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn labels_never_overlap(
        events in proptest::collection::vec((0i64..4 * 24 * 60, 0usize..40), 1..=60),
        clustered in any::<bool>(),
    ) {
        // Clustered: every event within ten minutes, the densest case.
        let offsets: Vec<i64> = events.iter().map(|e| if clustered { e.0 % 10 } else { e.0 }).collect();
        let words: Vec<usize> = events.iter().map(|e| e.1).collect();
        let t = generated(&offsets, &words);
        let layout = diagram::axis_layout(&t);
        let boxes = layout.label_boxes();
        for (i, a) in boxes.iter().enumerate() {
            prop_assert!(a.x >= 0.0 && a.x + a.w <= 760.0, "box {i} leaves the drawing: {a:?}");
            for b in &boxes[i + 1..] {
                prop_assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
        // An event's text crosses no leader and no milestone line.
        let lines = layout.line_boxes();
        for e in &layout.event_labels {
            prop_assert!(e.text.chars().count() <= diagram::EVENT_LABEL_CHARS);
            for l in &lines {
                prop_assert!(!e.rect.overlaps(l), "{e:?} crosses {l:?}");
            }
        }
        prop_assert_eq!(layout.badges.len(), offsets.len());
        prop_assert!(roxmltree::Document::parse(&diagram::axis_svg(&t)).is_ok());
    }
}

#[test]
fn short_events_are_labelled_beside_their_badges_where_they_fit() {
    // Events at 0, 120 and 240 min: the scale puts them at x 59.6, 380 and
    // 700.4 (as in the pages' snapshot), each badge 16 wide around it, so
    // a label starts 8 + 3 right of its event: at 70.6, 391 and 711.4.
    // Detected (a tenth in, 24 min) draws its line at
    // 59.6 + 640.7 × 24 / 240 = 123.7.
    let t = generated(&[0, 120, 240], &[1, 1, 1]);
    let layout = diagram::axis_layout(&t);
    let numbers = |l: &diagram::Layout| l.event_labels.iter().map(|e| e.number).collect::<Vec<_>>();
    // "word" (30.2 wide at 12 px) fits beside every badge: the last ends
    // at 741.6, inside the drawing (750).
    assert_eq!(numbers(&layout), [1, 2, 3]);
    let (badge, label) = (&layout.badges[0].rect, &layout.event_labels[0].rect);
    assert_eq!(label.x, badge.x + badge.w + 3.0);
    assert!(diagram::axis_svg(&t).contains(">word</text>"));
    // "word word" (about 64 wide) from 70.6 would cross the detected line
    // at 123.7, and left of badge 1 (from 51.6) leave the drawing; right of
    // badge 3 (from 711.4) it would leave the drawing too, so it goes left
    // of it, ending 3 before the badge.
    let t = generated(&[0, 120, 240], &[2, 1, 2]);
    let layout = diagram::axis_layout(&t);
    assert_eq!(numbers(&layout), [2, 3]);
    let (badge, label) = (&layout.badges[2].rect, &layout.event_labels[1].rect);
    assert!((label.x + label.w - (badge.x - 3.0)).abs() < 1e-9);
    // Drawn end-anchored, so a wider font grows away from the badge.
    let svg = diagram::axis_svg(&t);
    let at = svg.find(">word word</text>").expect("event 3's label");
    let open = svg[..at].rfind("<text").expect("its element");
    assert!(svg[open..at].contains("kb-end"), "{}", &svg[open..at]);
    // Longer than EVENT_LABEL_CHARS (nine words, 44 characters): never drawn.
    let t = generated(&[0, 120, 240], &[1, 9, 1]);
    assert_eq!(numbers(&diagram::axis_layout(&t)), [1, 3]);
}
