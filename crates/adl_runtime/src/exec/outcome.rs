//! The outcome stream: what dispatch acknowledged and what handlers did, in
//! the shape `adl run` prints (spec §12).

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
        event_id: Option<String>,
        reason: String,
    },
    /// One handler execution.
    Action(Action),
    /// One event a handler (or the runtime) emitted.
    Event(Emitted),
}

impl Outcome {
    /// Appends the record as one line of JSON (what `adl run` prints), the
    /// same bytes as `serde_json::to_writer` and a newline. `accepted`, one
    /// record per input event, is written without going through serde.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        match self {
            Outcome::Accepted { index, event } => {
                out.extend_from_slice(br#"{"kind":"accepted","index":"#);
                out.extend_from_slice(itoa::Buffer::new().format(*index).as_bytes());
                out.extend_from_slice(br#","event_id":"#);
                write_json(out, &event.id);
                out.extend_from_slice(b"}\n");
            }
            other => {
                write_json(out, other);
                out.push(b'\n');
            }
        }
    }
}

fn write_json(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) {
    // Writing to a `Vec` cannot fail, and these types have no map with
    // non-string keys; `null` keeps the line JSON should that ever change.
    let start = out.len();
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.truncate(start);
        out.extend_from_slice(b"null");
    }
}

fn id_of<S: serde::Serializer>(event: &Arc<Event>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&event.id)
}

/// One handler execution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// The event that caused it.
    pub event_id: String,
    /// Reference name, or pointer of a handler without one.
    pub handler: Arc<str>,
    pub handler_type: &'static str,
    /// Pointer of the subscription or trigger that activated the handler.
    pub via: Arc<str>,
    /// Resolved parameters (tool, custom), value (state update) or message.
    pub input: Value,
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
    pub cause: String,
    /// `false` when it was recorded but not dispatched: past
    /// `max_cascade_depth`, or an error raised while handling an error event.
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
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(id: &str) -> Arc<Event> {
        let data = json!({"text": "a \"quoted\" line\n", "n": [1, 2.5, null]});
        Arc::new(Event::new(
            id.to_owned(),
            "ping",
            "2026-01-01T00:00:00Z".to_owned(),
            data,
        ))
    }

    #[test]
    fn a_json_line_is_what_serde_writes() {
        let ids = [
            "e1",
            "",
            "quote \" and \\ back",
            "tab\tnew\nline",
            "\u{1}\u{1f}",
            "é ✓ 😀",
        ];
        let mut outcomes = Vec::new();
        for (index, id) in ids.into_iter().enumerate() {
            outcomes.push(Outcome::Accepted {
                index: index * 1_000_003,
                event: event(id),
            });
            outcomes.push(Outcome::Rejected {
                index,
                event_id: Some(id.to_owned()),
                reason: format!("no: {id}"),
            });
            outcomes.push(Outcome::Action(Action {
                event_id: id.to_owned(),
                handler: Arc::from(id),
                handler_type: "tool_invocation",
                via: Arc::from("/events/subscriptions/0"),
                input: json!({"q": id}),
                outcome: ActionOutcome::Error,
                result: None,
                error: Some(id.to_owned()),
                replayed: index % 2 == 0,
            }));
            outcomes.push(Outcome::Event(Emitted {
                event: event(id),
                cause: id.to_owned(),
                dispatched: index % 2 == 0,
            }));
        }
        outcomes.push(Outcome::Accepted {
            index: usize::MAX,
            event: event("last"),
        });
        for outcome in outcomes {
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
