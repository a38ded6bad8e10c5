//! Outcome records as JSON lines on standard output. Dispatch writes each
//! record's JSON into a shared buffer; a thread of its own takes the buffer
//! and writes it, so a fast stream costs few wake-ups and few writes, and the
//! dispatching thread never waits for a system call unless the reader of the
//! output falls far behind (then it waits: memory stays bounded).
//!
//! Only bytes cross to the writer: a record's event is let go of on the
//! dispatching thread, where it was made. Freeing memory on another thread
//! than the one that allocated it costs the allocator a hand-back and both
//! cores their cache lines; dropping events on the writer made `adl run`
//! take 40% longer.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use adl_runtime::exec::{Outcome, OutcomeSink};

/// Bytes of records queued before dispatch waits for the writer.
const MAX_QUEUED: usize = 4 << 20;

/// After writing a small batch the writer waits this long for more, so that a
/// trickle of records is written a few at a time rather than one by one.
const LINGER: Duration = Duration::from_micros(500);

/// A batch of at least this many bytes is written and followed at once by the next.
const LARGE_BATCH: usize = 64 << 10;

#[derive(Default)]
struct Queue {
    /// Records as JSON lines, in order.
    bytes: Vec<u8>,
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

/// How records are written.
#[derive(Debug)]
pub enum LineFormat {
    /// One JSON object a line (spec §12): for machines.
    Json,
    /// One short line a record: for people.
    Human(super::human::HumanLines),
}

/// The sink a runtime records into.
pub struct QueueSink(Arc<Shared>, Arc<LineFormat>);

impl OutcomeSink for QueueSink {
    fn record(&self, outcome: Outcome) {
        let mut queue = self.0.lock();
        while queue.bytes.len() >= MAX_QUEUED && !queue.failed {
            queue = self
                .0
                .drained
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if queue.failed {
            return;
        }
        match &*self.1 {
            LineFormat::Json => outcome.write_json_line(&mut queue.bytes),
            LineFormat::Human(lines) => lines.write(&outcome, &mut queue.bytes),
        }
        if queue.writer_waiting {
            queue.writer_waiting = false;
            self.0.filled.notify_one();
        }
        // The lock is released before `outcome` (and maybe its event) is dropped.
    }
}

/// The writing thread and its queue.
pub struct OutcomeWriter {
    shared: Arc<Shared>,
    thread: JoinHandle<std::io::Result<()>>,
}

impl OutcomeWriter {
    /// Writes to standard output.
    pub fn start(format: LineFormat) -> (Self, QueueSink) {
        // Standard output's buffer is made here: the writing thread then
        // allocates nothing, so it never starts a heap of its own (a fresh
        // 2 MiB page for the kernel to zero, for a 1 KiB buffer).
        let stdout = std::io::stdout();
        Self::start_on(format, move || stdout.lock())
    }

    /// Writes to what `open` returns (on the writing thread).
    fn start_on<W: Write>(
        format: LineFormat,
        open: impl FnOnce() -> W + Send + 'static,
    ) -> (Self, QueueSink) {
        let shared = Arc::new(Shared::default());
        let writer = Arc::clone(&shared);
        let thread = std::thread::spawn(move || write_records(&writer, open()));
        (
            Self {
                shared: Arc::clone(&shared),
                thread,
            },
            QueueSink(shared, Arc::new(format)),
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
            if batch.len() >= MAX_QUEUED {
                shared.drained.notify_all();
            }
        }
        let small = batch.len() < LARGE_BATCH;
        let written = out.write_all(&batch).and_then(|()| out.flush());
        batch.clear();
        if let Err(error) = written {
            let mut queue = shared.lock();
            queue.failed = true;
            queue.bytes = Vec::new();
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
        let (writer, queue) = OutcomeWriter::start_on(LineFormat::Json, move || sink);
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
    fn recording_lets_go_of_the_event_at_once() {
        let (writer, queue) = OutcomeWriter::start_on(LineFormat::Json, Sink::default);
        let events: Vec<_> = (0..1000)
            .map(|index| match accepted(index) {
                Outcome::Accepted { event, .. } => event,
                _ => unreachable!(),
            })
            .collect();
        for (index, event) in events.iter().enumerate() {
            queue.record(Outcome::Accepted {
                index,
                event: Arc::clone(event),
            });
            // Dropped on this thread, before the writer has seen the record.
            assert_eq!(Arc::strong_count(event), 1);
        }
        writer.finish().unwrap();
    }

    #[test]
    fn a_failed_output_drops_records_instead_of_blocking_dispatch() {
        let (writer, queue) = OutcomeWriter::start_on(LineFormat::Json, || Sink {
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
