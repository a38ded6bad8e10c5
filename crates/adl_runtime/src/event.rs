//! The runtime event envelope (spec §2) and how raw JSON becomes one.

use adl_parser::json::json_type_name as type_name;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::EventData;
use crate::event_data::DataSeed;

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
    pub data: EventData,
}

/// Why an input value is not an acceptable event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EnvelopeError(pub String);

/// An input event as read: the envelope's shape is valid; a missing `id` and
/// `timestamp` are filled in when it is dispatched.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub event_type: String,
    pub id: Option<String>,
    pub source: Option<String>,
    /// RFC 3339 (checked).
    pub timestamp: Option<String>,
    pub data: EventData,
}

impl Event {
    /// A new event with a given id and timestamp.
    pub fn new(
        id: String,
        event_type: impl Into<String>,
        timestamp: String,
        data: impl Into<EventData>,
    ) -> Self {
        Self {
            id,
            event_type: event_type.into(),
            source: None,
            timestamp,
            data: data.into(),
        }
    }

    /// Reads an envelope (see [`Envelope::from_value`]); missing ids and
    /// timestamps come from the given functions.
    pub fn from_value(
        value: Value,
        new_id: impl FnOnce() -> String,
        now: impl FnOnce() -> String,
    ) -> Result<Self, EnvelopeError> {
        Envelope::from_value(value).map(|envelope| envelope.into_event(new_id, now))
    }

    /// The envelope as a JSON object (what `${event}` yields).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("an event always serializes")
    }
}

impl Envelope {
    /// Reads an envelope: `event_type` (alias `name`), optional `id`, `source`,
    /// `timestamp` (RFC 3339) and `data` (alias `value`; default `{}`). Other
    /// keys are ignored.
    pub fn from_value(value: Value) -> Result<Self, EnvelopeError> {
        let Value::Object(mut object) = value else {
            return Err(not_an_object(type_name(&value)));
        };
        let mut fields = Fields::default();
        for (key, value) in [
            ("event_type", &mut fields.event_type),
            ("name", &mut fields.name),
            ("id", &mut fields.id),
            ("source", &mut fields.source),
            ("timestamp", &mut fields.timestamp),
        ] {
            *value = object.remove(key);
        }
        fields.data = object.remove("data").map(EventData::from);
        fields.value = object.remove("value").map(EventData::from);
        fields.into_envelope()
    }

    /// The event to dispatch: a missing id and timestamp from the given functions.
    pub fn into_event(
        self,
        new_id: impl FnOnce() -> String,
        now: impl FnOnce() -> String,
    ) -> Event {
        Event {
            id: self.id.unwrap_or_else(new_id),
            event_type: self.event_type,
            source: self.source,
            timestamp: self.timestamp.unwrap_or_else(now),
            data: self.data,
        }
    }
}

fn not_an_object(found: &str) -> EnvelopeError {
    EnvelopeError(format!("an event must be a JSON object, found {found}"))
}

/// The envelope's keys as found, before their values are checked.
#[derive(Default)]
struct Fields {
    event_type: Option<Value>,
    name: Option<Value>,
    id: Option<Value>,
    source: Option<Value>,
    timestamp: Option<Value>,
    data: Option<EventData>,
    value: Option<EventData>,
}

impl Fields {
    fn into_envelope(self) -> Result<Envelope, EnvelopeError> {
        let event_type = match aliased(self.event_type, self.name, "event_type", "name")? {
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
        let id = match optional_string(self.id, "id")? {
            Some(id) if id.is_empty() => return Err(EnvelopeError("`id` is empty".to_owned())),
            id => id,
        };
        let timestamp = optional_string(self.timestamp, "timestamp")?;
        if let Some(text) = &timestamp {
            if text.parse::<jiff::Timestamp>().is_err() {
                return Err(EnvelopeError(format!(
                    "`timestamp` is not an RFC 3339 date-time: \"{text}\""
                )));
            }
        }
        let source = optional_string(self.source, "source")?;
        let data = aliased(self.data, self.value, "data", "value")?.unwrap_or_default();
        Ok(Envelope {
            event_type,
            id,
            source,
            timestamp,
            data,
        })
    }
}

fn aliased<T>(
    value: Option<T>,
    alias_value: Option<T>,
    key: &str,
    alias: &str,
) -> Result<Option<T>, EnvelopeError> {
    match (value, alias_value) {
        (Some(_), Some(_)) => Err(EnvelopeError(format!(
            "both `{key}` and its alias `{alias}` are set; keep one"
        ))),
        (value, None) | (None, value) => Ok(value),
    }
}

fn optional_string(value: Option<Value>, key: &str) -> Result<Option<String>, EnvelopeError> {
    match value {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(EnvelopeError(format!(
            "`{key}` must be a string, found {}",
            type_name(&other)
        ))),
    }
}

/// Input events read straight from JSON text: an object is one event, an
/// array a batch of them. Reading builds each envelope without an
/// intermediate map; a value that is JSON but not an acceptable event is an
/// `Err` in its place, so one bad event in a batch leaves the others readable.
///
/// ```
/// use adl_runtime::EventInput;
/// let input = EventInput::from_json(r#"[{"event_type": "a"}, 3]"#).unwrap();
/// let EventInput::Batch(events) = input else { panic!() };
/// assert_eq!(events[0].as_ref().unwrap().event_type, "a");
/// assert!(events[1].is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum EventInput {
    Single(Result<Envelope, EnvelopeError>),
    Batch(Vec<Result<Envelope, EnvelopeError>>),
}

impl EventInput {
    /// Reads one JSON value of event input. A repeated key keeps its last
    /// value, as JSON consumers do; nothing here needs source spans.
    pub fn from_json(text: &str) -> serde_json::Result<Self> {
        #[allow(
            clippy::disallowed_methods,
            reason = "event input: no spans needed, and the last duplicate key wins by design"
        )]
        serde_json::from_str(text)
    }
}

impl<'de> Deserialize<'de> for EventInput {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(InputVisitor { batch: true })
    }
}

/// One element of a batch: any JSON value, an event if it is one.
struct Element(Result<Envelope, EnvelopeError>);

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(InputVisitor { batch: false })? {
            EventInput::Single(envelope) => Ok(Element(envelope)),
            EventInput::Batch(_) => Ok(Element(Err(not_an_object("an array")))),
        }
    }
}

/// Reads one value; `batch`: whether an array is a batch (top level) or, as an
/// element of a batch, not an event.
struct InputVisitor {
    batch: bool,
}

impl InputVisitor {
    fn not_an_object(found: &str) -> EventInput {
        EventInput::Single(Err(not_an_object(found)))
    }
}

impl<'de> serde::de::Visitor<'de> for InputVisitor {
    type Value = EventInput;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an event object or an array of them")
    }

    fn visit_bool<E>(self, _: bool) -> Result<EventInput, E> {
        Ok(Self::not_an_object("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<EventInput, E> {
        Ok(Self::not_an_object("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<EventInput, E> {
        Ok(Self::not_an_object("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<EventInput, E> {
        Ok(Self::not_an_object("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<EventInput, E> {
        Ok(Self::not_an_object("a string"))
    }

    fn visit_unit<E>(self) -> Result<EventInput, E> {
        Ok(Self::not_an_object("null"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<EventInput, A::Error> {
        if !self.batch {
            while seq.next_element::<Value>()?.is_some() {}
            return Ok(Self::not_an_object("an array"));
        }
        let mut events = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Element(event)) = seq.next_element()? {
            events.push(event);
        }
        Ok(EventInput::Batch(events))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<EventInput, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<Key>()? {
            let slot = match key {
                Key::EventType => &mut fields.event_type,
                Key::Name => &mut fields.name,
                Key::Id => &mut fields.id,
                Key::Source => &mut fields.source,
                Key::Timestamp => &mut fields.timestamp,
                // Read as compact text, checked as strictly as a `Value`.
                Key::Data => {
                    fields.data = Some(map.next_value_seed(DataSeed)?);
                    continue;
                }
                Key::Value => {
                    fields.value = Some(map.next_value_seed(DataSeed)?);
                    continue;
                }
                Key::Other => {
                    // Read as a value, not skipped: skipping reports some
                    // truncated numbers as invalid rather than cut short, and
                    // the input reader tells "cut short" (the value goes on
                    // over the next line) from "invalid" by that.
                    map.next_value::<Value>()?;
                    continue;
                }
            };
            // A repeated key keeps its last value, as JSON consumers do.
            *slot = Some(map.next_value()?);
        }
        Ok(EventInput::Single(fields.into_envelope()))
    }
}

/// An envelope key, recognised without allocating.
enum Key {
    EventType,
    Name,
    Id,
    Source,
    Timestamp,
    Data,
    Value,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "event_type" => Key::EventType,
                    "name" => Key::Name,
                    "id" => Key::Id,
                    "source" => Key::Source,
                    "timestamp" => Key::Timestamp,
                    "data" => Key::Data,
                    "value" => Key::Value,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
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

    /// Reading from text and reading a parsed value agree on every envelope,
    /// valid or not, alone or in a batch.
    #[test]
    #[allow(clippy::disallowed_methods, reason = "the value to compare with")]
    fn reading_text_agrees_with_reading_a_value() {
        let texts = [
            r#"{"name": "ping", "value": {"n": 1}, "extra": [1, {"a": 2}]}"#,
            r#"{"event_type": "a", "id": "e1", "source": "s", "timestamp": "2026-01-01T00:00:00Z", "data": [1]}"#,
            r#"{"event_type": "a", "event_type": "b"}"#,
            r#"{"event_type": "a", "data": 1, "data": {"x": "y"}}"#,
            r#"{"event_type": "\u0061\n", "i\u0064": "escaped key"}"#,
            r#"{"data": {}}"#,
            r#"{"event_type": 3}"#,
            r#"{"event_type": ""}"#,
            r#"{"event_type": "a", "name": "b"}"#,
            r#"{"event_type": "a", "data": {}, "value": {}}"#,
            r#"{"event_type": "a", "timestamp": "yesterday"}"#,
            r#"{"event_type": "a", "id": 7}"#,
            r#"{"event_type": "a", "id": ""}"#,
            r#"{"event_type": "a", "source": null}"#,
            "3",
            "\"text\"",
            "null",
            "true",
            "{}",
        ];
        for text in texts {
            let value: Value = serde_json::from_str(text).expect("JSON");
            let expected = Envelope::from_value(value.clone());
            let read = EventInput::from_json(text).expect("JSON");
            assert_eq!(read, EventInput::Single(expected.clone()), "{text}");
            let batch = EventInput::from_json(&format!("[{text}, [{text}]]")).expect("JSON");
            let nested = Err(EnvelopeError(
                "an event must be a JSON object, found an array".to_owned(),
            ));
            assert_eq!(batch, EventInput::Batch(vec![expected, nested]), "{text}");
        }
        let empty = EventInput::from_json("[]").expect("JSON");
        assert_eq!(empty, EventInput::Batch(Vec::new()));
    }
}
