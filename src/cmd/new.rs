//! `kb new`: writes `content/YYYY-MM-DD-slug.md` from the theme's `new.md`
//! template, with every canonical field and section ready to fill in. It
//! never overwrites a file, and it checks that what it writes builds.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;
use minijinja::{Value, context};

use crate::config::Config;
use crate::content::{self, CONTENT_DIR, slug::slugify};
use crate::diagnostic::Diagnostic;
use crate::render::{self, bounds, theme::Theme};

use super::schema;

/// The template a site's theme can override.
pub const TEMPLATE: &str = "new.md";

/// What to put in the new postmortem.
#[derive(Debug, Clone, Default)]
pub struct NewOptions {
    /// The incident's title.
    pub title: String,
    /// One of the site's severity levels.
    pub severity: Option<String>,
    /// Affected services.
    pub services: Vec<String>,
    /// Root-cause categories.
    pub causes: Vec<String>,
    /// The incident's date, `YYYY-MM-DD`; today when absent.
    pub date: Option<String>,
}

/// Writes the postmortem; returns the process exit code.
pub fn run(root: &Path, options: &NewOptions) -> i32 {
    match create(root, options, super::build_time()) {
        Ok(rel) => {
            println!("kb: wrote {}", rel.display());
            match set_up_editors(root, &rel) {
                Ok(written) => {
                    for path in written {
                        println!("kb: wrote {}", path.display());
                    }
                }
                Err(message) => eprintln!("kb: {message}"),
            }
            0
        }
        Err(message) => {
            eprintln!("kb: {message}");
            1
        }
    }
}

/// Makes sure editors can validate the new postmortem `rel`: writes
/// `postmortem.schema.json` when it is missing or out of date, and for TOML
/// front matter a `.taplo.toml` when the site has none (YAML front matter
/// names the schema itself, see [`schema::with_yaml_modeline`]). Returns
/// the files it wrote.
pub fn set_up_editors(root: &Path, rel: &Path) -> Result<Vec<PathBuf>, String> {
    let config = Config::load(root).map_err(|d| d.to_string())?;
    let fail = |e: std::io::Error| format!("cannot write the schema files: {e}");
    let mut written: Vec<PathBuf> = schema::write(root, &config)
        .map_err(fail)?
        .into_iter()
        .collect();
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
    if text.starts_with("+++") {
        written.extend(schema::write_taplo(root).map_err(fail)?);
    }
    Ok(written)
}

/// Renders and writes the new file; returns its path relative to `root`.
pub fn create(root: &Path, options: &NewOptions, now: Timestamp) -> Result<PathBuf, String> {
    let config = Config::load(root).map_err(|d| report(&[d]))?;
    let theme = Theme::load(root, &config.theme).map_err(|d| report(&[d]))?;
    let zone = config.time_zone().clone();
    let date = match &options.date {
        Some(text) => text
            .trim()
            .parse::<Date>()
            .map_err(|_| format!("--date {text:?} is not a date: write it as YYYY-MM-DD"))?,
        None => now.to_zoned_datetime(zone.clone()).date(),
    };
    let severity = match &options.severity {
        Some(given) => Some(
            config
                .severities
                .iter()
                .find(|level| level.eq_ignore_ascii_case(given.trim()))
                .cloned()
                .ok_or_else(|| {
                    format!(
                        "unknown severity {given:?}: this site's levels are {}",
                        config.severities.join(", ")
                    )
                })?,
        ),
        None => None,
    };
    let slug = slugify(&options.title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit".to_owned());
    }
    let rel = Path::new(CONTENT_DIR).join(format!("{date}-{slug}.md"));
    let ctx = context! {
        title => options.title.trim(),
        date => date.to_string(),
        severity,
        services => &options.services,
        causes => &options.causes,
        severities => &config.severities,
    };
    let text = schema::with_yaml_modeline(&render_template(&theme, ctx)?, &rel);
    let (_, diagnostics) = content::parse_bytes(&rel, text.as_bytes(), &config, &zone);
    let errors: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "the {TEMPLATE} template makes a postmortem that does not build:\n{}",
            report(&errors)
        ));
    }
    write_new(&root.join(&rel), text.as_bytes()).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!(
            "{} exists: kb new never overwrites, pick another title or --date",
            rel.display()
        ),
        _ => format!("cannot write {}: {e}", rel.display()),
    })?;
    Ok(rel)
}

/// Renders the theme's `new.md` (Markdown: nothing is HTML-escaped).
fn render_template(theme: &Theme, ctx: Value) -> Result<String, String> {
    let mut env = render::environment(theme).map_err(|d| report(&d))?;
    env.add_filter("toml", toml_literal);
    env.set_fuel(Some(bounds::BASE_FUEL));
    let mut text = bounds::render(&env, theme, TEMPLATE, ctx, bounds::MAX_FRAGMENT_BYTES)
        .map_err(|d| report(&[d]))?;
    // minijinja drops the template's last newline; a text file ends with one.
    text.push('\n');
    Ok(text)
}

/// A string or a list of strings as a TOML literal, quoted and escaped.
fn toml_literal(value: Value) -> Result<String, minijinja::Error> {
    let quote = |v: &Value| {
        toml::Value::String(v.as_str().map_or_else(|| v.to_string(), str::to_owned)).to_string()
    };
    if value.as_str().is_some() {
        return Ok(quote(&value));
    }
    let items: Vec<String> = value.try_iter()?.map(|v| quote(&v)).collect();
    Ok(format!("[{}]", items.join(", ")))
}

/// Creates `path` (and its folder) with `bytes`, failing if it exists.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

fn report(diagnostics: &[Diagnostic]) -> String {
    let color = std::io::stderr().is_terminal();
    let texts: Vec<String> = diagnostics
        .iter()
        .map(|d| super::report::render(d, color))
        .collect();
    texts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(title: &str) -> NewOptions {
        NewOptions {
            title: title.into(),
            severity: Some("sev2".into()),
            services: vec!["checkout".into(), "api \"gateway\"".into()],
            causes: vec!["bad-deploy".into()],
            date: Some("2026-03-04".into()),
        }
    }

    #[test]
    fn writes_every_field_and_section_and_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let now = Timestamp::UNIX_EPOCH;
        let rel = create(tmp.path(), &options("Checkout 502s after deploy"), now).unwrap();
        assert_eq!(
            rel,
            Path::new("content/2026-03-04-checkout-502s-after-deploy.md")
        );
        let text = std::fs::read_to_string(tmp.path().join(&rel)).unwrap();
        for needle in [
            "title = \"Checkout 502s after deploy\"",
            "severity = \"SEV2\"",
            "services = [\"checkout\", 'api \"gateway\"']",
            "causes = [\"bad-deploy\"]",
            "# started = \"2026-03-04 14:05\"",
            "[impact]",
            "# [[actions]]",
            "## Summary",
            "## Impact",
            "## Timeline",
            "## Root Cause",
            "## Resolution",
            "## Action Items",
            "## Lessons Learned",
            "### What went well",
            "### What went wrong",
            "### Where we got lucky",
        ] {
            assert!(text.contains(needle), "{needle} missing in:\n{text}");
        }
        std::fs::write(tmp.path().join(&rel), "mine").unwrap();
        let again = create(tmp.path(), &options("Checkout 502s after deploy"), now).unwrap_err();
        assert!(again.contains("never overwrites"), "{again}");
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(&rel)).unwrap(),
            "mine"
        );
    }

    #[test]
    fn quotes_and_ampersands_survive() {
        let tmp = tempfile::tempdir().unwrap();
        let rel = create(
            tmp.path(),
            &options("Tom's \"big\" <b>& outage"),
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        let text = std::fs::read_to_string(tmp.path().join(&rel)).unwrap();
        let config = Config::default();
        let (incident, _) =
            content::parse_bytes(&rel, text.as_bytes(), &config, &jiff::tz::TimeZone::UTC);
        assert_eq!(incident.unwrap().title, "Tom's \"big\" <b>& outage");
    }

    #[test]
    fn rejects_unknown_severity_and_bad_dates() {
        let tmp = tempfile::tempdir().unwrap();
        let bad = NewOptions {
            severity: Some("SEV9".into()),
            ..options("x")
        };
        assert!(
            create(tmp.path(), &bad, Timestamp::UNIX_EPOCH)
                .unwrap_err()
                .contains("SEV1, SEV2")
        );
        let bad = NewOptions {
            date: Some("yesterday".into()),
            ..options("x")
        };
        assert!(
            create(tmp.path(), &bad, Timestamp::UNIX_EPOCH)
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
    }

    #[test]
    fn the_theme_can_override_the_template() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("themes/default/templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(TEMPLATE),
            "+++\ntitle = {{ title|toml }}\nteam = \"sre\"\n+++\n\n## Summary\n",
        )
        .unwrap();
        let rel = create(tmp.path(), &options("Ours"), Timestamp::UNIX_EPOCH).unwrap();
        let text = std::fs::read_to_string(tmp.path().join(rel)).unwrap();
        assert_eq!(
            text,
            "+++\ntitle = \"Ours\"\nteam = \"sre\"\n+++\n\n## Summary\n"
        );
    }
}
