//! A whole postmortem file from arbitrary bytes: an incident or
//! diagnostics, never a panic.
#![no_main]

use std::path::Path;

use kb::config::Config;
use kb::content::parse_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let config = Config::default();
    let _ = parse_bytes(
        Path::new("content/fuzz.md"),
        bytes,
        &config,
        &jiff::tz::TimeZone::UTC,
    );
});
