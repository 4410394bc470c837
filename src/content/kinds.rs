//! Which files under `content/` are postmortems: Markdown (`.md`,
//! `.markdown`) and plain text (`.txt`, a postmortem pasted from a document).
//! Other documents (`.html`, `.docx`, ...) are passed over with a warning
//! that says how to bring them in.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};

/// What kind of file a path is, by its extension (any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.md`, `.markdown`: Markdown, with or without front matter.
    Markdown,
    /// `.txt`: a plain postmortem; no front matter is expected.
    Plain,
    /// A document kb does not read; the text says what to do with it.
    Document(&'static str),
}

/// Extensions of documents that are postmortems in another format, and
/// what to do with them.
const DOCUMENTS: [(&str, &str); 11] = [
    ("html", IMPORT),
    ("htm", IMPORT),
    ("docx", CONVERT),
    ("doc", CONVERT),
    ("odt", CONVERT),
    ("rtf", CONVERT),
    ("rst", CONVERT),
    ("adoc", CONVERT),
    ("asciidoc", CONVERT),
    ("org", CONVERT),
    ("textile", CONVERT),
];

const IMPORT: &str = "turn it into a postmortem with `kb import FILE`";
const CONVERT: &str = "convert it to Markdown first (for example `pandoc -t gfm FILE -o NAME.md`), then `kb import NAME.md` or move it into content/";

impl FileKind {
    /// The kind of `path`, or `None` for a file that is no document.
    pub fn of(path: &Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(FileKind::Markdown),
            "txt" => Some(FileKind::Plain),
            other => DOCUMENTS
                .iter()
                .find(|(e, _)| *e == other)
                .map(|(_, hint)| FileKind::Document(hint)),
        }
    }

    /// Whether kb reads files of this kind as postmortems.
    pub fn is_postmortem(self) -> bool {
        !matches!(self, FileKind::Document(_))
    }
}

/// Whether `path` is a postmortem kb reads.
pub fn is_postmortem(path: &Path) -> bool {
    FileKind::of(path).is_some_and(FileKind::is_postmortem)
}

/// The warning for a document kb passes over, or `None` when `rel` is a
/// postmortem or no document at all.
pub fn passed_over(rel: &Path) -> Option<Diagnostic> {
    let FileKind::Document(hint) = FileKind::of(rel)? else {
        return None;
    };
    let name = rel.to_string_lossy();
    let stem = rel
        .file_stem()
        .map_or_else(|| "postmortem".into(), |s| s.to_string_lossy());
    let hint = hint.replace("FILE", &name).replace("NAME", &stem);
    Some(Diagnostic::warning(
        Code::UnreadDocument,
        rel,
        format!("this document is not read: kb reads .md, .markdown and .txt files; {hint}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        let kind = |p: &str| FileKind::of(Path::new(p));
        assert_eq!(kind("a.md"), Some(FileKind::Markdown));
        assert_eq!(kind("a.MARKDOWN"), Some(FileKind::Markdown));
        assert_eq!(kind("notes/a.TXT"), Some(FileKind::Plain));
        assert!(matches!(kind("a.docx"), Some(FileKind::Document(_))));
        assert_eq!(kind("a.png"), None);
        assert_eq!(kind("Makefile"), None);
    }

    #[test]
    fn a_passed_over_document_says_what_to_do() {
        let d = passed_over(Path::new("content/old/PM-7.docx")).expect("a warning");
        assert_eq!(d.code, "unread-document");
        assert!(
            d.message
                .contains("pandoc -t gfm content/old/PM-7.docx -o PM-7.md")
        );
        let html = passed_over(Path::new("content/a.html")).expect("a warning");
        assert!(html.message.contains("kb import content/a.html"));
        assert!(passed_over(Path::new("content/a.txt")).is_none());
        assert!(passed_over(Path::new("content/diagram.png")).is_none());
    }
}
