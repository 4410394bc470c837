//! Server-Sent Events: every open page holds one stream; a rebuild sends an
//! event down all of them. A stream is only a writer kept in a list, not a
//! thread, and a closed one is dropped at the next write.

use std::io::Write;
use std::sync::Mutex;

/// The most streams held at once; more are refused, so memory stays bounded.
pub const MAX_STREAMS: usize = 64;

type Stream = Box<dyn Write + Send>;

/// The open event streams.
#[derive(Default)]
pub struct Hub {
    streams: Mutex<Vec<Stream>>,
}

impl Hub {
    /// Takes over a connection: writes the response head and a first event,
    /// then keeps it. False when the hub is full or the write failed.
    pub fn join(&self, mut stream: Stream, event: &str, data: &str) -> bool {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if streams.len() >= MAX_STREAMS {
            return false;
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n\r\nretry: 500\n\n";
        let ok = stream.write_all(head.as_bytes()).is_ok() && send(&mut stream, event, data);
        if ok {
            streams.push(stream);
        }
        ok
    }

    /// True while another stream can join.
    pub fn has_room(&self) -> bool {
        self.streams.lock().is_ok_and(|s| s.len() < MAX_STREAMS)
    }

    /// Sends an event to every stream, dropping the ones that are closed.
    pub fn broadcast(&self, event: &str, data: &str) {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        streams.retain_mut(|s| send(s, event, data));
    }

    /// Sends a comment, so that closed streams are noticed and dropped.
    pub fn ping(&self) {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        streams.retain_mut(|s| s.write_all(b": ping\n\n").and_then(|()| s.flush()).is_ok());
    }

    /// How many streams are open.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.streams.lock().map_or(0, |s| s.len())
    }
}

fn send(stream: &mut Stream, event: &str, data: &str) -> bool {
    let mut message = format!("event: {event}\n");
    for line in data.lines() {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    message.push('\n');
    stream
        .write_all(message.as_bytes())
        .and_then(|()| stream.flush())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex as StdMutex};

    #[derive(Clone, Default)]
    struct Sink(Arc<StdMutex<Vec<u8>>>);

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

    #[test]
    fn events_reach_open_streams_and_closed_ones_go() {
        let hub = Hub::default();
        let sink = Sink::default();
        assert!(hub.join(Box::new(sink.clone()), "status", "{}"));
        assert!(!hub.join(Box::new(Closed), "status", "{}"));
        hub.broadcast("reload", "{\"generation\":2}");
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert!(
            text.ends_with("event: reload\ndata: {\"generation\":2}\n\n"),
            "{text}"
        );
        assert_eq!(hub.len(), 1);
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
