//! The runtime event envelope (spec §2) and how raw JSON becomes one.

use std::fmt;
use std::ops::Range;

use arcstr::{ArcStr, Substr};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::EventData;
use crate::event_data::{DataInto, RawData, Writer, fits_a_substr, with_scratch};

/// An event as the runtime dispatches it: every envelope field filled in.
///
/// Its strings are [`Substr`]s: events read together share one buffer, and
/// a copy of a string is a reference count, not an allocation. A `Substr`
/// holds at most 4 GiB (making a longer one panics); input events whose
/// strings take more are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: Substr,
    /// The event's name: what subscriptions and triggers match.
    pub event_type: Substr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Substr>,
    /// RFC 3339.
    pub timestamp: Substr,
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
    pub event_type: Substr,
    pub id: Option<Substr>,
    pub source: Option<Substr>,
    /// RFC 3339 (checked).
    pub timestamp: Option<Substr>,
    pub data: EventData,
}

impl Event {
    /// A new event with a given id and timestamp.
    pub fn new(
        id: impl Into<Substr>,
        event_type: impl Into<Substr>,
        timestamp: impl Into<Substr>,
        data: impl Into<EventData>,
    ) -> Self {
        Self {
            id: id.into(),
            event_type: event_type.into(),
            source: None,
            timestamp: timestamp.into(),
            data: data.into(),
        }
    }

    /// Reads an envelope (see [`Envelope::from_value`]); missing ids and
    /// timestamps come from the given functions.
    pub fn from_value(
        value: Value,
        new_id: impl FnOnce() -> Substr,
        now: impl FnOnce() -> Substr,
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
    /// keys are ignored. The same reading as from text ([`EventInput::from_json`]).
    ///
    /// `data` stays the value it is (nothing is written out as text for it):
    /// a host that has values keeps them.
    pub fn from_value(mut value: Value) -> Result<Self, EnvelopeError> {
        let (data, alias) = match &mut value {
            Value::Object(object) => (object.remove("data"), object.remove("value")),
            _ => (None, None),
        };
        let (raw, shared) = with_scratch(|writer| {
            let seed = InputSeed {
                batch: false,
                writer,
            };
            let raw = match seed.deserialize(value) {
                Ok(EventInput::Single(raw)) => raw,
                Ok(EventInput::Batch(_)) => Err(not_an_object("an array")),
                Err(error) => Err(EnvelopeError(error.to_string())),
            };
            (raw, SharedText::take(writer))
        });
        let mut envelope = shared.envelope(raw)?;
        // Checked after the other fields, as reading from text does.
        if let Some(data) = aliased(data, alias, "data", "value")? {
            envelope.data = EventData::from(data);
        }
        Ok(envelope)
    }

    /// The event to dispatch: a missing id and timestamp from the given functions.
    pub fn into_event(
        self,
        new_id: impl FnOnce() -> Substr,
        now: impl FnOnce() -> Substr,
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
pub enum EventInput<E = Envelope> {
    Single(Result<E, EnvelopeError>),
    Batch(Vec<Result<E, EnvelopeError>>),
}

impl EventInput {
    /// Reads one JSON value of event input. A repeated key keeps its last
    /// value, as JSON consumers do; nothing here needs source spans.
    pub fn from_json(text: &str) -> serde_json::Result<Self> {
        let mut reader = EnvelopeReader::default();
        let raw = reader.read(text)?;
        let shared = reader.freeze();
        Ok(raw.map(|raw| shared.envelope(raw)))
    }
}

impl<E> EventInput<E> {
    /// Each event (or why it is not one) turned into another.
    pub fn map<F>(
        self,
        mut each: impl FnMut(Result<E, EnvelopeError>) -> Result<F, EnvelopeError>,
    ) -> EventInput<F> {
        match self {
            EventInput::Single(event) => EventInput::Single(each(event)),
            EventInput::Batch(events) => EventInput::Batch(events.into_iter().map(each).collect()),
        }
    }
}

/// Reads event input from JSON text, many values one after another. The
/// strings of every envelope read go into one buffer, which
/// [`EnvelopeReader::freeze`] turns into text they all share: a batch of
/// events costs one allocation rather than several per event, and is freed
/// at once when its last event is dropped.
#[derive(Default)]
pub(crate) struct EnvelopeReader {
    writer: Writer,
}

impl fmt::Debug for EnvelopeReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvelopeReader")
            .field("held", &self.held())
            .finish()
    }
}

impl EnvelopeReader {
    /// Reads one JSON value of event input (see [`EventInput::from_json`]).
    /// Text that is not JSON leaves nothing behind.
    pub fn read(&mut self, text: &str) -> serde_json::Result<EventInput<RawEnvelope>> {
        let mark = self.writer.out.len();
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let seed = InputSeed {
            batch: true,
            writer: &mut self.writer,
        };
        let read = seed
            .deserialize(&mut deserializer)
            .and_then(|input| deserializer.end().map(|()| input));
        if read.is_err() {
            self.writer.truncate(mark);
        }
        read
    }

    /// How many bytes of text the envelopes read since the last freeze hold.
    pub fn held(&self) -> usize {
        self.writer.out.len()
    }

    /// The text of the envelopes read since the last freeze, now shared;
    /// the reader starts afresh (keeping its buffer).
    pub fn freeze(&mut self) -> SharedText {
        SharedText::take(&mut self.writer)
    }
}

/// An envelope an [`EnvelopeReader`] read: where its strings lie in text not
/// shared yet. [`SharedText::envelope`] makes it an [`Envelope`].
#[derive(Debug)]
pub(crate) struct RawEnvelope {
    event_type: Range<usize>,
    id: Option<Range<usize>>,
    source: Option<Range<usize>>,
    timestamp: Option<Range<usize>>,
    data: Option<RawData>,
}

/// The text of the envelopes an [`EnvelopeReader`] read, shared by them.
#[derive(Debug, Clone)]
pub(crate) struct SharedText(ArcStr);

impl SharedText {
    /// The text `writer` holds, copied into one shared text; the writer is
    /// emptied (its buffer kept).
    fn take(writer: &mut Writer) -> Self {
        // Only `str`s and ASCII were written: always UTF-8. Were it not, the
        // text would be empty and each envelope would say so.
        let text = std::str::from_utf8(&writer.out).map_or_else(|_| ArcStr::new(), ArcStr::from);
        writer.clear();
        Self(text)
    }
}

impl SharedText {
    /// The envelope, its strings in this text.
    pub fn envelope(
        &self,
        raw: Result<RawEnvelope, EnvelopeError>,
    ) -> Result<Envelope, EnvelopeError> {
        let raw = raw?;
        if !fits_a_substr(&self.0) {
            return Err(EnvelopeError(
                "the event is too large: its strings take more than 4 GiB".to_owned(),
            ));
        }
        let text = |range: Range<usize>| match self.0.get(range.clone()) {
            Some(_) => Ok(self.0.substr(range)),
            None => Err(EnvelopeError(
                "the event's text is not in the text it was read with".to_owned(),
            )),
        };
        let optional = |range: Option<Range<usize>>| range.map(text).transpose();
        Ok(Envelope {
            event_type: text(raw.event_type)?,
            id: optional(raw.id)?,
            source: optional(raw.source)?,
            timestamp: optional(raw.timestamp)?,
            data: match raw.data {
                None => EventData::default(),
                Some(RawData::Text(range)) => EventData::from_text(text(range)?),
                Some(RawData::Parsed(data)) => data,
            },
        })
    }
}

/// The envelope's keys as found, before their values are checked.
#[derive(Default)]
struct Fields {
    event_type: Option<Field>,
    name: Option<Field>,
    id: Option<Field>,
    source: Option<Field>,
    timestamp: Option<Field>,
    data: Option<RawData>,
    value: Option<RawData>,
}

/// An envelope field as read: a string (where it lies in the written text)
/// or, named by its JSON type, anything else.
enum Field {
    Text(Range<usize>),
    Other(&'static str),
}

impl Fields {
    /// Checks the fields; `text` is where their strings were written.
    fn into_envelope(self, text: &[u8]) -> Result<RawEnvelope, EnvelopeError> {
        let event_type = match aliased(self.event_type, self.name, "event_type", "name")? {
            Some(Field::Text(name)) if !name.is_empty() => name,
            Some(Field::Text(_)) => {
                return Err(EnvelopeError("`event_type` is empty".to_owned()));
            }
            Some(Field::Other(found)) => {
                return Err(EnvelopeError(format!(
                    "`event_type` must be a string, found {found}"
                )));
            }
            None => return Err(EnvelopeError("missing `event_type`".to_owned())),
        };
        let id = match optional_string(self.id, "id")? {
            Some(id) if id.is_empty() => return Err(EnvelopeError("`id` is empty".to_owned())),
            Some(id) => Some(check_id(id, text)?),
            None => None,
        };
        let timestamp = optional_string(self.timestamp, "timestamp")?;
        if let Some(range) = &timestamp {
            let written = String::from_utf8_lossy(&text[range.clone()]);
            if written.parse::<jiff::Timestamp>().is_err() {
                return Err(EnvelopeError(format!(
                    "`timestamp` is not an RFC 3339 date-time: \"{written}\""
                )));
            }
        }
        let source = optional_string(self.source, "source")?;
        let data = aliased(self.data, self.value, "data", "value")?;
        Ok(RawEnvelope {
            event_type,
            id,
            source,
            timestamp,
            data,
        })
    }
}

/// The longest event id, in bytes. Ids are idempotency keys: stores index
/// them (PostgreSQL refuses index entries of a few kilobytes) and tools get
/// them in their environment.
pub const MAX_ID_BYTES: usize = 512;

/// An id is at most [`MAX_ID_BYTES`] long and has no control character: it
/// is written into logs and handed to tools, where a newline would split a
/// line and a NUL would cut the value.
fn check_id(range: Range<usize>, text: &[u8]) -> Result<Range<usize>, EnvelopeError> {
    if range.len() > MAX_ID_BYTES {
        return Err(EnvelopeError(format!(
            "`id` is longer than {MAX_ID_BYTES} bytes ({})",
            range.len()
        )));
    }
    let id = &text[range.clone()];
    if let Some((at, control)) = control_character(id) {
        let position = String::from_utf8_lossy(&id[..at]).chars().count() + 1;
        return Err(EnvelopeError(format!(
            "`id` has a control character (U+{control:04X}) at position {position}"
        )));
    }
    Ok(range)
}

/// Where UTF-8 text has its first control character (`char::is_control`:
/// U+0000–U+001F, U+007F, and U+0080–U+009F, written `C2 80`–`C2 9F`), and
/// which. Scanned as bytes: ids are checked for every event.
fn control_character(text: &[u8]) -> Option<(usize, u32)> {
    // Most ids are printable ASCII: one pass, no branch per byte.
    if text.iter().all(|&b| b.wrapping_sub(0x20) < 0x5f) {
        return None;
    }
    let mut from = 0;
    while let Some(found) = text[from..]
        .iter()
        .position(|&b| b < 0x20 || b == 0x7f || b == 0xc2)
    {
        let at = from + found;
        match (text[at], text.get(at + 1)) {
            (0xc2, Some(&next)) if (0x80..=0x9f).contains(&next) => {
                return Some((at, u32::from(next)));
            }
            (0xc2, _) => from = at + 1,
            (byte, _) => return Some((at, u32::from(byte))),
        }
    }
    None
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

fn optional_string(value: Option<Field>, key: &str) -> Result<Option<Range<usize>>, EnvelopeError> {
    match value {
        None => Ok(None),
        Some(Field::Text(range)) => Ok(Some(range)),
        Some(Field::Other(found)) => Err(EnvelopeError(format!(
            "`{key}` must be a string, found {found}"
        ))),
    }
}

/// Reads one value of event input; `batch`: whether an array is a batch (top
/// level) or, as an element of a batch, not an event. Strings go to `writer`.
struct InputSeed<'w> {
    batch: bool,
    writer: &'w mut Writer,
}

impl<'de> DeserializeSeed<'de> for InputSeed<'_> {
    type Value = EventInput<RawEnvelope>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for InputSeed<'_> {
    type Value = EventInput<RawEnvelope>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object or an array of them")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(EventInput::Single(Err(not_an_object("a boolean"))))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(EventInput::Single(Err(not_an_object("a number"))))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(EventInput::Single(Err(not_an_object("a number"))))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(EventInput::Single(Err(not_an_object("a number"))))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(EventInput::Single(Err(not_an_object("a string"))))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(EventInput::Single(Err(not_an_object("null"))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if !self.batch {
            while seq.next_element::<Value>()?.is_some() {}
            return Ok(EventInput::Single(Err(not_an_object("an array"))));
        }
        let writer = self.writer;
        let mut events = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(element) = seq.next_element_seed(InputSeed {
            batch: false,
            writer: &mut *writer,
        })? {
            events.push(match element {
                EventInput::Single(event) => event,
                EventInput::Batch(_) => Err(not_an_object("an array")),
            });
        }
        Ok(EventInput::Batch(events))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let writer = self.writer;
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
                    fields.data = Some(map.next_value_seed(DataInto(writer))?);
                    continue;
                }
                Key::Value => {
                    fields.value = Some(map.next_value_seed(DataInto(writer))?);
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
            *slot = Some(map.next_value_seed(FieldSeed(writer))?);
        }
        Ok(EventInput::Single(fields.into_envelope(&writer.out)))
    }
}

/// Reads an envelope field: a string is written out, anything else named.
struct FieldSeed<'w>(&'w mut Writer);

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Field;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, text: &str) -> Result<Field, E> {
        let start = self.0.out.len();
        self.0.out.extend_from_slice(text.as_bytes());
        Ok(Field::Text(start..self.0.out.len()))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Field, E> {
        Ok(Field::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Field, E> {
        Ok(Field::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Field, E> {
        Ok(Field::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Field, E> {
        Ok(Field::Other("a number"))
    }

    fn visit_unit<E>(self) -> Result<Field, E> {
        Ok(Field::Other("null"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
        // Read as values, for the reason given for other keys.
        while seq.next_element::<Value>()?.is_some() {}
        Ok(Field::Other("an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
        while map.next_entry::<IgnoredAny, Value>()?.is_some() {}
        Ok(Field::Other("an object"))
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
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
mod control_characters {
    /// The byte scan finds exactly what `char::is_control` finds.
    #[test]
    fn the_byte_scan_agrees_with_is_control() {
        for code in (0..0x3000u32).chain([0x1_F600]) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let text = format!("ab{c}é{c}");
            let expected = c.is_control().then_some((2, code));
            assert_eq!(
                super::control_character(text.as_bytes()),
                expected,
                "U+{code:04X}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(value: Value) -> Result<Event, EnvelopeError> {
        Event::from_value(
            value,
            || "generated".into(),
            || "2026-01-01T00:00:00Z".into(),
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

    /// The envelopes read between two freezes share one text; a value that
    /// is not JSON leaves nothing of itself in it, so what is shared is only
    /// the strings of the envelopes handed out.
    #[test]
    fn envelopes_read_together_share_one_text() {
        let mut reader = EnvelopeReader::default();
        let first = reader
            .read(r#"{"event_type": "a", "id": "e1", "data": {"n": [1, 2]}}"#)
            .expect("JSON");
        let held = reader.held();
        assert_eq!(held, "ae1".len() + r#"{"n":[1,2]}"#.len());
        let cut_short = reader.read(r#"{"event_type": "b", "data": {"long": "text"#);
        assert!(cut_short.is_err_and(|e| e.is_eof()));
        let invalid = reader.read(r#"[{"event_type": "c"}, {"event_type": "d", "data": [1,]}]"#);
        assert!(invalid.is_err());
        assert_eq!(reader.held(), held, "a failed read leaves nothing behind");
        let second = reader
            .read(r#"[{"name": "b", "source": "s\u00e9", "timestamp": "2026-01-01T00:00:00Z"}, 7]"#)
            .expect("JSON");
        let shared = reader.freeze();
        assert_eq!(reader.held(), 0, "a freeze starts afresh");
        let EventInput::Single(first) = first else {
            panic!("one event")
        };
        let EventInput::Batch(mut second) = second else {
            panic!("a batch")
        };
        assert!(second.pop().expect("two").is_err(), "7 is not an event");
        let first = shared.envelope(first).expect("valid");
        let second = shared.envelope(second.pop().expect("one")).expect("valid");
        assert_eq!(first.id.as_deref(), Some("e1"));
        assert_eq!(first.data.to_string(), r#"{"n":[1,2]}"#);
        assert_eq!(second.event_type, "b");
        assert_eq!(second.source.as_deref(), Some("s\u{e9}"));
        assert_eq!(second.data, json!({}));
        let text = first.event_type.parent();
        let data = first.data.text().expect("kept as text");
        let timestamp = second.timestamp.as_ref().expect("set");
        for string in [data, &second.event_type, timestamp] {
            assert!(
                ArcStr::ptr_eq(string.parent(), text),
                "{string} is in the shared text"
            );
        }
        // Only the strings handed out, each once.
        assert_eq!(text.len(), held + "bs\u{e9}2026-01-01T00:00:00Z".len());
    }

    /// A host's value stays a value: its data is not written out as text.
    #[test]
    fn data_read_from_a_value_stays_a_value() {
        let event = read(json!({"event_type": "a", "value": {"n": [1, 2]}})).expect("valid");
        assert!(event.data.text().is_none(), "kept as the value it was");
        assert_eq!(event.data, json!({"n": [1, 2]}));
        // The envelope's other checks still come first.
        let both = json!({"event_type": 3, "data": {}, "value": {}});
        assert_eq!(
            read(both).expect_err("invalid").0,
            "`event_type` must be a string, found a number"
        );
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
