//! Building a [`Runtime`]: hosts, the store, sinks, the clock; `start` spawns
//! the workers of the processing mode and the cron scheduler.

use arcstr::Substr;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use super::{
    AgentState, Clock, Counters, CustomHandler, DatabaseStore, EventStore, FileStore, InFlight,
    Inner, Intake, MemoryStore, NotificationSink, Outcome, OutcomeSink, Receiver, Runtime,
    StoreError, ToolInvoker, input_group, outcome, process,
};
use crate::Program;
use crate::graph::{PersistenceConfig, ProcessingMode};

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
