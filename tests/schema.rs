//! `kb schema`: the JSON Schema of a site's front matter is a valid draft
//! 2020-12 schema (checked with the `jsonschema` crate); the example
//! content and the fixtures kb builds validate against it; each bad-input
//! fixture whose error a schema can express does not; `[fields]` names and
//! the registry's enums are respected; `kb init`, `kb new` and `kb build`
//! set the files up and keep them current.

mod common;

use std::path::{Path, PathBuf};

use common::fixture;
use kb::config::Config;
use kb::content::{FrontMatter, schema, split};
use serde_json::Value;

/// What `kb ARGS` printed for the site at `root` (see [`common::kb`]).
fn kb(root: &Path, args: &[&str]) -> std::process::Output {
    common::kb(root, args).get_output().clone()
}

/// The schema `kb schema` prints for the site at `root`, checked against
/// the draft 2020-12 meta-schema.
fn schema_of(root: &Path) -> Value {
    let out = kb(root, &["schema"]);
    assert!(out.status.success(), "{out:?}");
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    jsonschema::draft202012::meta::validate(&schema).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    schema
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

/// Every postmortem with front matter under `root/content`, with its
/// front matter as JSON (TOML datetimes as their text, as taplo gives them
/// to a schema).
fn front_matters(root: &Path) -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let text = text.replace("\r\n", "\n");
        let Ok(parts) = split(text.trim_start_matches('\u{feff}')) else {
            continue;
        };
        if parts.format.is_none() {
            continue;
        }
        if let Ok(fm) = FrontMatter::parse(&parts) {
            out.push((entry.path().to_path_buf(), Value::Object(fm.map)));
        }
    }
    out
}

/// The error messages of the front matter of `root`'s files.
fn errors(root: &Path) -> Vec<(String, Vec<String>)> {
    let schema = schema_of(root);
    let validator = validator(&schema);
    front_matters(root)
        .into_iter()
        .map(|(path, fm)| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let errors = validator.iter_errors(&fm).map(|e| e.to_string()).collect();
            (name, errors)
        })
        .collect()
}

#[test]
fn the_example_content_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = errors(root);
    // 21 postmortems, every one with front matter.
    assert_eq!(found.len(), 21);
    for (name, errors) in found {
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

/// Fixtures that build without errors or registry warnings validate too:
/// YAML and TOML, local datetimes, `[fields]` names, and front matter
/// with gaps that inference fills (no `title`, `title = ""`, `started = ""`).
#[test]
fn fixtures_that_build_validate() {
    for name in [
        "basic",
        "seed",
        "diagram-flow",
        "crlf-bom",
        "mapped",
        "gaps",
    ] {
        let found = errors(&fixture(name));
        assert!(!found.is_empty(), "{name} has front matter");
        for (file, errors) in found {
            assert!(errors.is_empty(), "{name}/{file}: {errors:#?}");
        }
    }
}

/// Each bad-input fixture whose error lies in one file's values fails; the
/// rest (syntax errors, a TOML datetime on February 30th among them, empty
/// files, cross-field checks such as a negative duration, duplicate slugs,
/// site.toml errors) are `kb check`'s alone. `front-matter-no-title` is
/// no error any more: kb infers the title (an `inferred` warning).
#[test]
fn bad_inputs_of_the_right_kind_fail() {
    let cases = [
        "action-bad-due",
        "action-without-title",
        "feb-30-string",
        "impact-wrong-type",
        "invalid-status",
        "timeline-event-bad-at",
        "timeline-event-without-at",
        "timeline-not-a-list",
        "unknown-severity",
        "unknown-timezone",
        "users-pct-150",
        "wrong-type-services",
        "wrong-type-started",
        "wrong-type-title",
        "year-99999",
    ];
    for case in cases {
        let root = fixture("bad").join(case);
        let found = errors(&root);
        assert!(
            found.iter().any(|(_, errors)| !errors.is_empty()),
            "{case} validates: {found:?}"
        );
    }
}

/// A few of those, with the error the schema gives.
#[test]
fn what_the_schema_says() {
    let config = Config::default();
    let schema = schema::schema(&config);
    let v = validator(&schema);
    let fails = |doc: Value| v.iter_errors(&doc).count() > 0;
    assert!(!fails(
        serde_json::json!({"title": "t", "severity": "sev2"})
    ));
    assert!(fails(serde_json::json!({"title": "t", "severity": "SEV5"})));
    assert!(!fails(
        serde_json::json!({"title": "t", "started": "2024-02-29 10:00"})
    ));
    assert!(fails(
        serde_json::json!({"title": "t", "started": "2024-02-30 10:00"})
    ));
    assert!(fails(
        serde_json::json!({"title": "t", "started": "2024-06-08T25:00:00Z"})
    ));
    assert!(fails(
        serde_json::json!({"title": "t", "timezone": "Mars/Olympus"})
    ));
    assert!(!fails(
        serde_json::json!({"title": "t", "timezone": "Europe/Berlin"})
    ));
    assert!(fails(
        serde_json::json!({"title": "t", "actions": [{"title": "a", "due": "soon"}]})
    ));
    assert!(!fails(
        serde_json::json!({"title": "t", "actions": [{"title": "a", "status": "closed"}]})
    ));
    assert!(fails(
        serde_json::json!({"title": "t", "impact": {"users_pct": 101}})
    ));
    assert!(fails(
        serde_json::json!({"title": "t", "timeline_style": "spiral"})
    ));
    assert!(
        !fails(serde_json::json!({"severity": "SEV1"})),
        "a missing title is inferred, not an error"
    );
    assert!(
        !fails(serde_json::json!({"title": ""})),
        "a blank title is inferred too, with a warning"
    );
    // An empty moment is unknown (an `empty-date` warning), not an error;
    // an empty event time or due date is still one.
    assert!(!fails(
        serde_json::json!({"title": "t", "started": "", "resolved": " "})
    ));
    assert!(fails(serde_json::json!({"title": "t", "started": "soon"})));
    assert!(fails(
        serde_json::json!({"title": "t", "timeline": [{"at": "", "text": "x"}]})
    ));
    assert!(fails(
        serde_json::json!({"title": "t", "actions": [{"title": "a", "due": ""}]})
    ));
}

/// `[fields]` names: `start_time`, `categories` (a single string allowed
/// under a mapped name), and `customer_impact.share` inside a table.
#[test]
fn mapped_names_are_the_schemas_names() {
    let root = fixture("mapped");
    let schema = schema_of(&root);
    let props = &schema["properties"];
    assert!(props.get("started").is_none());
    assert_eq!(props["start_time"]["$ref"], "#/$defs/moment");
    assert_eq!(
        props["customer_impact"]["properties"]["share"]["$ref"],
        "#/$defs/users_pct"
    );
    for (file, errors) in errors(&root) {
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
    let v = validator(&schema);
    let bad = serde_json::json!({"title": "t", "customer_impact": {"share": 250}});
    assert!(v.iter_errors(&bad).count() > 0);
    let bad = serde_json::json!({"title": "t", "start_time": "yesterday"});
    assert!(v.iter_errors(&bad).count() > 0);
}

/// The lint fixture's registry: `api` with alias `web-api`, cause
/// `bad-deploy`. registry.md names `Web API` (an alias in another
/// spelling: fine) and `search` and `cosmic-rays` (unknown: two errors),
/// as `kb check` warns.
#[test]
fn the_registry_is_an_enum_in_any_spelling() {
    let root = fixture("lint");
    let schema = schema_of(&root);
    assert_eq!(
        schema["$defs"]["service"]["anyOf"][0]["enum"],
        serde_json::json!(["api", "web-api"])
    );
    let found = errors(&root);
    let registry = &found.iter().find(|(f, _)| f == "registry.md").unwrap().1;
    assert_eq!(registry.len(), 2, "{registry:#?}");
    assert!(
        registry.iter().any(|e| e.contains("search")),
        "{registry:#?}"
    );
    assert!(
        registry.iter().any(|e| e.contains("cosmic-rays")),
        "{registry:#?}"
    );
    for (file, errors) in &found {
        if file != "registry.md" {
            assert!(errors.is_empty(), "{file}: {errors:#?}");
        }
    }
}

/// `kb init` writes the schema and `.taplo.toml`; `kb new` with a YAML
/// template names the schema on its first line; `kb build` rewrites the
/// schema when site.toml changes and leaves it when it does not.
#[test]
fn init_new_and_build_keep_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("kb");
    assert!(
        kb(&root, &["init", root.to_str().unwrap()])
            .status
            .success()
    );
    let schema_path = root.join(schema::FILE_NAME);
    let taplo = std::fs::read_to_string(root.join(".taplo.toml")).unwrap();
    assert!(
        taplo.contains("path = \"postmortem.schema.json\""),
        "{taplo}"
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    assert_eq!(written, schema_of(&root));

    let templates = root.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("new.md"),
        "---\ntitle: {{ title }}\nseverity: SEV3\n---\n\n## Summary\n",
    )
    .unwrap();
    let out = kb(&root, &["new", "Queue backlog", "--date", "2026-01-05"]);
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(root.join("content/2026-01-05-queue-backlog.md")).unwrap();
    assert!(
        text.starts_with(
            "---\n# yaml-language-server: $schema=../postmortem.schema.json\ntitle: Queue backlog\n"
        ),
        "{text}"
    );

    let public = root.join("public");
    let build = |root: &Path| kb(root, &["build", "-o", public.to_str().unwrap()]);
    assert!(build(&root).status.success());
    assert!(!String::from_utf8_lossy(&build(&root).stdout).contains("updated"));
    let site = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let site = site.replace(
        "severities = [\"SEV1\", \"SEV2\", \"SEV3\", \"SEV4\"]",
        "severities = [\"SEV1\", \"SEV2\", \"SEV3\", \"SEV4\", \"SEV5\"]",
    );
    std::fs::write(root.join("site.toml"), site).unwrap();
    let out = build(&root);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("updated"));
    let now: Value = serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    assert_eq!(now["$defs"]["severity"]["anyOf"][0]["enum"][4], "SEV5");
    let again = build(&root);
    assert!(!String::from_utf8_lossy(&again.stdout).contains("updated"));
}
