//! `kb import FILE...`: turns plain postmortems into kb files whose front
//! matter holds what kb inferred, the body untouched. Reports per file what
//! was inferred (with the line it came from) and what was not found; never
//! overwrites a file without `--force`. HTML exports are converted to
//! Markdown first ([`html`]); a folder imports every document in it, with
//! one summary table ([`folder`]).

mod folder;
mod html;

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Serialize;

use crate::cli::ImportArgs;
use crate::config::Config;
use crate::content::infer::{Fact, Imported, import};

/// What happened to one file.
#[derive(Debug, Serialize)]
struct FileReport {
    source: PathBuf,
    /// The tool an HTML file was exported from.
    #[serde(skip_serializing_if = "Option::is_none")]
    export: Option<crate::content::html::Export>,
    output: Option<PathBuf>,
    /// written, would-write, exists, has-front-matter, not-text, unreadable,
    /// not-a-file, too-large, write-failed, skipped (an export's index page).
    status: &'static str,
    message: Option<String>,
    inferred: Vec<Fact>,
    missing: Vec<&'static str>,
}

/// Runs an import; returns the process exit code (1 when a file could not
/// be imported or written).
pub fn run(root: &Path, args: &ImportArgs) -> i32 {
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(d) => {
            eprintln!("{d}");
            return 1;
        }
    };
    let zone = config.time_zone().clone();
    let into = if args.into.is_absolute() {
        args.into.clone()
    } else {
        root.join(&args.into)
    };
    let reports: Vec<FileReport> = folder::expand(&args.files)
        .iter()
        .map(|f| import_one(f, &into, args, &config, &zone))
        .collect();
    // A closed pipe (`kb import ... | head`) is not worth a panic.
    let mut out = std::io::stdout().lock();
    if args.format == "json" {
        match serde_json::to_string_pretty(&serde_json::json!({ "files": reports })) {
            Ok(json) => {
                let _ = writeln!(out, "{json}");
            }
            Err(e) => eprintln!("kb: cannot write the report: {e}"),
        }
    } else if args.files.iter().any(|f| f.is_dir()) {
        let _ = folder::write_table(&mut out, &reports);
    } else {
        for r in &reports {
            let _ = write_text(&mut out, r);
        }
    }
    let failed = reports
        .iter()
        .any(|r| !matches!(r.status, "written" | "would-write" | "skipped"));
    i32::from(failed)
}

fn import_one(
    file: &Path,
    into: &Path,
    args: &ImportArgs,
    config: &Config,
    zone: &TimeZone,
) -> FileReport {
    let mut report = FileReport {
        source: file.to_path_buf(),
        export: None,
        output: None,
        status: "unreadable",
        message: None,
        inferred: Vec::new(),
        missing: Vec::new(),
    };
    let bytes = match read_limited(file) {
        Ok(bytes) => bytes,
        Err((status, message)) => {
            report.status = status;
            report.message = Some(message);
            return report;
        }
    };
    let prepared = match html::prepare(file, bytes) {
        Ok(prepared) => prepared,
        Err((status, message)) => {
            report.status = status;
            report.message = Some(message);
            return report;
        }
    };
    report.export = prepared.export;
    let (bytes, stem) = (prepared.bytes, prepared.stem);
    let output = into.join(format!("{stem}.md"));
    report.output = Some(output.clone());
    let text = match import(file, &bytes, config, zone) {
        Imported::File { text, inference } => {
            report.inferred.clone_from(&inference.facts);
            report.missing = inference.missing();
            text
        }
        Imported::HasFrontMatter => {
            report.status = "has-front-matter";
            report.message = Some("the file has front matter already: nothing to import".into());
            return report;
        }
        Imported::NotText => {
            report.status = "not-text";
            report.message = Some("the file is not UTF-8 text".into());
            return report;
        }
    };
    if output.exists() && !args.force {
        report.status = "exists";
        report.message = Some(format!(
            "{} exists: use --force to overwrite it",
            output.display()
        ));
        return report;
    }
    if args.dry_run {
        report.status = "would-write";
        return report;
    }
    let written = std::fs::create_dir_all(into).and_then(|()| std::fs::write(&output, text));
    match written {
        Ok(()) => report.status = "written",
        Err(e) => {
            report.status = "write-failed";
            report.message = Some(format!("cannot write {}: {e}", output.display()));
        }
    }
    report
}

/// The bytes of the regular file at `file`, at most
/// [`MAX_FILE_BYTES`](crate::content::MAX_FILE_BYTES): `/dev/zero` or a
/// FIFO is refused, never read. The error: a status and a message.
fn read_limited(file: &Path) -> Result<Vec<u8>, (&'static str, String)> {
    use std::io::Read;
    let max = crate::content::MAX_FILE_BYTES;
    let opened = crate::content::open_regular(file).map_err(|e| {
        let status = if e.kind() == std::io::ErrorKind::InvalidInput {
            "not-a-file"
        } else {
            "unreadable"
        };
        (status, format!("cannot read the file: {e}"))
    })?;
    let too_large = || {
        (
            "too-large",
            format!(
                "the file is over the {} MB a postmortem may have",
                max / (1024 * 1024)
            ),
        )
    };
    if opened.metadata().map_or(0, |m| m.len()) > max {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    opened
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ("unreadable", format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

fn write_text(out: &mut impl Write, r: &FileReport) -> std::io::Result<()> {
    let output = r
        .output
        .as_ref()
        .map_or_else(String::new, |o| format!(" -> {}", o.display()));
    writeln!(out, "{}{output}: {}", r.source.display(), r.status)?;
    if let Some(m) = &r.message {
        writeln!(out, "  {m}")?;
    }
    for f in &r.inferred {
        writeln!(
            out,
            "  {:<17} {}  ({}, line {})",
            f.field, f.value, f.source, f.line
        )?;
    }
    if !r.missing.is_empty() {
        writeln!(out, "  not found: {}", r.missing.join(", "))?;
    }
    Ok(())
}
