//! The tokio executor: dispatch (§2, §9), processing modes, triggers (§4),
//! routing (§6), handlers (§5), cascades (§8) and the event store (§10).
//!
//! A [`Runtime`] is built from a [`Program`] with a [`RuntimeBuilder`] inside a
//! tokio runtime. Dispatch validates each input event, stores it and
//! acknowledges it (accepted, or rejected with a reason); processing then runs
//! the matching subscriptions' handlers and the handlers trigger activations are
//! routed to, in declaration order, and dispatches the events they emit.
//! [`Runtime::shutdown`] stops intake and returns once every accepted event has
//! been processed.
//!
//! * `builder`: [`RuntimeBuilder`], hosts and the store; `start` spawns the
//!   workers of the processing mode and the cron scheduler.
//! * `runtime`: [`Runtime`], the handle: dispatch, state, resume, shutdown.
//! * `dispatch`: admitting an input event, storing it, acknowledging it.
//! * `input_group`: a group of inputs (one read of `adl run`) stored as one
//!   append while dispatch order stays the input order.
//! * `process`: an event's cascade: subscriptions, triggers, routing,
//!   handlers, emitted events; the workers and the batcher.
//! * `clock`: the runtime's "now" (tokio's clock, so tests can pause it).
//! * `host`, `outcome`, `store`: what a host plugs in (tools, sinks), what the
//!   runtime reports, and where events are kept.

mod builder;
mod clock;
mod dispatch;
mod failure;
mod host;
mod input_group;
mod json_line;
mod outcome;
mod process;
mod runtime;
mod source;
mod store;

use arcstr::Substr;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};
use tokio::sync::{Notify, mpsc, oneshot};

pub use builder::{IdScheme, RuntimeBuilder, StartError};
pub use dispatch::{Ack, DispatchReport, Rejection};
pub use host::{
    BoxFuture, CustomCall, CustomHandler, HandlerError, Notification, NotificationSink, ToolCall,
    ToolInvoker,
};
pub use outcome::{Action, ActionOutcome, Emitted, Outcome, OutcomeSink, Summary};
pub use runtime::{Resumed, Runtime, StateError};
pub use source::{
    Completed, Completion, EventSource, InFlightLimit, SourceBatch, SourceError, TextSource,
};
pub use store::{
    Appended, DatabaseStore, EventStore, FileStore, MemoryStore, Origin, Recovery, Status,
    StoreError, StoredEvent, expand_env,
};

use crate::Event;
use crate::Program;
use clock::Clock;

enum Receiver {
    Queue(mpsc::Receiver<QueuedEvent>),
    Batch(mpsc::Receiver<Queued>),
}

/// An accepted event in the asynchronous queue, with the source message it
/// came in, if one waits for it.
struct QueuedEvent {
    event: Arc<Event>,
    message: Option<Arc<source::MessageTracker>>,
}

/// An event waiting for its batch, with the acknowledgement its dispatcher awaits.
struct Queued {
    index: usize,
    event: Arc<Event>,
    written: oneshot::Sender<Result<(), Rejection>>,
    message: Option<Arc<source::MessageTracker>>,
}

enum Intake {
    Synchronous,
    Queue(Mutex<Option<mpsc::Sender<QueuedEvent>>>),
    Batch(Mutex<Option<mpsc::Sender<Queued>>>),
}

/// State values and, per trigger, the last value of edge-triggered ones.
#[derive(Debug)]
struct AgentState {
    values: Map<String, Value>,
    edge_last: Vec<Option<bool>>,
}

#[derive(Debug, Default)]
struct Counters {
    accepted: AtomicU64,
    rejected: AtomicU64,
    actions: AtomicU64,
    errors: AtomicU64,
    emitted: AtomicU64,
    dropped: AtomicU64,
    replayed: AtomicU64,
    duplicates: AtomicU64,
    /// Inputs given so far, in every call (numbers `IdScheme::InputIndex` ids).
    inputs: AtomicU64,
}

/// Dispatches and ticks being processed outside the workers (synchronous mode).
#[derive(Debug, Default)]
struct InFlight {
    count: AtomicU64,
    /// Set once something waits for idleness: only then is there anyone to wake.
    awaited: AtomicBool,
    idle: Notify,
}

struct InFlightGuard<'a>(&'a InFlight);

impl InFlight {
    fn enter(&self) -> InFlightGuard<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        InFlightGuard(self)
    }

    async fn wait_idle(&self) {
        loop {
            let idle = self.idle.notified();
            self.awaited.store(true, Ordering::SeqCst);
            if self.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 && self.0.awaited.load(Ordering::SeqCst)
        {
            self.0.idle.notify_waiters();
        }
    }
}

struct Inner {
    program: Program,
    tools: Option<Arc<dyn ToolInvoker>>,
    notifications: Option<Arc<dyn NotificationSink>>,
    custom: HashMap<String, Arc<dyn CustomHandler>>,
    store: Arc<dyn EventStore>,
    outcomes: Vec<Box<dyn OutcomeSink>>,
    state: Mutex<AgentState>,
    clock: Clock,
    /// The last timestamp text and its millisecond (see [`Inner::now`]).
    now_text: Mutex<(i64, Substr)>,
    ids: IdScheme,
    intake: Intake,
    /// Keeps groups of inputs in call order (see [`Runtime::dispatch_group`]).
    order: input_group::Order,
    closing: AtomicBool,
    in_flight: InFlight,
    counters: Counters,
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, AgentState> {
        // State updates are single assignments; a poisoned lock holds a consistent map.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn emit(&self, outcome: impl FnOnce() -> Outcome) {
        if let Some((last, others)) = self.outcomes.split_last() {
            let outcome = outcome();
            for sink in others {
                sink.record(outcome.clone());
            }
            last.record(outcome);
        }
    }

    /// Now as an event timestamp: RFC 3339 in UTC to the millisecond. The
    /// text is formatted once per millisecond: events arrive far faster.
    fn now(&self) -> Substr {
        let millisecond = self.clock.now_millisecond();
        let mut cached = self.now_text.lock().unwrap_or_else(PoisonError::into_inner);
        if cached.0 != millisecond || cached.1.is_empty() {
            let at =
                jiff::Timestamp::from_millisecond(millisecond).unwrap_or(self.clock.wall_start);
            *cached = (millisecond, Substr::from(at.to_string()));
        }
        cached.1.clone()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
