//! The `kb` binary: parses the command line and runs a command.

use clap::Parser;
use kb::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        keep_freed_memory();
    }
    let code = match cli.command {
        Command::Build {
            drafts,
            base_url,
            output,
            no_cache,
            no_git,
        } => kb::cmd::build::run(
            &cli.root,
            &kb::cmd::build::BuildArgs {
                drafts,
                base_url,
                output,
                cache: !no_cache,
                git: !no_git,
            },
        ),
        Command::Check {
            format,
            strict,
            drafts,
        } => kb::cmd::check::run(
            &cli.root,
            kb::cmd::check::CheckOptions {
                format,
                strict,
                drafts,
            },
        ),
        Command::Show { slug } => kb::cmd::show::run(&cli.root, &slug),
        Command::Import(args) => kb::cmd::import::run(&cli.root, &args),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
            no_git,
        } => kb::cmd::serve::run(
            &cli.root,
            &kb::cmd::serve::ServeOptions {
                bind,
                port,
                open,
                drafts,
                git: !no_git,
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
        Command::Schema => kb::cmd::schema::run(&cli.root),
        Command::Completions { shell } => kb::cmd::completions::run(shell),
    };
    std::process::exit(code);
}

/// mimalloc: the build allocates many small strings on every thread, where
/// it is markedly faster than the system allocator. It is built without
/// transparent huge pages (Cargo.toml, feature `no_thp`): the kernel zeroes
/// each 2 MB page whole at its first touch, however little of it is used.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (the same number in its v2 and
/// v3), which the bindings do not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc to keep the memory it frees instead of handing it back
/// to the system 10 ms later. A build frees and allocates pages all the
/// time; each page handed back and taken again costs a fault and the
/// kernel zeroing it (a tenth of a 10,000-postmortem build). One-shot
/// commands exit soon anyway; `kb serve` runs for hours, so it keeps the
/// default and gives memory back between rebuilds.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's options, read on its next purge; no
    // pointers are involved.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}
