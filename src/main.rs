//! The `kb` binary: parses the command line and runs a command.

use clap::Parser;
use kb::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build {
            drafts,
            base_url,
            output,
        } => kb::cmd::build::run(&cli.root, drafts, base_url, &output),
    };
    std::process::exit(code);
}

/// mimalloc: the build allocates many small strings on every thread, where
/// it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
