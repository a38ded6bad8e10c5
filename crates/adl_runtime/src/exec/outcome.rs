//! The outcome stream: what dispatch acknowledged and what handlers did, in
//! the shape `adl run` prints (spec §12).

use arcstr::Substr;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::Event;
use tokio::sync::mpsc;

/// Receives every outcome record as it happens, in order, on the task that
/// produced it: keep `record` quick (hand the record to another thread or
/// channel). Closures `Fn(Outcome)` implement it.
pub trait OutcomeSink: Send + Sync + 'static {
    fn record(&self, outcome: Outcome);
}

impl<F> OutcomeSink for F
where
    F: Fn(Outcome) + Send + Sync + 'static,
{
    fn record(&self, outcome: Outcome) {
        self(outcome);
    }
}

/// The sink behind [`super::RuntimeBuilder::subscribe`].
pub(super) struct ChannelSink(pub(super) mpsc::UnboundedSender<Outcome>);

impl OutcomeSink for ChannelSink {
    fn record(&self, outcome: Outcome) {
        // A dropped receiver only means that subscriber stopped listening.
        let _ = self.0.send(outcome);
    }
}

/// One record of the outcome stream.
///
/// `adl run` writes records with [`Outcome::write_json_line`], by hand for
/// speed: a field added to a record goes there too (a differential test
/// compares its bytes with this `Serialize`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Dispatch accepted input `index` (serialized with its `event_id`).
    Accepted {
        index: usize,
        #[serde(rename = "event_id", serialize_with = "id_of")]
        event: Arc<Event>,
    },
    /// Dispatch rejected input `index` (nothing of it was processed).
    Rejected {
        index: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        event_id: Option<Substr>,
        reason: String,
    },
    /// Input `index` has the id of an event already stored: it is not
    /// stored or processed again (ids are idempotency keys).
    Duplicate { index: usize, event_id: Substr },
    /// One handler execution.
    Action(Action),
    /// One event a handler (or the runtime) emitted.
    Event(Emitted),
}

impl Outcome {
    /// Appends the record as one line of JSON (what `adl run` prints): the
    /// same bytes as `serde_json::to_writer` and a newline, written without
    /// going through serde (fixed parts copied whole, strings escaped in runs).
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        super::json_line::write_line(out, self);
    }
}

fn id_of<S: serde::Serializer>(event: &Arc<Event>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&event.id)
}

/// One handler execution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// The event that caused it.
    pub event_id: Substr,
    /// Reference name, or pointer of a handler without one.
    pub handler: Arc<str>,
    pub handler_type: &'static str,
    /// Pointer of the subscription or trigger that activated the handler.
    pub via: Arc<str>,
    /// Resolved parameters (tool, custom), value (state update) or message.
    pub input: Arc<Value>,
    pub outcome: ActionOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Re-dispatched after a restart (at-least-once recovery).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionOutcome {
    Ok,
    Error,
    Timeout,
}

/// An event a handler emitted. Serialized as `event_id`, `event_type`,
/// `cause`, `data` and, when it was not dispatched, `"dispatched": false`.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    /// The event itself (shared with the store and its processing).
    pub event: Arc<Event>,
    /// The id of the event whose handling emitted it.
    pub cause: Substr,
    /// `false` when it was recorded but not dispatched: past
    /// `max_cascade_depth` or `max_cascade_events`, or an error raised while
    /// handling an error event.
    pub dispatched: bool,
}

impl Serialize for Emitted {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut record = serializer.serialize_struct("Emitted", 5)?;
        record.serialize_field("event_id", &self.event.id)?;
        record.serialize_field("event_type", &self.event.event_type)?;
        record.serialize_field("cause", &self.cause)?;
        record.serialize_field("data", &self.event.data)?;
        if self.dispatched {
            record.skip_field("dispatched")?;
        } else {
            record.serialize_field("dispatched", &false)?;
        }
        record.end()
    }
}

/// Counts over a runtime's life (the `summary` line of `adl run`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub accepted: u64,
    pub rejected: u64,
    pub actions: u64,
    /// `error` events emitted (failed or timed-out handlers, cascade limits,
    /// unregistered custom handlers).
    pub errors: u64,
    /// Events handlers emitted.
    pub emitted: u64,
    /// Trigger activations no route took.
    pub dropped: u64,
    /// Input events re-dispatched by [`super::Runtime::resume`].
    pub replayed: u64,
    /// Input events not stored or processed: their id was stored already.
    pub duplicates: u64,
}

impl Summary {
    /// Appends the `summary` record `adl run` ends with, and a newline: the
    /// counts and `"kind": "summary"`, keys in alphabetical order.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        let mut record = serde_json::Map::new();
        record.insert("kind".to_owned(), Value::from("summary"));
        if let Ok(Value::Object(counts)) = serde_json::to_value(self) {
            record.extend(counts);
        }
        record.sort_keys();
        // Writing a map of numbers and a string into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, &record);
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use adl_bench::Rng;
    use serde_json::{Map, Value, json};

    use super::*;

    const ALPHABET: &[char] = &[
        'a', 'z', ' ', '"', '\\', '/', '\n', '\r', '\t', '\u{0}', '\u{8}', '\u{c}', '\u{1f}',
        '\u{7f}', 'é', '✓', '😀',
    ];

    /// A generated JSON value: every kind, nested up to `depth`.
    fn value(rng: &mut Rng, depth: u32) -> Value {
        match rng.below(if depth == 0 { 6 } else { 8 }) {
            0 => Value::Null,
            1 => Value::Bool(rng.below(2) == 0),
            2 => json!(rng.next_u64() >> rng.below(64)),
            3 => json!(-i64::try_from(rng.next_u64() >> (1 + rng.below(63))).unwrap_or(1)),
            4 => {
                let float = f64::from_bits(rng.next_u64());
                if float.is_finite() {
                    json!(float)
                } else {
                    json!(f64::from(rng.below(1000) as u32) / 8.0)
                }
            }
            5 => Value::String(rng.text(ALPHABET, 12)),
            6 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth - 1)).collect()),
            _ => {
                let mut members = Map::new();
                for _ in 0..rng.below(4) {
                    members.insert(rng.text(ALPHABET, 6), value(rng, depth - 1));
                }
                Value::Object(members)
            }
        }
    }

    fn event(id: Substr, data: Value) -> Arc<Event> {
        Arc::new(Event::new(
            id,
            "ping",
            "2026-01-01T00:00:00Z".to_owned(),
            data,
        ))
    }

    /// Every kind of record, with generated ids, texts and values.
    fn outcomes(rng: &mut Rng) -> Vec<Outcome> {
        let mut text = || rng.text(ALPHABET, 16);
        let (id, reason, handler, cause) = (text(), text(), text(), text());
        let (id, cause) = (Substr::from(id), Substr::from(cause));
        let index = (rng.next_u64() >> rng.below(64)) as usize;
        let (input, result, data) = (value(rng, 3), value(rng, 3), value(rng, 3));
        vec![
            Outcome::Accepted {
                index,
                event: event(id.clone(), Value::Null),
            },
            Outcome::Rejected {
                index,
                event_id: (rng.below(2) == 0).then(|| id.clone()),
                reason: reason.clone(),
            },
            Outcome::Duplicate {
                index,
                event_id: id.clone(),
            },
            Outcome::Action(Action {
                event_id: id.clone(),
                handler: Arc::from(handler.as_str()),
                handler_type: "tool_invocation",
                via: Arc::from("/events/subscriptions/0"),
                input: Arc::new(input),
                outcome: [
                    ActionOutcome::Ok,
                    ActionOutcome::Error,
                    ActionOutcome::Timeout,
                ][rng.index(3)],
                result: (rng.below(2) == 0).then_some(result),
                error: (rng.below(2) == 0).then_some(reason),
                replayed: rng.below(2) == 0,
            }),
            Outcome::Event(Emitted {
                event: event(id, data),
                cause,
                dispatched: rng.below(2) == 0,
            }),
        ]
    }

    #[test]
    fn the_summary_line_has_every_count_and_its_kind() {
        let summary = Summary {
            accepted: 1,
            rejected: 2,
            actions: 3,
            errors: 4,
            emitted: 5,
            dropped: 6,
            replayed: 7,
            duplicates: 8,
        };
        let mut line = Vec::new();
        summary.write_json_line(&mut line);
        assert_eq!(
            String::from_utf8(line).unwrap(),
            concat!(
                r#"{"accepted":1,"actions":3,"dropped":6,"duplicates":8,"emitted":5,"#,
                r#""errors":4,"kind":"summary","rejected":2,"replayed":7}"#,
                "\n"
            )
        );
    }

    #[test]
    fn a_json_line_is_what_serde_writes() {
        let mut rng = Rng::new(5);
        for _ in 0..3_000 {
            for outcome in outcomes(&mut rng) {
                let mut line = Vec::new();
                outcome.write_json_line(&mut line);
                let mut expected = serde_json::to_vec(&outcome).unwrap();
                expected.push(b'\n');
                assert_eq!(
                    String::from_utf8(line).unwrap(),
                    String::from_utf8(expected).unwrap()
                );
            }
        }
    }
}
