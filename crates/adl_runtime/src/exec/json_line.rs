//! Outcome records as JSON text, byte for byte what `serde_json` writes.
//!
//! Every input event produces at least one record, so writing them is on the
//! hot path of `adl run`. Through serde each record is many small writes and
//! a byte-at-a-time escape loop; here the fixed parts are single copies and a
//! string is copied in runs between the bytes that need escaping. A test
//! checks the output against `serde_json` on generated records.

use serde_json::Value;

use super::outcome::{Action, ActionOutcome, Emitted, Outcome};

/// Appends `outcome` as JSON and a newline.
pub(super) fn write_line(out: &mut Vec<u8>, outcome: &Outcome) {
    match outcome {
        Outcome::Accepted { index, event } => {
            out.extend_from_slice(br#"{"kind":"accepted","index":"#);
            write_integer(out, *index);
            out.extend_from_slice(br#","event_id":"#);
            write_str(out, &event.id);
        }
        Outcome::Rejected {
            index,
            event_id,
            reason,
        } => {
            out.extend_from_slice(br#"{"kind":"rejected","index":"#);
            write_integer(out, *index);
            if let Some(id) = event_id {
                out.extend_from_slice(br#","event_id":"#);
                write_str(out, id);
            }
            out.extend_from_slice(br#","reason":"#);
            write_str(out, reason);
        }
        Outcome::Action(action) => write_action(out, action),
        Outcome::Event(emitted) => write_emitted(out, emitted),
    }
    out.extend_from_slice(b"}\n");
}

/// The record without its closing brace.
fn write_action(out: &mut Vec<u8>, action: &Action) {
    out.extend_from_slice(br#"{"kind":"action","event_id":"#);
    write_str(out, &action.event_id);
    out.extend_from_slice(br#","handler":"#);
    write_str(out, &action.handler);
    out.extend_from_slice(br#","handler_type":"#);
    write_str(out, action.handler_type);
    out.extend_from_slice(br#","via":"#);
    write_str(out, &action.via);
    out.extend_from_slice(br#","input":"#);
    write_value(out, &action.input);
    out.extend_from_slice(match action.outcome {
        ActionOutcome::Ok => br#","outcome":"ok""#.as_slice(),
        ActionOutcome::Error => br#","outcome":"error""#,
        ActionOutcome::Timeout => br#","outcome":"timeout""#,
    });
    if let Some(result) = &action.result {
        out.extend_from_slice(br#","result":"#);
        write_value(out, result);
    }
    if let Some(error) = &action.error {
        out.extend_from_slice(br#","error":"#);
        write_str(out, error);
    }
    if action.replayed {
        out.extend_from_slice(br#","replayed":true"#);
    }
}

/// The record without its closing brace.
fn write_emitted(out: &mut Vec<u8>, emitted: &Emitted) {
    out.extend_from_slice(br#"{"kind":"event","event_id":"#);
    write_str(out, &emitted.event.id);
    out.extend_from_slice(br#","event_type":"#);
    write_str(out, &emitted.event.event_type);
    out.extend_from_slice(br#","cause":"#);
    write_str(out, &emitted.cause);
    out.extend_from_slice(br#","data":"#);
    write_value(out, &emitted.event.data);
    if !emitted.dispatched {
        out.extend_from_slice(br#","dispatched":false"#);
    }
}

fn write_integer(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// A JSON value as `serde_json` writes it compactly.
fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => {
            if let Some(integer) = number.as_u64() {
                out.extend_from_slice(itoa::Buffer::new().format(integer).as_bytes());
            } else if let Some(integer) = number.as_i64() {
                out.extend_from_slice(itoa::Buffer::new().format(integer).as_bytes());
            } else {
                // Floats are rare in records; serde_json's own formatting
                // (shortest round trip) keeps the bytes identical.
                out.extend_from_slice(number.to_string().as_bytes());
            }
        }
        Value::String(text) => write_str(out, text),
        Value::Array(items) => {
            out.push(b'[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            out.push(b'{');
            for (position, (key, item)) in members.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                write_str(out, key);
                out.push(b':');
                write_value(out, item);
            }
            out.push(b'}');
        }
    }
}

/// How `serde_json` escapes each byte: 0 for none, the letter of a short
/// escape (`\n`), or `u` for `\u00XX`. Bytes of multi-byte characters and
/// DEL are written as they are.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// A JSON string: quoted, unescaped runs copied whole.
fn write_str(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    for (position, &byte) in bytes.iter().enumerate() {
        let escape = ESCAPE[byte as usize];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..position]);
        if escape == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.push(b'\\');
            out.push(escape);
        }
        start = position + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}
