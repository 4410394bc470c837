//! Load on `kb serve`: 200 concurrent clients on loopback keep asking for
//! pages while the site is rebuilt 100 times. No request may fail, and the
//! server's memory must stay flat (RSS before and after are printed; run
//! with `--nocapture` to see them).

mod server;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use server::{Server, request};

const CLIENTS: usize = 200;
const REBUILDS: usize = 100;
const PATHS: [&str; 5] = [
    "/",
    "/incidents/",
    "/incidents/alpha/",
    "/incidents/beta/",
    "/static/style.css",
];

#[test]
fn two_hundred_clients_while_a_hundred_rebuilds_happen() {
    let server = Server::start("serve-small");
    let alpha = server.read("content/alpha.md");
    for path in PATHS {
        assert_eq!(server.get(path).status, 200, "{path}");
    }
    let rss_before = server.rss_kib().expect("RSS of kb serve");
    let done = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (addr, done) = (server.addr.clone(), Arc::clone(&done));
            let (served, failed) = (Arc::clone(&served), Arc::clone(&failed));
            std::thread::spawn(move || {
                let mut i = n;
                while !done.load(Ordering::Relaxed) {
                    let path = PATHS[i % PATHS.len()];
                    // A failed connection panics inside `request`: caught
                    // by the join below as a failure too.
                    if request(&addr, "GET", path, None).status == 200 {
                        served.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    i += 1;
                    // Keep the connection rate within the loopback's
                    // ephemeral ports over the whole run.
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        })
        .collect();

    let started = Instant::now();
    let mut events = server.events();
    for n in 0..REBUILDS {
        let title = format!("title = \"Alpha outage, edit {n}\"");
        server.write(
            "content/alpha.md",
            &alpha.replace("title = \"Alpha outage\"", &title),
        );
        events.wait_for("reload");
    }
    let rebuild_time = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let panicked = clients
        .into_iter()
        .map(std::thread::JoinHandle::join)
        .filter(Result::is_err)
        .count();
    let page = server.get("/incidents/alpha/");
    assert!(page.body.contains(&format!("edit {}", REBUILDS - 1)));
    let rss_after = server.rss_kib().expect("RSS of kb serve");
    let (served, failed) = (
        served.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
    );
    eprintln!(
        "serve load: {CLIENTS} clients, {REBUILDS} rebuilds in {rebuild_time:?}; \
         {served} requests served, {failed} failed, {panicked} clients lost a connection; \
         RSS {rss_before} KiB before, {rss_after} KiB after"
    );
    assert_eq!((failed, panicked), (0, 0));
    assert!(served >= CLIENTS, "every client was served");
    assert!(
        rss_after < rss_before * 2 + 16 * 1024,
        "RSS grew from {rss_before} KiB to {rss_after} KiB"
    );
}
