//! The runtime event envelope (spec §2) and how raw JSON becomes one.

use adl_parser::json::json_type_name as type_name;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An event as the runtime dispatches it: every envelope field filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    /// The event's name: what subscriptions and triggers match.
    pub event_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// RFC 3339.
    pub timestamp: String,
    pub data: Value,
}

/// Why an input value is not an acceptable event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EnvelopeError(pub String);

impl Event {
    /// A new event with a given id and timestamp.
    pub fn new(id: String, event_type: impl Into<String>, timestamp: String, data: Value) -> Self {
        Self {
            id,
            event_type: event_type.into(),
            source: None,
            timestamp,
            data,
        }
    }

    /// Reads an envelope: `event_type` (alias `name`), optional `id`, `source`,
    /// `timestamp` (RFC 3339) and `data` (alias `value`; default `{}`). Missing
    /// ids and timestamps come from the given functions. Other keys are ignored.
    pub fn from_value(
        value: Value,
        new_id: impl FnOnce() -> String,
        now: impl FnOnce() -> String,
    ) -> Result<Self, EnvelopeError> {
        let Value::Object(mut object) = value else {
            return Err(EnvelopeError(format!(
                "an event must be a JSON object, found {}",
                type_name(&value)
            )));
        };
        let event_type = match aliased(&mut object, "event_type", "name")? {
            Some(Value::String(name)) if !name.is_empty() => name,
            Some(Value::String(_)) => {
                return Err(EnvelopeError("`event_type` is empty".to_owned()));
            }
            Some(other) => {
                return Err(EnvelopeError(format!(
                    "`event_type` must be a string, found {}",
                    type_name(&other)
                )));
            }
            None => return Err(EnvelopeError("missing `event_type`".to_owned())),
        };
        let id = match optional_string(&mut object, "id")? {
            Some(id) if id.is_empty() => return Err(EnvelopeError("`id` is empty".to_owned())),
            Some(id) => id,
            None => new_id(),
        };
        let timestamp = match optional_string(&mut object, "timestamp")? {
            Some(text) => {
                if text.parse::<jiff::Timestamp>().is_err() {
                    return Err(EnvelopeError(format!(
                        "`timestamp` is not an RFC 3339 date-time: \"{text}\""
                    )));
                }
                text
            }
            None => now(),
        };
        let source = optional_string(&mut object, "source")?;
        let data =
            aliased(&mut object, "data", "value")?.unwrap_or_else(|| Value::Object(Map::new()));
        Ok(Self {
            id,
            event_type,
            source,
            timestamp,
            data,
        })
    }

    /// The envelope as a JSON object (what `${event}` yields).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("an event always serializes")
    }
}

fn aliased(
    object: &mut Map<String, Value>,
    key: &str,
    alias: &str,
) -> Result<Option<Value>, EnvelopeError> {
    match (object.remove(key), object.remove(alias)) {
        (Some(_), Some(_)) => Err(EnvelopeError(format!(
            "both `{key}` and its alias `{alias}` are set; keep one"
        ))),
        (value, None) | (None, value) => Ok(value),
    }
}

fn optional_string(
    object: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<String>, EnvelopeError> {
    match object.remove(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(EnvelopeError(format!(
            "`{key}` must be a string, found {}",
            type_name(&other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(value: Value) -> Result<Event, EnvelopeError> {
        Event::from_value(
            value,
            || "generated".to_owned(),
            || "2026-01-01T00:00:00Z".to_owned(),
        )
    }

    #[test]
    fn aliases_and_generated_fields() {
        let event = read(json!({"name": "ping", "value": {"n": 1}})).expect("valid");
        assert_eq!(event.event_type, "ping");
        assert_eq!(event.data, json!({"n": 1}));
        assert_eq!(event.id, "generated");
        assert_eq!(event.timestamp, "2026-01-01T00:00:00Z");
    }

    #[test]
    fn missing_data_is_an_empty_object() {
        let event = read(json!({"event_type": "ping", "id": "e1"})).expect("valid");
        assert_eq!(event.data, json!({}));
        assert_eq!(event.id, "e1");
    }

    #[test]
    fn bad_envelopes_say_what_is_wrong() {
        let cases = [
            (json!([1]), "an event must be a JSON object, found an array"),
            (json!({"data": {}}), "missing `event_type`"),
            (
                json!({"event_type": 3}),
                "`event_type` must be a string, found a number",
            ),
            (json!({"event_type": ""}), "`event_type` is empty"),
            (
                json!({"event_type": "a", "name": "b"}),
                "both `event_type` and its alias `name` are set; keep one",
            ),
            (
                json!({"event_type": "a", "timestamp": "yesterday"}),
                "`timestamp` is not an RFC 3339 date-time: \"yesterday\"",
            ),
            (
                json!({"event_type": "a", "id": 7}),
                "`id` must be a string, found a number",
            ),
        ];
        for (value, message) in cases {
            assert_eq!(read(value).expect_err("invalid").0, message);
        }
    }
}
