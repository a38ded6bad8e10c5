//! Outcome records as JSON lines on standard output. Dispatch writes each
//! record's JSON into a shared buffer; a thread of its own takes the buffer
//! and writes it, so a fast stream costs few wake-ups and few writes, and the
//! dispatching thread never waits for a system call unless the reader of the
//! output falls far behind (then it waits: memory stays bounded). The writer
//! also drops the records' events after writing them: freeing an event is
//! most of what it costs to forget it, and this takes that off the
//! dispatching thread, which sets the pace of a run.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use adl_runtime::Event;
use adl_runtime::exec::{Emitted, Outcome, OutcomeSink};

/// Bytes of records queued before dispatch waits for the writer.
const MAX_QUEUED: usize = 4 << 20;

/// Events kept for the writer to drop before dispatch waits for it: bounds the
/// memory that records of large events hold.
const MAX_QUEUED_EVENTS: usize = 1 << 16;

/// After writing a small batch the writer waits this long for more, so that a
/// trickle of records is written a few at a time rather than one by one.
const LINGER: Duration = Duration::from_micros(500);

/// A batch of at least this many bytes is written and followed at once by the next.
const LARGE_BATCH: usize = 64 << 10;

#[derive(Default)]
struct Queue {
    /// Records as JSON lines, in order.
    bytes: Vec<u8>,
    /// The events of those records, dropped by the writer once they are
    /// written: most events are freed there, off the dispatching thread
    /// (the memory ring has usually let go of them by then).
    events: Vec<Arc<Event>>,
    /// The writer sleeps until records arrive: the next record wakes it.
    writer_waiting: bool,
    closed: bool,
    /// Writing failed (the output is gone): records are dropped.
    failed: bool,
}

#[derive(Default)]
struct Shared {
    queue: Mutex<Queue>,
    filled: Condvar,
    drained: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // Every critical section leaves the queue consistent.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The sink a runtime records into.
pub struct QueueSink(Arc<Shared>);

impl OutcomeSink for QueueSink {
    fn record(&self, outcome: Outcome) {
        let mut queue = self.0.lock();
        while (queue.bytes.len() >= MAX_QUEUED || queue.events.len() >= MAX_QUEUED_EVENTS)
            && !queue.failed
        {
            queue = self
                .0
                .drained
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if queue.failed {
            return;
        }
        outcome.write_json_line(&mut queue.bytes);
        match outcome {
            Outcome::Accepted { event, .. } | Outcome::Event(Emitted { event, .. }) => {
                queue.events.push(event);
            }
            Outcome::Rejected { .. } | Outcome::Action(_) => {}
        }
        if queue.writer_waiting {
            queue.writer_waiting = false;
            self.0.filled.notify_one();
        }
    }
}

/// The writing thread and its queue.
pub struct OutcomeWriter {
    shared: Arc<Shared>,
    thread: JoinHandle<std::io::Result<()>>,
}

impl OutcomeWriter {
    /// Writes to standard output.
    pub fn start() -> (Self, QueueSink) {
        Self::start_on(|| std::io::stdout().lock())
    }

    /// Writes to what `open` returns (on the writing thread).
    fn start_on<W: Write>(open: impl FnOnce() -> W + Send + 'static) -> (Self, QueueSink) {
        let shared = Arc::new(Shared::default());
        let writer = Arc::clone(&shared);
        let thread = std::thread::spawn(move || write_records(&writer, open()));
        (
            Self {
                shared: Arc::clone(&shared),
                thread,
            },
            QueueSink(shared),
        )
    }

    /// Writes what is queued and stops the thread; the first write error, if any.
    pub fn finish(self) -> std::io::Result<()> {
        {
            let mut queue = self.shared.lock();
            queue.closed = true;
            self.shared.filled.notify_one();
        }
        self.thread
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the output thread failed")))
    }
}

fn write_records(shared: &Shared, mut out: impl Write) -> std::io::Result<()> {
    let mut batch = Vec::new();
    let mut events: Vec<Arc<Event>> = Vec::new();
    loop {
        {
            let mut queue = shared.lock();
            while queue.bytes.is_empty() && !queue.closed {
                queue.writer_waiting = true;
                queue = shared
                    .filled
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if queue.bytes.is_empty() {
                break;
            }
            std::mem::swap(&mut queue.bytes, &mut batch);
            std::mem::swap(&mut queue.events, &mut events);
            if batch.len() >= MAX_QUEUED || events.len() >= MAX_QUEUED_EVENTS {
                shared.drained.notify_all();
            }
        }
        let small = batch.len() < LARGE_BATCH;
        let written = out.write_all(&batch).and_then(|()| out.flush());
        batch.clear();
        events.clear();
        if let Err(error) = written {
            let mut queue = shared.lock();
            queue.failed = true;
            queue.bytes = Vec::new();
            queue.events = Vec::new();
            shared.drained.notify_all();
            return Err(error);
        }
        if small {
            std::thread::sleep(LINGER);
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A shared buffer, or a writer that fails at once.
    #[derive(Clone, Default)]
    struct Sink {
        bytes: Arc<Mutex<Vec<u8>>>,
        broken: bool,
    }

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.broken {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.bytes.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn accepted(index: usize) -> Outcome {
        let event = adl_runtime::Event::new(
            format!("e{index}"),
            "ping",
            "2026-01-01T00:00:00Z".to_owned(),
            serde_json::Value::Null,
        );
        Outcome::Accepted {
            index,
            event: std::sync::Arc::new(event),
        }
    }

    #[test]
    fn every_record_is_written_in_order_across_batches() {
        let sink = Sink::default();
        let bytes = Arc::clone(&sink.bytes);
        let (writer, queue) = OutcomeWriter::start_on(move || sink);
        // More than the queue holds: the producer waits for the writer.
        let count = MAX_QUEUED / 16 + 7;
        for index in 0..count {
            queue.record(accepted(index));
        }
        writer.finish().unwrap();
        let text = String::from_utf8(bytes.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), count);
        for (index, line) in lines.iter().enumerate() {
            assert_eq!(
                *line,
                format!(r#"{{"kind":"accepted","index":{index},"event_id":"e{index}"}}"#)
            );
        }
    }

    #[test]
    fn the_writer_lets_go_of_every_event_it_wrote() {
        let sink = Sink::default();
        let (writer, queue) = OutcomeWriter::start_on(move || sink);
        let events: Vec<_> = (0..MAX_QUEUED_EVENTS + 3)
            .map(|index| match accepted(index) {
                Outcome::Accepted { event, .. } => event,
                _ => unreachable!(),
            })
            .collect();
        // More events than the queue keeps: recording waits for the writer,
        // and fails here rather than hanging if the writer never lets go.
        let (done, recorded) = std::sync::mpsc::channel();
        let producer = {
            let events = events.clone();
            std::thread::spawn(move || {
                for (index, event) in events.into_iter().enumerate() {
                    queue.record(Outcome::Accepted { index, event });
                }
                done.send(()).unwrap();
            })
        };
        recorded
            .recv_timeout(Duration::from_secs(30))
            .expect("recording stays blocked");
        producer.join().unwrap();
        writer.finish().unwrap();
        assert!(events.iter().all(|event| Arc::strong_count(event) == 1));
    }

    #[test]
    fn a_failed_output_drops_records_instead_of_blocking_dispatch() {
        let (writer, queue) = OutcomeWriter::start_on(|| Sink {
            broken: true,
            ..Sink::default()
        });
        for index in 0..MAX_QUEUED / 8 {
            queue.record(accepted(index));
        }
        let error = writer.finish().unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe);
    }
}
