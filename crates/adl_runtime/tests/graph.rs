//! The compiled graph: matcher correctness against a naive reference, and a
//! loaded graph behaving exactly like a freshly compiled one.

mod common;

use adl_bench::Rng;
use adl_runtime::program::{NameMatcher, NameTest};
use adl_runtime::{Graph, Program};
use common::{Recorder, builder, drain};
use serde_json::{Value, json};

/// The shape classes the matcher treats apart: exact, `p*`, `*s`, `p*s`, the rest.
fn shape_class(glob: &str) -> &'static str {
    if glob.contains('?') {
        return "other";
    }
    match glob.split_once('*') {
        None => "exact",
        Some((prefix, rest)) => {
            let suffix = rest.trim_start_matches('*');
            match (suffix.contains('*'), prefix.is_empty(), suffix.is_empty()) {
                (true, ..) => "other",
                (false, _, true) => "prefix",
                (false, true, false) => "suffix",
                (false, false, false) => "infix",
            }
        }
    }
}

/// A random glob of one shape class, from `alphabet` (literals) and wildcards.
fn glob_of_class(rng: &mut Rng, class: usize, alphabet: &[char]) -> String {
    let literal = |rng: &mut Rng| {
        let mut text = rng.text(alphabet, 3);
        if text.is_empty() {
            text.push(alphabet[rng.index(alphabet.len())]);
        }
        text
    };
    match class {
        0 => format!("{}*", literal(rng)),
        1 => format!("*{}", literal(rng)),
        2 => format!("{}*{}", literal(rng), literal(rng)),
        3 => format!("*{}*{}", literal(rng), literal(rng)),
        4 => format!("{}?{}*", literal(rng), literal(rng)),
        5 => "*".repeat(1 + rng.index(2)),
        6 => "?".repeat(1 + rng.index(3)),
        _ => {
            let wild = ['*', '?'];
            let mut out = String::new();
            for _ in 0..rng.index(7) {
                if rng.index(3) == 0 {
                    out.push(wild[rng.index(2)]);
                } else {
                    out.push(alphabet[rng.index(alphabet.len())]);
                }
            }
            out
        }
    }
}

#[test]
fn automaton_matcher_agrees_with_the_naive_reference() {
    let mut rng = Rng::new(0x00AD_1234);
    // A small alphabet makes matches frequent; regex metacharacters and a
    // multi-byte character check that only `*` and `?` are special.
    let name_alphabet = ['a', 'b', '.', '_', '+', '(', 'é', '日'];
    let mut classes_seen = std::collections::BTreeMap::new();
    for round in 0..40 {
        let tests: Vec<(bool, String)> = (0..200)
            .map(|_| {
                let glob = rng.index(3) > 0;
                if glob {
                    let class = rng.index(9);
                    let pattern = glob_of_class(&mut rng, class, &name_alphabet);
                    *classes_seen.entry(shape_class(&pattern)).or_insert(0) += 1;
                    (true, pattern)
                } else {
                    (false, rng.text(&name_alphabet, 6))
                }
            })
            .collect();
        let matcher = NameMatcher::new(tests.iter().map(|(glob, text)| {
            if *glob {
                NameTest::Glob(text)
            } else {
                NameTest::Exact(text)
            }
        }))
        .expect("builds");
        for _ in 0..250 {
            let name = rng.text(&name_alphabet, 7);
            let expected: Vec<u32> = tests
                .iter()
                .enumerate()
                .filter(|(_, (glob, text))| {
                    if *glob {
                        adl_checker::glob::glob_matches(text, &name)
                    } else {
                        *text == name
                    }
                })
                .map(|(i, _)| i as u32)
                .collect();
            assert_eq!(
                &*matcher.matches(&name),
                expected.as_slice(),
                "round {round}, name {name:?}"
            );
        }
    }
    for class in ["prefix", "suffix", "infix", "other"] {
        assert!(
            classes_seen.get(class).is_some_and(|&n| n > 100),
            "{class}: {classes_seen:?}"
        );
    }
}

fn sample_agent() -> Value {
    json!({
        "tools": [{"name": "search_web", "parameters": [{"name": "query", "type": "string", "required": true}]},
                  {"name": "log_search", "parameters": [{"name": "query", "type": "string", "required": true}]}],
        "events": {
            "subscriptions": [
                {"subscription_type": "pattern", "event_pattern": "order.*",
                 "handler": {"handler_type": "state_update", "state_field": "last_order", "value": "${event.data}"}},
                {"subscription_type": "filtered", "event_name": "tool_invocation",
                 "filter": {"field": "status", "operator": "equals", "value": "error"}, "handler": "alert"},
                {"subscription_type": "direct", "event_name": "error", "handler": "alert"}
            ],
            "triggers": [{"trigger_type": "event", "event_name": "tool_invocation",
                          "condition": {"field": "tool_name", "operator": "equals", "value": "search_web"}},
                         {"trigger_type": "condition", "condition": {"field": "last_order.amount", "operator": "greater_than", "value": 100}}],
            "handlers": [
                {"name": "log", "handler_type": "tool_invocation", "tool_name": "log_search", "parameters": {"query": "${event.data.parameters.query ?? \"?\"}"}},
                {"name": "alert", "handler_type": "notification", "notification_type": "alert", "message": "failed: ${event.data.error_message}"}
            ],
            "routing_strategy": "conditional",
            "routes": [{"condition": {"field": "tool_name", "operator": "starts_with", "value": "search"}, "target_handler": "log"}],
            "default_handler": "alert",
            "timeout_ms": 500,
            "event_types": {"order.placed": {"type": "object", "properties": {"amount": {"type": "number"}}}},
            "state": {"last_order": null}
        }
    })
}

fn sample_events() -> Vec<Value> {
    vec![
        json!({"id": "1", "event_type": "tool_invocation", "data": {"tool_name": "search_web", "parameters": {"query": "q"}, "status": "success"}}),
        json!({"id": "2", "event_type": "order.placed", "data": {"amount": 250}}),
        json!({"id": "3", "event_type": "order.placed", "data": {"amount": "x"}}),
        json!({"id": "4", "event_type": "tool_invocation", "data": {"tool_name": "other", "status": "error", "error_message": "boom"}}),
        json!({"id": "5", "event_type": "order.cancelled", "data": {"amount": 5}}),
        json!({"id": "6", "event_type": "order.placed", "data": {"amount": 500}}),
    ]
}

async fn run(program: Program) -> (Vec<Value>, serde_json::Map<String, Value>) {
    let (builder, mut outcomes) = builder(program);
    let runtime = builder
        .tool_invoker(Recorder::default().invoker())
        .start()
        .expect("starts");
    for (index, event) in sample_events().into_iter().enumerate() {
        runtime.dispatch_at(index, event).await;
    }
    runtime.shutdown().await.expect("shutdown");
    let outcomes: Vec<Value> = drain(&mut outcomes);
    (outcomes, runtime.state())
}

#[tokio::test(start_paused = true)]
async fn a_loaded_graph_behaves_exactly_like_a_compiled_one() {
    let compiled = common::graph(&sample_agent());
    let text = compiled.to_json();
    let loaded = Graph::from_json(&text).expect("loads");
    assert_eq!(loaded, compiled, "the graph survives the round trip");
    let (fresh, fresh_state) = run(Program::new(compiled).expect("program")).await;
    let (reloaded, reloaded_state) = run(Program::new(loaded).expect("program")).await;
    assert_eq!(fresh, reloaded);
    assert_eq!(fresh_state, reloaded_state);
    // The run did something worth comparing.
    let kinds = |kind: &str| fresh.iter().filter(|o| o["kind"] == kind).count();
    assert_eq!((kinds("accepted"), kinds("rejected")), (5, 1));
    assert!(kinds("action") >= 5, "{fresh:#?}");
}

#[test]
fn graphs_of_other_formats_and_versions_are_refused() {
    assert_eq!(
        Graph::from_json("{\"name\": \"agent\"}"),
        Err(adl_runtime::LoadError::NotAGraph)
    );
    let mut graph: Value = serde_json::to_value(common::graph(&sample_agent())).expect("json");
    graph["format_version"] = json!(99);
    let error = Graph::from_json(&graph.to_string()).expect_err("version");
    assert_eq!(
        error.to_string(),
        "compiled graph format version 99 is not supported (this build reads version 2); recompile the agent"
    );
    // Graphs of the previous format (before agent sections) are refused the same way.
    graph["format_version"] = json!(1);
    let error = Graph::from_json(&graph.to_string()).expect_err("old version");
    assert!(
        error
            .to_string()
            .starts_with("compiled graph format version 1 is not supported"),
        "{error}"
    );
    graph["format_version"] = json!(2);
    graph["handlers"][0]["action"]["parameters"]["query"] = json!("${event.data.");
    let program = Program::new(Graph::from_json(&graph.to_string()).expect("shape is fine"));
    let error = program.expect_err("template").to_string();
    assert!(
        error.starts_with("invalid compiled graph at /events/handlers/0:"),
        "{error}"
    );
}

#[test]
fn defaults_are_explicit_and_secrets_redacted() {
    let agent = json!({"events": {"persistence": {"type": "database",
        "connection_string": "postgresql://app:hunter2@db.example/agents", "table_name": "events"}}});
    let text = serde_json::to_string(&agent).expect("json");
    let report = adl_checker::check(text.as_bytes(), &adl_checker::CheckOptions::default());
    let graph = adl_runtime::compile(&report).expect("compiles");
    let json = graph.to_json();
    assert!(!json.contains("hunter2"), "{json}");
    assert!(
        json.contains("postgresql://app:***@db.example/agents"),
        "{json}"
    );
    assert!(
        graph
            .defaults_applied
            .contains(&"/events/processing_mode".to_owned()),
        "{:?}",
        graph.defaults_applied
    );
    assert_eq!(graph.settings.timeout_ms, 5000);
    assert_eq!(graph.source.bytes, text.len() as u64);
}

#[test]
fn an_agent_document_carries_its_other_sections_as_data() {
    let agent = json!({
        "identity": {"agent_id": "billing", "name": "Billing", "description": "Explains invoices"},
        "llm": {"provider": "openai", "settings": {"temperature": 0.2, "max_tokens": 500},
            "extensions": {"primary_model": {"provider": "openai", "model": "gpt-4o", "api_key": "sk-live-123"}}},
        "capabilities": {
            "tools": [{"name": "lookup", "description": "Finds an invoice", "parameters": []}],
            "memory": {"type": "episodic", "scope": "user"}
        }
    });
    let graph = common::graph(&agent);
    let sections = graph
        .agent
        .as_ref()
        .expect("an agent document has sections");
    assert_eq!(sections.document.layout, "grouped");
    assert_eq!(sections.document.version, "2.0.0");
    assert_eq!(sections.document.version_source, "inferred");
    assert_eq!(sections.identity.agent_id.as_deref(), Some("billing"));
    assert_eq!(
        sections.identity.description.as_deref(),
        Some("Explains invoices")
    );
    let llm = sections.llm.as_ref().expect("llm");
    assert_eq!(llm.provider.as_deref(), Some("openai"));
    assert_eq!(
        llm.settings.as_ref().and_then(|s| s.get("max_tokens")),
        Some(&json!(500))
    );
    assert_eq!(sections.tools.len(), 1);
    assert_eq!(sections.tools[0]["name"], "lookup");
    assert_eq!(sections.sections.keys().collect::<Vec<_>>(), ["memory"]);
    let json = graph.to_json();
    assert!(
        !json.contains("sk-live-123"),
        "secrets never reach a graph: {json}"
    );
    assert!(json.contains(r#""api_key": "***""#), "{json}");
    // The graph reads back as written.
    assert_eq!(Graph::from_json(&json).expect("reads back"), graph);

    // An events fragment has no agent sections.
    let fragment = common::graph(&json!({"events": {}}));
    assert!(fragment.agent.is_none());
}

/// Every leaf of a value, as a pointer.
fn leaves(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                leaves(
                    member,
                    &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                leaves(item, &format!("{at}/{i}"), out);
            }
        }
        _ => out.push(at.to_owned()),
    }
}

#[tokio::test(start_paused = true)]
async fn hand_edited_graphs_are_refused_or_run_but_never_panic() {
    let original = serde_json::to_value(common::graph(&sample_agent())).expect("json");
    let mut pointers = Vec::new();
    leaves(&original, "", &mut pointers);
    let replacements = [
        json!(0),
        json!(-1),
        json!(u64::MAX),
        json!(""),
        json!("${event.data."),
        json!("(unclosed"),
        json!("*"),
        json!(null),
        json!([]),
        json!({}),
        json!(1.5),
        json!("99"),
    ];
    let mut rng = Rng::new(7);
    let (mut refused, mut ran) = (0, 0);
    for _ in 0..400 {
        let mut edited = original.clone();
        // Every processing mode meets the edits.
        edited["settings"]["processing_mode"] =
            json!(["synchronous", "asynchronous", "batch"][rng.index(3)]);
        let pointer = &pointers[rng.index(pointers.len())];
        *edited.pointer_mut(pointer).expect("a leaf") =
            replacements[rng.index(replacements.len())].clone();
        let Ok(graph) = Graph::from_json(&edited.to_string()) else {
            refused += 1;
            continue;
        };
        let Ok(program) = Program::new(graph) else {
            refused += 1;
            continue;
        };
        let (builder, _outcomes) = builder(program);
        let Ok(runtime) = builder.tool_invoker(Recorder::default().invoker()).start() else {
            refused += 1;
            continue;
        };
        for (index, event) in sample_events().into_iter().enumerate() {
            runtime.dispatch_at(index, event).await;
        }
        runtime.shutdown().await.expect("shutdown");
        ran += 1;
    }
    assert!(refused > 0 && ran > 0, "refused {refused}, ran {ran}");
}

#[test]
fn every_setting_the_graph_fills_in_is_listed_as_a_default() {
    // A v1.5 agent (no block), an empty block, and a block that writes some.
    let cases = [
        json!({"name": "v1.5"}),
        json!({"events": {}}),
        json!({"events": {"processing_mode": "batch", "batch_size": 5, "timeout_ms": 10,
                          "persistence": {"type": "memory"}}}),
    ];
    for agent in cases {
        let text = agent.to_string();
        let report = adl_checker::check(text.as_bytes(), &adl_checker::CheckOptions::default());
        let graph = adl_runtime::compile(&report).expect("compiles");
        let events = agent.get("events").cloned().unwrap_or(json!({}));
        let settings = serde_json::to_value(&graph.settings).expect("settings serialize");
        let settings = settings.as_object().expect("an object");
        assert_eq!(settings.len(), 9, "a new setting needs a default record");
        for key in settings.keys().map(String::as_str).chain([
            "persistence",
            "subscriptions",
            "triggers",
            "handlers",
            "routing_strategy",
        ]) {
            let written = events.get(key).is_some();
            let listed = graph
                .defaults_applied
                .iter()
                .any(|p| p == &format!("/events/{key}"));
            assert!(
                written != listed,
                "{text}: `{key}` written: {written}, listed: {listed}"
            );
        }
        let explained = adl_checker::check(
            text.as_bytes(),
            &adl_checker::CheckOptions {
                explain_defaults: true,
                ..adl_checker::CheckOptions::default()
            },
        );
        let notes = explained
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == "default-applied" && d.pointer.starts_with("/events/"))
            .count();
        assert_eq!(
            notes,
            graph.defaults_applied.len(),
            "{text}: one note per default"
        );
    }
}
