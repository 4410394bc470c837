//! `kb check`: loads and lints every postmortem without rendering or
//! writing anything, and prints the diagnostics as text, JSON, or CI
//! annotations (see [`super::annotations`]).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::analysis::lint::{self, LintInput};
use crate::cli::CheckFormat;
use crate::config::Config;
use crate::content;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::render::theme::Theme;

/// How to check.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Text or JSON.
    pub format: CheckFormat,
    /// Warnings fail the check too.
    pub strict: bool,
    /// Lint drafts too.
    pub drafts: bool,
}

/// Runs a check; returns the process exit code.
pub fn run(root: &Path, options: CheckOptions) -> i32 {
    let diagnostics = check(root, options.drafts);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let text = match options.format {
        CheckFormat::Text => {
            let color = std::io::stdout().is_terminal();
            let mut text = String::new();
            for d in &diagnostics {
                text.push_str(&super::report::render(d, color));
                text.push('\n');
            }
            text
        }
        CheckFormat::Json => to_json(&diagnostics) + "\n",
        CheckFormat::Github => super::annotations::github(&diagnostics, &repo_prefix(root)),
        CheckFormat::Gitlab => super::annotations::gitlab(&diagnostics, &repo_prefix(root)) + "\n",
    };
    // A closed pipe (`kb check | head`) is not an error of the check.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if matches!(options.format, CheckFormat::Text | CheckFormat::Github) {
        eprintln!("kb check: {errors} error(s), {warnings} warning(s)");
    }
    let failed = errors > 0 || (options.strict && warnings > 0);
    i32::from(failed)
}

/// The site's folder within its git checkout; none outside a checkout.
fn repo_prefix(root: &Path) -> PathBuf {
    crate::git::site_prefix(root).unwrap_or_default()
}

/// Every diagnostic about the site at `root`, sorted by file and position.
pub fn check(root: &Path, drafts: bool) -> Vec<Diagnostic> {
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(d) => return vec![d],
    };
    let mut diagnostics = Vec::new();
    if let Err(d) = Theme::load(root, &config.theme) {
        diagnostics.push(d);
    }
    // Drafts are loaded always: they can be `related` targets.
    let (loaded, sources) = content::load_with_sources(root, &config, true);
    diagnostics.extend(loaded.diagnostics);
    diagnostics.extend(lint::lint(&LintInput {
        incidents: &loaded.incidents,
        config: &config,
        now: super::build_time(),
        sources: &sources,
        drafts,
    }));
    diagnostic::sort(&mut diagnostics);
    diagnostics
}

/// One diagnostic as `kb check --format json` gives it.
#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    severity: Severity,
    code: &'a str,
    message: &'a str,
}

/// The diagnostics as a JSON array of `{file, line, column, severity, code,
/// message}`, line and column null when unknown.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            file: d.path.to_string_lossy().replace('\\', "/"),
            line: d.position.as_ref().map(|p| p.line),
            column: d.position.as_ref().map(|p| p.column),
            severity: d.severity,
            code: d.code.as_str(),
            message: &d.message,
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned())
}
