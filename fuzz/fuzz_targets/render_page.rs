//! A postmortem of any text rendered with the default theme, in memory:
//! parsing, inference (for text without front matter), analysis and every
//! file of the site. Never a panic; the feed and sitemap stay free of the
//! characters XML forbids; no page grows past what the limits allow (the
//! downtime calendar of /trends/ may hold 30 years of days).
#![no_main]

use std::path::Path;
use std::sync::Arc;

use kb::config::Config;
use kb::render::theme::Theme;
use kb::render::{Renderer, SiteData};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let config = Config::default();
    let zone = jiff::tz::TimeZone::UTC;
    let (incident, _) = kb::content::parse_bytes(Path::new("content/fuzz.md"), text.as_bytes(), &config, &zone);
    let Some(incident) = incident else { return };
    let incidents = vec![Arc::new(incident)];
    let now = jiff::Timestamp::from_second(1_795_521_600).unwrap();
    let analysis = kb::analysis::analyse(&incidents, &config, now);
    let theme = Theme::load(Path::new("/nonexistent"), "default").unwrap();
    let data = SiteData {
        config,
        incidents,
        analysis,
        theme,
        base_url: "https://kb.example/".into(),
        build_time: now,
        git: kb::git::SiteGit::default(),
    };
    let Ok(site) = Renderer::new(data) else { return };
    let files = site.files().expect("the default theme renders any incident");
    for (path, bytes) in &files {
        if path.ends_with(".xml") {
            let xml = String::from_utf8_lossy(bytes);
            assert!(!xml.contains(['\u{ffff}', '\u{fffe}', '\u{0}']), "{path}");
        }
        if path.ends_with(".html") {
            assert!(bytes.len() < 4_000_000 + 60 * text.len(), "{path}: {} bytes", bytes.len());
        }
    }
});
