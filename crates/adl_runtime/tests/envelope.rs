//! Reading events straight from text (`EventInput`) agrees with parsing a
//! `serde_json::Value` and reading the envelope from it, on thousands of
//! generated inputs: valid and invalid envelopes, aliases, repeated and
//! escaped keys, batches, nesting, and texts cut short.

use std::fmt::Write as _;

use adl_bench::Rng;
use adl_runtime::{Envelope, EventInput};
use serde_json::Value;

/// Keys as they may appear in an envelope, escaped spellings included.
const KEYS: &[&str] = &[
    "event_type",
    "name",
    "id",
    "source",
    "timestamp",
    "data",
    "value",
    "other",
    "ev\\u0065nt_type",
    "",
];

const STRINGS: &[&str] = &[
    "",
    "ping",
    "tool_invocation",
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00.123+02:00",
    "yesterday",
    "caf\\u00e9 \\\"quoted\\\"",
    "line\\nbreak",
];

fn value(rng: &mut Rng, depth: usize, out: &mut String) {
    let kinds = if depth == 0 { 5 } else { 7 };
    match rng.index(kinds) {
        0 => out.push_str("null"),
        1 => out.push_str(if rng.index(2) == 0 { "true" } else { "false" }),
        2 => out.push_str(["0", "-1", "5.0", "1e3", "123456789012"][rng.index(5)]),
        3 | 4 => {
            out.push('"');
            out.push_str(STRINGS[rng.index(STRINGS.len())]);
            out.push('"');
        }
        5 => {
            out.push('[');
            for i in 0..rng.index(4) {
                if i > 0 {
                    out.push_str(", ");
                }
                value(rng, depth - 1, out);
            }
            out.push(']');
        }
        _ => object(rng, depth - 1, out),
    }
}

fn object(rng: &mut Rng, depth: usize, out: &mut String) {
    out.push('{');
    for i in 0..rng.index(7) {
        if i > 0 {
            out.push(',');
        }
        if rng.index(4) == 0 {
            out.push_str("\n  ");
        }
        out.push('"');
        out.push_str(KEYS[rng.index(KEYS.len())]);
        out.push_str("\": ");
        value(rng, depth, out);
    }
    out.push('}');
}

/// A likely valid envelope (each field present or not, with a fitting value),
/// sometimes with an extra member of any kind.
fn envelope(rng: &mut Rng, out: &mut String) {
    let name = ["ping", "tool_invocation", "order.1"][rng.index(3)];
    let key = if rng.index(4) == 0 {
        "name"
    } else {
        "event_type"
    };
    let _ = write!(out, r#"{{"{key}": "{name}""#);
    for (field, text) in [
        ("id", "\"e1\""),
        ("source", "\"bench\""),
        ("timestamp", "\"2026-01-01T00:00:00Z\""),
        ("data", r#"{"amount": 5, "text": "hi", "tags": ["a"]}"#),
    ] {
        if rng.index(2) == 0 {
            let _ = write!(out, r#", "{field}": {text}"#);
        }
    }
    if rng.index(3) == 0 {
        let _ = write!(out, r#", "{}": "#, KEYS[rng.index(KEYS.len())]);
        value(rng, 2, out);
    }
    out.push('}');
}

fn input(rng: &mut Rng) -> String {
    let mut out = String::new();
    match rng.index(10) {
        0 | 1 => {
            out.push('[');
            for i in 0..rng.index(5) {
                if i > 0 {
                    out.push(',');
                }
                match rng.index(3) {
                    0 => value(rng, 2, &mut out),
                    1 => object(rng, 2, &mut out),
                    _ => envelope(rng, &mut out),
                }
            }
            out.push(']');
        }
        2 => value(rng, 2, &mut out),
        3..=5 => object(rng, 2, &mut out),
        _ => envelope(rng, &mut out),
    }
    out
}

/// What reading a parsed value gives: an array is a batch, anything else one event.
fn expected(value: Value) -> EventInput {
    match value {
        Value::Array(items) => {
            EventInput::Batch(items.into_iter().map(Envelope::from_value).collect())
        }
        other => EventInput::Single(Envelope::from_value(other)),
    }
}

#[test]
#[allow(clippy::disallowed_methods, reason = "the reference parse")]
fn reading_text_agrees_with_reading_a_parsed_value() {
    let mut rng = Rng::new(0x00AD_E7E7);
    let (mut events, mut rejected, mut cut) = (0, 0, 0);
    for _ in 0..20_000 {
        let mut text = input(&mut rng);
        if rng.index(8) == 0 {
            // Cut short somewhere, as a torn line or a multi-line value would be.
            let at = rng.index(text.len());
            let at = (0..=at)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            text.truncate(at);
            cut += 1;
        }
        let reference = serde_json::from_str::<Value>(&text);
        let read = EventInput::from_json(&text);
        match (reference, read) {
            (Ok(value), Ok(read)) => {
                let expected = expected(value);
                match &expected {
                    EventInput::Single(Ok(_)) => events += 1,
                    EventInput::Single(Err(_)) => rejected += 1,
                    EventInput::Batch(items) => {
                        events += items.iter().filter(|i| i.is_ok()).count();
                        rejected += items.iter().filter(|i| i.is_err()).count();
                    }
                }
                assert_eq!(read, expected, "{text}");
            }
            (Err(reference), Err(read)) => {
                // The same message at the same place; and the input reader
                // decides "the value goes on over the next line" from `is_eof`.
                assert_eq!(read.to_string(), reference.to_string(), "{text}");
                assert_eq!(read.is_eof(), reference.is_eof(), "{text}");
            }
            (reference, read) => panic!("{text}: reference {reference:?}, read {read:?}"),
        }
    }
    // The generator reaches every case it is meant to.
    assert!(
        events > 1_000 && rejected > 1_000 && cut > 1_000,
        "{events} {rejected} {cut}"
    );
}
