//! `kb import` of HTML exports: a Confluence page export (with the space's
//! index page beside it), a Google Docs "Web page" export and a Notion
//! HTML export, written for these tests (tests/fixtures/import-html/).
//! The chrome goes, the document's structure stays, inference reads the
//! result like any plain postmortem (scored against the facts each export
//! states), and a folder import reports every file in one table.

mod common;

use std::path::Path;

use common::fixture;
use kb::content::html::{Export, to_markdown};
use serde_json::Value;

fn markdown(rel: &str) -> (Export, String) {
    let dir = fixture("import-html").join(rel);
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "html") && !p.ends_with("index.html"))
        .unwrap();
    let converted = to_markdown(&std::fs::read_to_string(file).unwrap()).unwrap();
    (converted.export, converted.markdown)
}

fn assert_has(md: &str, needles: &[&str]) {
    for needle in needles {
        assert!(md.contains(needle), "missing {needle:?} in:\n{md}");
    }
}

fn assert_lacks(md: &str, needles: &[&str]) {
    for needle in needles {
        assert!(!md.contains(needle), "chrome {needle:?} left in:\n{md}");
    }
}

#[test]
fn confluence_page_export() {
    let (export, md) = markdown("confluence");
    assert_eq!(export, Export::Confluence);
    assert!(
        md.starts_with("# Payments API outage 2024-03-12\n\n**Severity:** SEV2  \n"),
        "{md}"
    );
    assert_has(
        &md,
        &[
            "**Services:** payments-api, checkout",
            "## Timeline",
            "| 14:11 | PagerDuty alert *PaymentsAuthErrorRate* fires; on-call acknowledges.",
            "```yml\npayments-api:\n  db:\n    pool:\n      max: 20",
            "![Grafana: payments-api 503 rate and DB pool saturation, 13:30 to 15:30 UTC](attachments/",
            "- [x] Revert the pool size",
            "- [ ] Alert on pool wait time",
            "1. Environment-specific values",
            "> Customers were not charged twice",
        ],
    );
    assert_lacks(
        &md,
        &[
            "Incident Reviews :",
            "2024 postmortems",
            "Created by",
            "Attachments",
            "image-2024-3-13",
            "Document generated",
            "Atlassian",
            "AJS",
            "page properties macro",
            "/display/~",
        ],
    );
}

#[test]
fn google_docs_web_page_export() {
    let (export, md) = markdown("gdocs");
    assert_eq!(export, Export::GoogleDocs);
    assert!(
        md.starts_with("# Postmortem: Search latency after index migration\n\n**Date:**"),
        "{md}"
    );
    assert_eq!(
        md.matches("Search latency after index migration").count(),
        1
    );
    assert_has(
        &md,
        &[
            "**Severity:** SEV3",
            "# Timeline",
            "| Time  | Event ",
            "| 10:32    | Alias `products` switched"
                .replace("    ", " ")
                .as_str(),
            "the `price_bucket` doc values",
            // The redirect unwrapped, the query decoded.
            "(https://dashboards.example.com/d/search-funnel?from=1730800800000)",
            "```\nGET products-2024-11/_mapping/field/price_bucket\n```",
            "![Search p95 latency, 10:00 to 13:00 UTC, with the alias switches marked](images/image1.png)",
            "1. Compare mappings",
        ],
    );
    assert_lacks(
        &md,
        &[
            "[a]",
            "Should we say",
            "@import",
            "lst-kix",
            "google.com/url",
        ],
    );
}

#[test]
fn notion_html_export() {
    let (export, md) = markdown("notion");
    assert_eq!(export, Export::Notion);
    assert!(
        md.starts_with("# Checkout 502s after deploy\n\n**Severity:** SEV2  \n"),
        "{md}"
    );
    assert_has(
        &md,
        &[
            "**Services:** checkout, edge-proxy",
            "**Incident lead:** Kenji Watanabe",
            "| 2025-09-16 10:07 | Alert `CheckoutHigh5xx` fires.",
            "```yaml\nupstream checkout:",
            "![Edge proxy upstream health by pod during the rollout](",
            "Healthy upstreams fell from 9 to 3",
            "> Orders placed during the window were kept",
            // One list of three tasks, not three lists.
            "- [x] Point the edge proxy at /health/ready\n- [ ] Contract test",
        ],
    );
    assert_lacks(&md, &["cspell", "🔥", "webkit", "notion-static"]);
}

/// The whole export folder at once: three postmortems written, the
/// Confluence index skipped, one table; then what inference found in each
/// (the `--format json` report) and the files build.
#[test]
fn a_folder_import() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    let run = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("kb")
            .unwrap()
            .arg("--root")
            .arg(site)
            .args(["import", "--into", "content", "--format", format])
            .arg(fixture("import-html"))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, table) = run("text");
    assert_eq!(code, Some(0), "{table}");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 6, "{table}");
    assert!(lines[0].starts_with("file") && lines[0].contains("not found"));
    assert!(lines[2].contains("index.html") && lines[2].contains("skipped"));
    assert!(lines[3].contains("google-docs") && lines[3].contains("written"));
    assert_eq!(
        lines[5],
        "4 files: 3 written, 0 would be written, 1 skipped, 0 not imported"
    );
    for name in [
        "Payments-API-outage-2024-03-12.md",
        "PostmortemSearchlatencyafterindexmigration.md",
        "Checkout 502s after deploy.md",
    ] {
        assert!(site.join("content").join(name).is_file(), "{name}");
    }
    // Again, as JSON, without --force: every file exists now.
    let (code, json) = run("json");
    assert_eq!(code, Some(1));
    let report: Value = serde_json::from_str(&json).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    assert!(files.iter().filter(|f| f["status"] == "exists").count() == 3);
    let facts = |stem: &str| -> Vec<(String, String)> {
        let f = files
            .iter()
            .find(|f| f["source"].as_str().unwrap().contains(stem))
            .unwrap();
        f["inferred"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["field"].as_str().unwrap().to_owned(),
                    x["value"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let value = |facts: &[(String, String)], field: &str| {
        facts
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    // Confluence: the range in the summary, the page properties.
    let c = facts("Payments-API");
    assert_eq!(value(&c, "started"), "2024-03-12T14:05:00+00:00");
    assert_eq!(value(&c, "resolved"), "2024-03-12T15:02:00+00:00");
    assert_eq!(value(&c, "severity"), "SEV2");
    assert_eq!(value(&c, "services"), "payments-api, checkout");
    assert_eq!(value(&c, "timeline"), "6 events");
    assert_eq!(value(&c, "actions"), "3 items");
    // Google Docs: the Duration line on the Date line's day, 35% of users.
    let g = facts("PostmortemSearch");
    assert_eq!(value(&g, "started"), "2024-11-05T10:40:00+00:00");
    assert_eq!(value(&g, "resolved"), "2024-11-05T12:25:00+00:00");
    assert_eq!(value(&g, "impact.users_pct"), "35");
    assert_eq!(value(&g, "authors"), "Amara Nwosu, Tomás Ferreira");
    assert_eq!(value(&g, "timeline"), "5 events");
    // Notion: the property table and the summary's range.
    let n = facts("Checkout 502s");
    assert_eq!(value(&n, "started"), "2025-09-16T10:02:00+00:00");
    assert_eq!(value(&n, "resolved"), "2025-09-16T10:48:00+00:00");
    assert_eq!(value(&n, "services"), "checkout, edge-proxy");
    assert_eq!(value(&n, "timeline"), "4 events");
    // What was imported builds.
    let built = common::Built::at(site, false);
    assert!(
        built
            .files
            .contains_key("incidents/checkout-502s-after-deploy/index.html")
    );
    assert!(!Path::new(&site.join("content/index.md")).exists());
}

/// A file's name part, the score recorded for it, and (field, value) of
/// each fact it states.
type Scored = (&'static str, usize, &'static [(&'static str, &'static str)]);

/// The facts each export states, read by hand (the rules of
/// tests/corpora/plain.tsv: a share of users, requests or payment
/// attempts is `impact.users_pct`), against what `kb import` inferred.
/// The test fails when a score drops below the one recorded in the
/// closing note of issue 21 (raised since); it prints the misses.
const STATED: [Scored; 3] = [
    (
        "Payments-API",
        9,
        &[
            ("title", "Payments API outage 2024-03-12"),
            ("started", "2024-03-12T14:05:00+00:00"),
            ("resolved", "2024-03-12T15:02:00+00:00"),
            (
                "root_cause",
                "The config release set the connection pool for the wrong environment: the value meant for the staging cluster went to production",
            ),
            ("actions", "3 items"),
            ("timeline", "6 events"),
            ("severity", "SEV2"),
            ("services", "payments-api, checkout"),
            // "about 40% of card authorisations failed".
            ("impact.users_pct", "40"),
        ],
    ),
    (
        "PostmortemSearch",
        9,
        &[
            ("title", "Search latency after index migration"),
            ("started", "2024-11-05T10:40:00+00:00"),
            ("resolved", "2024-11-05T12:25:00+00:00"),
            (
                "root_cause",
                "The index template for the new cluster lacked doc values for price_bucket, a field every category page filters on",
            ),
            ("actions", "2 items"),
            ("timeline", "5 events"),
            ("severity", "SEV3"),
            ("authors", "Amara Nwosu, Tomás Ferreira"),
            ("impact.users_pct", "35"),
        ],
    ),
    (
        "Checkout 502s",
        9,
        &[
            ("title", "Checkout 502s after deploy"),
            ("started", "2025-09-16T10:02:00+00:00"),
            ("resolved", "2025-09-16T10:48:00+00:00"),
            // The sentence above the YAML block, which ends with a colon.
            (
                "root_cause",
                "The health check moved from /healthz to /health/ready, but the edge proxy's upstream config still probed the old path",
            ),
            ("actions", "3 items"),
            ("timeline", "4 events"),
            ("severity", "SEV2"),
            ("services", "checkout, edge-proxy"),
            // "12% of checkout requests returned 502 Bad Gateway".
            ("impact.users_pct", "12"),
        ],
    ),
];

#[test]
fn what_inference_reads_in_each_export() {
    let tmp = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .arg("--root")
        .arg(tmp.path())
        .args(["import", "--dry-run", "--format", "json"])
        .arg(fixture("import-html"))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Compared without code marks and the sentence's last stop or colon.
    let bare = |s: &str| s.replace('`', "").trim_end_matches(['.', ':']).to_owned();
    for (stem, recorded, stated) in STATED {
        let file = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["source"].as_str().unwrap().contains(stem))
            .unwrap();
        let inferred = |field: &str| {
            file["inferred"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["field"] == field)
                .map(|x| bare(x["value"].as_str().unwrap()))
        };
        let misses: Vec<String> = stated
            .iter()
            .filter(|(field, want)| inferred(field).as_deref() != Some(*want))
            .map(|(field, _)| format!("{field}: {:?}", inferred(field)))
            .collect();
        let right = stated.len() - misses.len();
        println!("{stem}: {right} of {}; missed {misses:?}", stated.len());
        assert!(right >= recorded, "{stem}: {right} right, {misses:#?}");
    }
}
