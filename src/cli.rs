//! The command line, as clap definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
        /// Parse every postmortem, neither reading nor writing the parse
        /// cache kept beside the output folder.
        #[arg(long)]
        no_cache: bool,
        /// Leave out what git knows (first written, last changed, by
        /// whom): no `git log` runs.
        #[arg(long)]
        no_git: bool,
    },
    /// Validate every postmortem without writing anything; exit 1 on errors.
    Check {
        /// Output format: text with excerpts, JSON for tools, or CI
        /// annotations (GitHub workflow commands, GitLab Code Quality).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Warnings fail the check too.
        #[arg(long)]
        strict: bool,
        /// Lint drafts too.
        #[arg(long)]
        drafts: bool,
    },
    /// Print an incident's facts and its timeline in the terminal.
    Show {
        /// The incident's slug (its file name, URL-safe).
        slug: String,
    },
    /// Turn plain postmortems into kb files with front matter.
    Import(ImportArgs),
    /// Serve the site on this machine, rebuild on change, reload the browser.
    Serve {
        /// The port to listen on (0 picks a free one).
        #[arg(long, short = 'p', default_value_t = 1111)]
        port: u16,
        /// The address to listen on; only this machine can connect by default.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Leave out what git knows about each postmortem.
        #[arg(long)]
        no_git: bool,
    },
    /// Write a new postmortem from the template: content/YYYY-MM-DD-slug.md.
    New {
        /// The incident's title.
        title: String,
        /// Its severity: one of the site's levels.
        #[arg(long)]
        severity: Option<String>,
        /// An affected service (repeat for more).
        #[arg(long = "service", value_name = "SERVICE")]
        services: Vec<String>,
        /// A root-cause category (repeat for more).
        #[arg(long = "cause", value_name = "CAUSE")]
        causes: Vec<String>,
        /// The incident's date, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Scaffold a new knowledge base in DIR (default: the --root folder).
    Init {
        /// The folder to create it in.
        dir: Option<PathBuf>,
    },
    /// Print the JSON Schema of this site's front matter (for editors).
    Schema,
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// How `kb check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `file:line:col: warning[code]: message` and an excerpt.
    Text,
    /// A JSON array of `{file, line, column, severity, code, message}`.
    Json,
    /// GitHub Actions workflow commands (`::error file=...,line=...::`):
    /// annotations on a pull request's changed lines.
    Github,
    /// A GitLab Code Quality report (JSON), for merge request widgets.
    Gitlab,
}

/// `kb import FILE... [--into content/] [--dry-run] [--format json] [--force]`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The postmortems to import: Markdown or text without front matter,
    /// HTML exports (Confluence, Google Docs, Notion), or folders of them.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The folder to write the kb files into, under the knowledge base.
    #[arg(long, default_value = "content")]
    pub into: PathBuf,
    /// Report what would be written, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How to report: text or json.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}
