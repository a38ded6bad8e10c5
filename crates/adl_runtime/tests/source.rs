//! Event sources: a message is settled only once every event in it is done
//! (its whole cascade processed) or rejected, with the reasons, in every
//! processing mode.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use adl_runtime::exec::{
    BoxFuture, Completed, Completion, EventSource, HandlerError, InFlightLimit, Rejection,
    SourceBatch, SourceError, ToolCall,
};
use adl_runtime::{Envelope, Runtime};
use common::{builder, program};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

/// What happened, in order: tool calls (`call NAME`) and settled messages.
type Log = Arc<Mutex<Vec<String>>>;

#[derive(Debug)]
struct Settle {
    message: &'static str,
    log: Log,
    settled: Arc<Mutex<Vec<(&'static str, Completed)>>>,
}

impl Completion for Settle {
    fn complete(self: Box<Self>, completed: Completed) {
        self.log
            .lock()
            .expect("log")
            .push(format!("settle {}", self.message));
        self.settled
            .lock()
            .expect("settled")
            .push((self.message, completed));
    }
}

/// Hands out prepared batches, then an error, then ends.
struct Batches(Vec<Result<SourceBatch, SourceError>>);

impl EventSource for Batches {
    fn next_batch(&mut self) -> BoxFuture<'_, Option<Result<SourceBatch, SourceError>>> {
        let next = (!self.0.is_empty()).then(|| self.0.remove(0));
        Box::pin(std::future::ready(next))
    }
}

fn envelope(value: Value) -> Result<Envelope, Rejection> {
    Envelope::from_value(value).map_err(|e| Rejection::InvalidEnvelope(e.0))
}

/// `go` calls the gated tool `wait`, whose `tool_invocation` event calls
/// `after`: a cascade of two generations.
fn agent(mode: &str) -> Value {
    json!({
        "tools": [{"name": "wait"}, {"name": "after"}],
        "events": {
            "processing_mode": mode,
            "batch_size": 2,
            "batch_timeout_ms": 10,
            "timeout_ms": 3_600_000,
            "subscriptions": [
                {"subscription_type": "direct", "event_name": "go",
                 "handler": {"handler_type": "tool_invocation", "tool_name": "wait",
                             "parameters": {"n": "${event.data.n}"}}},
                {"subscription_type": "filtered", "event_name": "tool_invocation",
                 "filter": {"field": "tool_name", "operator": "equals", "value": "wait"},
                 "handler": {"handler_type": "tool_invocation", "tool_name": "after",
                             "parameters": {"n": "${event.data.parameters.n}"}}}
            ]
        }
    })
}

/// The agent in `mode`, its tool `wait` held until `gate` has permits; every
/// call is logged once made.
fn gated_runtime(mode: &str, gate: &Arc<Semaphore>, log: &Log) -> Arc<Runtime> {
    let (builder, _outcomes) = builder(program(&agent(mode)));
    let (gate, log) = (Arc::clone(gate), Arc::clone(log));
    let runtime = builder
        .tool_invoker(move |call: ToolCall| {
            let (gate, log) = (Arc::clone(&gate), Arc::clone(&log));
            async move {
                if &*call.tool_name == "wait" {
                    gate.acquire().await.expect("open").forget();
                }
                let n = &call.parameters["n"];
                log.lock()
                    .expect("log")
                    .push(format!("call {} {n}", call.tool_name));
                Ok::<_, HandlerError>(json!(null))
            }
        })
        .start()
        .expect("starts");
    Arc::new(runtime)
}

async fn settles_after_the_cascade(mode: &str) {
    let gate = Arc::new(Semaphore::new(0));
    let log: Log = Arc::default();
    let settled = Arc::new(Mutex::new(Vec::new()));
    let runtime = gated_runtime(mode, &gate, &log);
    let settle = |message| -> Box<dyn Completion> {
        Box::new(Settle {
            message,
            log: Arc::clone(&log),
            settled: Arc::clone(&settled),
        })
    };
    let go = |id: &str| envelope(json!({"id": id, "event_type": "go", "data": {"n": id}}));
    let batches = vec![
        Ok(SourceBatch {
            inputs: vec![(0, go("a1")), (1, go("a2")), (2, go("loose"))],
            // `loose` is in no message: nothing waits for it.
            messages: vec![(0..2, settle("a"))],
            bytes: 0,
        }),
        Ok(SourceBatch {
            inputs: vec![
                (3, envelope(json!({"data": {}}))),
                (4, go("b1")),
                (5, Err(Rejection::Unreadable("not JSON".to_owned()))),
            ],
            messages: vec![(0..3, settle("b"))],
            bytes: 0,
        }),
        Err(SourceError::new("the connection dropped")),
        Ok(SourceBatch {
            // Stored already: a duplicate is settled as done.
            inputs: vec![(6, go("a1"))],
            messages: vec![(0..1, settle("again"))],
            bytes: 0,
        }),
    ];
    let running = tokio::spawn({
        let runtime = Arc::clone(&runtime);
        async move {
            runtime
                .run_source(Batches(batches), InFlightLimit::default())
                .await
        }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    let early: Vec<_> = settled.lock().expect("settled").clone();
    assert!(
        early.iter().all(|(message, _)| *message == "again"),
        "{mode}: nothing with an event still processing is settled: {early:?}"
    );
    gate.add_permits(100);
    let read = running.await.expect("joins");
    assert_eq!(read, Err(SourceError::new("the connection dropped")));
    runtime.shutdown().await.expect("shuts down");

    let settled = settled.lock().expect("settled").clone();
    let of = |message| {
        settled
            .iter()
            .filter(|(m, _)| *m == message)
            .map(|(_, c)| c.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(of("a"), [Completed::Done], "{mode}");
    assert_eq!(of("again"), [Completed::Done], "{mode}");
    let [Completed::Rejected(rejected)] = &of("b")[..] else {
        panic!("{mode}: b settled once, with its rejections: {settled:?}");
    };
    assert_eq!(
        rejected.iter().map(|(index, _)| *index).collect::<Vec<_>>(),
        [3, 5],
        "{mode}"
    );
    assert!(
        matches!(&rejected[0].1, Rejection::InvalidEnvelope(reason) if reason.contains("event_type")),
        "{mode}: {rejected:?}"
    );
    assert_eq!(rejected[1].1, Rejection::Unreadable("not JSON".to_owned()));

    // A message is settled after the last call of its events' cascades.
    let log = log.lock().expect("log").clone();
    let at = |line: &str| {
        log.iter()
            .position(|l| l == line)
            .unwrap_or_else(|| panic!("{mode}: `{line}` in {log:#?}"))
    };
    assert!(at("settle a") > at("call after \"a1\""), "{mode}: {log:#?}");
    assert!(at("settle a") > at("call after \"a2\""), "{mode}: {log:#?}");
    assert!(at("settle b") > at("call after \"b1\""), "{mode}: {log:#?}");
    assert_eq!(log.iter().filter(|l| l.starts_with("settle")).count(), 3);
}

#[tokio::test(start_paused = true)]
async fn synchronous_messages_settle_after_their_cascades() {
    settles_after_the_cascade("synchronous").await;
}

#[tokio::test(start_paused = true)]
async fn asynchronous_messages_settle_after_their_cascades() {
    settles_after_the_cascade("asynchronous").await;
}

#[tokio::test(start_paused = true)]
async fn batch_messages_settle_after_their_cascades() {
    settles_after_the_cascade("batch").await;
}

#[tokio::test(start_paused = true)]
async fn a_message_of_no_events_is_settled_at_once() {
    let (builder, _outcomes) = builder(program(&agent("asynchronous")));
    let runtime: Runtime = builder.start().expect("starts");
    let settled = Arc::new(Mutex::new(Vec::new()));
    let completion = Box::new(Settle {
        message: "empty",
        log: Arc::default(),
        settled: Arc::clone(&settled),
    });
    let batch = SourceBatch {
        inputs: Vec::new(),
        messages: vec![(0..0, completion as Box<dyn Completion>)],
        bytes: 0,
    };
    runtime
        .run_source(Batches(vec![Ok(batch)]), InFlightLimit::default())
        .await
        .expect("reads");
    assert_eq!(
        *settled.lock().expect("settled"),
        [("empty", Completed::Done)]
    );
    runtime.shutdown().await.expect("shuts down");
}
