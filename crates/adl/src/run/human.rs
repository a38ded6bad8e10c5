//! `adl run --format human`: one short line per record, for a person at a
//! terminal (JSON lines stay the format for machines).
//!
//! ```text
//! accepted   evt-1
//!   evt-1 → log_search (tool log_search) ok  {"query":"rust"} ⇒ null
//!   evt-1-1 tool_invocation ← evt-1
//! rejected   input 2: not JSON (line 3): expected value at line 1 column 1
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;

use adl_runtime::exec::{ActionOutcome, Outcome, Summary};
use adl_runtime::program::CompiledAction;
use adl_runtime::{Event, Program};
use serde_json::Value;

/// The longest input or result shown on an action line, in characters.
const MAX_SHOWN: usize = 100;

/// How records read for a person.
#[derive(Debug)]
pub struct HumanLines {
    /// Handler label (as records name it) → what it does (`tool log_search`).
    roles: HashMap<Arc<str>, String>,
    color: bool,
}

/// ANSI styles, used only with colour on.
const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl HumanLines {
    pub fn new(program: &Program, color: bool) -> Self {
        let roles = program
            .handlers
            .iter()
            .map(|handler| {
                let role = match &handler.action {
                    CompiledAction::Tool { tool_name, .. } => format!("tool {tool_name}"),
                    CompiledAction::State { field, .. } => format!("state {field}"),
                    CompiledAction::Notify {
                        notification_type, ..
                    } => format!(
                        "notification {}",
                        serde_json::to_value(notification_type)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    ),
                    CompiledAction::Custom { handler_name, .. } => {
                        format!("custom {handler_name}")
                    }
                };
                (Arc::clone(&handler.label), role)
            })
            .collect();
        Self { roles, color }
    }

    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// Appends the record's line.
    pub fn write(&self, outcome: &Outcome, out: &mut Vec<u8>) {
        let _ = match outcome {
            Outcome::Accepted { event, .. } => {
                writeln!(out, "{} {}", self.paint(GREEN, "accepted  "), event.id)
            }
            Outcome::Rejected {
                index,
                event_id,
                reason,
            } => {
                let id = event_id
                    .as_ref()
                    .map(|id| format!(" ({id})"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{} input {index}{id}: {reason}",
                    self.paint(RED, "rejected  ")
                )
            }
            Outcome::Duplicate { index, event_id } => writeln!(
                out,
                "{} input {index} ({event_id}): already stored, not processed again",
                self.paint(YELLOW, "duplicate ")
            ),
            Outcome::Action(action) => {
                let role = self.roles.get(&action.handler).map_or("", String::as_str);
                // A named handler shows its name and role; one without a name
                // (its label is a pointer) shows its role alone.
                let who = if action.handler.starts_with('/') {
                    self.paint(BOLD, role)
                } else {
                    format!("{} ({role})", self.paint(BOLD, &action.handler))
                };
                let outcome = match action.outcome {
                    ActionOutcome::Ok => self.paint(GREEN, "ok"),
                    ActionOutcome::Error => self.paint(RED, "error"),
                    ActionOutcome::Timeout => self.paint(YELLOW, "timeout"),
                };
                let replayed = if action.replayed {
                    self.paint(DIM, " (replayed)")
                } else {
                    String::new()
                };
                let detail = match (&action.error, &action.result) {
                    (Some(error), _) => format!("  {error}"),
                    (None, Some(result)) => {
                        format!("  {} ⇒ {}", shown(&action.input), shown(result))
                    }
                    (None, None) => format!("  {}", shown(&action.input)),
                };
                writeln!(
                    out,
                    "  {} → {who} {outcome}{replayed}{detail}",
                    action.event_id
                )
            }
            Outcome::Event(emitted) => {
                let held = if emitted.dispatched {
                    String::new()
                } else {
                    self.paint(YELLOW, " (not dispatched)")
                };
                let error = error_detail(&emitted.event)
                    .map(|detail| format!(": {}", self.paint(RED, &detail)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  {} {} ← {}{held}{error}",
                    self.paint(DIM, &emitted.event.id),
                    emitted.event.event_type,
                    emitted.cause
                )
            }
        };
    }

    /// The run's counts as a small table.
    pub fn summary(&self, summary: &Summary) -> String {
        let rows = [
            ("accepted", summary.accepted, GREEN),
            ("rejected", summary.rejected, RED),
            ("duplicates", summary.duplicates, YELLOW),
            ("replayed", summary.replayed, DIM),
            ("actions", summary.actions, ""),
            ("errors", summary.errors, RED),
            ("emitted", summary.emitted, ""),
            ("dropped", summary.dropped, YELLOW),
        ];
        let mut out = String::from("\nsummary\n");
        for (name, count, style) in rows {
            let why = match name {
                "duplicates" if count > 0 => "  (ids already stored: skipped, not processed again)",
                "replayed" if count > 0 => "  (unfinished by an earlier run)",
                "dropped" if count > 0 => "  (trigger activations no route took)",
                _ => "",
            };
            let count = count.to_string();
            let count = if count == "0" || style.is_empty() {
                count
            } else {
                self.paint(style, &count)
            };
            let _ = writeln!(out, "  {name:<11} {count}{why}");
        }
        out
    }
}

/// `error_code error_message` of an `error` event.
fn error_detail(event: &Event) -> Option<String> {
    if &*event.event_type != "error" {
        return None;
    }
    let data = event.data.value();
    let code = data.get("error_code").and_then(Value::as_str).unwrap_or("");
    let message = data
        .get("error_message")
        .and_then(Value::as_str)
        .unwrap_or("");
    Some(format!("{code} {message}").trim().to_owned())
}

/// A value as compact JSON, cut at [`MAX_SHOWN`] characters; a string as its
/// text in quotes.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= MAX_SHOWN {
        return text;
    }
    let cut: String = text.chars().take(MAX_SHOWN).collect();
    format!("{cut}…")
}
