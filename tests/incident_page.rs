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
    // One timeline: the event list under the author's Timeline heading,
    // the author's lines folded under it; no second list of events.
    assert_eq!(
        page.texts(".prose h2#timeline + ol.timeline > li").len(),
        10
    );
    assert_eq!(page.texts("ol.timeline").len(), 1);
    assert!(page.texts("#timeline-events-heading").is_empty());
    assert_eq!(
        page.texts("details.as-written > summary"),
        ["The timeline as written", "The action items as written"]
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
    let titles = page.texts(".related .incident-item-title");
    let degradation = "Card payments slow and failing during Cardinal Pay degradation";
    assert_eq!(titles.iter().filter(|t| *t == degradation).count(), 1);
    assert_eq!(titles[0], degradation);
    assert!(
        page.texts(".related-why")[0].starts_with("Named as related; references this incident"),
        "{:?}",
        page.texts(".related-why")
    );
}
