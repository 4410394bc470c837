//! Server-Sent Events: every open page holds one stream; a rebuild sends an
//! event down all of them. Each stream has its own small writer thread fed
//! through a short queue, so a page that stops reading (a stalled or
//! suspended tab) can never hold up a rebuild or the other pages: when its
//! queue is full it is dropped, and a closed one is dropped at the next send.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

/// The most writer threads alive at once; more streams are refused, so
/// threads and memory stay bounded. A dropped stream's thread counts until
/// its write ends: one blocked on a peer that never reads still holds a slot.
pub const MAX_STREAMS: usize = 64;

/// Messages a stream may have waiting before it counts as stalled.
const QUEUE: usize = 16;

type Writer = Box<dyn Write + Send>;

/// The open event streams: the sending ends of their queues.
#[derive(Default)]
pub struct Hub {
    streams: Mutex<Vec<SyncSender<String>>>,
    /// Writer threads alive.
    writers: Arc<AtomicUsize>,
}

/// Counts a writer thread while it lives.
struct Alive(Arc<AtomicUsize>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Hub {
    /// Takes over a connection: its thread writes the response head and a
    /// first event, then every message sent. False when the hub is full.
    pub fn join(&self, mut writer: Writer, event: &str, data: &str) -> bool {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !self.has_room() {
            return false;
        }
        self.writers.fetch_add(1, Ordering::SeqCst);
        let alive = Alive(Arc::clone(&self.writers));
        let (tx, rx) = mpsc::sync_channel::<String>(QUEUE);
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n\r\nretry: 500\n\n";
        let first = format!("{head}{}", message(event, data));
        let spawned = std::thread::Builder::new()
            .name("kb-events".into())
            .spawn(move || {
                let _alive = alive;
                for text in std::iter::once(first).chain(rx) {
                    if writer
                        .write_all(text.as_bytes())
                        .and_then(|()| writer.flush())
                        .is_err()
                    {
                        return;
                    }
                }
            });
        if spawned.is_ok() {
            streams.push(tx);
        }
        spawned.is_ok()
    }

    /// True while another stream can join.
    pub fn has_room(&self) -> bool {
        self.writers.load(Ordering::SeqCst) < MAX_STREAMS
    }

    /// Sends an event to every stream, dropping the closed and stalled ones.
    pub fn broadcast(&self, event: &str, data: &str) {
        self.send_all(&message(event, data));
    }

    /// Sends a comment, so that closed streams are noticed and dropped.
    pub fn ping(&self) {
        self.send_all(": ping\n\n");
    }

    fn send_all(&self, text: &str) {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        streams.retain(|tx| match tx.try_send(text.to_owned()) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        });
    }

    /// How many streams are open.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.streams.lock().map_or(0, |s| s.len())
    }
}

/// One event as the stream carries it.
fn message(event: &str, data: &str) -> String {
    let mut message = format!("event: {event}\n");
    for line in data.lines() {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    message.push('\n');
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex as StdMutex};
    use std::time::{Duration, Instant};

    #[derive(Clone, Default)]
    struct Sink(Arc<StdMutex<Vec<u8>>>);

    impl Sink {
        /// The text written, once it ends with `end` (or after a few seconds).
        fn text_ending(&self, end: &str) -> String {
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
                if text.ends_with(end) || Instant::now() > deadline {
                    return text;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A page that never reads: every write blocks for good.
    struct Stalled(mpsc::Receiver<()>);

    impl Write for Stalled {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            let _ = self.0.recv();
            Err(std::io::ErrorKind::TimedOut.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn events_reach_open_streams_and_closed_ones_go() {
        let hub = Hub::default();
        let sink = Sink::default();
        assert!(hub.join(Box::new(sink.clone()), "status", "{}"));
        assert!(hub.join(Box::new(Closed), "status", "{}"));
        std::thread::sleep(Duration::from_millis(50));
        hub.broadcast("reload", "{\"generation\":2}");
        let text = sink.text_ending("event: reload\ndata: {\"generation\":2}\n\n");
        assert!(
            text.ends_with("event: reload\ndata: {\"generation\":2}\n\n"),
            "{text}"
        );
        assert_eq!(hub.len(), 1, "the closed stream is gone");
    }

    #[test]
    fn a_stalled_page_never_holds_up_a_broadcast() {
        let hub = Hub::default();
        let (_keep, rx) = mpsc::channel();
        assert!(hub.join(Box::new(Stalled(rx)), "status", "{}"));
        let sink = Sink::default();
        assert!(hub.join(Box::new(sink.clone()), "status", "{}"));
        let started = Instant::now();
        for generation in 0..QUEUE * 2 {
            hub.broadcast("reload", &format!("{{\"generation\":{generation}}}"));
            // Rebuilds come tens of milliseconds apart at the very least.
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(hub.len(), 1, "the stalled stream is dropped");
        let last = format!("data: {{\"generation\":{}}}\n\n", QUEUE * 2 - 1);
        assert!(sink.text_ending(&last).ends_with(&last));
    }

    #[test]
    fn a_dropped_stalled_stream_holds_its_slot_until_its_write_ends() {
        let hub = Hub::default();
        let mut keep = Vec::new();
        for _ in 0..MAX_STREAMS {
            let (release, rx) = mpsc::channel();
            keep.push(release);
            assert!(hub.join(Box::new(Stalled(rx)), "status", "{}"));
        }
        for _ in 0..=QUEUE {
            hub.broadcast("reload", "{}");
        }
        assert_eq!(hub.len(), 0, "every stalled stream is dropped");
        assert!(
            !hub.join(Box::new(Sink::default()), "status", "{}"),
            "their threads are still blocked writing"
        );
        drop(keep);
        let started = Instant::now();
        while !hub.has_room() && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(hub.join(Box::new(Sink::default()), "status", "{}"));
    }

    #[test]
    fn the_hub_is_bounded() {
        let hub = Hub::default();
        for _ in 0..MAX_STREAMS {
            assert!(hub.join(Box::new(Sink::default()), "status", "{}"));
        }
        assert!(!hub.join(Box::new(Sink::default()), "status", "{}"));
    }
}
