//! Finding the browser for the tests that run pages in headless Chromium,
//! in one place: `KB_CHROMIUM` and `KB_CHROMEDRIVER` name the binaries,
//! else they are looked up on `PATH` (Debian's `chromium` and
//! `chromium-driver` packages). Without them a browser test is skipped with
//! a note, or fails when `KB_REQUIRE_BROWSER` is set (as in CI).

#![allow(dead_code)]

use std::path::PathBuf;

/// The binaries a WebDriver test drives.
pub struct Binaries {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// The Chromium binary, or `None` (after a note) when it is not there.
pub fn chromium(test: &str) -> Option<PathBuf> {
    let found = find("KB_CHROMIUM", &["chromium", "chromium-browser"]);
    if found.is_none() {
        skip(
            test,
            "Chromium is not installed (apt-get install chromium, or set KB_CHROMIUM)",
        );
    }
    found
}

/// Chromium and ChromeDriver, or `None` (after a note) when either is not
/// there.
pub fn with_driver(test: &str) -> Option<Binaries> {
    let chromium = find("KB_CHROMIUM", &["chromium", "chromium-browser"]);
    let chromedriver = find("KB_CHROMEDRIVER", &["chromedriver"]);
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => Some(Binaries {
            chromium,
            chromedriver,
        }),
        _ => {
            skip(
                test,
                "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
            );
            None
        }
    }
}

/// The binary `var` names, else the first of `names` on `PATH`.
fn find(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Notes that `test` is skipped because of `why`; fails instead when
/// `KB_REQUIRE_BROWSER` is set (to anything but empty or `0`).
fn skip(test: &str, why: &str) {
    let required = std::env::var("KB_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(!required, "KB_REQUIRE_BROWSER is set but {why}");
    eprintln!("note: {test} skipped: {why}");
}
