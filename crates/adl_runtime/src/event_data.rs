//! An event's `data`, kept as compact JSON text and parsed into a
//! `serde_json::Value` only when something reads it.
//!
//! Most input events are stored, matched by name and acknowledged without
//! anyone looking inside `data`; building a `Value` for each (a map, its keys,
//! its strings) was the largest part of reading input. Input data is instead
//! read in one pass that checks it exactly as a `Value` parse would (the same
//! `serde_json` parse: recursion limit, number range, escapes) while writing it
//! out compactly, byte for byte what `serde_json` writes for that `Value`. A
//! filter, condition, template or schema that reads it parses that text once.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use arcstr::Substr;

use adl_parser::template::PathSegment;
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::json_text::{write_str, write_value};

/// The `data` of an event: any JSON value.
///
/// ```
/// use adl_runtime::EventData;
/// use serde_json::json;
/// let data: EventData = serde_json::from_str(r#"{"n": 1, "s": "\u0061"}"#).unwrap();
/// assert_eq!(data.to_string(), r#"{"n":1,"s":"a"}"#);
/// assert_eq!(data.value()["n"], json!(1));
/// assert_eq!(data, EventData::from(json!({"n": 1, "s": "a"})));
/// ```
#[derive(Clone)]
pub struct EventData {
    /// Compact JSON text, exactly what `serde_json` writes for the value;
    /// `None` for data made from a `Value`. Input data shares one buffer with
    /// the other strings of the events read with it.
    text: Option<Substr>,
    /// The value, parsed from `text` when first read. Boxed: events are
    /// moved from queue to queue, and most never parse their data.
    value: OnceLock<Box<Value>>,
}

impl EventData {
    /// The data as a JSON value (parsed on first use, then kept).
    pub fn value(&self) -> &Value {
        self.value
            .get_or_init(|| Box::new(parse(self.text.as_deref().unwrap_or("null"))))
    }

    pub fn into_value(self) -> Value {
        match self.value.into_inner() {
            Some(value) => *value,
            None => parse(self.text.as_deref().unwrap_or("null")),
        }
    }

    /// The value at `path` below the data (all of it for an empty path);
    /// `None` when anything on the way is missing.
    pub fn get(&self, path: &[PathSegment]) -> Option<&Value> {
        walk(self.value(), path)
    }

    /// The compact JSON text the data is kept as, if it is.
    #[cfg(test)]
    pub(crate) fn text(&self) -> Option<&Substr> {
        self.text.as_ref()
    }

    /// Calls `f` with the data as compact JSON: the kept text itself, or
    /// the value written out when there is none.
    pub(crate) fn with_json<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        if let Some(text) = &self.text {
            f(text.as_bytes())
        } else {
            let mut out = Vec::new();
            write_value(&mut out, self.value());
            f(&out)
        }
    }

    /// Appends the data as compact JSON.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        match &self.text {
            Some(text) => out.extend_from_slice(text.as_bytes()),
            None => write_value(out, self.value()),
        }
    }
}

/// Whether `text` can be a [`Substr`], which indexes with 32 bits: at most
/// 4 GiB long (longer data is kept as a value, a longer event rejected).
pub(crate) fn fits_a_substr(text: &str) -> bool {
    u32::try_from(text.len()).is_ok()
}

/// The value at `path` below `value`.
pub(crate) fn walk<'a>(mut value: &'a Value, path: &[PathSegment]) -> Option<&'a Value> {
    for step in path {
        value = match step {
            PathSegment::Field(name) => value.as_object()?.get(name)?,
            PathSegment::Index(index) => value.as_array()?.get(*index)?,
        };
    }
    Some(value)
}

fn parse(text: &str) -> Value {
    #[allow(
        clippy::disallowed_methods,
        reason = "event data: no spans, and the text is known to be JSON"
    )]
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl EventData {
    /// Data the runtime writes itself, as compact JSON text (with the writers
    /// of `json_text`, byte for byte what `serde_json` writes, and with no
    /// repeated key): kept as that text, like input data.
    pub(crate) fn from_written(text: Vec<u8>) -> Self {
        match String::from_utf8(text) {
            Ok(text) if fits_a_substr(&text) => Self::from_text(Substr::from(text)),
            Ok(text) => Self::from(parse(&text)),
            // The writers copy `str`s and ASCII: not reached.
            Err(error) => Self::from(parse(&String::from_utf8_lossy(error.as_bytes()))),
        }
    }
}

impl EventData {
    /// Data kept as compact JSON text that a full `serde_json` parse accepted
    /// (and that has no repeated key).
    pub(crate) fn from_text(text: Substr) -> Self {
        Self {
            text: Some(text),
            value: OnceLock::new(),
        }
    }
}

impl From<Value> for EventData {
    fn from(value: Value) -> Self {
        Self {
            text: None,
            value: OnceLock::from(Box::new(value)),
        }
    }
}

impl Default for EventData {
    /// An empty object: the data of an event that has none.
    fn default() -> Self {
        Self::from_text(Substr::from(arcstr::literal!("{}")))
    }
}

impl PartialEq for EventData {
    fn eq(&self, other: &Self) -> bool {
        match (&self.text, &other.text) {
            (Some(mine), Some(theirs)) if mine == theirs => true,
            _ => self.value() == other.value(),
        }
    }
}

impl PartialEq<Value> for EventData {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

/// Compact JSON.
impl fmt::Display for EventData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.text {
            Some(text) => f.write_str(text),
            None => fmt::Display::fmt(self.value(), f),
        }
    }
}

impl fmt::Debug for EventData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventData({self})")
    }
}

/// As its value. Written through serde (a host's `serde_json::to_value`,
/// `${event}`), data is parsed once and kept; the runtime's own writers copy
/// the text instead.
impl Serialize for EventData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for EventData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        DataSeed.deserialize(deserializer)
    }
}

/// Reads any JSON value as [`EventData`], writing its compact text as it goes.
pub(crate) struct DataSeed;

thread_local! {
    /// The text being written and the key stack, reused from event to event
    /// by every one-off read (a host's `Deserialize`, `Envelope::from_value`);
    /// input read in batches has a writer of its own.
    static SCRATCH: RefCell<Writer> = RefCell::default();
}

/// Past this size the scratch buffer is not kept for the next event.
const SCRATCH_KEPT: usize = 1 << 20;

/// Runs `write` with this thread's scratch writer, emptied; what it writes
/// is copied out before the next use.
pub(crate) fn with_scratch<T>(write: impl FnOnce(&mut Writer) -> T) -> T {
    SCRATCH.with_borrow_mut(|writer| {
        writer.clear();
        let result = write(writer);
        if writer.out.capacity() > SCRATCH_KEPT {
            *writer = Writer::default();
        }
        result
    })
}

impl<'de> DeserializeSeed<'de> for DataSeed {
    type Value = EventData;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<EventData, D::Error> {
        with_scratch(|writer| match DataInto(writer).deserialize(deserializer)? {
            RawData::Text(range) => {
                let text = std::str::from_utf8(&writer.out[range]).map_err(D::Error::custom)?;
                Ok(if fits_a_substr(text) {
                    EventData::from_text(Substr::from(text))
                } else {
                    EventData::from(parse(text))
                })
            }
            RawData::Parsed(data) => Ok(data),
        })
    }
}

/// Data read into a [`Writer`]'s text, before that text is shared.
#[derive(Debug)]
pub(crate) enum RawData {
    /// Where its compact text lies in the writer's text.
    Text(Range<usize>),
    /// Data with a repeated key: the text holds every entry, the value only
    /// the last (as a `Value` does), so the value is kept.
    Parsed(EventData),
}

/// Reads any JSON value, appending its compact text to a writer.
pub(crate) struct DataInto<'w>(pub(crate) &'w mut Writer);

impl<'de> DeserializeSeed<'de> for DataInto<'_> {
    type Value = RawData;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawData, D::Error> {
        let writer = self.0;
        let start = writer.out.len();
        writer.keys.clear();
        writer.repeated_key = false;
        Transcode(writer).deserialize(deserializer)?;
        if writer.repeated_key {
            let text = std::str::from_utf8(&writer.out[start..]).map_err(D::Error::custom)?;
            let data = EventData::from(parse(text));
            writer.out.truncate(start);
            return Ok(RawData::Parsed(data));
        }
        Ok(RawData::Text(start..writer.out.len()))
    }
}

/// Text being written: the compact JSON of event data, and the other strings
/// of the events read with it.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
    /// Where each key of the objects being written lies in `out`.
    keys: Vec<(usize, usize)>,
    repeated_key: bool,
}

impl Writer {
    pub(crate) fn clear(&mut self) {
        self.truncate(0);
    }

    /// Back to the first `len` bytes of text, between values.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.out.truncate(len);
        self.keys.clear();
        self.repeated_key = false;
    }

    /// Whether two of the keys from `frame` on are the same (both are
    /// written escaped the one way `serde_json` escapes, so equal keys are
    /// equal bytes).
    fn has_repeated_key(&self, frame: usize) -> bool {
        let keys = &self.keys[frame..];
        let text = |&(start, end): &(usize, usize)| &self.out[start..end];
        if keys.len() <= 16 {
            return keys
                .iter()
                .enumerate()
                .any(|(i, key)| keys[..i].iter().any(|other| text(other) == text(key)));
        }
        let mut seen = HashSet::with_capacity(keys.len());
        !keys.iter().all(|key| seen.insert(text(key)))
    }
}

/// Reads one JSON value, appending its compact text.
struct Transcode<'w>(&'w mut Writer);

impl<'de> DeserializeSeed<'de> for Transcode<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Transcode<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<(), E> {
        let text: &[u8] = if value { b"true" } else { b"false" };
        self.0.out.extend_from_slice(text);
        Ok(())
    }

    fn visit_i64<E>(self, value: i64) -> Result<(), E> {
        self.0
            .out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
        Ok(())
    }

    fn visit_u64<E>(self, value: u64) -> Result<(), E> {
        self.0
            .out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
        Ok(())
    }

    fn visit_f64<E>(self, value: f64) -> Result<(), E> {
        // As a `Value` holds it: a number, or null if it is not finite.
        match serde_json::Number::from_f64(value) {
            Some(number) => self.0.out.extend_from_slice(number.to_string().as_bytes()),
            None => self.0.out.extend_from_slice(b"null"),
        }
        Ok(())
    }

    fn visit_str<E>(self, value: &str) -> Result<(), E> {
        write_str(&mut self.0.out, value);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.out.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.0.out.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let writer = self.0;
        writer.out.push(b'[');
        let mut first = true;
        loop {
            let mark = writer.out.len();
            if !first {
                writer.out.push(b',');
            }
            if seq.next_element_seed(Transcode(writer))?.is_none() {
                writer.out.truncate(mark);
                break;
            }
            first = false;
        }
        writer.out.push(b']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let writer = self.0;
        writer.out.push(b'{');
        let frame = writer.keys.len();
        loop {
            let mark = writer.out.len();
            if frame != writer.keys.len() {
                writer.out.push(b',');
            }
            let start = writer.out.len();
            if map.next_key_seed(Key(writer))?.is_none() {
                writer.out.truncate(mark);
                break;
            }
            writer.keys.push((start, writer.out.len()));
            writer.out.push(b':');
            map.next_value_seed(Transcode(writer))?;
        }
        if writer.has_repeated_key(frame) {
            writer.repeated_key = true;
        }
        writer.keys.truncate(frame);
        writer.out.push(b'}');
        Ok(())
    }
}

/// Reads an object key, appending it as a JSON string.
struct Key<'w>(&'w mut Writer);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, key: &str) -> Result<(), E> {
        write_str(&mut self.0.out, key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::disallowed_methods, reason = "the parse to compare with")]
    fn both(text: &str) -> (serde_json::Result<EventData>, serde_json::Result<Value>) {
        (serde_json::from_str(text), serde_json::from_str(text))
    }

    /// Reading data accepts exactly what a `Value` parse accepts, and its
    /// text is what `serde_json` writes for that value.
    #[test]
    fn reads_what_a_value_parse_reads_and_writes_what_it_writes() {
        const REPEATED: [&str; 2] = [
            r#"{"a": 1, "b": 2, "a": 3}"#,
            r#"{"x": {"k": 1, "k": {"k": 2, "k": 3}}, "y": [{"z": 1, "z": 2}]}"#,
        ];
        let texts = [
            r#"{"text": "hello", "amount": 89}"#,
            r#"{"a": {"b": [1, -2, 3.5, 1e3, -0, 0.1, 1.7976931348623157e308]}}"#,
            r#"[true, false, null, "", "\u00e9\n\t\"\\\/", "\ud83d\ude00", "é"]"#,
            r#"{"\u0061": 1, "a\u0000b": "\u001f"}"#,
            "12345678901234567890",
            "-9223372036854775808",
            "{}",
            "[]",
            REPEATED[0],
            REPEATED[1],
            // Rejected by both: out of range, lone surrogate, bad escape,
            // cut short, trailing comma, too deep.
            "1e400",
            r#""\ud800""#,
            r#""\x""#,
            r#"{"a": [1, 2"#,
            "[1, 2,]",
            &format!("{}1{}", "[".repeat(200), "]".repeat(200)),
        ];
        for text in texts {
            match both(text) {
                (Ok(data), Ok(value)) => {
                    // Kept as text, not parsed, unless a key repeats.
                    assert_eq!(data.text.is_some(), !REPEATED.contains(&text), "{text}");
                    assert!(data.value.get().is_none() || REPEATED.contains(&text));
                    assert_eq!(data.to_string(), value.to_string(), "{text}");
                    assert_eq!(data.value(), &value, "{text}");
                    assert_eq!(data.clone().into_value(), value, "{text}");
                    let mut written = Vec::new();
                    data.write_json(&mut written);
                    assert_eq!(written, value.to_string().into_bytes(), "{text}");
                }
                (Err(data), Err(value)) => {
                    assert_eq!(data.to_string(), value.to_string(), "{text}");
                    assert_eq!(data.is_eof(), value.is_eof(), "{text}");
                }
                (data, value) => panic!("{text}: {data:?} against {value:?}"),
            }
        }
    }

    /// Generated values round-trip: read from their pretty-printed text, the
    /// data writes what `serde_json` writes and holds the same value.
    #[test]
    fn generated_values_read_back_the_same() {
        let mut rng = adl_bench::Rng::new(0xDA7A);
        let strings = ["", "a", "é", "\u{1F600}", "quote\"", "ctl\u{1}", "k"];
        for _ in 0..300 {
            let value = generate(&mut rng, &strings, 0);
            let (data, parsed) = both(&serde_json::to_string_pretty(&value).unwrap_or_default());
            let (data, parsed) = (data.expect("data"), parsed.expect("value"));
            assert_eq!(data.to_string(), parsed.to_string());
            assert_eq!(data, parsed);
        }
    }

    fn generate(rng: &mut adl_bench::Rng, strings: &[&str], depth: u32) -> Value {
        let pick = |rng: &mut adl_bench::Rng| strings[rng.index(strings.len())].to_owned();
        match rng.below(if depth > 3 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(rng.below(2) == 0),
            2 => Value::from(rng.below(1 << 40)),
            3 => Value::from(-i64::from(rng.below(1000) as u16) - 1),
            4 => Value::from(f64::from(rng.below(1_000_000) as u32) / 64.0),
            5 => Value::Array(
                (0..rng.below(4))
                    .map(|_| generate(rng, strings, depth + 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..rng.below(4))
                    .map(|_| (pick(rng), generate(rng, strings, depth + 1)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn serializes_as_the_value() {
        let (data, value) = both(r#"{"b": [1, {"c": null}], "a": "x"}"#);
        let (data, value) = (data.expect("data"), value.expect("value"));
        assert_eq!(
            serde_json::to_string(&data).ok(),
            serde_json::to_string(&value).ok()
        );
        assert_eq!(serde_json::to_value(&data).ok(), Some(value.clone()));
        let made = EventData::from(value.clone());
        assert_eq!(
            serde_json::to_string(&made).ok(),
            serde_json::to_string(&value).ok()
        );
        assert_eq!(made, data);
    }
}
