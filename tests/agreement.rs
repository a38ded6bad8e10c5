//! One judge: `adl check` reports no error exactly when `compile` (and loading
//! the compiled graph, as `adl run` does) succeeds. Whatever the runtime would
//! refuse, the checker must find first, at the place.
//!
//! Checked on every agent file under `fixtures/`, on generated agents, and on
//! random edits of both: values swapped for others of the vocabulary agent files
//! use (names, kinds, cron expressions, templates, schemas, numbers at and past
//! every limit), keys removed, added and renamed, elements duplicated. A failing
//! case is printed whole with its seed. `ADL_AGREEMENT_ITERATIONS` (default 4,000)
//! and `ADL_AGREEMENT_SEED` change the run.

#![allow(clippy::unwrap_used, reason = "a broken fixture should fail loudly")]

mod support;

use adl_bench::Rng;
use serde_json::{Value, json};

/// The verdicts of the two judges on one document.
fn judge(text: &str) -> Result<(), String> {
    let report = adl_checker::check(text.as_bytes(), &adl_checker::CheckOptions::default());
    let checked = !report.has_errors();
    let compiled = adl_runtime::compile(&report)
        .map_err(|e| e.to_string())
        .and_then(|graph| {
            adl_runtime::Program::new(graph)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
    match (checked, compiled) {
        (true, Err(error)) => Err(format!("check passes, compile refuses: {error}")),
        (false, Ok(())) => {
            let errors: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{} {}", d.rule.code, d.message))
                .collect();
            Err(format!("check reports {errors:?}, compile succeeds"))
        }
        _ => Ok(()),
    }
}

fn fixture_texts() -> Vec<(String, String)> {
    support::json_files("fixtures")
        .into_iter()
        .map(|path| {
            let text = std::fs::read(&path).unwrap();
            (
                support::relative(&path),
                String::from_utf8_lossy(&text).into_owned(),
            )
        })
        .collect()
}

#[test]
fn every_fixture_gets_the_same_verdict_from_check_and_compile() {
    let mut failures = Vec::new();
    for (name, text) in fixture_texts() {
        if let Err(error) = judge(&text) {
            failures.push(format!("{name}: {error}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Values agent files hold, valid and not, for swapping in.
#[allow(clippy::too_many_lines, reason = "a list of values")]
fn vocabulary() -> Vec<Value> {
    let strings = [
        "",
        "x",
        "error",
        "tool_invocation",
        "state_change",
        "time_trigger",
        "order_created",
        "order_*",
        "*",
        "a?b*",
        "[x]",
        "handler_1",
        "notify",
        "enricher",
        "log_search",
        "${event.data.x}",
        "${event.data.tags ?? []}",
        "${state.count ?? 0}",
        "${env.HOME}",
        "${",
        "${event.data..x}",
        "0 * * * *",
        "*/0 * * * *",
        "0 2 * * MON-FRI ?",
        "@every 5m",
        "@daily",
        "30 0 0 * * 7",
        "America/New_York",
        "Mars/Base",
        "equals",
        "not_equals",
        "greater_than",
        "matches",
        "in",
        "exists",
        "(unclosed",
        "^a+$",
        "(a{1000}){1000}",
        "sqlite::memory:",
        "sqlite://target/agreement/events.db",
        "postgresql://u:p@localhost/db",
        "mysql://localhost/db",
        "events",
        "audit.events",
        "bad table",
        "synchronous",
        "asynchronous",
        "batch",
        "broadcast",
        "conditional",
        "direct",
        "pattern",
        "filtered",
        "memory",
        "file",
        "database",
        "daily",
        "none",
        "block",
        "reject",
        "custom",
        "notification",
        "state_update",
        "event",
        "time",
        "condition",
        "composite",
        "and",
        "or",
        "not",
        "alert",
        "info",
        "cron",
        "data.amount",
        "status",
        "count",
        "2.0.0",
        "2026-01-01T00:00:00Z",
    ];
    let mut values: Vec<Value> = strings.iter().map(|s| json!(s)).collect();
    values.extend([
        json!(0),
        json!(-1),
        json!(1),
        json!(2),
        json!(5.5),
        json!(64),
        json!(65),
        json!(1000),
        json!(1_000_000),
        json!(1_000_001),
        json!(1e20),
        json!(u64::MAX),
        json!(true),
        json!(false),
        Value::Null,
        json!([]),
        json!({}),
        json!(["x"]),
        json!(["handler_1", "notify"]),
        json!({"type": "decimal"}),
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}),
        json!({"type": "object", "properties": {"a": {"type": "strin"}}}),
        json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "minimum": "x"}),
        json!({"field": "amount", "operator": "greater_than", "value": 10}),
        json!({"field": "status", "operator": "matches", "value": "(a"}),
        json!({"field": "status", "operator": "matches", "value": "\\w{1000}{1000}"}),
        json!({"field": "tags", "operator": "in", "value": 3}),
        json!({"trigger_type": "event", "event_name": "order_created"}),
        json!({"trigger_type": "time", "schedule": "cron", "expression": "0 * * * *"}),
        json!({"trigger_type": "condition", "condition": {"field": "count", "operator": "greater_than", "value": 3}}),
        json!({"trigger_type": "composite", "operator": "and", "triggers": [{"trigger_type": "event", "event_name": "a"}, {"trigger_type": "event", "event_name": "b"}]}),
        json!({"handler_type": "custom", "handler_name": "enricher"}),
        json!({"handler_type": "state_update", "state_field": "count", "value": "${event.data.n}"}),
        json!({"handler_type": "tool_invocation", "tool_name": "log_search", "parameters": {"q": "${event.data.q}"}}),
        json!({"name": "notify", "handler_type": "notification", "notification_type": "info", "message": "m"}),
        json!({"subscription_type": "direct", "event_name": "error", "handler": "notify"}),
        json!({"subscription_type": "pattern", "event_pattern": "state_*", "handler": {"handler_type": "state_update", "state_field": "count", "value": "${event.data.new_state}"}}),
        json!({"condition": {"field": "amount", "operator": "greater_than", "value": 1}, "target_handler": "notify"}),
        json!({"type": "file", "file_path": "target/agreement/events.jsonl"}),
        json!({"type": "database", "connection_string": "sqlite::memory:", "table_name": "events"}),
    ]);
    values
}

/// Keys agent files use, for adding and renaming: every property name the
/// agent file's JSON Schema knows (the schema is generated from the model).
fn keys() -> Vec<String> {
    fn walk(schema: &Value, out: &mut Vec<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    out.extend(properties.keys().cloned());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&adl_parser::schema::agent_schema(), &mut out);
    out.sort();
    out.dedup();
    out
}

/// Every place in `value`, as a path of keys and indexes.
fn places(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Step::Key(key.clone()));
                places(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Step::Index(i));
                places(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// One random edit somewhere in `document`.
fn mutate(document: &mut Value, rng: &mut Rng, vocabulary: &[Value], keys: &[String]) {
    let mut all = Vec::new();
    places(document, &mut Vec::new(), &mut all);
    let path = all[rng.index(all.len())].clone();
    let pick = |rng: &mut Rng| vocabulary[rng.index(vocabulary.len())].clone();
    match rng.below(6) {
        // Replace the value.
        0 | 1 => {
            if let Some(slot) = at_mut(document, &path) {
                *slot = pick(rng);
            }
        }
        // Remove it from its parent.
        2 => {
            let Some((last, parent)) = path.split_last() else {
                return;
            };
            match (at_mut(document, parent), last) {
                (Some(Value::Object(map)), Step::Key(k)) => {
                    map.remove(k);
                }
                (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                    items.remove(*i);
                }
                _ => {}
            }
        }
        // Add a key, or an element.
        3 => match at_mut(document, &path) {
            Some(Value::Object(map)) => {
                map.insert(keys[rng.index(keys.len())].clone(), pick(rng));
            }
            Some(Value::Array(items)) => items.push(pick(rng)),
            _ => {}
        },
        // Duplicate an element (same names twice).
        4 => {
            if let Some(Value::Array(items)) = at_mut(document, &path)
                && !items.is_empty()
            {
                let copy = items[rng.index(items.len())].clone();
                items.push(copy);
            }
        }
        // Rename a key.
        _ => {
            if let Some(Value::Object(map)) = at_mut(document, &path)
                && !map.is_empty()
            {
                let keys: Vec<String> = map.keys().cloned().collect();
                let old = &keys[rng.index(keys.len())];
                let value = map.remove(old).unwrap();
                map.insert(keys[rng.index(keys.len())].clone(), value);
            }
        }
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_edits_get_the_same_verdict_from_check_and_compile() {
    #[allow(clippy::disallowed_methods, reason = "fixtures are known-good JSON")]
    let parse = |text: &str| serde_json::from_str::<Value>(text).ok();
    let mut seeds: Vec<Value> = fixture_texts()
        .iter()
        .filter_map(|(_, text)| parse(text))
        .filter(Value::is_object)
        .collect();
    for (size, seed) in [(6, 1), (12, 2), (30, 3)] {
        seeds.push(parse(&adl_bench::agent_file(size, seed)).unwrap());
    }
    let vocabulary = vocabulary();
    let keys = keys();
    assert!(keys.len() > 40, "{keys:?}");
    let iterations = env_u64("ADL_AGREEMENT_ITERATIONS", 4_000);
    let seed = env_u64("ADL_AGREEMENT_SEED", 17);
    let mut rng = Rng::new(seed);
    let mut clean = 0;
    for iteration in 0..iterations {
        let mut document = seeds[rng.index(seeds.len())].clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut document, &mut rng, &vocabulary, &keys);
        }
        let text = serde_json::to_string_pretty(&document).unwrap();
        if let Err(error) = judge(&text) {
            panic!("seed {seed}, iteration {iteration}: {error}\n{text}");
        }
        let report = adl_checker::check(text.as_bytes(), &adl_checker::CheckOptions::default());
        clean += u32::from(!report.has_errors());
    }
    // The property bites only on edits the checker accepts: make sure there are many.
    assert!(
        u64::from(clean) * 10 >= iterations,
        "only {clean} of {iterations} edits check clean"
    );
}

#[test]
fn the_vocabulary_alone_never_breaks_the_agreement() {
    // Every vocabulary value in every place of one small agent: a focused sweep.
    let base = json!({
        "name": "sweep",
        "events": {
            "timeout_ms": 100,
            "handlers": [{"name": "notify", "handler_type": "notification", "notification_type": "info", "message": "m"}],
            "subscriptions": [
                {"subscription_type": "direct", "event_name": "order_created", "handler": "notify"},
                {"subscription_type": "filtered", "event_name": "order_paid",
                 "filter": {"field": "status", "operator": "equals", "value": "ok"},
                 "handler": {"handler_type": "state_update", "state_field": "count", "value": "${event.data.n}"}}
            ],
            "triggers": [
                {"trigger_type": "time", "schedule": "cron", "expression": "0 * * * *"},
                {"trigger_type": "condition", "condition": {"field": "count", "operator": "greater_than", "value": 3}}
            ],
            "event_types": {"order_created": {"type": "object"}},
            "state": {"count": 0}
        }
    });
    let mut all = Vec::new();
    places(&base, &mut Vec::new(), &mut all);
    for path in &all {
        for value in vocabulary() {
            let mut document = base.clone();
            *at_mut(&mut document, path).unwrap() = value;
            let text = serde_json::to_string_pretty(&document).unwrap();
            if let Err(error) = judge(&text) {
                panic!("{error}\n{text}");
            }
        }
    }
}

#[test]
fn cron_expressions_get_the_same_verdict_from_check_and_compile() {
    // The checker explains cron mistakes in its own words; the runtime's
    // scheduler must accept exactly what it accepts.
    const FIELDS: &[&str] = &[
        "*", "*/5", "0", "1", "7", "12", "23", "24", "31", "32", "59", "60", "1-5", "5-1",
        "0-59/60", "1-7/2", "*/0", "0/15", "1,2,3", "1,,2", "MON-FRI", "SUN", "sat", "JAN",
        "jan-mar", "DEC-JAN", "L", "?", "5#2", "W", "-", "", "1-", "*/", "**", "0-0",
    ];
    const WHOLE: &[&str] = &[
        "@daily",
        "@hourly",
        "@weekly",
        "@monthly",
        "@yearly",
        "@annually",
        "@midnight",
        "@reboot",
        "@every 5m",
        "",
        " ",
        "* * * *",
        "* * * * * * *",
        "0 0 30 2 *",
    ];
    let mut rng = Rng::new(env_u64("ADL_AGREEMENT_SEED", 17));
    let mut expressions: Vec<String> = WHOLE.iter().map(|s| (*s).to_owned()).collect();
    for _ in 0..env_u64("ADL_AGREEMENT_ITERATIONS", 4_000) {
        let count = 5 + rng.below(2);
        let fields: Vec<&str> = (0..count)
            .map(|_| FIELDS[rng.index(FIELDS.len())])
            .collect();
        expressions.push(fields.join(" "));
    }
    for expression in expressions {
        let document = json!({
            "name": "cron",
            "events": {
                "timeout_ms": 100,
                "triggers": [{"trigger_type": "time", "schedule": "cron", "expression": expression}],
                "handlers": [{"handler_type": "notification", "notification_type": "info", "message": "tick"}]
            }
        });
        if let Err(error) = judge(&document.to_string()) {
            panic!("`{expression}`: {error}");
        }
    }
}
