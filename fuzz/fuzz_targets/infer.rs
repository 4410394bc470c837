//! Inference of a plain postmortem (no front matter): any text gives an
//! inference, never a panic, and never a share of users outside 0..100.
#![no_main]

use std::path::Path;

use kb::config::Config;
use kb::content::infer::infer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let config = Config::default();
    let found = infer(
        Path::new("content/fuzz.md"),
        text,
        1,
        &config,
        &jiff::tz::TimeZone::UTC,
    );
    if let Some(pct) = found.users_pct {
        assert!((0.0..=100.0).contains(&pct));
    }
});
