//! The command line, as clap definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// kb: a static site generator for incident postmortems.
#[derive(Debug, Parser)]
#[command(name = "kb", version, about, long_about = None)]
pub struct Cli {
    /// The knowledge base's folder (holding content/ and site.toml).
    #[arg(long, short = 'r', global = true, default_value = ".")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or DIR).
    Build {
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// The URL the site is published at (overrides site.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// The output folder.
        #[arg(long, short = 'o', default_value = "public")]
        output: PathBuf,
    },
    /// Validate every postmortem without writing anything; exit 1 on errors.
    Check {
        /// Output format: text with excerpts, or JSON for tools.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Warnings fail the check too.
        #[arg(long)]
        strict: bool,
        /// Lint drafts too.
        #[arg(long)]
        drafts: bool,
    },
}

/// How `kb check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `file:line:col: warning[code]: message` and an excerpt.
    Text,
    /// A JSON array of `{file, line, column, severity, code, message}`.
    Json,
}
