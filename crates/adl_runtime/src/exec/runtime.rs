//! The handle of a running agent: dispatch, state, resume, shutdown.

use futures_util::FutureExt;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};
use tokio::task::JoinHandle;

use super::dispatch::dispatch_input;
use super::source::{self, EventSource, InFlightLimit, SourceError};
use super::{
    Ack, DispatchReport, Inner, Intake, Origin, Outcome, Rejection, RuntimeBuilder, StoreError,
    StoredEvent, Summary, input_group, lock, process,
};
use crate::Program;
use crate::event::Envelope;

/// What [`Runtime::resume`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resumed {
    pub replayed: usize,
    pub warnings: Vec<String>,
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

/// A running agent. Cheap to share: clone the `Arc` it lives in, or call its
/// methods from any task.
pub struct Runtime {
    pub(super) inner: Arc<Inner>,
    pub(super) tasks: Mutex<Vec<JoinHandle<()>>>,
    pub(super) schedulers: Mutex<Vec<JoinHandle<()>>>,
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
        input_group::dispatch_group(Arc::clone(&self.inner), inputs, Vec::new())
    }

    /// Dispatches everything `source` hands out, a batch at a time as
    /// [`Runtime::dispatch_group`] does (batches in order; while one is being
    /// stored, the next can join its write), with at most `limit` in flight
    /// (a larger batch goes alone), and settles the source's messages as
    /// their events are done. Returns once every batch is acknowledged
    /// (processing may go on: [`Runtime::shutdown`] waits for it), with the
    /// source's first error, if it had one.
    pub async fn run_source(
        &self,
        mut source: impl EventSource,
        limit: InFlightLimit,
    ) -> Result<(), SourceError> {
        let mut in_flight = tokio::task::JoinSet::new();
        let (mut events, mut bytes) = (0, 0);
        let mut failure = None;
        while let Some(next) = source.next_batch().await {
            let batch = match next {
                Ok(batch) => batch,
                Err(error) => {
                    failure.get_or_insert(error);
                    continue;
                }
            };
            let size = (batch.inputs.len(), batch.bytes);
            while !in_flight.is_empty()
                && (events + size.0 > limit.events || bytes + size.1 > limit.bytes)
            {
                if let Some(Ok((done_events, done_bytes))) = in_flight.join_next().await {
                    events -= done_events;
                    bytes -= done_bytes;
                }
            }
            let messages = source::trackers(batch.inputs.len(), batch.messages);
            let mut dispatch = Box::pin(input_group::dispatch_group(
                Arc::clone(&self.inner),
                batch.inputs,
                messages,
            ));
            // A batch that finishes without waiting (memory store, no slow
            // tool) is done here; only one that waits becomes a task.
            if dispatch.as_mut().now_or_never().is_none() {
                in_flight.spawn(async move {
                    dispatch.await;
                    size
                });
                events += size.0;
                bytes += size.1;
            }
        }
        while in_flight.join_next().await.is_some() {}
        failure.map_or(Ok(()), Err)
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
        dispatch_input(Arc::clone(&self.inner), index, Envelope::from_value(value))
    }

    /// Like [`Runtime::dispatch_at`] for an envelope already read (for example
    /// with [`crate::EventInput`], straight from JSON text).
    pub fn dispatch_envelope(
        &self,
        index: usize,
        envelope: Envelope,
    ) -> impl Future<Output = Ack> + Send + 'static {
        dispatch_input(Arc::clone(&self.inner), index, Ok(envelope))
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
            .append_one(StoredEvent::pending(Arc::clone(&event), Origin::Emitted))
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
