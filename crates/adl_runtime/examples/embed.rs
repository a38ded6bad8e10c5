//! Embedding the adl runtime in a host agent: compile a definition, plug in
//! tools, notifications and a custom handler, dispatch events, read state and
//! the outcome stream, shut down gracefully.
//!
//! Run it with `cargo run -p adl_runtime --example embed`.

#![allow(clippy::print_stdout, reason = "an example shows its results")]

use adl_runtime::exec::{CustomCall, HandlerError, Notification, ToolCall};
use adl_runtime::graph::Keyword as _;
use adl_runtime::{Program, Runtime};
use serde_json::json;

const AGENT: &str = r#"{
  "name": "support-bot",
  "tools": [{"name": "search_kb", "parameters": [{"name": "query", "type": "string", "required": true}]}],
  "events": {
    "subscriptions": [
      {"subscription_type": "direct", "event_name": "ticket_opened",
       "handler": {"name": "lookup", "handler_type": "tool_invocation", "tool_name": "search_kb",
                   "parameters": {"query": "${event.data.subject}"}}},
      {"subscription_type": "filtered", "event_name": "tool_invocation",
       "filter": {"field": "status", "operator": "equals", "value": "success"},
       "handler": {"name": "remember", "handler_type": "state_update", "state_field": "last_answer", "value": "${event.data.result}"}},
      {"subscription_type": "pattern", "event_pattern": "ticket_*",
       "handler": {"name": "audit", "handler_type": "custom", "handler_name": "audit_log", "parameters": {"ticket": "${event.data.id}"}}},
      {"subscription_type": "direct", "event_name": "error",
       "handler": {"handler_type": "notification", "notification_type": "error", "message": "${event.data.error_message}"}}
    ],
    "triggers": [{"trigger_type": "condition", "condition": {"field": "last_answer.confidence", "operator": "less_than", "value": 0.5}}],
    "handlers": [{"name": "escalate", "handler_type": "notification", "notification_type": "alert",
                  "message": "low-confidence answer: ${state.last_answer.text}"}],
    "processing_mode": "asynchronous",
    "timeout_ms": 2000
  }
}"#;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Check, then compile. A definition with errors never becomes a graph.
    let report = adl_checker::check(AGENT.as_bytes(), &adl_checker::CheckOptions::default());
    let graph = adl_runtime::compile(&report)?;
    let mut builder = Runtime::builder(Program::new(graph)?)
        .tool_invoker(|call: ToolCall| async move {
            // A real host calls its tool here; the event id is an idempotency key.
            let subject = call.parameters["query"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            Ok::<_, HandlerError>(
                json!({"text": format!("see the FAQ about {subject}"), "confidence": 0.3}),
            )
        })
        .notification_sink(|n: Notification| async move {
            println!("notify [{}] {}", n.notification_type.keyword(), n.message);
            Ok::<_, HandlerError>(())
        })
        .custom_handler("audit_log", |call: CustomCall| async move {
            println!("audit {}", call.parameters);
            Ok::<_, HandlerError>(serde_json::Value::Null)
        });
    let mut outcomes = builder.subscribe();
    let runtime = builder.start()?;

    let report = runtime
        .dispatch_value(json!([
            {"event_type": "ticket_opened", "data": {"id": 42, "subject": "password reset"}},
            {"data": "no event type"}
        ]))
        .await;
    println!(
        "accepted {}, rejected {}",
        report.accepted(),
        report.rejected()
    );

    // Asynchronous mode: dispatch returned once the events were queued.
    // Shutdown processes everything accepted before it returns.
    let summary = runtime.shutdown().await?;
    println!("state: {}", serde_json::Value::Object(runtime.state()));
    while let Ok(outcome) = outcomes.try_recv() {
        println!("{}", serde_json::to_string(&outcome)?);
    }
    println!("summary: {}", serde_json::to_string(&summary)?);
    Ok(())
}
