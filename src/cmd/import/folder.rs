//! `kb import DIR`: every document of an export folder at once (HTML,
//! Markdown and text files, in name order, hidden files and the exports'
//! asset folders' images passed over), reported in one summary table.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::FileReport;

/// The files `kb import` takes from the arguments: a file as it is, a
/// folder's documents in name order.
pub fn expand(args: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for arg in args {
        if !arg.is_dir() {
            files.push(arg.clone());
            continue;
        }
        let walk = walkdir::WalkDir::new(arg)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk.filter_map(Result::ok) {
            if entry.file_type().is_file() && is_document(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    files
}

fn is_document(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["html", "htm", "md", "markdown", "txt"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// One table for the whole import: each file, what it was exported from,
/// what became of it, where it went, how many values were inferred and
/// which were not found; then the totals.
pub fn write_table(out: &mut impl Write, reports: &[FileReport]) -> std::io::Result<()> {
    let rows: Vec<[String; 6]> = reports
        .iter()
        .map(|r| {
            [
                r.source.display().to_string(),
                r.export.map_or("text", export_name).to_owned(),
                r.status.to_owned(),
                r.output
                    .as_ref()
                    .filter(|_| matches!(r.status, "written" | "would-write" | "exists"))
                    .map_or_else(|| "-".to_owned(), |o| o.display().to_string()),
                r.inferred.len().to_string(),
                if r.missing.is_empty() {
                    "-".to_owned()
                } else {
                    r.missing.join(", ")
                },
            ]
        })
        .collect();
    let header = [
        "file",
        "from",
        "status",
        "written to",
        "inferred",
        "not found",
    ];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    let count = |status: &str| reports.iter().filter(|r| r.status == status).count();
    let failed = reports.len() - count("written") - count("would-write") - count("skipped");
    writeln!(
        out,
        "{} files: {} written, {} would be written, {} skipped, {} not imported",
        reports.len(),
        count("written"),
        count("would-write"),
        count("skipped"),
        failed
    )
}

fn export_name(export: crate::content::html::Export) -> &'static str {
    use crate::content::html::Export;
    match export {
        Export::Confluence => "confluence",
        Export::GoogleDocs => "google-docs",
        Export::Notion => "notion",
        Export::Html => "html",
    }
}
