//! Times the stages `kb serve` repeats after an edit, on a site folder:
//! `cargo run --release --example speed -- DIR [RUNS] [STAGE]`. Prints the
//! median of RUNS (default 7) of each stage in milliseconds; STAGE (load,
//! cached, analyse or links) times only that one, for a profiler. The
//! cached load is `ParseCache::load` with nothing changed, once as it is,
//! once through `load_cached`, which copies what loaded (pointers to the
//! incidents, and the diagnostics), and once told by `ParseCache::watched`
//! that one postmortem changed, as `kb serve` loads after an edit. STAGE
//! `render` renders every file once, one at a time, and prints the time
//! spent building the search index and on each kind of file (the first
//! folder of its path); `render PREFIX` renders only the paths that start
//! with PREFIX. STAGE
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

/// CPU time of the whole process (every thread), in milliseconds: less
/// noisy than wall time on a machine shared with other work.
fn cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to write.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6
}

/// Medians of wall and CPU time of `runs` calls of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let (mut wall, mut cpu): (Vec<f64>, Vec<f64>) = (0..runs)
        .map(|_| {
            let (t, c) = (Instant::now(), cpu_ms());
            f();
            (t.elapsed().as_secs_f64() * 1000.0, cpu_ms() - c)
        })
        .unzip();
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    (wall[runs / 2], cpu[runs / 2])
}

/// Prints one stage's times.
fn report(stage: &str, (wall, cpu): (f64, f64)) {
    println!("  {stage:<16}{wall:8.1} ms wall {cpu:8.1} ms CPU");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().unwrap_or_else(|| ".".to_owned());
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(7).max(1);
    let stage = args.next();
    let prefix = args.next().unwrap_or_default();
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
        report("load", ms);
    }
    if wanted("cached") {
        let mut cache = ParseCache::default();
        cache.load(root, &config, false);
        let ms = median_ms(runs, || {
            std::hint::black_box(cache.load(root, &config, false));
        });
        report("cached load", ms);
        let ms = median_ms(runs, || {
            std::hint::black_box(content::load_cached(root, &config, false, &mut cache));
        });
        report("(with a copy)", ms);
        if let Some(first) = incidents.first() {
            let edited = [first.source.clone()];
            let ms = median_ms(runs, || {
                cache.watched(&edited);
                std::hint::black_box(cache.load(root, &config, false));
            });
            report("(one watched)", ms);
        }
    }
    if wanted("analyse") {
        let ms = median_ms(runs, || {
            std::hint::black_box(analysis::analyse(incidents, &config, now));
        });
        report("analyse", ms);
    }
    if wanted("render") {
        render_by_kind(root, now, &prefix);
    }
    if wanted("links") {
        let a = analysis::analyse(incidents, &config, now);
        let ms = median_ms(runs, || {
            std::hint::black_box(related::links(incidents, &a.services, &a.causes));
        });
        report("related::links", ms);
    }
}

/// Renders every file of the site once, serially, and prints the time
/// spent per kind of file, largest first.
fn render_by_kind(root: &Path, now: jiff::Timestamp, prefix: &str) {
    let options = kb::site::BuildOptions {
        drafts: false,
        base_url: None,
        build_time: now,
        git: kb::git::log::GitHistory::Read,
    };
    let Some(site) = kb::site::build(root, &options).site else {
        println!("  the site has errors");
        return;
    };
    let start = Instant::now();
    // Listing the paths builds the search index.
    let paths = site.paths();
    let index_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut kinds: std::collections::BTreeMap<String, (f64, usize, usize)> = Default::default();
    for path in paths.into_iter().filter(|p| p.starts_with(prefix)) {
        let t = Instant::now();
        let bytes = site
            .render_file(&path)
            .and_then(Result::ok)
            .unwrap_or_default();
        let kind = match path.split_once('/') {
            Some((first, _)) => format!("{first}/"),
            None => path.clone(),
        };
        let entry = kinds.entry(kind).or_default();
        entry.0 += t.elapsed().as_secs_f64() * 1000.0;
        entry.1 += 1;
        entry.2 += bytes.len();
    }
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.0.total_cmp(&a.1.0));
    println!(
        "  render, serially: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    println!("    {:<20}{index_ms:8.1} ms", "(search index)");
    for (kind, (ms, files, bytes)) in kinds.iter().take(16) {
        println!(
            "    {kind:<20}{ms:8.1} ms {files:6} files {:8.1} MB",
            *bytes as f64 / 1e6
        );
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
