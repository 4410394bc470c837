//! Fault injection for kb's own tests: the environment variable `KB_FAULT`
//! makes a build's write fail as a full disk would, or kills the process at
//! a chosen moment of the write, so that tests can show the output folder
//! is always one whole site. Unset (always, outside tests), nothing happens.
//!
//! `KB_FAULT` is one of `enospc-after=N` (every file write after the N-th
//! fails with "no space left on device"), `kill-after=N` (SIGKILL after the
//! N-th file written), `kill-before-swap`, `kill-after-swap`.

use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A moment of the write where the process may be killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// Every file written, stale ones removed, the swap not yet made.
    BeforeSwap,
    /// Just after the swap, before the command reports.
    AfterSwap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    FullAfter(usize),
    KillAfter(usize),
    KillAt(Moment),
}

fn fault() -> Option<Fault> {
    static FAULT: OnceLock<Option<Fault>> = OnceLock::new();
    *FAULT.get_or_init(|| parse(&std::env::var("KB_FAULT").ok()?))
}

fn parse(text: &str) -> Option<Fault> {
    let count = |prefix: &str| text.strip_prefix(prefix)?.parse().ok();
    match text {
        "kill-before-swap" => Some(Fault::KillAt(Moment::BeforeSwap)),
        "kill-after-swap" => Some(Fault::KillAt(Moment::AfterSwap)),
        _ => count("enospc-after=")
            .map(Fault::FullAfter)
            .or_else(|| count("kill-after=").map(Fault::KillAfter)),
    }
}

/// Files written so far by this process.
static WRITES: AtomicUsize = AtomicUsize::new(0);

/// Called before each file is written: the error a full disk would give,
/// when the fault asks for one; or the process dies here.
pub fn before_write() -> Option<io::Error> {
    let fault = fault()?;
    let n = WRITES.fetch_add(1, Ordering::SeqCst);
    match fault {
        Fault::FullAfter(limit) if n >= limit => Some(io::Error::from_raw_os_error(libc::ENOSPC)),
        Fault::KillAfter(limit) if n >= limit => kill(),
        _ => None,
    }
}

/// Called at `moment`: the process dies here when the fault says so.
pub fn at(moment: Moment) {
    if fault() == Some(Fault::KillAt(moment)) {
        kill();
    }
}

fn kill() -> ! {
    // SAFETY: sends a signal to this very process; no memory is involved.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    // SIGKILL cannot be caught; this is never reached.
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse() {
        assert_eq!(parse("enospc-after=3"), Some(Fault::FullAfter(3)));
        assert_eq!(parse("kill-after=0"), Some(Fault::KillAfter(0)));
        assert_eq!(
            parse("kill-before-swap"),
            Some(Fault::KillAt(Moment::BeforeSwap))
        );
        assert_eq!(parse("kill-after=x"), None);
        assert_eq!(parse(""), None);
    }
}
