//! An incident page says each thing once: the example knowledge base's
//! checkout retry storm (content/2025/2025-03-04-checkout-retry-storm.md)
//! has Summary, Timeline and Action Items sections, ten timed lines in its
//! Timeline, four action items in its front matter, and names two related
//! incidents, one of which names it back.

mod common;

use std::path::Path;

#[test]
fn the_incident_page_says_each_thing_once() {
    let site = common::Built::at(Path::new(env!("CARGO_MANIFEST_DIR")), false);
    let page = site.page("incidents/2025-03-04-checkout-retry-storm/index.html");
    // The summary is the body's Summary section, not repeated above it.
    assert!(page.texts(".incident-header .lede").is_empty());
    // One timeline: the event list under the author's Timeline heading;
    // the author's lines are all stamped events, so the list says all they
    // say and they are not repeated. The action items' wording (owners
    // and dates in the text) stays folded under their table.
    assert_eq!(
        page.texts(".prose h2#timeline + ol.timeline > li").len(),
        10
    );
    assert_eq!(page.texts("ol.timeline").len(), 1);
    assert!(page.texts("#timeline-events-heading").is_empty());
    assert_eq!(
        page.texts("details.as-written > summary"),
        ["The action items as written"]
    );
    // One table of action items, in place of the Action Items section.
    assert_eq!(
        page.texts(".prose h2#action-items + .actions tbody tr")
            .len(),
        4
    );
    assert_eq!(page.texts("table.action-items").len(), 1);
    assert!(page.texts("#actions-heading").is_empty());
    // Each diagram badge links to its event in that list.
    let links = page.attrs(".kb-tl a", "href");
    assert_eq!(links.len(), 10);
    assert_eq!(links[0], "#event-1");
    assert_eq!(page.attrs("ol.timeline > li", "id")[0], "event-1");
    // One list of related incidents: the payments degradation is named as
    // related and names this one back, listed once with both reasons.
    let titles = page.texts(".related li > a:first-child");
    let degradation = "Card payments slow and failing during Cardinal Pay degradation";
    assert_eq!(titles.iter().filter(|t| *t == degradation).count(), 1);
    assert_eq!(titles[0], degradation);
    assert!(
        page.texts(".related-why")[0].starts_with("Named as related; references this incident"),
        "{:?}",
        page.texts(".related-why")
    );
}

/// One time policy: every time in the site's zone with UTC on hover, the
/// incident's own zone beside it, labelled, only where its clock differs.
/// Fixture `zones`: a site in Europe/Berlin; one postmortem written in
/// America/New_York, one on the site's clock.
#[test]
fn times_are_in_the_site_zone_with_the_incident_zone_beside_them() {
    let site = common::Built::new("zones");
    let page = site.page("incidents/2024-11-29-ny-lock/index.html");
    // 2024-11-29 is after the end of daylight time in both zones: New York
    // is UTC−5 (EST), Berlin UTC+1 (CET). Started 10:12 EST = 15:12 UTC =
    // 16:12 CET; detected 10:15 EST = 16:15 CET; resolved 12:40 EST =
    // 17:40 UTC = 18:40 CET.
    assert_eq!(page.texts(".incident-meta time"), ["2024-11-29 16:12 CET"]);
    assert_eq!(
        page.attrs(".incident-meta time", "title"),
        ["2024-11-29 15:12 UTC"]
    );
    assert!(
        page.texts(".incident-meta .local").is_empty(),
        "once, in the facts"
    );
    assert_eq!(
        page.texts(".facts dd time"),
        [
            "2024-11-29 16:12 CET",
            "2024-11-29 16:15 CET",
            "2024-11-29 18:40 CET"
        ]
    );
    assert_eq!(
        page.attrs(".facts dd time", "title"),
        [
            "2024-11-29 15:12 UTC",
            "2024-11-29 15:15 UTC",
            "2024-11-29 17:40 UTC"
        ]
    );
    assert_eq!(
        page.texts(".facts dd .local"),
        [
            "(its times in grey)",
            "2024-11-29 10:12 EST",
            "2024-11-29 10:15 EST",
            "2024-11-29 12:40 EST"
        ]
    );
    assert!(
        page.texts(".facts dt")
            .contains(&"Incident’s zone".to_owned()),
        "the own zone is named once"
    );
    assert_eq!(
        page.texts("ol.timeline > li > span time"),
        ["16:12 CET", "16:15 CET", "18:40 CET"]
    );
    assert_eq!(
        page.attrs("ol.timeline > li > span time", "title"),
        ["15:12 UTC", "15:15 UTC", "17:40 UTC"]
    );
    assert_eq!(
        page.texts("ol.timeline > li > span .local"),
        ["10:12 EST", "10:15 EST", "12:40 EST"]
    );
    // The diagram is on the site's clock too.
    let svg = page.texts(".kb-tl desc").join(" ");
    assert!(svg.starts_with("Impact 16:12–18:40 CET"), "{svg}");
    assert!(
        page.texts(".kb-tl-note")
            .iter()
            .any(|n| n.starts_with("times in CET"))
    );
    assert!(!page.texts(".kb-tl text").join(" ").contains("EST"));
    // The footer states the policy once.
    let footer = page.texts("footer p").join(" ");
    assert!(
        footer.contains("Times are in Europe/Berlin (UTC when you hover over one)"),
        "{footer}"
    );

    // Written on the site's clock: nothing beside the times. 09:00 CET is
    // 08:00 UTC.
    let page = site.page("incidents/2025-02-03-berlin-cache/index.html");
    assert_eq!(page.texts(".incident-meta time"), ["2025-02-03 09:00 CET"]);
    assert_eq!(
        page.attrs(".incident-meta time", "title"),
        ["2025-02-03 08:00 UTC"]
    );
    assert!(page.texts(".facts .local").is_empty());
    assert!(page.texts("ol.timeline .local").is_empty());
    assert!(
        !page
            .texts(".facts dt")
            .contains(&"Incident’s zone".to_owned())
    );
}

/// The author's timeline is folded under the event list only when it says
/// more than the events. Fixture `plain`: `hrs` is four lines of a stamp
/// (`2100hrs -`) and an event each; `run-on` tells its times in sentences.
#[test]
fn the_timeline_as_written_is_kept_only_when_it_says_more() {
    let site = common::Built::new("plain");
    let folded = |slug: &str| folded(&site, slug, "The timeline as written");
    let hrs = site.page("incidents/hrs/index.html");
    assert_eq!(hrs.texts("ol.timeline > li").len(), 4);
    assert!(!folded("hrs"));
    assert!(folded("run-on"));
}

/// The same for action items. Fixture `plain-corpus`: `sre-template` lists
/// three actions and nothing else, which the table says whole;
/// `british-prose` writes them as promises in wrapped sentences.
#[test]
fn the_action_items_as_written_are_kept_only_when_they_say_more() {
    let site = common::Built::new("plain-corpus");
    let folded = |slug: &str| folded(&site, slug, "The action items as written");
    let template = site.page("incidents/sre-template/index.html");
    assert_eq!(
        template.texts(".actions tbody th"),
        [
            "Pin the image library version",
            "Alert on resize failures, not only on queue depth",
            "Add a resize smoke test to the build"
        ]
    );
    assert!(!folded("sre-template"));
    assert!(folded("british-prose"));
}

/// Whether the page of incident `slug` folds a text under `summary`.
fn folded(site: &common::Built, slug: &str, summary: &str) -> bool {
    site.page(&format!("incidents/{slug}/index.html"))
        .texts("details.as-written > summary")
        .iter()
        .any(|s| s == summary)
}

/// A related incident's partial gets the incident's row: its fields, not
/// the incident list's `row_html`, which is made for `/incidents/` (one
/// folder down, so its links would miss from an incident page, two down)
/// and which kb no longer renders for incidents only shown as related.
/// A theme's partial that prints both sees the fields and no `row_html`.
#[test]
fn related_incidents_get_the_rows_fields_only() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_aged(&repo.join("content"), &root.join("content"));
    std::fs::copy(repo.join("site.toml"), root.join("site.toml")).unwrap();
    let partial = root.join("themes/default/templates/partials/related-item.html");
    std::fs::create_dir_all(partial.parent().unwrap()).unwrap();
    std::fs::write(
        &partial,
        "<li><a href=\"{{ root }}{{ row.path }}\">{{ row.title }}</a> \
         <span class=\"probe\">{{ row.row_html is defined }}</span></li>\n",
    )
    .unwrap();
    common::kb(root, &["build", "--no-git"]).success();
    let html = std::fs::read_to_string(
        root.join("public/incidents/2025-03-04-checkout-retry-storm/index.html"),
    )
    .unwrap();
    let page = scraper::Html::parse_document(&html);
    let probe = scraper::Selector::parse(".related .probe").unwrap();
    let probes: Vec<String> = page.select(&probe).map(|e| e.text().collect()).collect();
    assert!(!probes.is_empty(), "no related incident listed");
    assert!(probes.iter().all(|p| p == "False"), "{probes:?}");
    let link = scraper::Selector::parse(".related li > a").unwrap();
    let first = page.select(&link).next().unwrap();
    assert_eq!(
        first.text().collect::<String>(),
        "Card payments slow and failing during Cardinal Pay degradation"
    );
    assert!(
        first
            .value()
            .attr("href")
            .unwrap()
            .starts_with("../../incidents/")
    );
}
