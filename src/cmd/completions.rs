//! `kb completions SHELL`: prints a completion script for the shell.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Writes the completion script for `shell` to standard output.
pub fn run(shell: Shell) -> i32 {
    // Into memory first: clap_complete panics when a write fails (`| head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kb", &mut script);
    match std::io::stdout().write_all(&script) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("kb: cannot write the script: {e}");
            1
        }
        _ => 0,
    }
}
