//! `kb serve`: builds the site into memory, serves it on the loopback
//! address with live reload, and rebuilds when its inputs change. A failed
//! rebuild keeps the last good site and shows the errors over every page.
//!
//! Threads: a bounded pool of HTTP workers ([`server`]) answers from the
//! current [`Served`] snapshot;
//! the main thread waits for changes from the watcher and rebuilds, re-parsing
//! only the files that changed; a rebuild swaps the snapshot and sends an
//! event to every open page.

mod events;
mod http;
mod server;
mod watch;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::content::ParseCache;
use crate::git::log::GitHistory;
use crate::render::{Files, Renderer};
use crate::site::{self, BuildOptions};
use events::Hub;

/// How often open event streams are pinged, so closed ones are dropped.
const PING: Duration = Duration::from_secs(10);

/// Options of `kb serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on.
    pub bind: String,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Read the postmortems' history from git on each rebuild.
    pub git: bool,
}

/// A site that makes its files one at a time, when asked.
pub trait SiteFiles: Send + Sync {
    /// The file at `path` (`incidents/x/index.html`), made now, or the
    /// error, as the console shows it, when making it failed.
    fn file(&self, path: &str) -> Option<Result<Vec<u8>, String>>;
    /// Whether the site has a file at `path`.
    fn has(&self, path: &str) -> bool;
}

impl SiteFiles for Files {
    fn file(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        self.get(path).cloned().map(Ok)
    }

    fn has(&self, path: &str) -> bool {
        self.contains_key(path)
    }
}

impl SiteFiles for Renderer {
    fn file(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        self.render_file(path)
            .map(|r| r.map_err(|d| super::report::render(&d, false)))
    }

    fn has(&self, path: &str) -> bool {
        Renderer::has(self, path)
    }
}

/// What is being served: the last good site and, while the latest build
/// failed, its errors as the console shows them.
pub struct Served {
    /// The last site that built; it renders each page when asked for it.
    pub files: Arc<dyn SiteFiles>,
    /// The latest build's errors, when it failed.
    pub errors: Option<String>,
    /// Counts good builds; a page reloads when it is older than this.
    pub generation: u64,
}

impl Default for Served {
    fn default() -> Served {
        Served {
            files: Arc::new(Files::new()),
            errors: None,
            generation: 0,
        }
    }
}

impl Served {
    /// The status as JSON, for the page's script.
    pub fn status_json(&self) -> String {
        serde_json::json!({ "generation": self.generation, "errors": self.errors }).to_string()
    }
}

/// What the threads share.
#[derive(Default)]
struct State {
    served: RwLock<Arc<Served>>,
    hub: Hub,
}

impl State {
    fn current(&self) -> Arc<Served> {
        Arc::clone(
            &self
                .served
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    fn replace(&self, next: Served) {
        *self
            .served
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(next);
    }
}

/// Runs the server until the process is stopped; returns the exit code when
/// it cannot start.
pub fn run(root: &Path, options: &ServeOptions) -> i32 {
    match serve(root, options) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("kb: {message}");
            1
        }
    }
}

fn serve(root: &Path, options: &ServeOptions) -> Result<(), String> {
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", root.display()))?;
    let listen = format!("{}:{}", options.bind, options.port);
    let listener = std::net::TcpListener::bind((options.bind.as_str(), options.port))
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "kb: warning: listening on {addr}, which other machines can reach: kb serve is a preview for this machine (it shows drafts and has no access control); use --bind 127.0.0.1 unless you mean it"
        );
    }
    let url = format!("http://{addr}/");
    let (changes_tx, changes) = mpsc::channel();
    let mut watcher = watch::Watcher::start(&root, changes_tx)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let state = Arc::new(State::default());
    let mut builder = Builder {
        options: BuildOptions {
            drafts: options.drafts,
            base_url: Some(url.clone()),
            build_time: super::build_time(),
            git: if options.git {
                GitHistory::shared()
            } else {
                GitHistory::Off
            },
        },
        root,
        cache: ParseCache::default(),
    };
    builder.rebuild(&state);
    spawn_threads(listener, &state);
    println!(
        "kb: serving {} at {url} (Ctrl-C to stop)",
        builder.root.display()
    );
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }
    while let Ok(mut paths) = changes.recv() {
        paths.extend(changes.try_iter().flatten());
        if paths
            .iter()
            .any(|p| watch::FOLDERS.iter().any(|f| p == Path::new(f)))
        {
            watcher.watch_folders();
        }
        builder.cache.watched(&paths);
        builder.rebuild(&state);
    }
    Ok(())
}

/// The HTTP workers, and a thread that pings the event streams.
fn spawn_threads(listener: std::net::TcpListener, state: &Arc<State>) {
    let answering = Arc::clone(state);
    server::spawn(
        listener,
        Arc::new(move |request| answer(request, &answering)),
    );
    let pinger = Arc::clone(state);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(PING);
            pinger.hub.ping();
        }
    });
}

/// Rebuilds the site, keeping parsed files between builds.
struct Builder {
    root: PathBuf,
    options: BuildOptions,
    cache: ParseCache,
}

impl Builder {
    /// Builds, prints the outcome, swaps what is served and tells the pages.
    fn rebuild(&mut self, state: &State) {
        let started = Instant::now();
        // A large site takes seconds: pages say they are waiting.
        state
            .hub
            .broadcast("building", &state.current().status_json());
        self.options.build_time = super::build_time();
        let mut build = site::build_with(&self.root, &self.options, &mut self.cache);
        let timings = site::Timings::from_env();
        // Pages render on request; a page of each kind shows a broken
        // template now.
        let site = build.site.take();
        if let Some(site) = &site {
            build.diagnostics.extend(site.check());
            timings.lap("check");
        }
        let color = std::io::stderr().is_terminal();
        for d in &build.diagnostics {
            eprintln!("{}", super::report::render(d, color));
        }
        let previous = state.current();
        let ms = started.elapsed().as_millis();
        let (event, next) = match site {
            Some(site) if build.errors().next().is_none() => {
                println!(
                    "kb: built {} incidents, {} pages in {ms} ms",
                    build.incidents,
                    site.pages()
                );
                (
                    "reload",
                    Served {
                        files: Arc::new(site),
                        errors: None,
                        generation: previous.generation + 1,
                    },
                )
            }
            _ => {
                let errors: Vec<String> = build
                    .errors()
                    .map(|d| super::report::render(d, false))
                    .collect();
                println!(
                    "kb: build failed with {} error(s) in {ms} ms; still serving the last good site",
                    errors.len()
                );
                (
                    "error",
                    Served {
                        files: Arc::clone(&previous.files),
                        errors: Some(errors.join("\n")),
                        generation: previous.generation,
                    },
                )
            }
        };
        let _ = std::io::stdout().flush();
        let status = next.status_json();
        drop(previous);
        state.replace(next);
        state.hub.broadcast(event, &status);
    }
}

/// Answers one request from the current snapshot.
fn answer(request: &server::Request, state: &Arc<State>) -> server::Answer {
    let served = state.current();
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return server::Answer::Reply(http::Reply::method_not_allowed());
    }
    let path = request.target.split(['?', '#']).next().unwrap_or_default();
    if path == "/__kb/events" && request.method == "GET" {
        if !state.hub.has_room() {
            return server::Answer::Reply(http::Reply::busy());
        }
        let state = Arc::clone(state);
        return server::Answer::TakeOver(Box::new(move |stream| {
            state
                .hub
                .join(Box::new(stream), "status", &served.status_json());
        }));
    }
    let reply = http::respond(&served, &request.target, request.if_none_match.as_deref());
    server::Answer::Reply(reply)
}

/// Opens `url` in the desktop's browser; says so when it cannot.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("kb: cannot open a browser ({program}: {e}); open {url} yourself");
    }
}
