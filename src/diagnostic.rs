//! Diagnostics: an error or warning about a user's file, with the place it
//! points at. Every stage reports problems as `Diagnostic`s; the command line
//! (and later `kb serve`) renders them in one place.

mod code;

use std::fmt;
use std::path::{Path, PathBuf};

pub use code::Code;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot go on with this file.
    Error,
    /// The build goes on; the author should look.
    Warning,
}

/// A position in a source file, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column in characters, starting at 1.
    pub column: usize,
}

/// One problem found in a user's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem it is; its name (`unterminated-front-matter`)
    /// is stable, for tools.
    pub code: Code,
    /// What is wrong, in words a tired engineer understands.
    pub message: String,
    /// The file, relative to the site root when it is inside it.
    pub path: PathBuf,
    /// Where in the file, when known.
    pub position: Option<Position>,
    /// The text of the line the position points at, for an excerpt.
    pub line_text: Option<String>,
}

impl Diagnostic {
    /// An error about `path` as a whole.
    pub fn error(code: Code, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: path.to_path_buf(),
            position: None,
            line_text: None,
        }
    }

    /// A warning about `path` as a whole.
    pub fn warning(code: Code, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    /// Points the diagnostic at `line` and `column` (1-based) of `source`.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        let line = line.max(1);
        self.position = Some(Position {
            line,
            column: column.max(1),
        });
        self.line_text = source.lines().nth(line - 1).map(str::to_owned);
        self
    }

    /// Points the diagnostic at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_column(source, offset);
        self.at(source, line, column)
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.path.display())?;
        if let Some(p) = &self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        write!(f, ": {kind}[{}]: {}", self.code, self.message)
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Sorts diagnostics by file, then position, so reports are stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let pos = |d: &Diagnostic| d.position.as_ref().map(|p| (p.line, p.column));
        (&a.path, pos(a), a.severity).cmp(&(&b.path, pos(b), b.severity))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 3), (2, 1));
        assert_eq!(line_column(src, 7), (2, 4));
        assert_eq!(line_column(src, 100), (3, 2));
    }
}
