//! The timeline parser: any section text gives events (or none), and
//! resolving them to instants never panics.
#![no_main]

use kb::content::timeline::{parse_lines, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let events = parse_lines(text.lines().enumerate().map(|(i, l)| (i + 1, l)));
    let started = "2024-06-08T03:00:00Z".parse().ok();
    let _ = resolve(events, started, &jiff::tz::TimeZone::UTC);
});
