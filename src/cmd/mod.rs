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
