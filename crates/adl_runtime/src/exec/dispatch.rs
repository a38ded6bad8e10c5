//! Dispatch of input events: admission (envelope, schema), storing, the
//! acknowledgement, and handing the event to its processing mode.

use arcstr::Substr;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

use super::{
    IdScheme, Inner, Intake, Origin, Outcome, Queued, QueuedEvent, StoreError, StoredEvent, lock,
    process,
};
use crate::Event;
use crate::event::{Envelope, EnvelopeError};
use crate::graph::Overflow;

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
    /// The store could not keep the event; the error keeps the cause.
    #[error(transparent)]
    Store(StoreError),
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

/// Admits the envelope at once (reads, validates, completes it), so that the
/// future holds the shared event rather than the envelope: it is moved into
/// place for every event, and every `async fn` level would keep a copy.
pub(super) fn dispatch_input(
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
pub(super) fn report(inner: &Inner, index: usize, ack: &Ack) {
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
pub(super) async fn enqueue(
    inner: &Inner,
    sender: &mpsc::Sender<QueuedEvent>,
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
    let stored = StoredEvent::pending(Arc::clone(&event), Origin::Input);
    let appended = inner
        .store
        .append_one(stored)
        .await
        .map_err(Rejection::Store)?;
    if appended.is_duplicate(0) {
        return Err(Rejection::Duplicate);
    }
    if let Some(reason) = appended.refusal(0) {
        return Err(Rejection::Store(reason.clone()));
    }
    // Announced before the worker can see it, so `accepted` precedes its actions.
    announce();
    permit.send(QueuedEvent {
        event,
        message: None,
    });
    Ok(())
}

/// The event to dispatch, or the acknowledgement that rejects it.
pub(super) fn admit(
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

pub(super) async fn dispatch_admitted(
    inner: &Arc<Inner>,
    index: usize,
    id: Substr,
    event: Arc<Event>,
) -> Ack {
    if inner.closing.load(Ordering::SeqCst) {
        return Ack::rejected(index, Some(id), Rejection::ShuttingDown);
    }
    match &inner.intake {
        Intake::Synchronous => {
            let _guard = inner.in_flight.enter();
            match inner
                .store
                .append_one(StoredEvent::pending(Arc::clone(&event), Origin::Input))
                .await
            {
                Ok(appended) if appended.is_duplicate(0) => {
                    return Ack::rejected(index, Some(id), Rejection::Duplicate);
                }
                Ok(appended) => {
                    if let Some(reason) = appended.refusal(0) {
                        let rejection = Rejection::Store(reason.clone());
                        return Ack::rejected(index, Some(id), rejection);
                    }
                }
                Err(error) => {
                    return Ack::rejected(index, Some(id), Rejection::Store(error));
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
    pub(super) fn rejected(index: usize, event_id: Option<Substr>, rejection: Rejection) -> Self {
        Self {
            index,
            event_id,
            result: Err(rejection),
        }
    }
}

/// Reports `event` accepted; its acknowledgement.
pub(super) fn accepted(inner: &Inner, index: usize, id: Substr, event: &Arc<Event>) -> Ack {
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

/// Asynchronous mode: the event is accepted once it is stored and queued.
pub(super) async fn dispatch_queued(
    inner: &Arc<Inner>,
    index: usize,
    id: Substr,
    event: Arc<Event>,
    sender: &Mutex<Option<mpsc::Sender<QueuedEvent>>>,
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
pub(super) async fn dispatch_batched(
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
        message: None,
    };
    if sender.send(queued).await.is_err() {
        return Ack::rejected(index, Some(id), Rejection::ShuttingDown);
    }
    batch_ack(index, id, written.await)
}

/// The acknowledgement of an event the batcher answered (or dropped, when
/// the runtime stopped first).
pub(super) fn batch_ack(
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
