//! A differential fuzz target: the envelope reader against a plain
//! `serde_json::Value` parse, on mutations of a seed corpus
//! (`fixtures/fuzz/envelopes.ndjson`, one seed a line).
//!
//! Mutations flip, insert and delete bytes, splice seeds together and insert
//! tokens that have broken JSON readers before (`serde_json`'s private
//! raw-value and number keys, NUL, lone surrogates, numbers out of range,
//! deep nesting). For every mutant both readers must agree: the same error,
//! or the same envelopes, whose `data` is byte for byte what `serde_json`
//! writes for the plain parse's value.
//!
//! The run is bounded: `ADL_FUZZ_ITERATIONS` mutants (default 200,000, a few
//! seconds), from the seed `ADL_FUZZ_SEED` (default fixed, so a failure
//! reproduces); a failing mutant is printed whole.

#![allow(clippy::unwrap_used, reason = "a broken corpus should fail loudly")]

use adl_bench::Rng;
use adl_runtime::{Envelope, EventInput};
use serde_json::Value;

/// Tokens inserted whole: each has broken a JSON reader somewhere.
const DICTIONARY: &[&str] = &[
    "\"$serde_json::private::RawValue\"",
    "\"\\u0024serde_json::private::RawValue\"",
    "\"$serde_json::private::Number\"",
    "{\"$serde_json::private::RawValue\": \"[1]\"}",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "1e400",
    "-0",
    "18446744073709551616",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "]]]]]]]]",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\"data\": ",
    "\"value\": ",
    "\"event_type\": ",
    "\"name\": ",
    "\"id\": ",
    "null",
    "\u{feff}",
    "\n",
];

fn corpus() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/fuzz/envelopes.ndjson"
    );
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn mutate(rng: &mut Rng, seeds: &[String]) -> String {
    let mut bytes = seeds[rng.index(seeds.len())].clone().into_bytes();
    for _ in 0..=rng.index(4) {
        let at = rng.index(bytes.len() + 1);
        match rng.index(6) {
            0 if !bytes.is_empty() => {
                let at = at.min(bytes.len() - 1);
                bytes[at] ^= 1 << rng.index(8);
            }
            1 if !bytes.is_empty() => {
                let end = (at + rng.index(8)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            2 => {
                let other = seeds[rng.index(seeds.len())].as_bytes();
                let from = rng.index(other.len());
                bytes.splice(at..at, other[from..].iter().copied());
            }
            _ => {
                let token = DICTIONARY[rng.index(DICTIONARY.len())];
                bytes.splice(at..at, token.bytes());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// What reading the plain parse's value gives.
fn expected(value: Value) -> EventInput {
    match value {
        Value::Array(items) => {
            EventInput::Batch(items.into_iter().map(Envelope::from_value).collect())
        }
        other => EventInput::Single(Envelope::from_value(other)),
    }
}

/// The data of each envelope, as text, next to the plain parse's.
fn data_texts(read: &EventInput) -> Vec<Option<String>> {
    let each = |envelope: &Result<Envelope, _>| envelope.as_ref().ok().map(|e| e.data.to_string());
    match read {
        EventInput::Single(envelope) => vec![each(envelope)],
        EventInput::Batch(items) => items.iter().map(each).collect(),
    }
}

fn plain_data_texts(value: &Value) -> Vec<Option<String>> {
    let each = |item: &Value| {
        let object = item.as_object()?;
        let data = object.get("data").or_else(|| object.get("value"));
        Some(data.map_or_else(|| "{}".to_owned(), Value::to_string))
    };
    match value {
        Value::Array(items) => items.iter().map(each).collect(),
        other => vec![each(other)],
    }
}

/// The same envelopes, each event's data the text `serde_json` writes.
fn assert_agree(text: &str, value: Value, read: &EventInput) {
    let plain = plain_data_texts(&value);
    let texts = data_texts(read);
    assert_eq!(texts.len(), plain.len(), "{text}");
    for (read, plain) in texts.iter().zip(&plain) {
        if let (Some(read), Some(plain)) = (read, plain) {
            assert_eq!(read, plain, "data differs for\n{text}");
        }
    }
    assert_eq!(*read, expected(value), "envelopes differ for\n{text}");
}

#[test]
#[allow(clippy::disallowed_methods, reason = "the reference parse")]
fn the_envelope_reader_agrees_with_a_plain_parse_on_mutated_input() {
    let seeds = corpus();
    let iterations = env_number("ADL_FUZZ_ITERATIONS", 200_000);
    let mut rng = Rng::new(env_number("ADL_FUZZ_SEED", 0xF0_22ED));
    let (mut agreed_values, mut agreed_errors) = (0u64, 0u64);
    for _ in 0..iterations {
        let text = mutate(&mut rng, &seeds);
        let reference = serde_json::from_str::<Value>(&text);
        let read = EventInput::from_json(&text);
        match (reference, read) {
            (Ok(value), Ok(read)) => {
                assert_agree(&text, value, &read);
                agreed_values += 1;
            }
            (Err(reference), Err(read)) => {
                assert_eq!(read.to_string(), reference.to_string(), "{text}");
                agreed_errors += 1;
            }
            (reference, read) => panic!("{text}\nreference {reference:?}\nread {read:?}"),
        }
    }
    // Mutants reach both sides: values read and errors reported.
    assert!(
        agreed_values > iterations / 20 && agreed_errors > iterations / 20,
        "{agreed_values} values, {agreed_errors} errors"
    );
}

/// Every seed reads as its plain parse does (the corpus itself is valid input).
#[test]
#[allow(clippy::disallowed_methods, reason = "the reference parse")]
fn every_seed_reads_as_its_plain_parse() {
    for seed in corpus() {
        let value = serde_json::from_str::<Value>(&seed).unwrap();
        let read = EventInput::from_json(&seed).unwrap();
        assert_agree(&seed, value, &read);
    }
}
