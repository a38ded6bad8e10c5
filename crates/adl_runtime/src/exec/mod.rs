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

mod host;
mod input_group;
mod json_line;
mod outcome;
mod process;
mod store;

use arcstr::Substr;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::JoinHandle;

pub use host::{
    BoxFuture, CustomCall, CustomHandler, HandlerError, Notification, NotificationSink, ToolCall,
    ToolInvoker,
};
pub use outcome::{Action, ActionOutcome, Emitted, Outcome, OutcomeSink, Summary};
pub use store::{
    Appended, DatabaseStore, EventStore, FileStore, MemoryStore, Origin, Recovery, Status,
    StoreError, StoredEvent, expand_env,
};

use crate::Event;
use crate::Program;
use crate::event::{Envelope, EnvelopeError};
use crate::graph::{Overflow, PersistenceConfig, ProcessingMode};

/// Why dispatch refused an input event. Nothing of a rejected event is processed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("invalid event: {0}")]
    InvalidEnvelope(String),
    #[error("{0}")]
    SchemaMismatch(String),
    #[error("queue full ({0} events waiting) and `overflow` is `reject`")]
    QueueFull(u64),
    #[error("the runtime is shutting down")]
    ShuttingDown,
    #[error("{0}")]
    Store(String),
    /// An event with this id is already stored: ids are idempotency keys.
    #[error("an event with this id is already stored")]
    Duplicate,
    /// The input was not JSON text at all (not JSON, or not UTF-8).
    #[error("{0}")]
    Unreadable(String),
}

/// Dispatch's answer for one input event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// Position of the event in the input.
    pub index: usize,
    /// The event's id (generated when the input had none); `None` when the
    /// input was not an event at all.
    pub event_id: Option<Substr>,
    pub result: Result<(), Rejection>,
}

impl Ack {
    pub fn is_accepted(&self) -> bool {
        self.result.is_ok()
    }
}

/// What [`Runtime::resume`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resumed {
    pub replayed: usize,
    pub warnings: Vec<String>,
}

/// Dispatch's answer for a batch of input events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DispatchReport {
    pub acks: Vec<Ack>,
}

impl DispatchReport {
    pub fn accepted(&self) -> usize {
        self.acks.iter().filter(|a| a.is_accepted()).count()
    }

    /// Refused: not an event, or not admitted (duplicates not counted).
    pub fn rejected(&self) -> usize {
        self.acks.len() - self.accepted() - self.duplicates()
    }

    /// Not stored again: their id was stored already.
    pub fn duplicates(&self) -> usize {
        self.acks
            .iter()
            .filter(|a| a.result == Err(Rejection::Duplicate))
            .count()
    }
}

/// How events without an `id` get one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdScheme {
    /// UUID v7 (time-ordered).
    #[default]
    UuidV7,
    /// `input-0`, `input-1`…: every input the runtime is given is numbered,
    /// across calls, so generated ids never repeat (with `adl run`, the
    /// number is the input's index): reproducible output for tests.
    InputIndex,
}

/// The runtime's notion of now: a wall-clock start plus tokio's monotonic
/// elapsed time, so that tokio's paused clock makes every timestamp and every
/// cron tick deterministic in tests.
#[derive(Debug, Clone, Copy)]
struct Clock {
    wall_start: jiff::Timestamp,
    start: tokio::time::Instant,
}

impl Clock {
    fn now(&self) -> jiff::Timestamp {
        let elapsed = jiff::SignedDuration::try_from(self.start.elapsed())
            .unwrap_or(jiff::SignedDuration::MAX);
        self.wall_start
            .saturating_add(elapsed)
            .unwrap_or(self.wall_start)
    }

    /// [`Clock::now`] in whole milliseconds since the Unix epoch, without
    /// calendar arithmetic (it is read for every event).
    fn now_millisecond(&self) -> i64 {
        let elapsed = i64::try_from(self.start.elapsed().as_millis()).unwrap_or(i64::MAX);
        self.wall_start.as_millisecond().saturating_add(elapsed)
    }

    fn instant_at(&self, at: jiff::Timestamp) -> tokio::time::Instant {
        let offset = at.duration_since(self.wall_start);
        match std::time::Duration::try_from(offset) {
            Ok(ahead) => self
                .start
                .checked_add(ahead)
                .unwrap_or(self.start + std::time::Duration::from_secs(86_400 * 365)),
            Err(_) => self.start,
        }
    }
}

/// Builds a [`Runtime`]. Must be used inside a tokio runtime (`start` spawns
/// the workers and the cron scheduler).
pub struct RuntimeBuilder {
    program: Program,
    tools: Option<Arc<dyn ToolInvoker>>,
    notifications: Option<Arc<dyn NotificationSink>>,
    custom: HashMap<String, Arc<dyn CustomHandler>>,
    store: Option<Arc<dyn EventStore>>,
    outcomes: Vec<Box<dyn OutcomeSink>>,
    start_time: Option<jiff::Timestamp>,
    ids: IdScheme,
    /// What relative store paths resolve against (default: the current directory).
    base_dir: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for RuntimeBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeBuilder").finish_non_exhaustive()
    }
}

impl RuntimeBuilder {
    pub fn new(program: Program) -> Self {
        Self {
            program,
            tools: None,
            notifications: None,
            custom: HashMap::new(),
            store: None,
            outcomes: Vec::new(),
            start_time: None,
            ids: IdScheme::default(),
            base_dir: None,
        }
    }

    /// Resolves the relative store paths of the graph's `persistence` (a file
    /// store's `file_path`, a `sqlite://` path) against `dir`, as `adl run`
    /// does with the agent file's directory. Default: the current directory.
    #[must_use]
    pub fn relative_to(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.base_dir = Some(dir.into());
        self
    }

    /// `path` against [`RuntimeBuilder::relative_to`]'s directory, unless it
    /// is absolute.
    fn resolve(&self, path: &str) -> std::path::PathBuf {
        match &self.base_dir {
            Some(dir) if std::path::Path::new(path).is_relative() => dir.join(path),
            _ => std::path::PathBuf::from(path),
        }
    }

    /// Runs `tool_invocation` handlers. Without one, tool calls fail.
    #[must_use]
    pub fn tool_invoker(mut self, invoker: impl ToolInvoker) -> Self {
        self.tools = Some(Arc::new(invoker));
        self
    }

    /// Receives notifications. Without one, they appear only in the outcome stream.
    #[must_use]
    pub fn notification_sink(mut self, sink: impl NotificationSink) -> Self {
        self.notifications = Some(Arc::new(sink));
        self
    }

    /// Registers the handler for `custom` handlers named `handler_name`.
    #[must_use]
    pub fn custom_handler(
        mut self,
        handler_name: impl Into<String>,
        handler: impl CustomHandler,
    ) -> Self {
        self.custom.insert(handler_name.into(), Arc::new(handler));
        self
    }

    /// Replaces the store the graph's `persistence` names.
    #[must_use]
    pub fn store(mut self, store: Arc<dyn EventStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Opens the database the graph's `persistence` names (it connects, so it
    /// is async); memory and file stores are opened by [`RuntimeBuilder::start`].
    /// Does nothing when a store was given.
    pub async fn open_store(mut self) -> Result<Self, StartError> {
        if self.store.is_none() {
            if let PersistenceConfig::Database {
                connection_string,
                table_name,
            } = &self.program.graph().persistence
            {
                let store = DatabaseStore::open_in(
                    &connection_string.0,
                    table_name,
                    self.base_dir.as_deref(),
                )
                .await
                .map_err(StartError::Store)?;
                self.store = Some(Arc::new(store));
            }
        }
        Ok(self)
    }

    /// A receiver of every outcome record (acks, actions, emitted events), in
    /// the order they happen. Unbounded: drain it.
    pub fn subscribe(&mut self) -> mpsc::UnboundedReceiver<Outcome> {
        let (sender, receiver) = mpsc::unbounded_channel();
        self.outcomes.push(Box::new(outcome::ChannelSink(sender)));
        receiver
    }

    /// Hands every outcome record to `sink` as it happens (see [`OutcomeSink`]):
    /// for hosts that batch records themselves rather than drain a channel.
    #[must_use]
    pub fn outcome_sink(mut self, sink: impl OutcomeSink) -> Self {
        self.outcomes.push(Box::new(sink));
        self
    }

    /// The wall-clock time the runtime starts at (default: now). With tokio's
    /// paused clock this makes timestamps and cron ticks reproducible.
    #[must_use]
    pub fn start_time(mut self, at: jiff::Timestamp) -> Self {
        self.start_time = Some(at);
        self
    }

    #[must_use]
    pub fn id_scheme(mut self, ids: IdScheme) -> Self {
        self.ids = ids;
        self
    }

    /// Starts the runtime: workers for asynchronous and batch modes and one
    /// scheduler task per time trigger.
    pub fn start(self) -> Result<Runtime, StartError> {
        let settings = self.program.settings().clone();
        let state = AgentState {
            values: self.program.initial_state().clone(),
            edge_last: vec![None; self.program.triggers.len()],
        };
        let clock = Clock {
            wall_start: self.start_time.unwrap_or_else(jiff::Timestamp::now),
            start: tokio::time::Instant::now(),
        };
        let file_path = match &self.program.graph().persistence {
            PersistenceConfig::File { file_path, .. } => Some(self.resolve(file_path)),
            _ => None,
        };
        let store: Arc<dyn EventStore> = match (self.store, &self.program.graph().persistence) {
            (Some(store), _) => store,
            (None, PersistenceConfig::Memory { max_events }) => {
                Arc::new(MemoryStore::new(*max_events))
            }
            (None, PersistenceConfig::File { rotation, .. }) => Arc::new(
                FileStore::open_with_clock(file_path.unwrap_or_default(), *rotation, move || {
                    clock.now()
                })
                .map_err(StartError::Store)?,
            ),
            (None, PersistenceConfig::Database { .. }) => {
                return Err(StartError::DatabaseNotOpened);
            }
        };
        let (intake, receiver) = match settings.processing_mode {
            ProcessingMode::Synchronous => (Intake::Synchronous, None),
            ProcessingMode::Asynchronous => {
                let (sender, receiver) = mpsc::channel(capacity(settings.queue_size));
                (
                    Intake::Queue(Mutex::new(Some(sender))),
                    Some(Receiver::Queue(receiver)),
                )
            }
            ProcessingMode::Batch => {
                let (sender, receiver) =
                    mpsc::channel(capacity(settings.batch_size.saturating_mul(4)));
                (
                    Intake::Batch(Mutex::new(Some(sender))),
                    Some(Receiver::Batch(receiver)),
                )
            }
        };
        let inner = Arc::new(Inner {
            program: self.program,
            tools: self.tools,
            notifications: self.notifications,
            custom: self.custom,
            store,
            outcomes: self.outcomes,
            state: Mutex::new(state),
            clock,
            now_text: Mutex::new((0, Substr::new())),
            ids: self.ids,
            intake,
            order: input_group::Order::default(),
            closing: AtomicBool::new(false),
            in_flight: InFlight::default(),
            counters: Counters::default(),
        });
        let mut tasks = Vec::new();
        match receiver {
            Some(Receiver::Queue(receiver)) => {
                let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
                for _ in 0..settings.worker_count.max(1) {
                    tasks.push(tokio::spawn(process::worker(
                        Arc::clone(&inner),
                        Arc::clone(&receiver),
                    )));
                }
            }
            Some(Receiver::Batch(receiver)) => {
                tasks.push(tokio::spawn(process::batcher(Arc::clone(&inner), receiver)));
            }
            None => {}
        }
        let schedulers = (0..inner.program.schedules.len())
            .map(|time| tokio::spawn(process::scheduler(Arc::clone(&inner), time)))
            .collect();
        Ok(Runtime {
            inner,
            tasks: Mutex::new(tasks),
            schedulers: Mutex::new(schedulers),
        })
    }
}

fn capacity(size: u64) -> usize {
    usize::try_from(size)
        .unwrap_or(usize::MAX)
        .clamp(1, 1 << 24)
}

/// Why a runtime could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error(
        "database persistence connects asynchronously: call `open_store().await` before `start()`"
    )]
    DatabaseNotOpened,
    #[error("{}", .0.message())]
    Store(#[source] StoreError),
    /// An event with this id is already stored: ids are idempotency keys.
    #[error("an event with this id is already stored")]
    Duplicate,
}

/// Why [`Runtime::set_state`] changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// The field is not a dotted state path (`rooms.kitchen`).
    #[error("{0}")]
    InvalidField(String),
    /// The `state_change` event could not be stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

enum Receiver {
    Queue(mpsc::Receiver<Arc<Event>>),
    Batch(mpsc::Receiver<Queued>),
}

/// An event waiting for its batch, with the acknowledgement its dispatcher awaits.
struct Queued {
    index: usize,
    event: Arc<Event>,
    written: oneshot::Sender<Result<(), Rejection>>,
}

enum Intake {
    Synchronous,
    Queue(Mutex<Option<mpsc::Sender<Arc<Event>>>>),
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

/// A running agent. Cheap to share: clone the `Arc` it lives in, or call its
/// methods from any task.
pub struct Runtime {
    inner: Arc<Inner>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    schedulers: Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime").finish_non_exhaustive()
    }
}

impl Runtime {
    pub fn builder(program: Program) -> RuntimeBuilder {
        RuntimeBuilder::new(program)
    }

    pub fn program(&self) -> &Program {
        &self.inner.program
    }

    /// Dispatches one JSON value: an event object, or an array of them
    /// (dispatched concurrently). One bad event never stops the others.
    pub async fn dispatch_value(&self, value: Value) -> DispatchReport {
        match value {
            Value::Array(items) => self.dispatch_many(items).await,
            single => DispatchReport {
                acks: vec![self.dispatch_at(0, single).await],
            },
        }
    }

    /// Dispatches events as one group (see [`Runtime::dispatch_group`]);
    /// acknowledgements come back in input order.
    pub async fn dispatch_many(&self, events: Vec<Value>) -> DispatchReport {
        let inputs = events
            .into_iter()
            .enumerate()
            .map(|(index, value)| {
                let envelope = Envelope::from_value(value)
                    .map_err(|error| Rejection::InvalidEnvelope(error.0));
                (index, envelope)
            })
            .collect();
        DispatchReport {
            acks: self.dispatch_group(inputs).await,
        }
    }

    /// Dispatches a group of inputs (one read's worth of lines, say), each
    /// numbered by its `index`; an input that is already a rejection (not
    /// JSON, not an event) is answered with it. The group's events are read,
    /// validated and given ids when this is called, then stored with one
    /// append (a durable store writes and syncs them together), then
    /// processed, queued or batched in input order, as the processing mode
    /// says; they are dispatched concurrently, as separate dispatches would
    /// be. Groups dispatched one after another keep that order even when
    /// their futures run at once: the next group's append can be written
    /// while this one's events are being queued. Acknowledgements come back
    /// in input order.
    pub fn dispatch_group(
        &self,
        inputs: Vec<(usize, Result<Envelope, Rejection>)>,
    ) -> impl Future<Output = Vec<Ack>> + Send + 'static {
        input_group::dispatch_group(Arc::clone(&self.inner), inputs)
    }

    /// Dispatches one event, reported as input number `index`. In synchronous
    /// mode this returns once its handlers (and the cascade they start) are
    /// done; in asynchronous and batch modes, once it is queued and stored.
    ///
    /// The event is read, validated and given its id and timestamp when this
    /// is called; the future stores and processes it.
    pub fn dispatch_at(
        &self,
        index: usize,
        value: Value,
    ) -> impl Future<Output = Ack> + Send + 'static {
        dispatch(Arc::clone(&self.inner), index, Envelope::from_value(value))
    }

    /// Like [`Runtime::dispatch_at`] for an envelope already read (for example
    /// with [`crate::EventInput`], straight from JSON text).
    pub fn dispatch_envelope(
        &self,
        index: usize,
        envelope: Envelope,
    ) -> impl Future<Output = Ack> + Send + 'static {
        dispatch(Arc::clone(&self.inner), index, Ok(envelope))
    }

    /// Records input `index` as rejected without dispatching it: for input the
    /// host could not even read as JSON. Counted and reported like any rejection.
    pub fn reject_input(&self, index: usize, reason: impl Into<String>) {
        self.inner.counters.inputs.fetch_add(1, Ordering::SeqCst);
        self.inner.counters.rejected.fetch_add(1, Ordering::SeqCst);
        let reason = reason.into();
        self.inner.emit(|| Outcome::Rejected {
            index,
            event_id: None,
            reason,
        });
    }

    /// A copy of the agent's state.
    pub fn state(&self) -> Map<String, Value> {
        self.inner.state().values.clone()
    }

    /// Sets a state field (dotted path) as a handler would: a change emits a
    /// `state_change` event (processed before this returns); no change, nothing.
    pub async fn set_state(&self, field: &str, value: Value) -> Result<bool, StateError> {
        // The same dotted names a `state_update` handler writes (`state.` optional).
        let keys = crate::program::state_keys(field.strip_prefix("state.").unwrap_or(field))
            .map_err(StateError::InvalidField)?;
        let _guard = self.inner.in_flight.enter();
        let change = process::write_state(&self.inner, field, &keys, &value);
        let Some(event) = change else {
            return Ok(false);
        };
        let event = Arc::new(event);
        self.inner
            .store
            .append_one(StoredEvent {
                event: Arc::clone(&event),
                status: Status::Pending,
                origin: Origin::Emitted,
            })
            .await?;
        process::process(&self.inner, event, false, None).await;
        Ok(true)
    }

    /// Re-dispatches the input events the store found accepted but not done
    /// (after a crash), oldest first, before anything else: at-least-once. Their
    /// action records say `replayed`. Returns how many, and what the store skipped.
    pub async fn resume(&self) -> Result<Resumed, StoreError> {
        self.recover(true).await
    }

    /// Like [`Runtime::resume`] without replaying: reports what the store skipped
    /// (a torn line…) and leaves unfinished events as they are.
    pub async fn skip_resume(&self) -> Result<Resumed, StoreError> {
        self.recover(false).await
    }

    async fn recover(&self, replay: bool) -> Result<Resumed, StoreError> {
        let mut recovery = self.inner.store.recover().await?;
        if !replay {
            recovery.pending.clear();
        }
        let _guard = self.inner.in_flight.enter();
        for event in &recovery.pending {
            self.inner.counters.replayed.fetch_add(1, Ordering::SeqCst);
            process::process(&self.inner, Arc::clone(event), true, None).await;
        }
        Ok(Resumed {
            replayed: recovery.pending.len(),
            warnings: recovery.warnings,
        })
    }

    /// The latest stored events, oldest first.
    pub async fn events(&self, limit: usize) -> Result<Vec<StoredEvent>, StoreError> {
        self.inner.store.recent(limit).await
    }

    /// Counts so far.
    pub fn summary(&self) -> Summary {
        let c = &self.inner.counters;
        Summary {
            accepted: c.accepted.load(Ordering::SeqCst),
            rejected: c.rejected.load(Ordering::SeqCst),
            actions: c.actions.load(Ordering::SeqCst),
            errors: c.errors.load(Ordering::SeqCst),
            emitted: c.emitted.load(Ordering::SeqCst),
            dropped: c.dropped.load(Ordering::SeqCst),
            replayed: c.replayed.load(Ordering::SeqCst),
            duplicates: c.duplicates.load(Ordering::SeqCst),
        }
    }

    /// Stops intake (later dispatches are rejected), stops the scheduler, lets
    /// the workers drain every accepted event, waits for in-flight dispatches and
    /// flushes the store. Returns the final counts.
    pub async fn shutdown(&self) -> Result<Summary, StoreError> {
        self.inner.closing.store(true, Ordering::SeqCst);
        let schedulers: Vec<_> = lock(&self.schedulers).drain(..).collect();
        for scheduler in &schedulers {
            scheduler.abort();
        }
        // Awaiting them makes sure they are gone (and their hold on the runtime
        // released) before shutdown returns.
        for scheduler in schedulers {
            let _ = scheduler.await;
        }
        match &self.inner.intake {
            Intake::Synchronous => {}
            Intake::Queue(sender) => drop(lock(sender).take()),
            Intake::Batch(sender) => drop(lock(sender).take()),
        }
        let tasks: Vec<_> = lock(&self.tasks).drain(..).collect();
        for task in tasks {
            if let Err(error) = task.await {
                if error.is_panic() {
                    std::panic::resume_unwind(error.into_panic());
                }
            }
        }
        self.inner.in_flight.wait_idle().await;
        self.inner.store.flush().await?;
        Ok(self.summary())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Admits the envelope at once (reads, validates, completes it), so that the
/// future holds the shared event rather than the envelope: it is moved into
/// place for every event, and every `async fn` level would keep a copy.
fn dispatch(
    inner: Arc<Inner>,
    index: usize,
    envelope: Result<Envelope, EnvelopeError>,
) -> impl Future<Output = Ack> + Send + 'static {
    let admitted = admit(&inner, index, envelope);
    async move {
        let ack = match admitted {
            Ok((id, event)) => dispatch_admitted(&inner, index, id, event).await,
            Err(ack) => ack,
        };
        report(&inner, index, &ack);
        ack
    }
}

/// Counts the acknowledgement; a rejection is reported.
fn report(inner: &Inner, index: usize, ack: &Ack) {
    match &ack.result {
        Ok(()) => {
            inner.counters.accepted.fetch_add(1, Ordering::SeqCst);
        }
        Err(Rejection::Duplicate) => {
            inner.counters.duplicates.fetch_add(1, Ordering::SeqCst);
            if let Some(event_id) = &ack.event_id {
                inner.emit(|| Outcome::Duplicate {
                    index,
                    event_id: event_id.clone(),
                });
            }
        }
        Err(rejection) => {
            inner.counters.rejected.fetch_add(1, Ordering::SeqCst);
            inner.emit(|| Outcome::Rejected {
                index,
                event_id: ack.event_id.clone(),
                reason: rejection.to_string(),
            });
        }
    }
}

/// Asynchronous mode: reserves a queue slot (blocking or rejecting on a full
/// queue), stores the event, then queues it. A rejected event is never stored.
async fn enqueue(
    inner: &Inner,
    sender: &mpsc::Sender<Arc<Event>>,
    event: Arc<Event>,
    announce: impl FnOnce(),
) -> Result<(), Rejection> {
    let settings = inner.program.settings();
    let permit = match settings.overflow {
        Overflow::Block => sender
            .reserve()
            .await
            .map_err(|_| Rejection::ShuttingDown)?,
        Overflow::Reject => sender.try_reserve().map_err(|e| match e {
            mpsc::error::TrySendError::Full(()) => Rejection::QueueFull(settings.queue_size),
            mpsc::error::TrySendError::Closed(()) => Rejection::ShuttingDown,
        })?,
    };
    let stored = StoredEvent {
        event: Arc::clone(&event),
        status: Status::Pending,
        origin: Origin::Input,
    };
    let appended = inner
        .store
        .append_one(stored)
        .await
        .map_err(|e| Rejection::Store(e.to_string()))?;
    if appended.is_duplicate(0) {
        return Err(Rejection::Duplicate);
    }
    if let Some(reason) = appended.refusal(0) {
        return Err(Rejection::Store(format!("event store: {reason}")));
    }
    // Announced before the worker can see it, so `accepted` precedes its actions.
    announce();
    permit.send(event);
    Ok(())
}

/// The event to dispatch, or the acknowledgement that rejects it.
fn admit(
    inner: &Inner,
    index: usize,
    envelope: Result<Envelope, EnvelopeError>,
) -> Result<(Substr, Arc<Event>), Ack> {
    let number = inner.counters.inputs.fetch_add(1, Ordering::SeqCst);
    let event = match envelope {
        Ok(envelope) => envelope.into_event(
            || match inner.ids {
                IdScheme::UuidV7 => uuid::Uuid::now_v7().to_string().into(),
                IdScheme::InputIndex => format!("input-{number}").into(),
            },
            || inner.now(),
        ),
        Err(error) => {
            return Err(Ack::rejected(
                index,
                None,
                Rejection::InvalidEnvelope(error.0),
            ));
        }
    };
    let id = event.id.clone();
    if let Err(reason) = inner.program.validate(&event) {
        return Err(Ack::rejected(
            index,
            Some(id),
            Rejection::SchemaMismatch(reason),
        ));
    }
    Ok((id, Arc::new(event)))
}

async fn dispatch_admitted(inner: &Arc<Inner>, index: usize, id: Substr, event: Arc<Event>) -> Ack {
    if inner.closing.load(Ordering::SeqCst) {
        return Ack::rejected(index, Some(id), Rejection::ShuttingDown);
    }
    match &inner.intake {
        Intake::Synchronous => {
            let _guard = inner.in_flight.enter();
            match inner.store.append_one(input_stored(&event)).await {
                Ok(appended) if appended.is_duplicate(0) => {
                    return Ack::rejected(index, Some(id), Rejection::Duplicate);
                }
                Ok(appended) => {
                    if let Some(reason) = appended.refusal(0) {
                        let rejection = Rejection::Store(format!("event store: {reason}"));
                        return Ack::rejected(index, Some(id), rejection);
                    }
                }
                Err(error) => {
                    return Ack::rejected(index, Some(id), Rejection::Store(error.to_string()));
                }
            }
            let ack = accepted(inner, index, id, &event);
            process::process(inner, event, false, None).await;
            ack
        }
        // Boxed: their futures (queue reservations, acknowledgements) would
        // otherwise enlarge every synchronous dispatch's future, which is
        // moved into place once per event.
        Intake::Queue(sender) => Box::pin(dispatch_queued(inner, index, id, event, sender)).await,
        Intake::Batch(sender) => Box::pin(dispatch_batched(index, id, event, sender)).await,
    }
}

impl Ack {
    fn rejected(index: usize, event_id: Option<Substr>, rejection: Rejection) -> Self {
        Self {
            index,
            event_id,
            result: Err(rejection),
        }
    }
}

/// Reports `event` accepted; its acknowledgement.
fn accepted(inner: &Inner, index: usize, id: Substr, event: &Arc<Event>) -> Ack {
    inner.emit(|| Outcome::Accepted {
        index,
        event: Arc::clone(event),
    });
    Ack {
        index,
        event_id: Some(id),
        result: Ok(()),
    }
}

/// An input event as stored when it is accepted.
fn input_stored(event: &Arc<Event>) -> StoredEvent {
    StoredEvent {
        event: Arc::clone(event),
        status: Status::Pending,
        origin: Origin::Input,
    }
}

/// Asynchronous mode: the event is accepted once it is stored and queued.
async fn dispatch_queued(
    inner: &Arc<Inner>,
    index: usize,
    id: Substr,
    event: Arc<Event>,
    sender: &Mutex<Option<mpsc::Sender<Arc<Event>>>>,
) -> Ack {
    let Some(sender) = lock(sender).clone() else {
        return Ack::rejected(index, Some(id), Rejection::ShuttingDown);
    };
    let mut ack = None;
    let queued = Arc::clone(&event);
    match enqueue(inner, &sender, queued, || {
        ack = Some(accepted(inner, index, id.clone(), &event));
    })
    .await
    {
        Ok(()) => ack.unwrap_or_else(|| accepted(inner, index, id, &event)),
        Err(rejection) => Ack::rejected(index, Some(id), rejection),
    }
}

/// Batch mode: the batcher stores the whole batch, reports it accepted, then
/// answers.
async fn dispatch_batched(
    index: usize,
    id: Substr,
    event: Arc<Event>,
    sender: &Mutex<Option<mpsc::Sender<Queued>>>,
) -> Ack {
    let Some(sender) = lock(sender).clone() else {
        return Ack::rejected(index, Some(id), Rejection::ShuttingDown);
    };
    let (done, written) = oneshot::channel();
    let queued = Queued {
        index,
        event,
        written: done,
    };
    if sender.send(queued).await.is_err() {
        return Ack::rejected(index, Some(id), Rejection::ShuttingDown);
    }
    batch_ack(index, id, written.await)
}

/// The acknowledgement of an event the batcher answered (or dropped, when
/// the runtime stopped first).
fn batch_ack(
    index: usize,
    id: Substr,
    answer: Result<Result<(), Rejection>, oneshot::error::RecvError>,
) -> Ack {
    let result = answer.unwrap_or(Err(Rejection::ShuttingDown));
    Ack {
        index,
        event_id: Some(id),
        result,
    }
}
