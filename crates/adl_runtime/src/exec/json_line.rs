//! Outcome records as JSON text, byte for byte what `serde_json` writes.
//!
//! Every input event produces at least one record, so writing them is on the
//! hot path of `adl run`. Through serde each record is many small writes and
//! a byte-at-a-time escape loop; here the fixed parts are single copies and a
//! string is copied in runs between the bytes that need escaping. A test
//! checks the output against `serde_json` on generated records.

use super::outcome::{Action, ActionOutcome, Emitted, Outcome};
use crate::json_text::{write_str, write_value};

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
        Outcome::Duplicate { index, event_id } => {
            out.extend_from_slice(br#"{"kind":"duplicate","index":"#);
            write_integer(out, *index);
            out.extend_from_slice(br#","event_id":"#);
            write_str(out, event_id);
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
    emitted.event.data.write_json(out);
    if !emitted.dispatched {
        out.extend_from_slice(br#","dispatched":false"#);
    }
}

fn write_integer(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}
