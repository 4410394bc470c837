//! Times the stages `kb serve` repeats after an edit, on a site folder:
//! `cargo run --release --example speed -- DIR [RUNS] [STAGE]`. Prints the
//! median of RUNS (default 7) of each stage in milliseconds; STAGE (load,
//! cached, analyse or links) times only that one, for a profiler. STAGE
//! `dump` prints the incidents and the analysis instead, to compare two
//! versions of kb.

use std::path::Path;
use std::time::Instant;

use kb::analysis::{self, related};
use kb::config::Config;
use kb::content::{self, ParseCache};

/// The allocator of the `kb` binary, so that the times are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().unwrap_or_else(|| ".".to_owned());
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(7);
    let stage = args.next();
    let wanted = |name: &str| stage.as_deref().is_none_or(|s| s == name);
    let root = Path::new(&root);
    let config = Config::load(root).unwrap_or_default();
    let now: jiff::Timestamp = "2026-11-24T12:00:00Z".parse().unwrap_or_default();
    let loaded = content::load(root, &config, false);
    let incidents = &loaded.incidents;
    if stage.as_deref() == Some("dump") {
        dump(&loaded, &analysis::analyse(incidents, &config, now));
        return;
    }
    println!("{} incidents, median of {runs} runs:", incidents.len());
    if wanted("load") {
        let ms = median_ms(runs, || {
            std::hint::black_box(content::load(root, &config, false));
        });
        println!("  load            {ms:8.1} ms");
    }
    if wanted("cached") {
        let mut cache = ParseCache::default();
        content::load_cached(root, &config, false, &mut cache);
        let ms = median_ms(runs, || {
            std::hint::black_box(content::load_cached(root, &config, false, &mut cache));
        });
        println!("  cached load     {ms:8.1} ms");
    }
    if wanted("analyse") {
        let ms = median_ms(runs, || {
            std::hint::black_box(analysis::analyse(incidents, &config, now));
        });
        println!("  analyse         {ms:8.1} ms");
    }
    if wanted("links") {
        let a = analysis::analyse(incidents, &config, now);
        let ms = median_ms(runs, || {
            std::hint::black_box(related::links(incidents, &a.services, &a.causes));
        });
        println!("  related::links  {ms:8.1} ms");
    }
}

/// Everything loading and analysis found, in a stable order.
fn dump(loaded: &content::Loaded, a: &analysis::Analysis) {
    for incident in &loaded.incidents {
        println!("{incident:?}");
    }
    for d in &loaded.diagnostics {
        println!("{d:?}");
    }
    for t in [&a.services, &a.causes, &a.tags] {
        println!("{:?}", t.terms);
    }
    println!("{:?}", a.summary);
    for l in &a.links {
        println!("{l:?}");
    }
    println!("{:?}\n{:?}", a.service_stats, a.cause_stats);
    println!("{:?}\n{:?}", a.quarters, a.months);
    println!("{:?}\n{:?}\n{:?}", a.histogram, a.actions, a.today);
}
