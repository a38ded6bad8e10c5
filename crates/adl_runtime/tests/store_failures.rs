//! A store that fails at one call site at a time: every failure is returned,
//! turned into a rejection, or reported in the outcome stream and counted in
//! the summary; none vanishes.

mod common;

use std::sync::Arc;
use std::time::Duration;

use adl_runtime::exec::{
    Appended, BoxFuture, EventStore, HandlerError, MemoryStore, Origin, Recovery, Rejection,
    StateError, StoreError, StoredEvent, ToolCall,
};
use adl_runtime::{Runtime, Substr};
use common::{builder, drain, of_kind, program};
use serde_json::{Value, json};

/// The call sites of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Site {
    /// Appending input events (a group, or one).
    Inputs,
    /// Appending an event a handler emitted.
    Emitted,
    /// Appending a time trigger's tick.
    Tick,
    MarkDone,
    Flush,
    Recover,
    Recent,
}

/// The memory ring, failing at `site`.
#[derive(Debug)]
struct Failing {
    site: Site,
    ring: MemoryStore,
}

fn failure(site: Site) -> StoreError {
    StoreError::new(format!("the disk is full ({site:?})"))
}

fn fails<T: Send + 'static>(site: Site) -> BoxFuture<'static, Result<T, StoreError>> {
    Box::pin(std::future::ready(Err(failure(site))))
}

impl Failing {
    fn fails_for(&self, events: &[StoredEvent]) -> bool {
        events.iter().any(|stored| match stored.origin {
            Origin::Input => self.site == Site::Inputs,
            Origin::Emitted => self.site == Site::Emitted,
            Origin::Tick => self.site == Site::Tick,
        })
    }
}

impl EventStore for Failing {
    fn append(&self, events: Vec<StoredEvent>) -> BoxFuture<'static, Result<Appended, StoreError>> {
        if self.fails_for(&events) {
            return fails(self.site);
        }
        self.ring.append(events)
    }

    fn append_one(&self, event: StoredEvent) -> BoxFuture<'static, Result<Appended, StoreError>> {
        self.append(vec![event])
    }

    fn recover(&self) -> BoxFuture<'_, Result<Recovery, StoreError>> {
        if self.site == Site::Recover {
            return fails(self.site);
        }
        self.ring.recover()
    }

    fn mark_done(&self, ids: &[Substr]) -> BoxFuture<'static, Result<(), StoreError>> {
        if self.site == Site::MarkDone {
            return fails(self.site);
        }
        self.ring.mark_done(ids)
    }

    fn recent(&self, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>, StoreError>> {
        if self.site == Site::Recent {
            return fails(self.site);
        }
        self.ring.recent(limit)
    }

    fn flush(&self) -> BoxFuture<'static, Result<(), StoreError>> {
        if self.site == Site::Flush {
            return fails(self.site);
        }
        self.ring.flush()
    }
}

/// `go` calls a tool, whose `tool_invocation` event is stored as emitted; a
/// time trigger ticks every minute.
fn agent(mode: &str) -> Value {
    json!({
        "tools": [{"name": "work"}],
        "events": {
            "processing_mode": mode,
            "batch_size": 2,
            "batch_timeout_ms": 10,
            "subscriptions": [
                {"subscription_type": "direct", "event_name": "go",
                 "handler": {"handler_type": "tool_invocation", "tool_name": "work"}}
            ],
            "triggers": [{"trigger_type": "time", "schedule": "cron", "expression": "* * * * *"}],
            "handlers": [{"handler_type": "state_update", "state_field": "ticked", "value": true}]
        }
    })
}

/// What a run over the failing store showed.
struct Seen {
    acks: Vec<Result<(), Rejection>>,
    outcomes: Vec<Value>,
    state: Result<bool, StateError>,
    recent: Result<usize, StoreError>,
    resumed: Result<usize, StoreError>,
    shutdown: Result<u64, StoreError>,
}

async fn run(site: Site, mode: &str) -> Seen {
    let (builder, mut outcomes) = builder(program(&agent(mode)));
    let runtime: Runtime = builder
        .store(Arc::new(Failing {
            site,
            ring: MemoryStore::new(100),
        }))
        .tool_invoker(|_: ToolCall| async { Ok::<_, HandlerError>(json!(null)) })
        .start()
        .expect("starts");
    let resumed = runtime.resume().await.map(|r| r.replayed);
    let go = |id: &str| json!({"id": id, "event_type": "go"});
    let report = runtime.dispatch_many(vec![go("a"), go("b")]).await;
    let state = runtime.set_state("mode", json!("busy")).await;
    tokio::time::sleep(Duration::from_secs(61)).await;
    let recent = runtime.events(10).await.map(|events| events.len());
    let shutdown = runtime.shutdown().await.map(|summary| summary.errors);
    Seen {
        acks: report.acks.into_iter().map(|ack| ack.result).collect(),
        outcomes: drain(&mut outcomes),
        state,
        recent,
        resumed,
        shutdown,
    }
}

/// The `STORE_001` error events of a run: what the cascade could not store.
fn store_errors(outcomes: &[Value]) -> Vec<String> {
    of_kind(outcomes, "event")
        .into_iter()
        .filter(|e| e["data"]["error_code"] == "STORE_001")
        .map(|e| e["data"]["error_message"].as_str().unwrap_or("").to_owned())
        .collect()
}

const MODES: [&str; 3] = ["synchronous", "asynchronous", "batch"];

#[tokio::test(start_paused = true)]
async fn a_failed_input_append_rejects_the_inputs_with_the_reason() {
    for mode in MODES {
        let seen = run(Site::Inputs, mode).await;
        let rejection = Rejection::Store(failure(Site::Inputs));
        assert_eq!(
            seen.acks,
            [Err(rejection.clone()), Err(rejection)],
            "{mode}"
        );
        let rejected = of_kind(&seen.outcomes, "rejected");
        assert_eq!(rejected.len(), 2, "{mode}: reported");
        for outcome in rejected {
            assert_eq!(
                outcome["reason"], "event store: the disk is full (Inputs)",
                "{mode}: {outcome}"
            );
        }
        assert!(
            of_kind(&seen.outcomes, "action")
                .iter()
                .all(|a| a["handler_type"] != "tool_invocation")
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_append_of_an_emitted_event_is_reported_and_counted() {
    for mode in MODES {
        let seen = run(Site::Emitted, mode).await;
        assert!(seen.acks.iter().all(Result::is_ok), "{mode}");
        let errors = store_errors(&seen.outcomes);
        // Each input's tool_invocation event, and the state change.
        assert!(errors.len() >= 2, "{mode}: {errors:?}");
        assert!(
            errors
                .iter()
                .all(|e| e.starts_with("while trying to store it")),
            "{mode}: {errors:?}"
        );
        assert!(matches!(seen.state, Err(StateError::Store(_))), "{mode}");
        assert_eq!(seen.shutdown, Ok(errors.len() as u64), "{mode}: counted");
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_tick_append_is_reported_and_counted() {
    let seen = run(Site::Tick, "asynchronous").await;
    let errors = store_errors(&seen.outcomes);
    assert!(!errors.is_empty(), "the tick's failure is reported");
    assert_eq!(seen.shutdown, Ok(errors.len() as u64));
}

#[tokio::test(start_paused = true)]
async fn a_failed_done_mark_is_reported_and_counted() {
    for mode in MODES {
        let seen = run(Site::MarkDone, mode).await;
        assert!(seen.acks.iter().all(Result::is_ok), "{mode}");
        let errors = store_errors(&seen.outcomes);
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("while trying to mark it done")),
            "{mode}: {errors:?}"
        );
        assert_eq!(seen.shutdown, Ok(errors.len() as u64), "{mode}: counted");
    }
}

#[tokio::test(start_paused = true)]
async fn failed_flush_recover_and_recent_are_returned() {
    assert_eq!(
        run(Site::Flush, "asynchronous").await.shutdown,
        Err(failure(Site::Flush))
    );
    assert_eq!(
        run(Site::Recover, "asynchronous").await.resumed,
        Err(failure(Site::Recover))
    );
    assert_eq!(
        run(Site::Recent, "asynchronous").await.recent,
        Err(failure(Site::Recent))
    );
}

#[tokio::test(start_paused = true)]
async fn a_store_failure_keeps_its_cause() {
    let io = std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left");
    let error = StoreError::caused_by("cannot write `events.jsonl`: no space left", io);
    let cause = std::error::Error::source(&error).expect("a cause");
    let io = cause.downcast_ref::<std::io::Error>().expect("an io error");
    assert_eq!(io.kind(), std::io::ErrorKind::StorageFull);
    assert_eq!(
        error.to_string(),
        "event store: cannot write `events.jsonl`: no space left"
    );
}
