//! Runtime behaviour, mode by mode and feature by feature (spec §2, §4–§9).

mod common;

use std::time::Duration;

use adl_runtime::exec::{HandlerError, ToolCall};
use common::{Recorder, builder, drain, of_kind, program, recording};
use serde_json::{Value, json};

#[allow(clippy::needless_pass_by_value, reason = "tests pass json! literals")]
fn event(event_type: &str, data: Value) -> Value {
    json!({"event_type": event_type, "data": data})
}

#[tokio::test(start_paused = true)]
async fn complex_event_flow_broadcasts_to_both_handlers() {
    let agent = json!({
        "tools": [{"name": "search_web", "parameters": [{"name": "query", "type": "string", "required": true}]},
                  {"name": "log_search", "parameters": [{"name": "query", "type": "string", "required": true}]}],
        "events": {
            "triggers": [{"trigger_type": "event", "event_name": "tool_invocation",
                          "condition": {"field": "tool_name", "operator": "equals", "value": "search_web"}}],
            "handlers": [
                {"handler_type": "tool_invocation", "tool_name": "log_search", "parameters": {"query": "${event.data.parameters.query}"}},
                {"handler_type": "state_update", "state_field": "last_search_time", "value": "${event.timestamp}"}
            ],
            "routing_strategy": "broadcast",
            "processing_mode": "synchronous",
            "timeout_ms": 1000
        }
    });
    let (runtime, recorder, mut outcomes) = recording(&agent);
    let report = runtime
        .dispatch_value(json!({"id": "e1", "event_type": "tool_invocation", "timestamp": "2026-02-16T10:00:00Z",
                               "data": {"tool_name": "search_web", "parameters": {"query": "rust"}, "status": "success"}}))
        .await;
    assert_eq!(report.accepted(), 1);
    assert_eq!(
        recorder.calls(),
        [("log_search".to_owned(), json!({"query": "rust"}))]
    );
    assert_eq!(
        runtime.state()["last_search_time"],
        json!("2026-02-16T10:00:00Z")
    );
    let all = drain(&mut outcomes);
    let actions = of_kind(&all, "action");
    assert_eq!(actions.len(), 2);
    assert_eq!(actions[0]["handler"], "/events/handlers/0");
    assert_eq!(actions[1]["input"], "2026-02-16T10:00:00Z");
    // log_search's own tool_invocation does not match the trigger: the flow stops.
    let emitted: Vec<_> = of_kind(&all, "event")
        .iter()
        .map(|e| e["event_type"].clone())
        .collect();
    assert_eq!(emitted, [json!("tool_invocation"), json!("state_change")]);
    let summary = runtime.shutdown().await.expect("shutdown");
    assert_eq!(
        (summary.accepted, summary.actions, summary.errors),
        (1, 2, 0)
    );
}

#[tokio::test(start_paused = true)]
async fn simple_event_handler_alerts_on_failed_tool_calls_only() {
    let agent = json!({"events": {"subscriptions": [{
        "subscription_type": "direct", "event_name": "tool_invocation",
        "filter": {"field": "status", "operator": "equals", "value": "error"},
        "handler": {"handler_type": "notification", "notification_type": "alert",
                    "message": "Tool invocation failed: ${event.data.error_message ?? \"unknown\"}"}}]}});
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder.start().expect("starts");
    runtime
        .dispatch_many(vec![
            event(
                "tool_invocation",
                json!({"tool_name": "a", "status": "success"}),
            ),
            event(
                "tool_invocation",
                json!({"tool_name": "b", "status": "error", "error_message": "boom"}),
            ),
        ])
        .await;
    let all = drain(&mut outcomes);
    let actions = of_kind(&all, "action");
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["input"], "Tool invocation failed: boom");
    assert_eq!(actions[0]["event_id"], "input-1");
}

#[tokio::test(start_paused = true)]
async fn a_slow_handler_times_out_and_emits_an_error_event() {
    let agent = json!({
        "tools": [{"name": "slow"}, {"name": "fast"}],
        "events": {"subscriptions": [
            {"subscription_type": "direct", "event_name": "go", "handler": {"handler_type": "tool_invocation", "tool_name": "slow"}},
            {"subscription_type": "direct", "event_name": "go", "handler": {"handler_type": "tool_invocation", "tool_name": "fast"}},
            {"subscription_type": "direct", "event_name": "error", "handler": {"handler_type": "notification", "notification_type": "error", "message": "${event.data.error_code}"}}
        ], "timeout_ms": 100}
    });
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder
        .tool_invoker(|call: ToolCall| async move {
            if &*call.tool_name == "slow" {
                tokio::time::sleep(Duration::from_secs(10)).await;
            }
            Ok::<_, HandlerError>(json!(call.tool_name))
        })
        .start()
        .expect("starts");
    runtime.dispatch_value(event("go", json!({}))).await;
    let all = drain(&mut outcomes);
    let outcomes: Vec<_> = of_kind(&all, "action")
        .iter()
        .map(|a| (a["handler"].clone(), a["outcome"].clone()))
        .collect();
    assert_eq!(outcomes[0].1, "timeout");
    assert_eq!(outcomes[1].1, "ok", "the other handlers still run");
    let error = of_kind(&all, "event")
        .into_iter()
        .find(|e| e["event_type"] == "error")
        .expect("error event");
    assert_eq!(error["data"]["error_type"], "timeout");
    assert_eq!(error["data"]["error_code"], "TIMEOUT_001");
    let notified = of_kind(&all, "action")
        .into_iter()
        .find(|a| a["handler_type"] == "notification")
        .expect("error handled");
    assert_eq!(notified["input"], "TIMEOUT_001");
    assert_eq!(runtime.shutdown().await.expect("shutdown").errors, 1);
}

#[tokio::test(start_paused = true)]
async fn failing_tools_and_unregistered_custom_handlers_become_error_events() {
    let agent = json!({
        "tools": [{"name": "broken"}],
        "events": {"subscriptions": [
            {"subscription_type": "direct", "event_name": "go", "handler": {"handler_type": "tool_invocation", "tool_name": "broken"}},
            {"subscription_type": "direct", "event_name": "go", "handler": {"handler_type": "custom", "handler_name": "nobody"}},
            {"subscription_type": "direct", "event_name": "go", "handler": {"handler_type": "custom", "handler_name": "echo", "parameters": {"n": "${event.data.n}"}}},
            {"subscription_type": "direct", "event_name": "error", "handler": {"handler_type": "notification", "notification_type": "error", "message": "${event.data.error_message}"}}
        ], "timeout_ms": 100}
    });
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder
        .tool_invoker(|_call: ToolCall| async {
            Err::<Value, _>(HandlerError::from("disk on fire"))
        })
        .custom_handler("echo", |call: adl_runtime::exec::CustomCall| async move {
            Ok::<_, HandlerError>((*call.parameters).clone())
        })
        .start()
        .expect("starts");
    runtime.dispatch_value(event("go", json!({"n": 3}))).await;
    let all = drain(&mut outcomes);
    let actions = of_kind(&all, "action");
    assert_eq!(actions[0]["outcome"], "error");
    assert_eq!(actions[0]["error"], "disk on fire");
    assert_eq!(
        actions[1]["error"],
        "no custom handler is registered under `nobody`"
    );
    assert_eq!(
        actions[2]["result"],
        json!({"n": 3}),
        "templates keep the type"
    );
    let errors: Vec<_> = of_kind(&all, "event")
        .into_iter()
        .filter(|e| e["event_type"] == "error")
        .map(|e| {
            (
                e["data"]["error_type"].clone(),
                e["data"]["error_code"].clone(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (json!("handler_failed"), json!("HANDLER_001")),
            (json!("unknown_handler"), json!("HANDLER_002"))
        ]
    );
    let failed_call = of_kind(&all, "event")
        .into_iter()
        .find(|e| e["event_type"] == "tool_invocation")
        .expect("emitted");
    assert_eq!(failed_call["data"]["status"], "error");
}

/// A `tool_invocation` event's data, written by hand as text, is what
/// `serde_json` writes for the same map (keys in this order), for a call that
/// answers, one that fails and one that times out.
#[tokio::test(start_paused = true)]
async fn tool_invocation_data_is_the_map_serde_json_would_write() {
    let agent = json!({
        "tools": [{"name": "answers"}, {"name": "fails"}, {"name": "hangs"}],
        "events": {"subscriptions": [
            {"subscription_type": "direct", "event_name": "go", "handler": {"handler_type": "tool_invocation", "tool_name": "answers", "parameters": {"q": "${event.data.q}", "n": [1, 2.5]}}},
            {"subscription_type": "direct", "event_name": "go", "handler": {"handler_type": "tool_invocation", "tool_name": "fails", "parameters": {"q": "${event.data.q}"}}},
            {"subscription_type": "direct", "event_name": "go", "handler": {"handler_type": "tool_invocation", "tool_name": "hangs"}}
        ], "timeout_ms": 100}
    });
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder
        .tool_invoker(|call: ToolCall| async move {
            match &*call.tool_name {
                "answers" => Ok(json!({"said": "\"quoted\"\n\u{1}é", "k": null})),
                "fails" => Err(HandlerError::from("disk \"on\" fire")),
                _ => {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    Ok(Value::Null)
                }
            }
        })
        .start()
        .expect("starts");
    runtime
        .dispatch_value(event("go", json!({"q": "tab\there"})))
        .await;
    let mut data = Vec::new();
    while let Ok(outcome) = outcomes.try_recv() {
        if let adl_runtime::exec::Outcome::Event(emitted) = outcome {
            if emitted.event.event_type == "tool_invocation" {
                data.push(emitted.event.data.clone());
            }
        }
    }
    let expected = [
        json!({"tool_name": "answers", "parameters": {"q": "tab\there", "n": [1, 2.5]},
               "result": {"said": "\"quoted\"\n\u{1}é", "k": null}, "status": "success"}),
        json!({"tool_name": "fails", "parameters": {"q": "tab\there"}, "result": null,
               "status": "error", "error_message": "disk \"on\" fire"}),
        json!({"tool_name": "hangs", "parameters": {}, "result": null,
               "status": "timeout", "error_message": "timed out after 100 ms"}),
    ];
    assert_eq!(data.len(), expected.len());
    for (data, expected) in data.iter().zip(&expected) {
        assert_eq!(data.to_string(), expected.to_string());
        assert_eq!(data.value(), expected);
    }
    runtime.shutdown().await.expect("shutdown");
}

#[tokio::test(start_paused = true)]
async fn state_updates_emit_state_change_only_on_change() {
    let agent = json!({"events": {
        "subscriptions": [{"subscription_type": "direct", "event_name": "set",
                           "handler": {"handler_type": "state_update", "state_field": "mode.current", "value": "${event.data.mode}"}}],
        "state": {"mode": {"current": "idle"}}}});
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder.start().expect("starts");
    for mode in ["idle", "busy", "busy"] {
        runtime
            .dispatch_value(event("set", json!({"mode": mode})))
            .await;
    }
    let all = drain(&mut outcomes);
    let changes: Vec<_> = of_kind(&all, "event")
        .iter()
        .map(|e| e["data"].clone())
        .collect();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["field"], "mode.current");
    assert_eq!(changes[0]["previous_state"], "idle");
    assert_eq!(changes[0]["new_state"], "busy");
    assert_eq!(runtime.state()["mode"], json!({"current": "busy"}));
}

#[tokio::test(start_paused = true)]
async fn condition_triggers_fire_on_the_rising_edge_only() {
    let agent = json!({
        "tools": [{"name": "page"}],
        "events": {
            "subscriptions": [{"subscription_type": "direct", "event_name": "load",
                               "handler": {"handler_type": "state_update", "state_field": "load", "value": "${event.data.value}"}}],
            "triggers": [{"trigger_type": "condition", "condition": {"field": "load", "operator": "greater_than", "value": 90}}],
            "handlers": [{"name": "page_ops", "handler_type": "tool_invocation", "tool_name": "page", "parameters": {"load": "${state.load}"}}],
            "state": {"load": 0}
        }
    });
    let (runtime, recorder, _outcomes) = recording(&agent);
    for value in [50, 95, 97, 40, 99] {
        runtime
            .dispatch_value(event("load", json!({"value": value})))
            .await;
    }
    let pages: Vec<_> = recorder
        .calls()
        .into_iter()
        .map(|(_, p)| p["load"].clone())
        .collect();
    assert_eq!(
        pages,
        [json!(95), json!(99)],
        "fires on 50→95 and 40→99, not on 95→97"
    );
}

#[tokio::test(start_paused = true)]
async fn composite_triggers_follow_occurrence_semantics() {
    let agent = json!({
        "tools": [{"name": "act"}],
        "events": {
            "subscriptions": [{"subscription_type": "direct", "event_name": "arm",
                               "handler": {"handler_type": "state_update", "state_field": "armed", "value": "${event.data.on}"}}],
            "triggers": [
                {"trigger_type": "composite", "operator": "and", "triggers": [
                    {"trigger_type": "event", "event_name": "door"},
                    {"trigger_type": "condition", "condition": {"field": "armed", "operator": "equals", "value": true}}]},
                {"trigger_type": "composite", "operator": "or", "triggers": [
                    {"trigger_type": "event", "event_name": "panic"},
                    {"trigger_type": "event", "event_name": "smoke"}]}
            ],
            "handlers": [{"name": "alarm", "handler_type": "tool_invocation", "tool_name": "act", "parameters": {"why": "${event.event_type}"}}],
            "state": {"armed": false}
        }
    });
    let (runtime, recorder, _outcomes) = recording(&agent);
    for (name, data) in [
        ("door", json!({})),
        ("arm", json!({"on": true})),
        ("door", json!({})),
        ("smoke", json!({})),
        ("noise", json!({})),
    ] {
        runtime.dispatch_value(event(name, data)).await;
    }
    let why: Vec<_> = recorder
        .calls()
        .into_iter()
        .map(|(_, p)| p["why"].clone())
        .collect();
    assert_eq!(
        why,
        [json!("door"), json!("smoke")],
        "door only while armed; or fires on either member"
    );
}

#[tokio::test(start_paused = true)]
async fn not_composites_fire_on_every_other_occurrence() {
    let agent = json!({
        "tools": [{"name": "act"}],
        "events": {
            "triggers": [{"trigger_type": "composite", "operator": "not", "triggers": [{"trigger_type": "event", "event_name": "heartbeat"}]}],
            "handlers": [{"handler_type": "notification", "notification_type": "info", "message": "${event.event_type}"}]
        }
    });
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder.start().expect("starts");
    for name in ["heartbeat", "other", "heartbeat"] {
        runtime.dispatch_value(event(name, json!({}))).await;
    }
    let all = drain(&mut outcomes);
    let what: Vec<_> = of_kind(&all, "action")
        .iter()
        .map(|a| a["input"].clone())
        .collect();
    assert_eq!(what, [json!("other")]);
}

#[tokio::test(start_paused = true)]
async fn cron_triggers_tick_on_the_paused_clock() {
    let agent = json!({
        "tools": [{"name": "report"}],
        "events": {
            "triggers": [{"trigger_type": "time", "schedule": "cron", "expression": "*/15 * * * *", "timezone": "Europe/Paris"}],
            "handlers": [{"handler_type": "tool_invocation", "tool_name": "report", "parameters": {"at": "${event.data.scheduled_time}"}}]
        }
    });
    let (runtime, recorder, _outcomes) = recording(&agent);
    tokio::time::sleep(Duration::from_secs(3601)).await;
    runtime.shutdown().await.expect("shutdown");
    let ticks: Vec<_> = recorder
        .calls()
        .into_iter()
        .map(|(_, p)| p["at"].clone())
        .collect();
    assert_eq!(
        ticks,
        [
            json!("2026-01-01T00:15:00Z"),
            json!("2026-01-01T00:30:00Z"),
            json!("2026-01-01T00:45:00Z"),
            json!("2026-01-01T01:00:00Z")
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn conditional_routing_with_continue_default_and_drops() {
    let agent = json!({
        "tools": [{"name": "t"}],
        "events": {
            "triggers": [{"trigger_type": "event", "event_name": "order"}],
            "handlers": [
                {"name": "big", "handler_type": "tool_invocation", "tool_name": "t", "parameters": {"h": "big"}},
                {"name": "audit", "handler_type": "tool_invocation", "tool_name": "t", "parameters": {"h": "audit"}},
                {"name": "small", "handler_type": "tool_invocation", "tool_name": "t", "parameters": {"h": "small"}}
            ],
            "routing_strategy": "conditional",
            "routes": [
                {"condition": {"field": "amount", "operator": "greater_than", "value": 100}, "target_handler": "big", "continue": true},
                {"condition": {"field": "amount", "operator": "greater_than", "value": 10}, "target_handler": "audit"},
                {"condition": {"field": "amount", "operator": "greater_than", "value": 0}, "target_handler": "small"}
            ],
            "default_handler": "small"
        }
    });
    let (runtime, recorder, _outcomes) = recording(&agent);
    for amount in [500, 50, -1] {
        runtime
            .dispatch_value(event("order", json!({"amount": amount})))
            .await;
    }
    let routed: Vec<_> = recorder
        .calls()
        .into_iter()
        .map(|(_, p)| p["h"].clone())
        .collect();
    assert_eq!(
        routed,
        [json!("big"), json!("audit"), json!("audit"), json!("small")]
    );
}

#[tokio::test(start_paused = true)]
async fn unmatched_conditional_activations_are_dropped_and_counted() {
    let agent = json!({
        "tools": [{"name": "t"}],
        "events": {
            "triggers": [{"trigger_type": "event", "event_name": "order"}],
            "handlers": [{"name": "big", "handler_type": "tool_invocation", "tool_name": "t"}],
            "routing_strategy": "conditional",
            "routes": [{"condition": {"field": "amount", "operator": "greater_than", "value": 100}, "target_handler": "big"}]
        }
    });
    let (builder, _outcomes) = builder(program(&agent));
    let runtime = builder
        .tool_invoker(Recorder::default().invoker())
        .start()
        .expect("starts");
    runtime
        .dispatch_value(event("order", json!({"amount": 5})))
        .await;
    let summary = runtime.shutdown().await.expect("shutdown");
    assert_eq!((summary.actions, summary.dropped), (0, 1));
}

#[tokio::test(start_paused = true)]
async fn cascades_stop_at_max_cascade_depth_with_one_error() {
    let agent = json!({
        "tools": [{"name": "echo"}],
        "events": {
            "subscriptions": [{"subscription_type": "direct", "event_name": "tool_invocation",
                               "x-adl-allow": {"unbounded-cascade": "this test wants the runtime to cut it"},
                               "handler": {"handler_type": "tool_invocation", "tool_name": "echo"}}],
            "max_cascade_depth": 3
        }
    });
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder
        .tool_invoker(Recorder::default().invoker())
        .start()
        .expect("starts");
    runtime
        .dispatch_value(json!({"id": "root", "event_type": "tool_invocation", "data": {}}))
        .await;
    let all = drain(&mut outcomes);
    let actions = of_kind(&all, "action");
    assert_eq!(
        actions.len(),
        4,
        "the input (depth 0) and three cascade generations"
    );
    let events = of_kind(&all, "event");
    let limit: Vec<_> = events
        .iter()
        .filter(|e| e["data"]["error_type"] == "cascade_limit")
        .collect();
    assert_eq!(limit.len(), 1);
    assert_eq!(limit[0]["cause"], "root-1-1-1");
    let undelivered: Vec<_> = events
        .iter()
        .filter(|e| e["dispatched"] == false)
        .map(|e| e["event_id"].clone())
        .collect();
    assert_eq!(undelivered, [json!("root-1-1-1-1")]);
}

#[tokio::test(start_paused = true)]
async fn a_fan_out_stops_at_max_cascade_events_with_one_error() {
    // Two subscriptions answer every tool call with a tool call: each
    // generation doubles, and the depth limit (64) would allow 2^64 events.
    let echo = json!({"handler_type": "tool_invocation", "tool_name": "echo"});
    let agent = json!({
        "tools": [{"name": "echo"}],
        "events": {
            "subscriptions": [
                {"subscription_type": "direct", "event_name": "tool_invocation", "handler": echo,
                 "x-adl-allow": {"unbounded-cascade": "this test wants the runtime to cut it"}},
                {"subscription_type": "direct", "event_name": "tool_invocation", "handler": echo,
                 "x-adl-allow": {"unbounded-cascade": "this test wants the runtime to cut it"}},
                {"subscription_type": "direct", "event_name": "start", "handler": echo}
            ],
            "max_cascade_depth": 64,
            "max_cascade_events": 20
        }
    });
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder
        .tool_invoker(Recorder::default().invoker())
        .start()
        .expect("starts");
    runtime.dispatch_value(event("start", json!({}))).await;
    runtime.dispatch_value(event("start", json!({}))).await;
    let all = drain(&mut outcomes);
    let events = of_kind(&all, "event");
    let limits: Vec<_> = events
        .iter()
        .filter(|e| e["data"]["error_code"] == "CASCADE_002")
        .collect();
    assert_eq!(limits.len(), 2, "one limit error per input");
    assert_eq!(limits[0]["data"]["error_type"], "cascade_limit");
    let dispatched_calls = events
        .iter()
        .filter(|e| e["event_type"] == "tool_invocation" && e["dispatched"] != false)
        .count();
    assert_eq!(
        dispatched_calls,
        2 * 20,
        "twenty events dispatched per input"
    );
    // Each input: its own action, then two per dispatched event.
    assert_eq!(of_kind(&all, "action").len(), 2 * (1 + 2 * 20));
    // What was emitted past the budget is recorded, never dispatched: at most
    // the two handlers of each dispatched event emit.
    let recorded = events
        .iter()
        .filter(|e| e["event_type"] == "tool_invocation")
        .count();
    assert_eq!(recorded, 2 * (1 + 2 * 20));
}

#[tokio::test(start_paused = true)]
async fn rendered_arguments_are_checked_against_the_declared_types_before_the_call() {
    let agent = json!({
        "tools": [{"name": "fetch", "parameters": [
            {"name": "limit", "type": "integer", "required": true},
            {"name": "tags", "type": "array"},
            {"name": "note", "type": "any"}
        ]}],
        "events": {"timeout_ms": 100, "subscriptions": [
            {"subscription_type": "direct", "event_name": "go", "handler": {
                "name": "fetch_it", "handler_type": "tool_invocation", "tool_name": "fetch",
                "parameters": {"limit": "${event.data.limit}", "tags": "${event.data.tags}", "note": "${event.data.note}"}}}
        ]}
    });
    let (builder, mut outcomes) = builder(program(&agent));
    let recorder = Recorder::default();
    let runtime = builder
        .tool_invoker(recorder.invoker())
        .start()
        .expect("starts");
    for (id, data) in [
        (
            "fits",
            json!({"limit": 5.0, "tags": ["a"], "note": {"any": "thing"}}),
        ),
        ("optional-missing", json!({"limit": 1})),
        ("wrong-type", json!({"limit": "five"})),
        ("required-missing", json!({"tags": []})),
        ("wrong-optional", json!({"limit": 1, "tags": "a"})),
    ] {
        runtime
            .dispatch_value(json!({"id": id, "event_type": "go", "data": data}))
            .await;
    }
    let all = drain(&mut outcomes);
    let called: Vec<_> = recorder
        .calls()
        .into_iter()
        .map(|(_, p)| p["limit"].clone())
        .collect();
    assert_eq!(
        called,
        [json!(5.0), json!(1)],
        "only fitting calls reach the tool"
    );
    let errors: Vec<(String, String)> = of_kind(&all, "action")
        .iter()
        .filter(|a| a["outcome"] == "error")
        .map(|a| {
            (
                a["event_id"].as_str().unwrap().to_owned(),
                a["error"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("wrong-type".to_owned(), "parameter `limit` of tool `fetch` expects `integer`, but its value rendered to a string".to_owned()),
            ("required-missing".to_owned(), "parameter `limit` of tool `fetch` is required, but its value rendered to null (a template found nothing)".to_owned()),
            ("wrong-optional".to_owned(), "parameter `tags` of tool `fetch` expects `array`, but its value rendered to a string".to_owned()),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn errors_raised_while_handling_errors_are_logged_not_dispatched() {
    let agent = json!({
        "tools": [{"name": "broken"}],
        "events": {"subscriptions": [
            {"subscription_type": "direct", "event_name": "error", "handler": {"handler_type": "tool_invocation", "tool_name": "broken"}}
        ], "timeout_ms": 100}
    });
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder
        .tool_invoker(|_call: ToolCall| async {
            Err::<Value, _>(HandlerError::from("still broken"))
        })
        .start()
        .expect("starts");
    runtime
        .dispatch_value(event("error", json!({"error_type": "x"})))
        .await;
    let all = drain(&mut outcomes);
    assert_eq!(of_kind(&all, "action").len(), 1);
    let error = of_kind(&all, "event")
        .into_iter()
        .find(|e| e["event_type"] == "error")
        .expect("logged");
    assert_eq!(error["dispatched"], false);
}

#[tokio::test(start_paused = true)]
async fn bad_events_are_rejected_one_by_one() {
    let agent = json!({"events": {
        "event_types": {"order": {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}}},
        "subscriptions": [{"subscription_type": "direct", "event_name": "order",
                           "handler": {"handler_type": "notification", "notification_type": "info", "message": "${event.data.amount}"}}]}});
    let (builder, mut outcomes) = builder(program(&agent));
    let runtime = builder.start().expect("starts");
    let report = runtime
        .dispatch_many(vec![
            json!("not an event"),
            event("order", json!({"amount": "ten"})),
            event("order", json!({"amount": 10})),
            json!({"data": {}}),
        ])
        .await;
    let results: Vec<_> = report
        .acks
        .iter()
        .map(|a| a.result.clone().map_err(|e| e.to_string()))
        .collect();
    assert_eq!(
        results[0],
        Err("invalid event: an event must be a JSON object, found a string".to_owned())
    );
    let schema = results[1].clone().expect_err("schema");
    assert!(
        schema.starts_with("data does not match the `order` schema at /amount"),
        "{schema}"
    );
    assert_eq!(results[2], Ok(()));
    assert_eq!(
        results[3],
        Err("invalid event: missing `event_type`".to_owned())
    );
    let all = drain(&mut outcomes);
    assert_eq!(of_kind(&all, "rejected").len(), 3);
    assert_eq!(of_kind(&all, "action").len(), 1);
}

/// The agent started with a tool that takes a second to answer.
fn with_a_slow_tool(agent: &Value) -> adl_runtime::Runtime {
    let (builder, _outcomes) = builder(program(agent));
    builder
        .tool_invoker(|_call: ToolCall| async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            Ok::<_, HandlerError>(Value::Null)
        })
        .start()
        .expect("starts")
}

#[tokio::test(start_paused = true)]
async fn asynchronous_overflow_reject_refuses_with_a_clear_error() {
    let agent = json!({"tools": [{"name": "slow"}], "events": {
        "subscriptions": [{"subscription_type": "direct", "event_name": "job", "handler": {"handler_type": "tool_invocation", "tool_name": "slow"}}],
        "processing_mode": "asynchronous", "queue_size": 2, "worker_count": 1, "overflow": "reject", "timeout_ms": 60000}});
    let runtime = with_a_slow_tool(&agent);
    let mut acks = vec![runtime.dispatch_at(0, event("job", json!({}))).await];
    // Let the worker take event 0: it is then running, not waiting in the queue.
    tokio::time::sleep(Duration::from_millis(10)).await;
    for i in 1..6 {
        acks.push(runtime.dispatch_at(i, event("job", json!({}))).await);
    }
    let rejected: Vec<_> = acks
        .iter()
        .filter(|a| !a.is_accepted())
        .map(|a| a.result.clone().expect_err("rejected").to_string())
        .collect();
    // One in the worker's hands, two queued: the rest are refused.
    assert_eq!(rejected.len(), 3, "{acks:?}");
    assert_eq!(
        rejected[0],
        "queue full (2 events waiting) and `overflow` is `reject`"
    );
    let summary = runtime.shutdown().await.expect("shutdown");
    assert_eq!(
        (summary.accepted, summary.rejected, summary.actions),
        (3, 3, 3)
    );
}

#[tokio::test(start_paused = true)]
async fn asynchronous_overflow_block_makes_the_caller_wait() {
    let agent = json!({"tools": [{"name": "slow"}], "events": {
        "subscriptions": [{"subscription_type": "direct", "event_name": "job", "handler": {"handler_type": "tool_invocation", "tool_name": "slow"}}],
        "processing_mode": "asynchronous", "queue_size": 1, "worker_count": 1, "overflow": "block", "timeout_ms": 60000}});
    let runtime = with_a_slow_tool(&agent);
    let started = tokio::time::Instant::now();
    for i in 0..4 {
        assert!(
            runtime
                .dispatch_at(i, event("job", json!({})))
                .await
                .is_accepted()
        );
    }
    // Events 0 (running) and 1 (queued) fit; 2 and 3 each waited for a slot.
    assert_eq!(started.elapsed().as_secs(), 2);
    let summary = runtime.shutdown().await.expect("shutdown");
    assert_eq!((summary.accepted, summary.actions), (4, 4));
}

#[tokio::test(start_paused = true)]
async fn batch_mode_groups_by_size_and_timeout() {
    let agent = json!({"tools": [{"name": "t"}], "events": {
        "subscriptions": [{"subscription_type": "direct", "event_name": "job", "handler": {"handler_type": "tool_invocation", "tool_name": "t", "parameters": {"n": "${event.data.n}"}}}],
        "processing_mode": "batch", "batch_size": 3, "batch_timeout_ms": 500}});
    let (runtime, recorder, _outcomes) = recording(&agent);
    let started = tokio::time::Instant::now();
    let report = runtime
        .dispatch_many((0..3).map(|n| event("job", json!({"n": n}))).collect())
        .await;
    assert_eq!(report.accepted(), 3);
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "a full batch is written at once"
    );
    let ack = runtime.dispatch_at(3, event("job", json!({"n": 3}))).await;
    assert!(ack.is_accepted());
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(500),
        "a partial batch waits for the timeout"
    );
    runtime.shutdown().await.expect("shutdown");
    let order: Vec<_> = recorder
        .calls()
        .into_iter()
        .map(|(_, p)| p["n"].clone())
        .collect();
    assert_eq!(
        order,
        [json!(0), json!(1), json!(2), json!(3)],
        "arrival order"
    );
}

async fn no_event_lost(mode: Value) {
    let mut events = json!({
        "tools": [{"name": "count"}],
        "events": {"subscriptions": [{"subscription_type": "pattern", "event_pattern": "job.*",
                                      "handler": {"handler_type": "tool_invocation", "tool_name": "count", "parameters": {"n": "${event.data.n}"}}}],
                   "timeout_ms": 1000, "queue_size": 16, "worker_count": 3, "batch_size": 50, "batch_timeout_ms": 20}
    });
    events["events"]["processing_mode"] = mode;
    let recorder = Recorder::default();
    let (builder, _outcomes) = builder(program(&events));
    let runtime = std::sync::Arc::new(
        builder
            .tool_invoker(recorder.invoker())
            .start()
            .expect("starts"),
    );
    let total = 3000;
    let report = runtime
        .dispatch_many(
            (0..total)
                .map(|n| event("job.run", json!({"n": n})))
                .collect(),
        )
        .await;
    assert_eq!(report.accepted(), total);
    let summary = runtime.shutdown().await.expect("shutdown");
    assert_eq!(summary.actions, total as u64);
    let mut seen: Vec<u64> = recorder
        .calls()
        .into_iter()
        .filter_map(|(_, p)| p["n"].as_u64())
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..total as u64).collect::<Vec<_>>());
    let late = runtime.dispatch_at(0, event("job.run", json!({}))).await;
    assert_eq!(
        late.result.expect_err("closed").to_string(),
        "the runtime is shutting down"
    );
}

#[tokio::test(start_paused = true)]
async fn no_accepted_event_is_lost_on_shutdown_in_asynchronous_mode() {
    no_event_lost(json!("asynchronous")).await;
}

#[tokio::test(start_paused = true)]
async fn no_accepted_event_is_lost_on_shutdown_in_batch_mode() {
    no_event_lost(json!("batch")).await;
}

#[tokio::test(start_paused = true)]
async fn the_memory_ring_keeps_the_latest_events_with_their_status() {
    let agent = json!({"events": {
        "subscriptions": [{"subscription_type": "direct", "event_name": "e",
                           "handler": {"handler_type": "notification", "notification_type": "info", "message": "hi"}}],
        "persistence": {"type": "memory", "max_events": 2}}});
    let (builder, _outcomes) = builder(program(&agent));
    let runtime = builder.start().expect("starts");
    for id in ["a", "b", "c"] {
        runtime
            .dispatch_value(json!({"id": id, "event_type": "e"}))
            .await;
    }
    let stored = runtime.events(10).await.expect("events");
    let ids: Vec<_> = stored
        .iter()
        .map(|s| (s.event.id.as_str(), s.status))
        .collect();
    assert_eq!(
        ids,
        [
            ("b", adl_runtime::exec::Status::Done),
            ("c", adl_runtime::exec::Status::Done)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn host_state_updates_drive_condition_triggers() {
    let agent = json!({"tools": [{"name": "t"}], "events": {
        "triggers": [{"trigger_type": "condition", "condition": {"field": "door", "operator": "equals", "value": "open"}}],
        "handlers": [{"handler_type": "tool_invocation", "tool_name": "t"}]}});
    let (runtime, recorder, _outcomes) = recording(&agent);
    assert!(runtime.set_state("door", json!("open")).await.expect("set"));
    // The same dotted names handlers write, `state.` optional; bad names are errors.
    assert!(
        runtime
            .set_state("state.rooms.0", json!(1))
            .await
            .expect("set")
    );
    assert_eq!(runtime.state()["rooms"], json!({"0": 1}));
    assert!(runtime.set_state("a..b", json!(1)).await.is_err());
    assert!(
        !runtime.set_state("door", json!("open")).await.expect("set"),
        "no change"
    );
    assert_eq!(recorder.calls().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn direct_routing_sends_activations_to_the_target_or_the_only_handler() {
    let two = json!({"tools": [{"name": "t"}], "events": {
        "triggers": [{"trigger_type": "event", "event_name": "go"}],
        "handlers": [
            {"name": "first", "handler_type": "tool_invocation", "tool_name": "t", "parameters": {"h": "first"}},
            {"name": "second", "handler_type": "tool_invocation", "tool_name": "t", "parameters": {"h": "second"}}],
        "routing_strategy": "direct", "target_handler": "second"}});
    let one = json!({"tools": [{"name": "t"}], "events": {
        "triggers": [{"trigger_type": "event", "event_name": "go"}],
        "handlers": [{"handler_type": "tool_invocation", "tool_name": "t", "parameters": {"h": "only"}}]}});
    for (agent, expected) in [(two, "second"), (one, "only")] {
        let (runtime, recorder, _outcomes) = recording(&agent);
        runtime.dispatch_value(event("go", json!({}))).await;
        let routed: Vec<_> = recorder
            .calls()
            .into_iter()
            .map(|(_, p)| p["h"].clone())
            .collect();
        assert_eq!(routed, [json!(expected)]);
    }
}

#[tokio::test(start_paused = true)]
async fn state_only_composites_are_edge_triggered() {
    let agent = json!({"tools": [{"name": "t"}], "events": {
        "triggers": [{"trigger_type": "composite", "operator": "and", "triggers": [
            {"trigger_type": "condition", "condition": {"field": "cpu", "operator": "greater_than", "value": 90}},
            {"trigger_type": "condition", "condition": {"field": "memory", "operator": "greater_than", "value": 90}}]}],
        "handlers": [{"name": "scale", "handler_type": "tool_invocation", "tool_name": "t", "parameters": {"cpu": "${state.cpu}"}}],
        "state": {"cpu": 0, "memory": 0}}});
    let (runtime, recorder, _outcomes) = recording(&agent);
    for (field, value) in [
        ("cpu", 95),
        ("memory", 95),
        ("cpu", 96),
        ("memory", 10),
        ("memory", 99),
    ] {
        runtime.set_state(field, json!(value)).await.expect("set");
    }
    let fired: Vec<_> = recorder
        .calls()
        .into_iter()
        .map(|(_, p)| p["cpu"].clone())
        .collect();
    assert_eq!(
        fired,
        [json!(95), json!(96)],
        "rises when both hold, not while they keep holding, again after falling"
    );
}

/// Groups of inputs dispatched at once, through a durable store whose
/// writes they share, are still processed in input order, in every mode.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_dispatched_at_once_keep_input_order_through_a_durable_store() {
    for mode in ["synchronous", "asynchronous", "batch"] {
        let dir =
            std::env::temp_dir().join(format!("adl-runtime-groups-{mode}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let agent = json!({"tools": [{"name": "t"}], "events": {
            "subscriptions": [{"subscription_type": "direct", "event_name": "job", "handler": {"handler_type": "tool_invocation", "tool_name": "t", "parameters": {"n": "${event.data.n}"}}}],
            "processing_mode": mode, "worker_count": 1, "queue_size": 8, "batch_size": 7, "batch_timeout_ms": 5,
            "persistence": {"type": "file", "file_path": dir.join("events.jsonl").to_str().expect("UTF-8"), "rotation": "none"}}});
        let (runtime, recorder, _outcomes) = recording(&agent);
        let groups: Vec<_> = (0..6)
            .map(|group| {
                let inputs = (group * 50..group * 50 + 50)
                    .map(|n| {
                        let envelope =
                            adl_runtime::Envelope::from_value(event("job", json!({"n": n})))
                                .map_err(|e| adl_runtime::exec::Rejection::InvalidEnvelope(e.0));
                        (n, envelope)
                    })
                    .collect();
                tokio::spawn(runtime.dispatch_group(inputs))
            })
            .collect();
        for group in groups {
            let acks = group.await.expect("joined");
            assert!(
                acks.iter().all(adl_runtime::exec::Ack::is_accepted),
                "{mode}: {acks:?}"
            );
        }
        runtime.shutdown().await.expect("shutdown");
        let order: Vec<u64> = recorder
            .calls()
            .into_iter()
            .filter_map(|(_, p)| p["n"].as_u64())
            .collect();
        assert_eq!(order, (0..300).collect::<Vec<u64>>(), "{mode}");
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
