//! The JSON Schema (draft 2020-12) of this site's front matter, for editors
//! to validate and complete while people write: the canonical keys under
//! the names site.toml `[fields]` gives them, the site's severities, the
//! registry's services and causes (aliases included) as enums, datetimes
//! and dates as formats, `actions` and `timeline` as lists of tables. It
//! says what `kb check` says where a schema can; what needs the whole site
//! (unknown `related` slugs, events out of order) stays with `kb check`.
//! What kb infers when it is missing is not required: a front matter
//! without `title`, or with `title = ""` or `started = ""`, builds (with a warning).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::slug::slugify;
use crate::config::Config;
use crate::model::{ActionStatus, Status};

/// The file at the site root that holds the schema: `kb init` and `kb new`
/// write it, `kb build` keeps it current, editors read it.
pub const FILE_NAME: &str = "postmortem.schema.json";

/// The schema as pretty JSON, ending with a newline: the same bytes for
/// the same site.toml.
pub fn text(config: &Config) -> String {
    let mut text =
        serde_json::to_string_pretty(&schema(config)).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// The schema of a postmortem's front matter for `config`.
pub fn schema(config: &Config) -> Value {
    let mut root = Map::new();
    for (key, value) in canonical_properties(config) {
        insert(&mut root, config.field_name(key), value);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("Postmortem front matter: {}", config.title),
        "description": "Made by `kb schema` from site.toml; `kb build` keeps postmortem.schema.json current.",
        "type": "object",
        "properties": root,
        "$defs": defs(config),
    })
}

/// Every canonical key and its schema; a list under a mapped name also
/// takes a single string, as kb reads it.
fn canonical_properties(config: &Config) -> Vec<(&'static str, Value)> {
    let list = |key: &str, items: Value, what: &str| {
        let list = json!({"type": "array", "items": items, "description": what});
        if config.fields.contains_key(key) {
            json!({"anyOf": [list, items], "description": what})
        } else {
            list
        }
    };
    let text = |what: &str| json!({"type": ["string", "number"], "description": what});
    let at = |what: &str| json!({"$ref": "#/$defs/moment", "description": what});
    let free = json!({"type": ["string", "number"]});
    vec![
        (
            "title",
            json!({"type": "string", "description": "The incident's title; without it, or blank, kb infers one from the body (first heading, else first sentence) and warns."}),
        ),
        (
            "summary",
            text("One paragraph; else the Summary section's first."),
        ),
        ("status", json!({"$ref": "#/$defs/status"})),
        ("severity", json!({"$ref": "#/$defs/severity"})),
        (
            "services",
            list(
                "services",
                json!({"$ref": "#/$defs/service"}),
                "Affected services.",
            ),
        ),
        (
            "causes",
            list(
                "causes",
                json!({"$ref": "#/$defs/cause"}),
                "Root-cause categories.",
            ),
        ),
        ("tags", list("tags", free.clone(), "Free tags.")),
        (
            "authors",
            list("authors", free.clone(), "Who wrote the postmortem."),
        ),
        (
            "related",
            list("related", free, "Slugs of related incidents."),
        ),
        (
            "trigger",
            text("What set it off (deploy, traffic-spike, ...)."),
        ),
        (
            "detection",
            text("How it was noticed (monitoring, customer-report, ...)."),
        ),
        ("started", at("Impact began.")),
        ("detected", at("The incident was noticed.")),
        ("acknowledged", at("Someone took it on.")),
        ("mitigated", at("Impact was contained.")),
        ("resolved", at("Impact ended.")),
        ("timezone", json!({"$ref": "#/$defs/timezone"})),
        (
            "timeline_style",
            json!({"enum": ["axis", "flow"], "description": "This incident's diagram: a time axis or boxes down the page."}),
        ),
        ("impact", json!({"$ref": "#/$defs/impact"})),
        ("impact.users_pct", json!({"$ref": "#/$defs/users_pct"})),
        (
            "actions",
            json!({"type": "array", "items": {"$ref": "#/$defs/action"}, "description": "Follow-ups ([[actions]])."}),
        ),
        (
            "timeline",
            json!({"type": "array", "items": {"$ref": "#/$defs/event"}, "description": "Events ([[timeline]]); replaces the body's Timeline."}),
        ),
    ]
}

/// Puts `value` at `name` in `properties`; a dotted name reaches into
/// tables, as site.toml `[fields]` allows (`customer_impact.share`). The
/// canonical `impact.users_pct` already lives in `impact`.
fn insert(properties: &mut Map<String, Value>, name: &str, value: Value) {
    if name == "impact.users_pct" {
        return;
    }
    let Some((table, rest)) = name.split_once('.') else {
        properties.insert(name.to_owned(), value);
        return;
    };
    let entry = properties
        .entry(table.to_owned())
        .or_insert_with(|| json!({"type": "object", "properties": {}}));
    if let Some(inner) = entry.get_mut("properties").and_then(Value::as_object_mut) {
        insert(inner, rest, value);
    }
}

/// The shared definitions: datetimes, dates, the site's vocabularies and
/// the tables of actions and events.
fn defs(config: &Config) -> Value {
    let action_statuses = ActionStatus::SPELLINGS.map(|(name, _)| name);
    let statuses = Status::SPELLINGS.map(|(name, _)| name);
    json!({
        "datetime": {
            "anyOf": [
                {"type": "string", "format": "date-time"},
                {"type": "string", "pattern": DATETIME_WITHOUT_OFFSET},
            ],
            "description": "RFC 3339 (2024-06-08T03:00:00Z), or YYYY-MM-DD HH:MM[:SS] read in `timezone`.",
        },
        "moment": {
            "anyOf": [
                {"$ref": "#/$defs/datetime"},
                {"type": "string", "pattern": "^\\s*$"},
            ],
            "description": "A datetime, or an empty string: unknown (`empty-date` warning), read from the body when it tells.",
        },
        "date": {"type": "string", "format": "date", "description": "YYYY-MM-DD."},
        "status": {
            "enum": statuses,
            "description": "draft (left out unless --drafts), review or final (the default).",
        },
        "severity": {
            "anyOf": [
                {"enum": config.severities},
                {"type": "string", "pattern": any_case(&config.severities)},
            ],
            "description": format!("One of the site's levels, worst first: {}.", config.severities.join(", ")),
        },
        "service": vocabulary(config.services.iter().map(|(k, e)| (k, &e.aliases)), "[services]"),
        "cause": vocabulary(config.causes.iter().map(|(k, e)| (k, &e.aliases)), "[causes]"),
        "timezone": {
            "enum": zone_names(),
            "description": "An IANA zone for datetimes written without an offset.",
        },
        "users_pct": {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "string", "pattern": "^\\s*\\d+(\\.\\d+)?\\s*%?\\s*$"},
            ],
            "description": "Share of users affected, 0 to 100.",
        },
        "impact": {
            "anyOf": [
                {
                    "type": "object",
                    "properties": {
                        "users_pct": {"$ref": "#/$defs/users_pct"},
                        "summary": {"type": "string"},
                    },
                },
                {"type": "string"},
            ],
            "description": "users_pct and summary, or a summary alone.",
        },
        "action": {
            "type": "object",
            "required": ["title"],
            "properties": {
                "title": {"type": ["string", "number"], "minLength": 1},
                "owner": {"type": ["string", "number"]},
                "status": {"enum": action_statuses, "description": "open (the default), done or wontfix."},
                "due": {"$ref": "#/$defs/date"},
                "closed": {"$ref": "#/$defs/date"},
                "team": {"type": ["string", "number"]},
                "priority": {"type": ["string", "number"]},
                "url": {"type": "string"},
            },
        },
        "event": {
            "type": "object",
            "required": ["at"],
            "properties": {
                "at": {"$ref": "#/$defs/datetime"},
                "text": {"type": "string"},
                "kind": {"type": "string"},
            },
        },
    })
}

/// `YYYY-MM-DD HH:MM[:SS[.fff]]` (or with `T`) without an offset, on a day
/// the month has (a 29th of February in any year).
const DATETIME_WITHOUT_OFFSET: &str = concat!(
    "^\\d{4}-(",
    "(0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])",
    "|(0[469]|11)-(0[1-9]|[12]\\d|30)",
    "|02-(0[1-9]|1\\d|2\\d)",
    ")[T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?$",
);

/// A pattern that matches each of `levels` in any case (kb reads them so;
/// a schema enum only as listed, which is what editors complete).
fn any_case(levels: &[String]) -> String {
    let alternatives: Vec<String> = levels
        .iter()
        .map(|level| level.trim().chars().map(either_case).collect())
        .collect();
    format!("^\\s*({})\\s*$", alternatives.join("|"))
}

/// A character in either case (`[sS]`), or escaped when it is not a letter.
fn either_case(c: char) -> String {
    let (lower, upper): (String, String) = (c.to_lowercase().collect(), c.to_uppercase().collect());
    if lower != upper {
        format!("[{lower}{upper}]")
    } else if c.is_alphanumeric() || c == ' ' {
        c.to_string()
    } else {
        format!("\\{c}")
    }
}

/// A pattern matching every spelling that names one of `slugs` as kb
/// normalises names: any case, any run of other characters between the
/// words (`Web API`, `web_api` and `web-api` are one service). Gaps are
/// ASCII classes: editors' regex engines may lack Unicode classes.
fn any_spelling(slugs: &BTreeSet<String>) -> String {
    let gap = "[^A-Za-z0-9]";
    let alternatives: Vec<String> = slugs
        .iter()
        .map(|slug| {
            let words: Vec<String> = slug
                .split('-')
                .map(|w| w.chars().map(either_case).collect())
                .collect();
            words.join(&format!("{gap}+"))
        })
        .collect();
    format!("^{gap}*({}){gap}*$", alternatives.join("|"))
}

/// A registry's names as an enum (keys and aliases: display names do not
/// count in `kb check`), and any spelling of them as a pattern; any
/// string when the registry is empty, as `kb check` then warns of none.
fn vocabulary<'a>(
    entries: impl Iterator<Item = (&'a String, &'a Vec<String>)>,
    table: &str,
) -> Value {
    let mut names = BTreeSet::new();
    for (key, aliases) in entries {
        names.insert(key.clone());
        names.extend(aliases.iter().cloned());
    }
    if names.is_empty() {
        return json!({"type": ["string", "number"]});
    }
    let slugs: BTreeSet<String> = names
        .iter()
        .map(|n| slugify(n))
        .filter(|s| !s.is_empty())
        .collect();
    json!({
        "anyOf": [
            {"enum": names},
            {"type": "string", "pattern": any_spelling(&slugs)},
        ],
        "description": format!("A name of site.toml's {table} registry (keys and aliases, in any case)."),
    })
}

/// The IANA zone names of the database kb carries, sorted: the same list
/// on every machine.
fn zone_names() -> Vec<String> {
    let db = jiff::tz::TimeZoneDatabase::bundled();
    let mut names: Vec<String> = db.available().map(|n| n.as_str().to_owned()).collect();
    names.sort();
    names
}
