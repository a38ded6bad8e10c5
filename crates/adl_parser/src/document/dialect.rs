//! The array-shaped `events` of the v1.5 DSL (`[{event_id, event_type,
//! trigger, actions, subscription}]`): adl runs only the v2 object block, so
//! such a block is one error whose help is the v2 block it stands for.

use adl_diagnostics::Diagnostic;
use serde_json::{Map, Value, json};

use crate::json::{Document, NodeId, NodeKind};
use crate::rules::EVENTS_ARRAY_DIALECT;

/// The items of `events` when it is the array dialect: an array whose items
/// hold `event_id`, `trigger` or `actions`.
pub fn array_dialect_items(doc: &Document, events: NodeId) -> Option<&[NodeId]> {
    let NodeKind::Array(items) = doc.kind(events) else {
        return None;
    };
    items
        .iter()
        .any(|&item| {
            ["event_id", "trigger", "actions"]
                .iter()
                .any(|key| doc.member(item, key).is_some())
        })
        .then_some(items.as_slice())
}

/// The `events-array-dialect` error for the array at `events`, with the
/// rewrite as help.
pub fn events_array_dialect(doc: &Document, events: NodeId, items: &[NodeId]) -> Diagnostic {
    let rewrite = rewrite(doc, items);
    let key_span = doc
        .member_of(events)
        .map_or(doc.span(events), |m| m.key_span);
    let mut help = String::from("rewrite it as the v2 block:\n");
    help.push_str(&serde_json::to_string_pretty(&rewrite.block).unwrap_or_default());
    let mut diagnostic = Diagnostic::new(
        &EVENTS_ARRAY_DIALECT,
        "`events` is the v1.5 array dialect; adl runs only the v2 `events` object",
        key_span,
        doc.pointer(events),
    )
    .with_primary_label(format!(
        "{} array event{}: none of them would run",
        items.len(),
        if items.len() == 1 { "" } else { "s" }
    ))
    .with_help(help);
    for manual in rewrite.manual {
        diagnostic = diagnostic.with_note(format!("by hand: {manual}"));
    }
    diagnostic
}

struct Rewrite {
    block: Value,
    /// What the rewrite could not carry over.
    manual: Vec<String>,
}

fn rewrite(doc: &Document, items: &[NodeId]) -> Rewrite {
    let mut subscriptions = Vec::new();
    let mut manual = Vec::new();
    for &item in items {
        let Value::Object(item) = doc.to_value(item) else {
            continue;
        };
        let id = item
            .get("event_id")
            .and_then(Value::as_str)
            .unwrap_or("event")
            .to_owned();
        let subscription = item.get("subscription").and_then(Value::as_object);
        if subscription.and_then(|s| s.get("enabled")) == Some(&Value::Bool(false)) {
            manual.push(format!(
                "`{id}` is disabled (`enabled: false`) and was left out"
            ));
            continue;
        }
        if subscription.is_some_and(|s| s.contains_key("retry_policy")) {
            manual.push(format!("`{id}`: `retry_policy` has no v2 equivalent"));
        }
        let event_type = item
            .get("event_type")
            .and_then(Value::as_str)
            .unwrap_or("custom");
        let event_name = match event_type {
            "error_occurred" => "error",
            other => other,
        };
        let trigger = item.get("trigger").and_then(Value::as_object);
        let filter = filter(&id, event_type, trigger, &mut manual);
        let mut actions: Vec<&Value> = item
            .get("actions")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        // v2 has no priorities: higher ones come first.
        actions.sort_by_key(|a| {
            std::cmp::Reverse(a.get("priority").and_then(Value::as_i64).unwrap_or(0))
        });
        for (n, action) in actions.iter().enumerate() {
            let Some(fields) = handler(&id, action, &mut manual) else {
                continue;
            };
            let mut handler = Map::new();
            handler.insert("name".to_owned(), json!(format!("{id}.{}", n + 1)));
            handler.extend(fields);
            let mut subscription = Map::new();
            let kind = if filter.is_some() {
                "filtered"
            } else {
                "direct"
            };
            subscription.insert("subscription_type".to_owned(), json!(kind));
            subscription.insert("event_name".to_owned(), json!(event_name));
            if let Some(condition) = &filter {
                subscription.insert("filter".to_owned(), condition.clone());
            }
            subscription.insert("handler".to_owned(), Value::Object(handler));
            subscriptions.push(Value::Object(subscription));
        }
    }
    Rewrite {
        block: json!({ "subscriptions": subscriptions }),
        manual,
    }
}

/// The filter a trigger's `source`, `filters` and `condition` become, when
/// one condition says it all.
fn filter(
    id: &str,
    event_type: &str,
    trigger: Option<&Map<String, Value>>,
    manual: &mut Vec<String>,
) -> Option<Value> {
    let trigger = trigger?;
    let mut conditions = Vec::new();
    if let Some(source) = trigger.get("source").and_then(Value::as_str)
        && source != "*"
    {
        let field = if event_type == "tool_invocation" {
            "tool_name"
        } else {
            "event.source"
        };
        conditions.push(json!({"field": field, "operator": "equals", "value": source}));
    }
    if let Some(filters) = trigger.get("filters").and_then(Value::as_object) {
        for (key, value) in filters {
            conditions.push(json!({"field": key, "operator": "equals", "value": value}));
        }
    }
    if let Some(condition) = trigger.get("condition").and_then(Value::as_str) {
        match simple_condition(condition) {
            Some(parsed) => conditions.push(parsed),
            None => manual.push(format!("`{id}`: the condition `{condition}`")),
        }
    }
    match conditions.len() {
        0 => None,
        1 => conditions.pop(),
        _ => {
            manual.push(format!(
                "`{id}`: {} conditions; the rewrite keeps the first (use a composite `and` trigger for all)",
                conditions.len()
            ));
            conditions.into_iter().next()
        }
    }
}

/// `PATH OP LITERAL` as a condition object.
fn simple_condition(text: &str) -> Option<Value> {
    const OPERATORS: [(&str, &str); 6] = [
        ("==", "equals"),
        ("!=", "not_equals"),
        (">=", "greater_than_or_equal"),
        ("<=", "less_than_or_equal"),
        (">", "greater_than"),
        ("<", "less_than"),
    ];
    let (field, operator, literal) = OPERATORS.iter().find_map(|(symbol, name)| {
        let (left, right) = text.split_once(symbol)?;
        Some((left.trim(), *name, right.trim()))
    })?;
    let path_ok = !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    let (literal_doc, errors) = crate::json::parse_json(literal.as_bytes());
    let parsed = literal_doc
        .root()
        .filter(|_| errors.is_empty())
        .map(|root| literal_doc.to_value(root));
    let value: Value = parsed.or_else(|| {
        (literal.starts_with('\'') && literal.ends_with('\'') && literal.len() >= 2)
            .then(|| json!(&literal[1..literal.len() - 1]))
    })?;
    let field = field.strip_prefix("data.").unwrap_or(field);
    path_ok.then(|| json!({"field": field, "operator": operator, "value": value}))
}

/// The v2 handler of one action.
fn handler(id: &str, action: &Value, manual: &mut Vec<String>) -> Option<Map<String, Value>> {
    let kind = action
        .get("action_type")
        .and_then(Value::as_str)
        .unwrap_or("");
    let target = action.get("target").and_then(Value::as_str).unwrap_or("");
    let parameters = action
        .get("parameters")
        .map_or_else(|| json!({}), templates);
    let handler = match kind {
        "invoke_tool" => json!({
            "handler_type": "tool_invocation",
            "tool_name": target,
            "parameters": parameters,
        }),
        "update_memory" => {
            if parameters.get("key").is_some() {
                manual.push(format!("`{id}`: a keyed memory write to `{target}`"));
            }
            json!({
                "handler_type": "state_update",
                "state_field": target,
                "value": parameters.get("value").cloned().unwrap_or(Value::Null),
            })
        }
        "send_message" | "log_event" => {
            let level = parameters
                .get("level")
                .and_then(Value::as_str)
                .filter(|level| matches!(*level, "alert" | "warning" | "error"))
                .unwrap_or("info");
            json!({
                "handler_type": "notification",
                "notification_type": level,
                "message": parameters.get("message").cloned().unwrap_or_else(|| json!(target)),
            })
        }
        other => {
            manual.push(format!("`{id}`: the action type `{other}`"));
            return None;
        }
    };
    match handler {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// `${event.X}` → `${event.data.X}` unless `X` is an envelope field.
fn templates(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(rewrite_template(text)),
        Value::Array(items) => Value::Array(items.iter().map(templates).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), templates(v))).collect())
        }
        other => other.clone(),
    }
}

fn rewrite_template(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${event.") {
        out.push_str(&rest[..start + 8]);
        rest = &rest[start + 8..];
        let head_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if !crate::template::EVENT_FIELDS.contains(&&rest[..head_end]) {
            out.push_str("data.");
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_conditions_become_condition_objects() {
        assert_eq!(
            simple_condition("data.size > 0"),
            Some(json!({"field": "size", "operator": "greater_than", "value": 0}))
        );
        assert_eq!(
            simple_condition("status == 'failed'"),
            Some(json!({"field": "status", "operator": "equals", "value": "failed"}))
        );
        assert_eq!(simple_condition("len(items) > 3 and ok"), None);
    }

    #[test]
    fn event_templates_gain_data_unless_envelope_fields() {
        assert_eq!(rewrite_template("${event.schema}"), "${event.data.schema}");
        assert_eq!(
            rewrite_template("${event.data} ${event.source}"),
            "${event.data} ${event.source}"
        );
    }
}
