//! One module per subcommand; each reads the clock and the terminal, calls
//! the pipeline, and prints.

pub mod annotations;
pub mod build;
pub mod cache_file;
pub mod check;
pub mod completions;
pub mod import;
pub mod init;
pub mod new;
pub mod report;
pub mod schema;
pub mod serve;
pub mod show;

use jiff::Timestamp;

/// The build time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
pub fn build_time() -> Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| Timestamp::from_second(s).ok())
        .unwrap_or_else(Timestamp::now)
}

/// Which build of kb is running: its version, and the size and time of
/// its executable, so that kb compiled again never trusts what an older
/// build kept beside the output (the parse cache, the git history).
pub fn program() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    format!("kb {} {exe}", env!("CARGO_PKG_VERSION"))
}
