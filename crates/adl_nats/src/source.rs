//! A durable JetStream pull consumer as an [`EventSource`]: each message is
//! one event or an array of events (a batch), acknowledged once every event
//! in it is done.

use std::sync::Arc;
use std::time::Duration;

use adl_runtime::EventInput;
use adl_runtime::exec::{
    BoxFuture, Completed, Completion, EventSource, Rejection, SourceBatch, SourceError,
};
use async_nats::jetstream::{self, AckKind, consumer::pull};
use futures_util::{FutureExt, StreamExt};
use tokio::sync::watch;

use crate::address::{ConsumerMode, SourceAddress};
use crate::outbox::{Outbox, Publishing};

/// Messages handed to the runtime together, at most: one group append.
const MAX_BATCH_MESSAGES: usize = 512;

/// Messages asked of the server in one pull request (the next is asked when
/// half of them have come).
const PULL_BATCH: usize = 2048;

/// Bytes of payload handed to the runtime together, at most.
const MAX_BATCH_BYTES: usize = 4 << 20;

/// Messages the server keeps unacknowledged on the consumer, over all its
/// processes: room for a few processes' in-flight limits (4,096 events each).
const MAX_ACK_PENDING: i64 = 20_000;

/// A message whose events were refused for a passing reason (the store
/// failed, the queue was full, shutting down) comes back after this long.
const RETRY_DELAY: Duration = Duration::from_secs(1);

/// Reads a JetStream consumer: see the crate's documentation.
pub struct JetStreamSource {
    messages: pull::Stream,
    /// The stream's name, for ids given to events without one.
    stream: Arc<str>,
    next_index: usize,
    /// Where acknowledgements go.
    outbox: Outbox,
    /// The messages handed out and not settled.
    in_flight: InFlight,
    next_in_flight: u64,
    stop: watch::Receiver<bool>,
    until_idle: Option<Duration>,
    shown: String,
    /// A pull failure, reported after the messages read before it.
    failed: Option<SourceError>,
    /// Failures in a row without a message: the source ends after too many.
    failures_in_a_row: u32,
}

/// Pull failures in a row (each after the client's own retries) after which
/// the source gives up.
const MAX_FAILURES_IN_A_ROW: u32 = 10;

impl std::fmt::Debug for JetStreamSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JetStreamSource")
            .field("address", &self.shown)
            .field("next_index", &self.next_index)
            .finish_non_exhaustive()
    }
}

/// What the host keeps of a [`JetStreamSource`] it hands to the runtime:
/// stops it, and makes sure every acknowledgement reached the server.
#[derive(Debug)]
pub struct JetStreamControl {
    stop: StopHandle,
    acknowledging: Publishing,
    /// Says "still working" for the messages in flight.
    progress: tokio::task::JoinHandle<()>,
}

impl JetStreamControl {
    /// The source ends: it hands out nothing more, and gives the messages
    /// it fetched but did not hand out back to the server (for another
    /// process, or the next run). What was handed out is still processed
    /// and acknowledged.
    pub fn stop(&self) {
        self.stop.stop();
    }

    /// A handle that stops the source from elsewhere (a signal handler).
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    /// Waits until every message settled so far is acknowledged (or handed
    /// back) on the server. Call it once the runtime has shut down, so that
    /// every message has been settled.
    pub async fn finish(self) -> Result<(), SourceError> {
        self.progress.abort();
        self.acknowledging.finish().await
    }
}

/// Stops a [`JetStreamSource`] (see [`JetStreamControl::stop`]).
#[derive(Debug, Clone)]
pub struct StopHandle(Arc<watch::Sender<bool>>);

impl StopHandle {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

/// Connects to the server, creates the stream and the durable consumer if
/// they are missing, and starts pulling. `until_idle`: the source ends once
/// no message has come for that long (otherwise it ends when stopped).
pub async fn connect(
    address: &SourceAddress,
    until_idle: Option<Duration>,
) -> Result<(JetStreamSource, JetStreamControl), SourceError> {
    let shown = address.to_string();
    let client = crate::connect_to(&address.server).await?;
    let context = jetstream::new(client.clone());
    let fail = |what: &str, error: &dyn std::fmt::Display| {
        SourceError::new(format!("`{shown}`: cannot {what}: {error}"))
    };
    let subject = address.subject.clone();
    let stream = context
        .get_or_create_stream(jetstream::stream::Config {
            name: address.stream.clone(),
            subjects: vec![
                subject
                    .clone()
                    .unwrap_or_else(|| format!("{}.>", address.stream)),
            ],
            ..Default::default()
        })
        .await
        .map_err(|e| fail("open or create the stream", &e))?;
    let consumer: jetstream::consumer::Consumer<pull::Config> = stream
        .get_or_create_consumer(
            &address.consumer,
            pull::Config {
                durable_name: Some(address.consumer.clone()),
                filter_subject: subject.unwrap_or_default(),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: address.ack_wait,
                max_deliver: address.max_deliver,
                max_ack_pending: MAX_ACK_PENDING,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| {
            fail(
                &format!("open or create the consumer `{}`", address.consumer),
                &e,
            )
        })?;
    if address.mode == ConsumerMode::Single {
        let info = consumer
            .get_info()
            .await
            .map_err(|e| fail("read the consumer", &e))?;
        if info.num_waiting > 0 {
            return Err(SourceError::new(format!(
                "`{shown}`: another process is pulling from the consumer `{}`; `mode=single` takes a consumer alone",
                address.consumer
            )));
        }
    }
    let messages = consumer
        .stream()
        .max_messages_per_batch(PULL_BATCH)
        .heartbeat(Duration::from_secs(5))
        .expires(Duration::from_secs(30))
        .messages()
        .await
        .map_err(|e| fail("pull from the consumer", &e))?;
    let (outbox, acknowledging) = Outbox::start(client, "acknowledge a message".to_owned());
    let (stop, stopped) = watch::channel(false);
    let registry = InFlight::default();
    let progress = tokio::spawn(report_progress(
        Arc::clone(&registry),
        outbox.clone(),
        address.ack_wait,
    ));
    Ok((
        JetStreamSource {
            messages,
            stream: address.stream.as_str().into(),
            next_index: 0,
            outbox,
            in_flight: registry,
            next_in_flight: 0,
            stop: stopped,
            until_idle,
            shown,
            failed: None,
            failures_in_a_row: 0,
        },
        JetStreamControl {
            stop: StopHandle(Arc::new(stop)),
            acknowledging,
            progress,
        },
    ))
}

impl EventSource for JetStreamSource {
    fn next_batch(&mut self) -> BoxFuture<'_, Option<Result<SourceBatch, SourceError>>> {
        Box::pin(async move {
            if let Some(error) = self.failed.take() {
                self.failures_in_a_row += 1;
                return Some(Err(error));
            }
            if self.failures_in_a_row >= MAX_FAILURES_IN_A_ROW {
                self.hand_back();
                return None;
            }
            let first = tokio::select! {
                biased;
                _ = self.stop.wait_for(|stopped| *stopped) => None,
                next = next_or_idle(&mut self.messages, self.until_idle) => next,
            };
            let Some(first) = first else {
                self.hand_back();
                return None;
            };
            let mut batch = SourceBatch::default();
            let mut failure = self.add(first, &mut batch);
            let mut messages = 1;
            while failure.is_none()
                && messages < MAX_BATCH_MESSAGES
                && batch.bytes < MAX_BATCH_BYTES
            {
                match self.messages.next().now_or_never() {
                    Some(Some(next)) => failure = self.add(next, &mut batch),
                    _ => break,
                }
                messages += 1;
            }
            if batch.messages.is_empty() {
                self.failures_in_a_row += 1;
                return failure.map(Err);
            }
            // What was read before a failure is dispatched first; the
            // failure comes with the next call.
            self.failures_in_a_row = 0;
            self.failed = failure;
            Some(Ok(batch))
        })
    }
}

type Pulled = Result<jetstream::Message, pull::MessagesError>;

/// The next message; `None` when the pull ended or nothing came for `idle`.
async fn next_or_idle(messages: &mut pull::Stream, idle: Option<Duration>) -> Option<Pulled> {
    match idle {
        Some(idle) => tokio::time::timeout(idle, messages.next())
            .await
            .ok()
            .flatten(),
        None => messages.next().await,
    }
}

impl JetStreamSource {
    /// Adds a message's events to `batch`; returns the pull's failure.
    fn add(&mut self, pulled: Pulled, batch: &mut SourceBatch) -> Option<SourceError> {
        let message = match pulled {
            Ok(message) => message,
            Err(error) => {
                return Some(SourceError::new(format!(
                    "`{}`: pulling messages failed: {error}",
                    self.shown
                )));
            }
        };
        let sequence = message.info().map(|info| info.stream_sequence).ok();
        let message = message.message;
        let start = batch.inputs.len();
        batch.bytes += message.payload.len();
        // An event without an id gets one from its place in the stream, so a
        // redelivered message's events are duplicates of the first delivery's.
        let id_for = |position: Option<usize>| {
            sequence.map(|sequence| match position {
                None => format!("{}-{sequence}", self.stream),
                Some(position) => format!("{}-{sequence}-{position}", self.stream),
            })
        };
        let text = std::str::from_utf8(&message.payload)
            .map_err(|e| format!("not UTF-8 text: {e}"))
            .and_then(|text| EventInput::from_json(text).map_err(|e| format!("not JSON: {e}")));
        let mut push = |event: Result<adl_runtime::Envelope, adl_runtime::EnvelopeError>,
                        position: Option<usize>| {
            let input = event
                .map(|mut envelope| {
                    if envelope.id.is_none() {
                        envelope.id = id_for(position).map(Into::into);
                    }
                    envelope
                })
                .map_err(|error| Rejection::InvalidEnvelope(error.0));
            batch.inputs.push((self.next_index, input));
            self.next_index += 1;
        };
        match text {
            Ok(EventInput::Single(event)) => push(event, None),
            Ok(EventInput::Batch(events)) => {
                for (position, event) in events.into_iter().enumerate() {
                    push(event, Some(position));
                }
            }
            Err(reason) => {
                batch
                    .inputs
                    .push((self.next_index, Err(Rejection::Unreadable(reason))));
                self.next_index += 1;
            }
        }
        let end = batch.inputs.len();
        batch.messages.push((
            start..end,
            Box::new(Settlement {
                reply: message.reply.clone(),
                outbox: self.outbox.clone(),
                in_flight: self.register(message.reply.clone()),
            }),
        ));
        None
    }

    /// Enters a message handed out among those in flight.
    fn register(&mut self, reply: Option<async_nats::Subject>) -> (InFlight, u64) {
        let number = self.next_in_flight;
        self.next_in_flight += 1;
        if let Some(reply) = reply {
            in_flight(&self.in_flight).insert(number, reply);
        }
        (Arc::clone(&self.in_flight), number)
    }

    /// Gives the messages fetched but not handed out back to the server at
    /// once, rather than after their acknowledgement wait.
    fn hand_back(&mut self) {
        while let Some(Some(Ok(message))) = self.messages.next().now_or_never() {
            if let Some(reply) = message.message.reply {
                self.outbox.publish(reply, AckKind::Nak(None).into());
            }
        }
    }
}

/// Settles one message when its events are done: acknowledged; terminated
/// when an event of it can never be accepted (not JSON, not an event, not
/// what the agent declares: the reason is in the run's `rejected` record);
/// handed back for a later delivery when the refusal may pass.
struct Settlement {
    /// Where the acknowledgement goes; taken when settled.
    reply: Option<async_nats::Subject>,
    outbox: Outbox,
    /// The message's place among those in flight, left when settled.
    in_flight: (InFlight, u64),
}

/// The acknowledgement subjects of the messages handed out and not settled,
/// by a number of their own: a long cascade is kept from redelivery by
/// telling the server, every third of `ack_wait`, that work goes on (`+WPI`).
type InFlight = Arc<std::sync::Mutex<std::collections::HashMap<u64, async_nats::Subject>>>;

fn in_flight(
    registry: &InFlight,
) -> std::sync::MutexGuard<'_, std::collections::HashMap<u64, async_nats::Subject>> {
    registry
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Sends `+WPI` for every message in flight, every third of `ack_wait`.
async fn report_progress(registry: InFlight, outbox: Outbox, ack_wait: Duration) {
    let mut ticks = tokio::time::interval(ack_wait / 3);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let replies: Vec<async_nats::Subject> = in_flight(&registry).values().cloned().collect();
        for reply in replies {
            outbox.publish(reply, AckKind::Progress.into());
        }
    }
}

impl std::fmt::Debug for Settlement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settlement")
            .field("reply", &self.reply)
            .finish_non_exhaustive()
    }
}

impl Completion for Settlement {
    fn complete(mut self: Box<Self>, completed: Completed) {
        let kind = match completed {
            Completed::Done => AckKind::Ack,
            Completed::Rejected(rejections) => {
                if rejections.iter().any(|(_, rejection)| passing(rejection)) {
                    AckKind::Nak(Some(RETRY_DELAY))
                } else {
                    AckKind::Term
                }
            }
        };
        let (registry, number) = &self.in_flight;
        in_flight(registry).remove(number);
        if let Some(reply) = self.reply.take() {
            self.outbox.publish(reply, kind.into());
        }
    }
}

/// Whether a refusal may not happen again on a later delivery.
fn passing(rejection: &Rejection) -> bool {
    matches!(
        rejection,
        Rejection::Store(_) | Rejection::QueueFull(_) | Rejection::ShuttingDown
    )
}
