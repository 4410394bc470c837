//! Printing diagnostics to the terminal, with a source excerpt.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};

/// Renders `d` as text: `file:line:col: error[code]: message` and an
/// excerpt of the line it points at.
pub fn render(d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = d.path.display().to_string();
    let title = format!("{} [{}]", d.message, d.code);
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let group = match (&d.position, &d.line_text) {
        (Some(pos), Some(line)) => {
            let start: usize = line
                .char_indices()
                .nth(pos.column.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i);
            let end = line[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
            level.primary_title(&title).element(
                Snippet::source(line.as_str())
                    .line_start(pos.line)
                    .path(&path)
                    .annotation(AnnotationKind::Primary.span(start..end.max(start))),
            )
        }
        _ => level
            .primary_title(&title)
            .element(annotate_snippets::Origin::path(&path)),
    };
    let text = renderer.render(&[group]);
    // Our own first line (`file:line:col: error[code]: message`, the form
    // editors and CI annotations parse), then the excerpt without its title.
    let excerpt: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    if d.position.is_some() {
        format!("{d}\n{}", excerpt.join("\n"))
    } else {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Position};

    /// Positions are 1-based; a 0 (from a damaged parse cache, say) still
    /// renders.
    #[test]
    fn a_zero_position_renders() {
        let mut d = Diagnostic::warning(
            crate::diagnostic::Code::Inferred,
            std::path::Path::new("content/a.md"),
            "m",
        );
        d.position = Some(Position { line: 0, column: 0 });
        d.line_text = Some("title = 1".into());
        assert!(render(&d, false).contains("content/a.md"));
    }
}
