//! Dispatch of a group of inputs (one read's worth of lines): the group's
//! events are stored with one append, so that a durable store writes and
//! syncs them together; groups dispatched one after another keep their order
//! while their appends are in flight together.

use arcstr::Substr;
use futures_util::FutureExt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::{mpsc, oneshot};

use super::dispatch::{accepted, admit, batch_ack, report};
use super::source::{self, MessageTracker};
use super::{
    Ack, Inner, Intake, Origin, Queued, QueuedEvent, Rejection, StoredEvent, lock, process,
};
use crate::Event;
use crate::event::Envelope;
use crate::graph::Overflow;

/// Hands out turns in call order: a group's turn comes once the group
/// called before it is done with its own (or was dropped).
#[derive(Debug, Default)]
pub(super) struct Order {
    last: std::sync::Mutex<Option<oneshot::Receiver<()>>>,
}

/// A place in the [`Order`]: dropped, it lets the next group go.
struct Turn {
    before: Option<oneshot::Receiver<()>>,
    _done: oneshot::Sender<()>,
}

impl Order {
    fn take(&self) -> Turn {
        let (done, next) = oneshot::channel();
        let before = lock(&self.last).replace(next);
        Turn {
            before,
            _done: done,
        }
    }
}

impl Turn {
    async fn wait(&mut self) {
        if let Some(before) = self.before.take() {
            // An error means the group before was dropped: the turn is ours too.
            let _ = before.await;
        }
    }
}

/// One input of a group on its way through dispatch.
enum Slot {
    /// Answered already (rejected when it was admitted, or by the store).
    Answered(Ack),
    /// Admitted; stored once the group's append succeeds. In asynchronous
    /// mode with `overflow: reject`, it holds its queue place from the start.
    Admitted {
        index: usize,
        id: Substr,
        event: Arc<Event>,
        place: Option<mpsc::OwnedPermit<QueuedEvent>>,
        /// The source message waiting for it, if any.
        message: Option<Arc<MessageTracker>>,
    },
}

/// See [`super::Runtime::dispatch_group`]. `messages` is empty, or gives
/// each input the source message waiting for it (see [`super::source`]).
pub(super) fn dispatch_group(
    inner: Arc<Inner>,
    inputs: Vec<(usize, Result<Envelope, Rejection>)>,
    messages: Vec<Option<Arc<MessageTracker>>>,
) -> impl Future<Output = Vec<Ack>> + Send + 'static {
    let mut message_of = messages.iter().cloned();
    // Read, validated and given ids now, in call order, as single dispatch does.
    let mut slots: Vec<Slot> = inputs
        .into_iter()
        .map(|(index, input)| match input {
            Ok(envelope) => match admit(&inner, index, Ok(envelope)) {
                Ok((id, event)) => Slot::Admitted {
                    index,
                    id,
                    event,
                    place: None,
                    message: message_of.next().flatten(),
                },
                Err(ack) => {
                    message_of.next();
                    Slot::Answered(ack)
                }
            },
            Err(rejection) => {
                message_of.next();
                inner.counters.inputs.fetch_add(1, Ordering::SeqCst);
                Slot::Answered(Ack::rejected(index, None, rejection))
            }
        })
        .collect();
    let turn = inner.order.take();
    let queue = match &inner.intake {
        Intake::Queue(sender) => lock(sender).clone(),
        _ => None,
    };
    if let Some(queue) = &queue {
        if inner.program.settings().overflow == Overflow::Reject {
            // Queue places are taken before anything is stored: an event
            // refused for a full queue is never stored.
            for slot in &mut slots {
                take_place(&inner, queue, slot);
            }
        }
    }
    async move {
        let _guard = inner.in_flight.enter();
        let closing = inner.closing.load(Ordering::SeqCst);
        let batcher = match &inner.intake {
            Intake::Batch(sender) => lock(sender).clone(),
            _ => None,
        };
        let acks = match &inner.intake {
            _ if closing => shutting_down(&inner, slots),
            Intake::Synchronous => {
                store(&inner, &mut slots).await;
                run_synchronously(&inner, slots, turn).await
            }
            Intake::Queue(_) => match queue {
                None => shutting_down(&inner, slots),
                Some(queue) => {
                    store(&inner, &mut slots).await;
                    enqueue(&inner, slots, turn, queue).await
                }
            },
            Intake::Batch(_) => match batcher {
                None => shutting_down(&inner, slots),
                Some(batcher) => batch(&inner, slots, turn, batcher).await,
            },
        };
        source::settle_answered(&acks, &messages);
        acks
    }
}

/// Every admitted slot rejected: the runtime is shutting down.
fn shutting_down(inner: &Inner, slots: Vec<Slot>) -> Vec<Ack> {
    slots
        .into_iter()
        .map(|slot| {
            let ack = match slot {
                Slot::Answered(ack) => ack,
                Slot::Admitted { index, id, .. } => {
                    Ack::rejected(index, Some(id), Rejection::ShuttingDown)
                }
            };
            report(inner, ack.index, &ack);
            ack
        })
        .collect()
}

/// `overflow: reject`: takes a queue place for an admitted slot, or rejects it.
fn take_place(inner: &Inner, queue: &mpsc::Sender<QueuedEvent>, slot: &mut Slot) {
    let Slot::Admitted {
        index, id, place, ..
    } = slot
    else {
        return;
    };
    match queue.clone().try_reserve_owned() {
        Ok(permit) => *place = Some(permit),
        Err(mpsc::error::TrySendError::Full(_)) => {
            let size = inner.program.settings().queue_size;
            *slot = Slot::Answered(Ack::rejected(
                *index,
                Some(id.clone()),
                Rejection::QueueFull(size),
            ));
        }
        Err(mpsc::error::TrySendError::Closed(_)) => {
            *slot = Slot::Answered(Ack::rejected(
                *index,
                Some(id.clone()),
                Rejection::ShuttingDown,
            ));
        }
    }
}

/// Stores the admitted slots' events with one append; those the store does
/// not take (a duplicate id, a refusal, a failed write) are answered.
async fn store(inner: &Inner, slots: &mut [Slot]) {
    let stored: Vec<_> = slots
        .iter()
        .filter_map(|slot| match slot {
            Slot::Admitted { event, .. } => {
                Some(StoredEvent::pending(Arc::clone(event), Origin::Input))
            }
            Slot::Answered(_) => None,
        })
        .collect();
    if stored.is_empty() {
        return;
    }
    let appended = inner.store.append(stored).await;
    let admitted = slots
        .iter_mut()
        .filter(|slot| matches!(slot, Slot::Admitted { .. }));
    for (position, slot) in admitted.enumerate() {
        let Slot::Admitted { index, id, .. } = slot else {
            continue;
        };
        let rejection = match &appended {
            Err(error) => Rejection::Store(error.clone()),
            Ok(appended) if appended.is_duplicate(position) => Rejection::Duplicate,
            Ok(appended) => match appended.refusal(position) {
                Some(reason) => Rejection::Store(reason.clone()),
                None => continue,
            },
        };
        *slot = Slot::Answered(Ack::rejected(*index, Some(id.clone()), rejection));
    }
}

/// Synchronous mode: each stored event's processing starts in input order,
/// in this task; one that waits (a slow tool) goes on alongside the next,
/// as events dispatched one by one would.
async fn run_synchronously(inner: &Arc<Inner>, slots: Vec<Slot>, mut turn: Turn) -> Vec<Ack> {
    turn.wait().await;
    let mut acks = Vec::with_capacity(slots.len());
    let mut waiting = tokio::task::JoinSet::new();
    for slot in slots {
        let ack = match slot {
            Slot::Answered(ack) => ack,
            Slot::Admitted {
                index,
                id,
                event,
                message,
                ..
            } => {
                let ack = accepted(inner, index, id, &event);
                let owner = Arc::clone(inner);
                let mut processing = Box::pin(async move {
                    process::process(&owner, event, false, None).await;
                    if let Some(message) = message {
                        message.done();
                    }
                });
                if processing.as_mut().now_or_never().is_none() {
                    waiting.spawn(processing);
                }
                ack
            }
        };
        report(inner, ack.index, &ack);
        acks.push(ack);
    }
    drop(turn);
    while let Some(joined) = waiting.join_next().await {
        if let Err(error) = joined {
            if error.is_panic() {
                std::panic::resume_unwind(error.into_panic());
            }
        }
    }
    acks
}

/// Asynchronous mode: stored events are queued in input order, waiting for
/// places with `overflow: block` (those with `reject` hold theirs already).
async fn enqueue(
    inner: &Inner,
    slots: Vec<Slot>,
    mut turn: Turn,
    queue: mpsc::Sender<QueuedEvent>,
) -> Vec<Ack> {
    turn.wait().await;
    let mut acks = Vec::with_capacity(slots.len());
    for slot in slots {
        let ack = match slot {
            Slot::Answered(ack) => ack,
            Slot::Admitted {
                index,
                id,
                event,
                place,
                message,
            } => {
                let place = match place {
                    Some(place) => Ok(place),
                    // This task holds a sender: the queue stays open until it is done.
                    None => queue.clone().reserve_owned().await,
                };
                match place {
                    Ok(place) => {
                        // Announced before a worker can see it, so `accepted` precedes its actions.
                        let ack = accepted(inner, index, id, &event);
                        place.send(QueuedEvent { event, message });
                        ack
                    }
                    Err(_) => Ack::rejected(index, Some(id), Rejection::ShuttingDown),
                }
            }
        };
        report(inner, ack.index, &ack);
        acks.push(ack);
    }
    acks
}

/// Batch mode: the events go to the batcher in input order; it stores each
/// batch, reports it accepted, and answers.
async fn batch(
    inner: &Inner,
    slots: Vec<Slot>,
    mut turn: Turn,
    sender: mpsc::Sender<Queued>,
) -> Vec<Ack> {
    turn.wait().await;
    let mut answers = Vec::with_capacity(slots.len());
    for slot in slots {
        match slot {
            Slot::Answered(ack) => {
                report(inner, ack.index, &ack);
                answers.push(Err(ack));
            }
            Slot::Admitted {
                index,
                id,
                event,
                message,
                ..
            } => {
                let (written, answer) = oneshot::channel();
                let queued = Queued {
                    index,
                    event,
                    written,
                    message,
                };
                if sender.send(queued).await.is_err() {
                    answers.push(Err(Ack::rejected(index, Some(id), Rejection::ShuttingDown)));
                } else {
                    answers.push(Ok((index, id, answer)));
                }
            }
        }
    }
    drop(turn);
    let mut acks = Vec::with_capacity(answers.len());
    for answer in answers {
        let ack = match answer {
            Err(ack) => {
                acks.push(ack);
                continue;
            }
            Ok((index, id, answer)) => batch_ack(index, id, answer.await),
        };
        report(inner, ack.index, &ack);
        acks.push(ack);
    }
    acks
}
