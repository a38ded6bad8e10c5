//! What the reader builds: the typed model, defaults, spans and pointers.

use adl_parser::model::{
    EventsLayout, Handler, HandlerRef, Operator, Persistence, ProcessingMode, Rotation,
    RoutingStrategy, Subscription, Trigger,
};
use adl_parser::parse;

fn codes(parsed: &adl_parser::ParsedAgent) -> Vec<&'static str> {
    parsed.diagnostics.iter().map(|d| d.rule.code).collect()
}

#[test]
fn complex_event_flow_builds_the_model_with_effective_values() {
    let parsed = parse(
        br#"{"events": {
        "triggers": [{"trigger_type": "event", "event_name": "tool_invocation",
                      "condition": {"field": "tool_name", "operator": "equals", "value": "search_web"}}],
        "handlers": [
          {"handler_type": "tool_invocation", "tool_name": "log_search", "parameters": {"query": "${event.data.parameters.query}"}},
          {"handler_type": "state_update", "state_field": "last_search_time", "value": "${event.timestamp}"}],
        "routing_strategy": "broadcast",
        "processing_mode": "asynchronous",
        "persistence": {"type": "file", "file_path": "/var/log/adl/events.json"}}}"#,
    );
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let agent = parsed.agent.expect("a model");
    assert_eq!(agent.layout, EventsLayout::Flat);
    let events = &agent.events;
    let Trigger::Event(trigger) = &events.triggers()[0] else {
        panic!("an event trigger")
    };
    assert_eq!(trigger.event_name.value, "tool_invocation");
    let condition = trigger.condition.as_ref().expect("a condition");
    assert_eq!(condition.operator.value, Operator::Equals);
    assert_eq!(
        parsed.document.pointer(condition.operator.node),
        "/events/triggers/0/condition/operator"
    );
    assert!(matches!(events.handlers()[0], Handler::ToolInvocation(_)));
    assert_eq!(events.routing_strategy(), RoutingStrategy::Broadcast);
    assert_eq!(events.processing_mode(), ProcessingMode::Asynchronous);
    assert_eq!((events.queue_size(), events.worker_count()), (100, 5));
    let Some(Persistence::File(file)) = &events.persistence else {
        panic!("file persistence")
    };
    assert_eq!(file.rotation, None);
    let defaulted: Vec<&str> = agent.defaults.iter().map(|d| d.pointer.as_str()).collect();
    for pointer in [
        "/events/subscriptions",
        "/events/timeout_ms",
        "/events/queue_size",
        "/events/worker_count",
        "/events/overflow",
        "/events/persistence/rotation",
    ] {
        assert!(
            defaulted.contains(&pointer),
            "{pointer} not recorded in {defaulted:?}"
        );
    }
    // Batch options are filled in too (the compiled graph makes every setting
    // explicit), marked as used only by the batch mode.
    let batch_size = agent
        .defaults
        .iter()
        .find(|d| d.pointer == "/events/batch_size")
        .expect("recorded");
    assert_eq!(batch_size.used_with, Some("batch"));
    let queue_size = agent
        .defaults
        .iter()
        .find(|d| d.pointer == "/events/queue_size")
        .expect("recorded");
    assert_eq!(queue_size.used_with, None, "asynchronous mode uses it");
    assert!(
        !defaulted.contains(&"/events/persistence"),
        "persistence was written"
    );
}

#[test]
fn agent_without_events_block_gets_every_v1_5_default() {
    let parsed = parse(br#"{"tools": [{"name": "t", "parameters": [{"name": "q", "type": "string", "required": true}]}]}"#);
    assert!(parsed.diagnostics.is_empty());
    assert!(
        parsed
            .default_notes()
            .iter()
            .all(|d| d.pointer.starts_with("/events/"))
    );
    let agent = parsed.agent.expect("a model");
    assert_eq!(agent.layout, EventsLayout::Absent);
    assert_eq!(agent.events.processing_mode(), ProcessingMode::Synchronous);
    assert_eq!(agent.events.routing_strategy(), RoutingStrategy::Direct);
    let defaults: Vec<(&str, String)> = agent
        .defaults
        .iter()
        .map(|d| (d.pointer.as_str(), d.value.to_string()))
        .collect();
    assert!(defaults.contains(&(
        "/events/persistence",
        r#"{"type":"memory","max_events":100}"#.to_owned()
    )));
    assert_eq!(defaults.len(), 14);
    let tools = agent.tools.expect("tools");
    assert_eq!(tools.value[0].name.value, "t");
}

#[test]
fn grouped_layout_is_found_under_capabilities() {
    let parsed =
        parse(br#"{"capabilities": {"events": {"processing_mode": "batch"}, "tools": []}}"#);
    let agent = parsed.agent.expect("a model");
    assert_eq!(agent.layout, EventsLayout::Grouped);
    assert_eq!(agent.events.processing_mode(), ProcessingMode::Batch);
    assert_eq!(agent.tools.map(|t| t.value.len()), Some(0));
}

#[test]
fn cron_expression_in_schedule_is_read_as_the_expression() {
    let parsed =
        parse(br#"{"events": {"triggers": [{"trigger_type": "time", "schedule": "@daily"}]}}"#);
    assert_eq!(codes(&parsed), ["ADL207"]);
    let agent = parsed.agent.expect("a model");
    let Trigger::Time(time) = &agent.events.triggers()[0] else {
        panic!("a time trigger")
    };
    assert_eq!(
        time.expression.as_ref().map(|e| e.value.as_str()),
        Some("@daily")
    );
}

#[test]
fn invalid_elements_are_left_out_and_their_siblings_kept() {
    let parsed = parse(
        br#"{"events": {"subscriptions": [
            {"subscription_type": "direct", "handler": "a"},
            {"subscription_type": "pattern", "event_pattern": "tool_*", "handler": {"handler_type": "notification", "notification_type": "info", "message": "m"}},
            {"subscription_type": "filtered", "event_name": "e", "filter": {"field": "x", "operator": "exists"}, "handler": "h"}]}}"#,
    );
    assert_eq!(codes(&parsed), ["ADL204"]);
    let agent = parsed.agent.expect("a model");
    let subscriptions = agent.events.subscriptions();
    assert_eq!(subscriptions.len(), 2);
    assert!(matches!(subscriptions[0].handler(), HandlerRef::Inline(_)));
    let Subscription::Filtered(filtered) = &subscriptions[1] else {
        panic!("filtered")
    };
    assert_eq!(filtered.filter.value, None, "exists leaves the value out");
    assert!(
        agent
            .defaults
            .iter()
            .any(|d| d.pointer == "/events/subscriptions/2/filter/value")
    );
}

#[test]
fn escapes_are_decoded_and_spans_point_at_the_source() {
    let text = r#"{"events": {"handlers": [{"handler_type": "notification", "notification_type": "info", "message": "caf\u00e9 \ud83d\ude00 \"q\""}]}}"#;
    let parsed = parse(text.as_bytes());
    assert!(parsed.diagnostics.is_empty());
    let agent = parsed.agent.expect("a model");
    let Handler::Notification(handler) = &agent.events.handlers()[0] else {
        panic!("notification")
    };
    assert_eq!(handler.message.value, "café 😀 \"q\"");
    let span = parsed.document.span(handler.message.node);
    assert_eq!(&text[span.range()], r#""caf\u00e9 \ud83d\ude00 \"q\"""#);
}

#[test]
fn pointers_escape_slash_and_tilde_in_keys() {
    let parsed = parse(br#"{"events": {"event_types": {"a/b~c": {}, "a/b~c": true}}}"#);
    assert_eq!(codes(&parsed), ["ADL104"]);
    assert_eq!(parsed.diagnostics[0].pointer, "/events/event_types/a~1b~0c");
    assert_eq!(
        parsed.diagnostics[0].labels.len(),
        1,
        "a label on the first occurrence"
    );
}

#[test]
fn integers_written_as_floats_are_accepted_and_fractions_are_not() {
    let parsed = parse(br#"{"events": {"timeout_ms": 250.0, "max_cascade_depth": 2.5}}"#);
    assert_eq!(codes(&parsed), ["ADL202"]);
    let agent = parsed.agent.expect("a model");
    assert_eq!(agent.events.timeout_ms(), 250);
    assert_eq!(agent.events.max_cascade_depth(), 8);
}

#[test]
fn syntax_errors_recovered_from_still_yield_a_model() {
    let parsed = parse(b"{\"events\": {\"processing_mode\": \"batch\",}}");
    assert_eq!(codes(&parsed), ["ADL101"]);
    assert_eq!(
        parsed.agent.map(|a| a.events.processing_mode()),
        Some(ProcessingMode::Batch)
    );
}

#[test]
fn memory_persistence_defaults_its_ring_size() {
    let parsed = parse(br#"{"events": {"persistence": {"type": "memory"}}}"#);
    let agent = parsed.agent.expect("a model");
    assert!(matches!(
        agent.events.persistence,
        Some(Persistence::Memory(_))
    ));
    assert!(
        agent
            .defaults
            .iter()
            .any(|d| d.pointer == "/events/persistence/max_events" && d.value == 100)
    );
    let file = parse(
        br#"{"events": {"persistence": {"type": "file", "file_path": "x", "rotation": "daily"}}}"#,
    );
    let Some(Persistence::File(f)) = file.agent.expect("a model").events.persistence else {
        panic!("file")
    };
    assert_eq!(f.rotation.map(|r| r.value), Some(Rotation::Daily));
}

#[test]
fn string_offsets_map_through_escapes_back_to_the_source() {
    let text = r#"{"a": "x\n\u00e9\ud83d\ude00${y}"}"#;
    let parsed = parse(text.as_bytes());
    let root = parsed.document.root().expect("a root");
    let node = parsed.document.member(root, "a").expect("a member").value;
    let decoded = "x\né😀${y}";
    let at = decoded.find("${").expect("a template");
    let span = parsed.document.string_subspan(node, at, decoded.len());
    assert_eq!(&text[span.range()], "${y}");
    let emoji = decoded.find('😀').expect("an emoji");
    let span = parsed.document.string_subspan(node, emoji, emoji + 4);
    assert_eq!(
        &text[span.range()],
        r"\ud83d\ude00",
        "a pair is one character"
    );
    let e_acute = parsed.document.string_subspan(node, 2, 4);
    assert_eq!(&text[e_acute.range()], r"\u00e9");
    let newline = parsed.document.string_subspan(node, 1, 2);
    assert_eq!(&text[newline.range()], r"\n");
}
