//! Event sources: where a runtime's input comes from (a file, standard input,
//! a message broker) and how each message of it is completed.
//!
//! A source hands out batches: the inputs read together, dispatched as one
//! group (stored with one append, dispatched in order). Inputs that came in a
//! message the source must settle (a broker's delivery) are covered by a
//! [`Completion`], told once every event of the message is done: processed
//! with its whole cascade, or rejected with the reason.
//! [`super::Runtime::run_source`] drives a source to its end with a bound on
//! what is in flight.

mod text;

pub use text::TextSource;

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::failure::Failure;
use super::host::BoxFuture;
use super::{Ack, Rejection, lock};
use crate::event::Envelope;

/// Where input events come from. `adl run` reads files and standard input
/// through one; a host adds another (a message broker) without touching the
/// runtime.
pub trait EventSource: Send {
    /// The next inputs read together; `None` once the source has ended. An
    /// error is reported by [`super::Runtime::run_source`], which reads on: a
    /// source that cannot go on ends after it.
    fn next_batch(&mut self) -> BoxFuture<'_, Option<Result<SourceBatch, SourceError>>>;
}

/// Inputs read together: dispatched as one group.
#[derive(Debug, Default)]
pub struct SourceBatch {
    /// Every input, numbered (the index in acknowledgements and outcome
    /// records), in order: an envelope, or why the input is not an event.
    pub inputs: Vec<(usize, Result<Envelope, Rejection>)>,
    /// The messages to settle, each over a run of `inputs` (positions in
    /// the vector; runs do not overlap; a run past the end is cut at it,
    /// a reversed one covers nothing). Inputs outside every run settle nothing (a file's lines).
    pub messages: Vec<(Range<usize>, Box<dyn Completion>)>,
    /// Bytes of input text the batch was read from (bounds what is in flight).
    pub bytes: usize,
}

/// Settles one message of a source once every event in it is done.
pub trait Completion: Send + std::fmt::Debug + 'static {
    fn complete(self: Box<Self>, completed: Completed);
}

/// How a message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completed {
    /// Every event was processed with its whole cascade (or was a duplicate
    /// of an event stored before: its own processing is settled elsewhere).
    Done,
    /// These events (input index, reason) were rejected; the others, done.
    Rejected(Vec<(usize, Rejection)>),
}

/// A source could not read on: what, and why (`source()` gives the cause,
/// an `io::Error` for a text source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(Failure);

impl SourceError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(Failure::new(message.into()))
    }

    pub fn caused_by(
        message: impl Into<String>,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self(Failure::caused_by(message.into(), cause))
    }

    /// The I/O failure behind it, if it was one.
    pub fn io_error(&self) -> Option<&std::io::Error> {
        self.0.cause()?.downcast_ref()
    }
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.message())
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.cause()
    }
}

/// How much [`super::Runtime::run_source`] keeps in flight (dispatched, not
/// yet acknowledged) before it reads on: memory stays bounded on an endless
/// stream. A batch larger than the bound goes alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFlightLimit {
    pub events: usize,
    pub bytes: usize,
}

impl Default for InFlightLimit {
    /// 4,096 events (enough to keep batch mode's batches full and a durable
    /// store's group writes large) and 16 MiB of their text.
    fn default() -> Self {
        Self {
            events: 4096,
            bytes: 16 << 20,
        }
    }
}

/// A message waiting for its events: each accepted one counts down when its
/// cascade is done, each rejected one when it is answered.
#[derive(Debug)]
pub(super) struct MessageTracker {
    remaining: AtomicUsize,
    rejected: Mutex<Vec<(usize, Rejection)>>,
    completion: Mutex<Option<Box<dyn Completion>>>,
}

impl MessageTracker {
    fn new(events: usize, completion: Box<dyn Completion>) -> Arc<Self> {
        let tracker = Arc::new(Self {
            remaining: AtomicUsize::new(events),
            rejected: Mutex::new(Vec::new()),
            completion: Mutex::new(Some(completion)),
        });
        if events == 0 {
            tracker.settle();
        }
        tracker
    }

    /// One event of the message is done.
    pub(super) fn done(&self) {
        if self.remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.settle();
        }
    }

    fn rejected(&self, index: usize, rejection: Rejection) {
        lock(&self.rejected).push((index, rejection));
        self.done();
    }

    fn settle(&self) {
        let Some(completion) = lock(&self.completion).take() else {
            return;
        };
        let rejected = std::mem::take(&mut *lock(&self.rejected));
        completion.complete(if rejected.is_empty() {
            Completed::Done
        } else {
            Completed::Rejected(rejected)
        });
    }
}

/// Per input of a batch, the message it belongs to (empty when no input
/// does: nothing is tracked).
pub(super) fn trackers(
    inputs: usize,
    messages: Vec<(Range<usize>, Box<dyn Completion>)>,
) -> Vec<Option<Arc<MessageTracker>>> {
    if messages.is_empty() {
        return Vec::new();
    }
    let mut trackers = vec![None; inputs];
    for (range, completion) in messages {
        // A host's run that reaches past the end, or is reversed, covers
        // what it can (possibly nothing) rather than panicking.
        let end = range.end.min(inputs);
        let range = range.start.min(end)..end;
        let tracker = MessageTracker::new(range.len(), completion);
        for slot in &mut trackers[range] {
            *slot = Some(Arc::clone(&tracker));
        }
    }
    trackers
}

/// Counts the answered inputs of a group down: rejections with their
/// reasons, duplicates as done. Accepted ones count down when processed.
pub(super) fn settle_answered(acks: &[Ack], trackers: &[Option<Arc<MessageTracker>>]) {
    for (ack, tracker) in acks.iter().zip(trackers) {
        let Some(tracker) = tracker else { continue };
        match &ack.result {
            Ok(()) => {}
            Err(Rejection::Duplicate) => tracker.done(),
            Err(rejection) => tracker.rejected(ack.index, rejection.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Record(Arc<Mutex<Vec<Completed>>>);

    impl Completion for Record {
        fn complete(self: Box<Self>, completed: Completed) {
            lock(&self.0).push(completed);
        }
    }

    /// Runs past the end or reversed cover what they can: no panic, and a
    /// message of no events is settled at once.
    #[test]
    fn odd_runs_cover_what_they_can() {
        let settled = Arc::new(Mutex::new(Vec::new()));
        let record = || -> Box<dyn Completion> { Box::new(Record(Arc::clone(&settled))) };
        #[allow(
            clippy::reversed_empty_ranges,
            reason = "what a careless host may pass"
        )]
        let trackers = trackers(3, vec![(2..9, record()), (2..1, record())]);
        assert_eq!(trackers.iter().filter(|t| t.is_some()).count(), 1);
        assert_eq!(
            *lock(&settled),
            [Completed::Done],
            "the reversed run, at once"
        );
        trackers[2].as_ref().expect("tracked").done();
        assert_eq!(lock(&settled).len(), 2);
    }
}
