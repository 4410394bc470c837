//! Running `kb serve` in tests: a temporary copy of a fixture, the real
//! binary on a free loopback port, and a raw HTTP client (raw so that paths
//! like `/../etc/passwd` reach the server as written). Every wait is
//! bounded; the server is killed when the handle is dropped.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long any one wait may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A running `kb serve`.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The knowledge base being served (a temporary copy).
    pub root: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Copies `tests/fixtures/NAME` to a temporary folder and serves it.
    pub fn start(fixture: &str) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("kb");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture),
            &root,
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_kb"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kb serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + TIMEOUT;
        let addr = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .expect("kb serve did not say where it serves");
            if let Some(at) = line.find("http://127.0.0.1:") {
                let rest = &line[at + "http://".len()..];
                break rest[..rest.find('/').expect("url ends with /")].to_owned();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || while rx.recv().is_ok() {});
        Server {
            child,
            addr,
            root,
            _dir: dir,
        }
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        request(&self.addr, "GET", path, None)
    }

    /// Opens the event stream.
    pub fn events(&self) -> Events {
        Events::open(&self.addr)
    }

    /// Writes `text` to `rel` under the served folder, as editors save: a
    /// hidden temporary file renamed over it, so that no build sees the
    /// file half-written (a build that did would fail, and pages would be
    /// the error until the next one).
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        let parent = path.parent().expect("parent");
        std::fs::create_dir_all(parent).expect("mkdir");
        let temporary = parent.join(".kb-test-save.tmp");
        std::fs::write(&temporary, text).expect("write");
        std::fs::rename(&temporary, path).expect("rename");
    }

    /// The file at `rel` under the served folder.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).expect("read")
    }

    /// The server's resident memory in KiB (Linux).
    pub fn rss_kib(&self) -> Option<u64> {
        self.status_field("VmRSS:")
    }

    /// How many threads the server has (Linux).
    pub fn threads(&self) -> Option<u64> {
        self.status_field("Threads:")
    }

    /// The number after `name` in the server's /proc status.
    fn status_field(&self, name: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A response: status, headers (names in lower case) and body.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl Response {
    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request with `Connection: close` and reads the whole answer.
pub fn request(addr: &str, method: &str, target: &str, body: Option<&str>) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    if let Some(body) = body {
        stream.write_all(body.as_bytes()).expect("send body");
    }
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    // Read to the end, or to Content-Length: some servers keep the connection.
    loop {
        let n = stream.read(&mut chunk).expect("read");
        raw.extend_from_slice(&chunk[..n]);
        if n == 0 || is_complete(&raw) {
            break;
        }
    }
    parse_response(&raw)
}

fn is_complete(raw: &[u8]) -> bool {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    length.is_some_and(|length| raw.len() >= split + 4 + length)
}

fn parse_response(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

/// An open Server-Sent Events stream.
pub struct Events {
    reader: BufReader<TcpStream>,
}

/// One event: its name and its data.
#[derive(Debug, Clone)]
pub struct Event {
    /// `event:` field.
    pub name: String,
    /// `data:` lines, joined with newlines.
    pub data: String,
}

impl Events {
    fn open(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let head = format!(
            "GET /__kb/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("send");
        let mut reader = BufReader::new(stream);
        let deadline = Instant::now() + TIMEOUT;
        let mut status_line = String::new();
        while status_line.is_empty() {
            assert!(Instant::now() < deadline, "no answer on the event stream");
            let _ = reader.read_line(&mut status_line);
        }
        assert!(status_line.contains(" 200 "), "{status_line}");
        Events { reader }
    }

    /// The next event, or `None` after `wait`.
    pub fn next(&mut self, wait: Duration) -> Option<Event> {
        let deadline = Instant::now() + wait;
        let (mut name, mut data) = (String::new(), Vec::new());
        let mut line = String::new();
        while Instant::now() < deadline {
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) if line.ends_with('\n') => {
                    let text = line.trim_end_matches(['\r', '\n']);
                    if let Some(v) = text.strip_prefix("event:") {
                        name = v.trim().to_owned();
                    } else if let Some(v) = text.strip_prefix("data:") {
                        data.push(v.trim_start().to_owned());
                    } else if text.is_empty() && !name.is_empty() {
                        return Some(Event {
                            name,
                            data: data.join("\n"),
                        });
                    }
                    line.clear();
                }
                // A timeout mid-line keeps what was read; go on reading.
                Ok(_) | Err(_) => {}
            }
        }
        None
    }

    /// Waits for the event called `name`, skipping others.
    pub fn wait_for(&mut self, name: &str) -> Event {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no `{name}` event within {TIMEOUT:?}");
            if let Some(event) = self.next(left)
                && event.name == name
            {
                return event;
            }
        }
    }
}
