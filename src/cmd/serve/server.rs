//! The HTTP/1.1 server of `kb serve`, bounded: a fixed pool of worker
//! threads takes connections from a short queue (when both are full the
//! listener stops accepting, and the kernel's backlog holds the rest), a
//! request head must arrive whole within a deadline and within a size, an
//! idle kept-alive connection is closed after a few seconds, and a write to
//! a peer that stops reading times out. So no number of clients, idle or
//! slow, can make the server grow threads or memory without end. Requests
//! are parsed by `httparse`; only `GET` and `HEAD` are served.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many threads answer requests; each holds one connection at a time.
/// More made no request faster on loopback, and each keeps its own heap
/// (32 workers: 140 MB resident after the load test, 8: 60 MB).
pub const WORKERS: usize = 8;

/// Accepted connections that may wait for a worker.
pub const QUEUE: usize = 64;

/// The longest a request head may take to arrive, from its first byte.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest a connection may wait for the first byte of a request (a
/// kept-alive one, for its next request).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest one write to a peer may block (a peer that stops reading).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request head (request line and headers) read, in bytes.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// The most headers a request may have.
const MAX_HEADERS: usize = 64;

/// A request, as the site needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// The raw request target (`/incidents/?q=x`).
    pub target: String,
    /// The `If-None-Match` header.
    pub if_none_match: Option<String>,
    /// Whether the connection stays open after the answer.
    pub keep_alive: bool,
}

/// What a handler does with a request.
pub enum Answer {
    /// Send this reply (status, headers, body); the body is left out for
    /// `HEAD` and 304.
    Reply(super::http::Reply),
    /// Hand the connection over (to the event stream hub).
    TakeOver(Box<dyn FnOnce(TcpStream) + Send>),
}

/// Serves `listener` forever with `handle`, on [`WORKERS`] threads.
pub fn spawn(listener: TcpListener, handle: Arc<dyn Fn(&Request) -> Answer + Send + Sync>) {
    let (tx, rx) = sync_channel::<TcpStream>(QUEUE);
    let queue = Arc::new(Queue {
        rx: Mutex::new(rx),
        waiting: AtomicUsize::new(0),
    });
    for _ in 0..WORKERS {
        let (queue, handle) = (Arc::clone(&queue), Arc::clone(&handle));
        let _ = std::thread::Builder::new()
            .name("kb-http".into())
            .spawn(move || work(&queue, handle.as_ref()));
    }
    let _ = std::thread::Builder::new()
        .name("kb-accept".into())
        .spawn(move || accept(&listener, &tx, &queue));
}

/// Connections waiting for a worker.
struct Queue {
    rx: Mutex<Receiver<TcpStream>>,
    /// How many: a worker closes a kept-alive connection rather than wait
    /// on it while others wait for it.
    waiting: AtomicUsize,
}

/// Accepts connections and queues them; blocks while the queue is full.
fn accept(listener: &TcpListener, tx: &SyncSender<TcpStream>, queue: &Queue) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, say: wait a little, not in a spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        queue.waiting.fetch_add(1, Ordering::SeqCst);
        if tx.send(stream).is_err() {
            return;
        }
    }
}

fn work(queue: &Queue, handle: &(dyn Fn(&Request) -> Answer + Sync)) {
    loop {
        let next = queue
            .rx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        let Ok(stream) = next else { return };
        queue.waiting.fetch_sub(1, Ordering::SeqCst);
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let _ = stream.set_nodelay(true);
        serve_connection(stream, handle, &queue.waiting);
    }
}

/// Answers the requests of one connection until it closes, idles too long,
/// is handed over, or others wait for a worker.
fn serve_connection(
    mut stream: TcpStream,
    handle: &(dyn Fn(&Request) -> Answer + Sync),
    waiting: &AtomicUsize,
) {
    let mut buffer = Vec::with_capacity(1024);
    loop {
        let waits = Waits {
            idle: IDLE_TIMEOUT,
            head: HEADER_TIMEOUT,
            waiting,
        };
        let request = match read_head(&mut stream, &mut buffer, waits) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(status) => {
                let reply = super::http::Reply::error(status);
                let _ = write_reply(&mut stream, &reply, false, false);
                return;
            }
        };
        match handle(&request) {
            Answer::TakeOver(take) => {
                let _ = stream.set_read_timeout(None);
                take(stream);
                return;
            }
            Answer::Reply(reply) => {
                let head_only = request.method == "HEAD";
                let keep_alive = request.keep_alive && waiting.load(Ordering::SeqCst) == 0;
                let written = write_reply(&mut stream, &reply, head_only, keep_alive);
                if written.is_err() || !keep_alive {
                    return;
                }
            }
        }
    }
}

/// How long reading a request head may wait.
#[derive(Clone, Copy)]
struct Waits<'a> {
    /// For the first byte.
    idle: Duration,
    /// For the whole head, from its first byte.
    head: Duration,
    /// Connections waiting for a worker: while there are any, a
    /// connection silent for [`YIELD_AFTER`] gives its worker up.
    waiting: &'a AtomicUsize,
}

/// How long a silent connection keeps its worker while others wait.
const YIELD_AFTER: Duration = Duration::from_millis(20);

/// Reads one request head from `stream` into `buffer` (which keeps what
/// follows it, for a pipelined request). `None` when the peer closed or
/// stayed silent (see [`Waits`]); an error status for a head too large
/// (431), too slow (408) or malformed (400).
fn read_head(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    waits: Waits<'_>,
) -> Result<Option<Request>, u16> {
    let mut deadline = Instant::now() + waits.idle;
    let mut started = !buffer.is_empty();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find_head_end(buffer) {
            let parsed = parse_head(&buffer[..end]);
            buffer.drain(..end);
            return parsed.map(Some);
        }
        if buffer.len() > MAX_HEAD_BYTES {
            return Err(431);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return if started { Err(408) } else { Ok(None) };
        }
        let slice = if started { left } else { left.min(YIELD_AFTER) };
        let _ = stream.set_read_timeout(Some(slice));
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => {
                if !started {
                    // The first byte of a request: the whole head has
                    // `waits.head` from here.
                    started = true;
                    deadline = Instant::now() + waits.head;
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if !started && waits.waiting.load(Ordering::SeqCst) > 0 {
                    return Ok(None);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Ok(None),
        }
    }
}

/// Where the head in `buffer` ends (after its blank line), if it is whole.
fn find_head_end(buffer: &[u8]) -> Option<usize> {
    buffer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| buffer.windows(2).position(|w| w == b"\n\n").map(|i| i + 2))
}

/// The request a whole head describes; 400 when it is not HTTP/1.x. A
/// request with a body is answered and its connection closed: kb serve
/// reads no body, and one left unread would be taken for the next request.
fn parse_head(head: &[u8]) -> Result<Request, u16> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(431),
        _ => return Err(400),
    }
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(400);
    };
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_owned())
    };
    let has_body =
        header("transfer-encoding").is_some() || header("content-length").is_some_and(|n| n != "0");
    let connection = header("connection")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let keep_alive = !has_body
        && if version == 0 {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        };
    Ok(Request {
        method: method.to_owned(),
        target: target.to_owned(),
        if_none_match: header("if-none-match"),
        keep_alive,
    })
}

/// Writes `reply` as an HTTP/1.1 response.
fn write_reply(
    stream: &mut TcpStream,
    reply: &super::http::Reply,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    let no_body = head_only || reply.status == 304;
    head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    if !no_body {
        out.extend_from_slice(&reply.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_and_bodies_are_refused() {
        let r =
            parse_head(b"GET /a?b HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"1\"\r\n\r\n").unwrap();
        assert_eq!(
            r,
            Request {
                method: "GET".into(),
                target: "/a?b".into(),
                if_none_match: Some("\"1\"".into()),
                keep_alive: true
            }
        );
        let close = parse_head(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
        assert!(!close.keep_alive);
        let old = parse_head(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        assert!(!old.keep_alive);
        let post = parse_head(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n").unwrap();
        assert!(
            !post.keep_alive,
            "the unread body must not be the next request"
        );
        assert_eq!(parse_head(b"nonsense\r\n\r\n"), Err(400));
        let many: String = (0..100).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(
            parse_head(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()),
            Err(431)
        );
    }

    /// A connected pair of loopback sockets.
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (client, listener.accept().unwrap().0)
    }

    #[test]
    fn silent_slow_and_huge_heads_are_cut_off() {
        let none = AtomicUsize::new(0);
        let waits = Waits {
            idle: Duration::from_millis(100),
            head: Duration::from_millis(300),
            waiting: &none,
        };
        // Silent: closed after the idle wait, without an answer.
        let (_client, mut server) = pair();
        let started = Instant::now();
        assert_eq!(read_head(&mut server, &mut Vec::new(), waits), Ok(None));
        assert!(started.elapsed() < Duration::from_secs(2));
        // A head that starts and never ends: 408 once the head's time is up.
        let (mut client, mut server) = pair();
        client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        assert_eq!(read_head(&mut server, &mut Vec::new(), waits), Err(408));
        // A head past the size limit: 431, whatever follows.
        let (mut client, mut server) = pair();
        let big = format!(
            "GET / HTTP/1.1\r\nX-Big: {}\r\n",
            "x".repeat(MAX_HEAD_BYTES)
        );
        let writer = std::thread::spawn(move || {
            let _ = client.write_all(big.as_bytes());
            client
        });
        assert_eq!(read_head(&mut server, &mut Vec::new(), waits), Err(431));
        drop(writer.join());
        // Silent while another connection waits: the worker is given up at
        // once, not after the idle wait.
        let one = AtomicUsize::new(1);
        let busy = Waits {
            idle: Duration::from_secs(30),
            waiting: &one,
            ..waits
        };
        let (_client, mut server) = pair();
        let started = Instant::now();
        assert_eq!(read_head(&mut server, &mut Vec::new(), busy), Ok(None));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn the_end_of_a_head_is_found() {
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\n\r\nGET"), Some(18));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
    }
}
