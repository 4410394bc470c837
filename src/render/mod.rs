//! Rendering: the site's pages from the incidents and their analysis, with
//! the theme's templates (minijinja), plus the feed, sitemap and static
//! files. A pure function of its input: same input, same bytes.

pub mod charts;
pub mod diagram;
mod escape;
mod exports;
pub mod feeds;
pub mod format;
mod insights;
mod pages;
mod search;
mod summaries;
pub mod theme;
mod trend_charts;
pub mod views;

pub use escape::xml_escape;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Timestamp;
use minijinja::{AutoEscape, Environment};

use crate::analysis::Analysis;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Incident;
use theme::Theme;

/// The built site: output path (`incidents/x/index.html`) -> bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Everything a render needs.
pub struct RenderInput<'a> {
    /// Site settings.
    pub config: &'a Config,
    /// Incidents, sorted by start.
    pub incidents: &'a [Incident],
    /// Their analysis.
    pub analysis: &'a Analysis,
    /// Templates and static files.
    pub theme: &'a Theme,
    /// Absolute URL of the site root, ending with `/`.
    pub base_url: String,
    /// The build's date and time (the clock is read by the command, not here).
    pub build_time: Timestamp,
}

/// Renders the whole site into memory.
pub fn render(input: &RenderInput<'_>) -> Result<Files, Vec<Diagnostic>> {
    let env = environment(input.theme)?;
    let mut files = pages::render_all(input, &env)?;
    for (name, bytes) in &input.theme.statics {
        files.insert(format!("static/{name}"), bytes.clone());
    }
    if let Some(icon) = input.theme.statics.get("favicon.svg") {
        files.insert("favicon.svg".into(), icon.clone());
    }
    files.insert("feed.xml".into(), feeds::atom(input).into_bytes());
    for (path, bytes) in exports::files(input) {
        files.insert(path.into(), bytes);
    }
    files.insert(
        "sitemap.xml".into(),
        feeds::sitemap(&input.base_url, files.keys()).into_bytes(),
    );
    files.insert(
        "robots.txt".into(),
        feeds::robots(&input.base_url).into_bytes(),
    );
    files.extend(search::index(input));
    Ok(files)
}

/// A template environment with the theme's templates; HTML and XML
/// templates escape what they print.
pub fn environment(theme: &Theme) -> Result<Environment<'static>, Vec<Diagnostic>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".svg") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    // Escape only what HTML needs (minijinja's default also escapes `/`,
    // which makes every link longer without making it safer).
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Html)
            && !value.is_safe()
            && let Some(text) = value.as_str()
        {
            return std::fmt::Write::write_str(out, &xml_escape(text)).map_err(|_| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write the page")
            });
        }
        minijinja::escape_formatter(out, state, value)
    });
    let mut errors = Vec::new();
    for (name, source) in &theme.templates {
        if let Err(e) = env.add_template_owned(name.clone(), source.clone()) {
            errors.push(template_error(theme, &e));
        }
    }
    if errors.is_empty() {
        Ok(env)
    } else {
        Err(errors)
    }
}

/// A template error as a diagnostic pointing into the template file.
pub fn template_error(theme: &Theme, e: &minijinja::Error) -> Diagnostic {
    let name = e.name().unwrap_or("template");
    let path = theme
        .template_paths
        .get(name)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(name));
    let message = format!(
        "template error: {}",
        e.detail().unwrap_or(&e.kind().to_string())
    );
    let d = Diagnostic::error("template-error", &path, message);
    match (e.line(), theme.templates.get(name)) {
        (Some(line), Some(source)) => d.at(source, line, 1),
        _ => d,
    }
}
