//! Tests of the plain postmortem layout.

use super::*;

const SEED: &str = include_str!("../../tests/fixtures/plain/content/seed-2024-06-08.md");

#[test]
fn the_seed_as_its_author_laid_it_out() {
    let md = to_markdown(SEED);
    for heading in [
        "# Postmortem: Outage on June 8, 2024\n",
        "# Issue Summary\n",
        "# Timeline\n",
        "### Root Cause\n",
        "### Tasks\n",
    ] {
        assert!(md.contains(heading), "{heading} in {md}");
    }
    // The summary's Key: value lines, "Impact:" holding the three below it.
    assert!(md.contains(
        "<dt>Duration of Outage</dt>\n<dd>June 8, 2024, 03:00 AM to 06:00 AM UTC (3 hours)</dd>"
    ));
    assert!(md.contains("<dt>Impact</dt>\n<dd>Our primary e-commerce platform was down.<br>Users"));
    // Eleven time lines, one list; the measures as lists, the stray ** dropped.
    assert_eq!(md.matches("\n- **0").count(), 11);
    assert!(md.contains("- **03:00 AM** A monitoring alert was triggered"));
    assert!(md.contains("- Upgrade Infrastructure: Increase server capacity"));
    // Line breaks kept in a paragraph.
    assert!(md.contains("stable version.\\\nServers were restarted"));
    // The drawing, fenced, its indentation taken off; the text after it
    // is no action item.
    assert!(md.contains("```text\n+------------------+\n|  Outage Begins   |\n"));
    assert!(md.contains("\nEngaging Elements\\\n"));
    assert!(md.contains("<dt>Humor</dt>"));
}

#[test]
fn the_seed_summary_is_its_impact_in_words() {
    assert_eq!(
        summary(SEED).as_deref(),
        Some(
            "Our primary e-commerce platform was down. Users experienced 502 Bad Gateway errors when attempting to access the site. Approximately 85% of users were affected."
        )
    );
    assert_eq!(summary("#Title\nDate: today\n#Timeline\nx\n"), None);
    assert_eq!(
        summary("#Title\n\nIt broke.\nWe fixed it.\n").as_deref(),
        Some("It broke. We fixed it.")
    );
}

#[test]
fn a_kb_file_keeps_facts_as_bold_keys_without_html() {
    let md = to_kb_markdown(SEED);
    assert!(!md.contains("<d"), "{md}");
    assert!(md.contains("**Duration of Outage:** June 8, 2024, 03:00 AM to 06:00 AM UTC (3 hours)\\\n**Impact:**\\\nOur primary"), "{md}");
    assert!(md.contains("\n**Root Cause:** An unexpected spike"), "{md}");
}

#[test]
fn lenient_headings() {
    let md = to_markdown(
        "TIMELINE (UTC)\n10:02 alert\n\n**Impact**\nSlow.\n\n📋 Action items\nFix it\n\nTimeline\nnone\n",
    );
    assert!(md.contains("## TIMELINE (UTC)\n"), "{md}");
    assert!(md.contains("## Impact\n"), "{md}");
    assert!(md.contains("## Action items\n\n- Fix it"), "{md}");
    assert!(md.contains("## Timeline\n"), "{md}");
    assert_eq!(
        classify("The summary of what we did was long."),
        Line::Text("The summary of what we did was long.")
    );
}

#[test]
fn plain_text_is_taken_literally() {
    let md = to_markdown(
        "[14:02] <alice> anyone seeing 502s? *shrug*\n\n1. first\n2. second\n\nv2.1. is out",
    );
    assert!(
        md.contains("- **14:02** \\<alice\\> anyone seeing 502s? \\*shrug\\*"),
        "{md}"
    );
    assert!(md.contains("1. first\n2. second"), "{md}");
    assert!(md.contains("v2.1. is out"), "{md}");
}

#[test]
fn markdown_is_not_plain() {
    assert!(is_plain(SEED));
    assert!(!is_plain("# Summary\nIt broke.\n"));
    assert!(!is_plain("Intro\n\n| Time | Event |\n|---|---|\n"));
    assert!(!is_plain("See [the runbook](https://x.example)."));
    assert!(is_plain("- 10:02 alert\n- 10:10 fixed\n"));
}

#[test]
fn a_first_line_alone_is_the_title() {
    let md = to_markdown("Elevated error rates on webhook delivery\n\nResolved - All good.\n");
    assert!(
        md.starts_with("# Elevated error rates on webhook delivery\n"),
        "{md}"
    );
    // A sentence, or a line with text right under it, stays text.
    for body in [
        "Webhooks failed for an hour.\n\nMore.\n",
        "Webhooks\nfailed\n",
    ] {
        assert!(!to_markdown(body).starts_with('#'), "{body}");
    }
}
