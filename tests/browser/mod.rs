//! Finding the browser for the tests that run pages in headless Chromium,
//! in one place: `KB_CHROMIUM` and `KB_CHROMEDRIVER` name the binaries,
//! else they are looked up on `PATH` (Debian's `chromium` and
//! `chromium-driver` packages). Without them a browser test is skipped with
//! a note, or fails when `KB_REQUIRE_BROWSER` is set (as in CI). A small
//! file server ([`serve`]) serves a site built in memory on 127.0.0.1.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

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

/// ChromeDriver on a free port, killed when dropped, with its own profile folder.
pub struct Driver {
    child: Child,
    pub port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // ChromeDriver leads its own process group: end it with the browser it started.
        if let Ok(group) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative pid signals that process group only.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
        let _ = self.child.wait();
    }
}

/// Starts ChromeDriver and a headless Chromium session: `extra` are more
/// Chromium arguments (a window size, a colour scheme), `options` more
/// `goog:chromeOptions` (a `mobileEmulation`).
pub async fn start(
    chromium: &Path,
    chromedriver: &Path,
    extra: &[&str],
    options: Value,
) -> (Driver, Client) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver {
        child,
        port,
        _profile: tempfile::tempdir().expect("profile dir"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on {port}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let profile = format!("--user-data-dir={}", driver._profile.path().display());
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        profile.as_str(),
    ];
    let args: Vec<&str> = args.iter().chain(extra).copied().collect();
    let mut chrome = json!({ "binary": chromium, "args": args });
    if let (Some(chrome), Value::Object(more)) = (chrome.as_object_mut(), options) {
        chrome.extend(more);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert("goog:chromeOptions".into(), chrome);
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session");
    (driver, client)
}

/// A request the file server answered: path with query, bytes sent.
pub type Log = Arc<Mutex<Vec<(String, usize)>>>;

/// Serves `files` on a free port of 127.0.0.1 until the test ends.
pub fn serve(files: BTreeMap<String, Vec<u8>>) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}/", listener.local_addr().expect("address"));
    let files = Arc::new(files);
    let log: Log = Arc::default();
    let server_log = Arc::clone(&log);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (files, log) = (Arc::clone(&files), Arc::clone(&server_log));
            std::thread::spawn(move || answer(stream, &files, &log));
        }
    });
    (base, log)
}

fn answer(stream: TcpStream, files: &BTreeMap<String, Vec<u8>>, log: &Log) {
    let mut reader = BufReader::new(stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    let (status, body) = match files.get(&key) {
        Some(body) => ("200 OK", body.as_slice()),
        None => (
            "404 Not Found",
            files.get("404.html").map_or(&[][..], Vec::as_slice),
        ),
    };
    let kind = match key.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        _ => "text/plain",
    };
    log.lock().expect("log").push((
        target,
        if status.starts_with("200") {
            body.len()
        } else {
            0
        },
    ));
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body));
}
