//! Shared helpers: compile an agent from JSON text, start it on tokio's paused
//! clock at a fixed time, collect its outcome stream.
#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::sync::{Arc, Mutex};

use adl_runtime::exec::{IdScheme, Outcome, ToolCall};
use adl_runtime::{Graph, Program, Runtime, RuntimeBuilder};
use serde_json::Value;
use tokio::sync::mpsc;

pub const START: &str = "2026-01-01T00:00:00Z";

pub fn graph(agent: &Value) -> Graph {
    let text = serde_json::to_string_pretty(agent).expect("json");
    let report = adl_checker::check(text.as_bytes(), &adl_checker::CheckOptions::default());
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.rule.code, d.message))
        .collect();
    assert!(errors.is_empty(), "agent has errors: {errors:#?}");
    adl_runtime::compile(&report).expect("compiles")
}

pub fn program(agent: &Value) -> Program {
    Program::new(graph(agent)).expect("loads")
}

/// A builder with a fixed start time, input-index ids, and an outcome receiver.
pub fn builder(program: Program) -> (RuntimeBuilder, mpsc::UnboundedReceiver<Outcome>) {
    let mut builder = Runtime::builder(program)
        .start_time(START.parse().expect("time"))
        .id_scheme(IdScheme::InputIndex);
    let outcomes = builder.subscribe();
    (builder, outcomes)
}

/// A started runtime whose tool calls go to a [`Recorder`].
pub fn recording(agent: &Value) -> (Runtime, Recorder, mpsc::UnboundedReceiver<Outcome>) {
    let recorder = Recorder::default();
    let (builder, outcomes) = builder(program(agent));
    let runtime = builder
        .tool_invoker(recorder.invoker())
        .start()
        .expect("starts");
    (runtime, recorder, outcomes)
}

/// Records tool calls and answers `{"ok": tool_name}`.
#[derive(Debug, Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<(String, Value)>>>);

impl Recorder {
    pub fn invoker(
        &self,
    ) -> impl Fn(ToolCall) -> std::future::Ready<Result<Value, adl_runtime::exec::HandlerError>>
    + Send
    + Sync
    + 'static {
        let calls = Arc::clone(&self.0);
        move |call: ToolCall| {
            calls
                .lock()
                .expect("lock")
                .push((call.tool_name.to_string(), (*call.parameters).clone()));
            std::future::ready(Ok(serde_json::json!({"ok": call.tool_name})))
        }
    }

    pub fn calls(&self) -> Vec<(String, Value)> {
        self.0.lock().expect("lock").clone()
    }
}

/// Every outcome received so far, as JSON.
pub fn drain(outcomes: &mut mpsc::UnboundedReceiver<Outcome>) -> Vec<Value> {
    let mut out = Vec::new();
    while let Ok(outcome) = outcomes.try_recv() {
        out.push(serde_json::to_value(outcome).expect("json"));
    }
    out
}

pub fn of_kind<'a>(outcomes: &'a [Value], kind: &str) -> Vec<&'a Value> {
    outcomes.iter().filter(|o| o["kind"] == kind).collect()
}
