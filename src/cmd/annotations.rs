//! `kb check`'s CI formats: GitHub Actions workflow commands and GitLab's
//! Code Quality report. Both name files from the top of the git checkout
//! (the site may live in a subfolder), which is what the forges match
//! against a pull request's changed files.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Severity};
use crate::git;

/// One workflow command per diagnostic:
/// `::error file=F,line=L,col=C,title=CODE::message`, `::warning` for
/// warnings; a diagnostic about a whole file has no line or column.
pub fn github(diagnostics: &[Diagnostic], prefix: &Path) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = git::repo_path(prefix, &d.path);
        let _ = write!(out, "::{kind} file={}", escape_property(&file));
        if let Some(p) = &d.position {
            let _ = write!(out, ",line={},col={}", p.line, p.column);
        }
        let _ = writeln!(
            out,
            ",title={}::{}",
            escape_property(d.code.as_str()),
            escape_data(&d.message)
        );
    }
    out
}

/// A workflow command's message: `%`, CR and LF would end or garble it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: `:` and `,` also end it.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One issue of a Code Quality report.
#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// GitLab's Code Quality report: a JSON array of issues with a
/// description, the check's name (the diagnostic's code), a severity
/// (`major` for errors, `minor` for warnings, as linters' GitLab
/// formatters map them), the file and line (1 for a whole file), and a
/// fingerprint. The fingerprint hashes file, code and message, not the
/// line, so that an issue that only moved is not reported as fixed and
/// new; identical issues in one file are told apart by their order.
pub fn gitlab(diagnostics: &[Diagnostic], prefix: &Path) -> String {
    let mut seen: HashMap<(String, &str, &str), usize> = HashMap::new();
    let issues: Vec<Issue<'_>> = diagnostics
        .iter()
        .map(|d| {
            let path = git::repo_path(prefix, &d.path);
            let nth = seen
                .entry((path.clone(), d.code.as_str(), d.message.as_str()))
                .or_default();
            let fingerprint = fingerprint(&path, d.code.as_str(), &d.message, *nth);
            *nth += 1;
            Issue {
                description: &d.message,
                check_name: d.code.as_str(),
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path,
                    lines: Lines {
                        begin: d.position.as_ref().map_or(1, |p| p.line),
                    },
                },
            }
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_owned())
}

/// SHA-256 of the fields, each ended by a NUL so that no two tuples hash
/// the same text, in hex.
fn fingerprint(path: &str, code: &str, message: &str, nth: usize) -> String {
    let mut hash = Sha256::new();
    for part in [path, code, message, &nth.to_string()] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn properties_and_data_are_escaped() {
        let d = Diagnostic::error(
            Code::WrongType,
            Path::new("content/a,b:c.md"),
            "50% off\nnow",
        )
        .at("x\n", 1, 1);
        assert_eq!(
            github(&[d], Path::new("kb")),
            "::error file=kb/content/a%2Cb%3Ac.md,line=1,col=1,title=wrong-type::50%25 off%0Anow\n"
        );
    }

    #[test]
    fn twin_issues_get_different_fingerprints() {
        let d = Diagnostic::warning(Code::Inferred, Path::new("content/a.md"), "same");
        let json = gitlab(&[d.clone(), d], Path::new(""));
        let issues: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
        assert_eq!(issues[0]["location"]["lines"]["begin"], 1);
    }
}
