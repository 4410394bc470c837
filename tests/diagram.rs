//! Timeline diagrams: snapshots of the seed's and a multi-day incident's
//! SVG, well-formed XML for every example incident, graceful handling of
//! unknown times, the style switch, `kb show`, and a property test that no
//! two labels of the axis layout overlap.

use std::path::{Path, PathBuf};

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
fn load(root: &Path) -> (Vec<Incident>, TimeZone) {
    let config = Config::load(root).expect("fixture site.toml is valid");
    let loaded = kb::content::load(root, &config, false);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    (loaded.incidents, config.time_zone().expect("known zone"))
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
        "Impact 03:00–06:00 UTC (3 h); detected after 0 min; resolved after 3 h; 11 events."
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
    assert_eq!(svg.matches(r#"class="kb-tl-break""#).count(), 2);
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
                // Axis comes with its flow twin: wrap both to parse them as one document.
                let doc = format!("<figure>{svg}</figure>");
                let parsed = roxmltree::Document::parse(&doc)
                    .unwrap_or_else(|e| panic!("{}: {e}", incident.slug));
                for svg_node in parsed.root_element().children().filter(|n| n.is_element()) {
                    assert_accessible_xml(&doc[svg_node.range()]);
                }
            }
        }
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
    let t = only_timeline("diagram-times-of-day");
    let svg = diagram::axis_svg(&t);
    assert!(svg.contains("&lt;the&gt; &quot;lag&quot; &amp; errors"));
    assert_accessible_xml(&svg);
}

#[test]
fn times_of_day_are_drawn_as_written() {
    // No date anywhere: 23:40 to 00:15 the next day, on a stand-in day.
    let t = only_timeline("diagram-times-of-day");
    assert!(!t.dated);
    assert!(t.milestones.is_empty());
    assert_eq!(t.events.len(), 4);
    let svg = diagram::axis_svg(&t);
    assert!(svg.contains(">23:40<") && svg.contains(">00:15<"));
    assert!(svg.contains("times of day as written"));
    assert!(svg.contains("Times of day only, 23:40 to 00:15; 4 events."));
    assert!(!svg.contains("Jan"), "the stand-in day never shows");
}

#[test]
fn nothing_known_draws_nothing() {
    let (mut incidents, zone) = load(&fixture("diagram-seed"));
    let i = &mut incidents[0];
    i.timeline.clear();
    (i.started, i.detected, i.resolved) = (None, None, None);
    assert!(diagram::incident_svg(i, &zone, TimelineStyle::Axis).is_none());
    // Only an end known: a milestone alone still draws.
    i.resolved = Some("2024-06-08T06:00:00Z".parse().unwrap());
    let svg = diagram::incident_svg(i, &zone, TimelineStyle::Axis).expect("resolved is known");
    assert!(svg.contains("Impact times unknown"));
}

#[test]
fn style_comes_from_site_and_front_matter() {
    let out = tempfile::tempdir().unwrap();
    kb_cmd()
        .args(["--root"])
        .arg(fixture("diagram-flow"))
        .args(["build", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let page = |slug: &str| {
        std::fs::read_to_string(out.path().join(format!("incidents/{slug}/index.html"))).unwrap()
    };
    let flow = page("cache-eviction");
    assert!(flow.contains("kb-tl-flow") && !flow.contains("kb-tl-axis"));
    let axis = page("queue-backlog");
    assert!(axis.contains("kb-tl-axis kb-tl-wide") && axis.contains("kb-tl-flow kb-tl-narrow"));
    let service = std::fs::read_to_string(out.path().join("services/search/index.html")).unwrap();
    assert!(
        service.contains(r#"<a href="../../incidents/cache-eviction/">"#),
        "lanes link to incidents"
    );
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
        prop_assert_eq!(layout.badges.len(), offsets.len());
        prop_assert!(roxmltree::Document::parse(&diagram::axis_svg(&t)).is_ok());
    }
}
