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
        Command::Show { slug } => kb::cmd::show::run(&cli.root, &slug),
        Command::Import(args) => kb::cmd::import::run(&cli.root, &args),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => kb::cmd::serve::run(
            &cli.root,
            &kb::cmd::serve::ServeOptions {
                bind,
                port,
                open,
                drafts,
            },
        ),
        Command::New {
            title,
            severity,
            services,
            causes,
            date,
        } => kb::cmd::new::run(
            &cli.root,
            &kb::cmd::new::NewOptions {
                title,
                severity,
                services,
                causes,
                date,
            },
        ),
        Command::Init { dir } => kb::cmd::init::run(dir.as_deref().unwrap_or(&cli.root)),
        Command::Completions { shell } => kb::cmd::completions::run(shell),
    };
    std::process::exit(code);
}

/// mimalloc: the build allocates many small strings on every thread, where
/// it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
