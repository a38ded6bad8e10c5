use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::template::PathSegment;

use crate::context::Context;
use crate::templates::EVENT_FIELDS;

declare_rule! {
    /// ## What it does
    /// Reports a template `${event.X}` where `X` is not a field of the event
    /// envelope: `id`, `event_type`, `source`, `timestamp`, `data` (and the
    /// aliases `name` for `event_type`, `value` for `data`). Data fields live
    /// under `event.data`. A common other name for an envelope field (`time`,
    /// `type`, `payload`, `sender`…) is pointed at that field.
    ///
    /// ## Why it matters
    /// The template would always resolve to its fallback, `null` or `""`.
    ///
    /// ## Example
    /// ```json
    /// { "parameters": { "tool": "${event.tool_name}" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "parameters": { "tool": "${event.data.tool_name}" } }
    /// ```
    pub static UNKNOWN_EVENT_FIELD = ("ADL403", "unknown-event-field", Severity::Error, "a template names a field the event envelope does not have");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let mut found = Vec::new();
    for template in cx.template_uses() {
        let path = template.path;
        if path.root != "event" {
            continue;
        }
        let Some(PathSegment::Field(field)) = path.segments.first() else {
            continue;
        };
        if EVENT_FIELDS.contains(&field.as_str()) {
            continue;
        }
        let start = path.range.start + path.root.len() + 1;
        let span = cx
            .doc
            .string_subspan(template.node, start, start + field.len());
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_EVENT_FIELD,
            format!("events have no field `{field}`"),
            span,
            cx.pointer(template.node),
        );
        if let Some(meant) = envelope_synonym(field) {
            diagnostic = diagnostic
                .with_primary_label(format!("did you mean `{meant}`?"))
                .with_help(format!(
                    "the event's own {field} is `${{event.{meant}}}`; a field of its data is `${{event.data.{field}}}`"
                ));
        } else if let Some(candidate) = adl_parser::suggest(field, EVENT_FIELDS.iter().copied()) {
            diagnostic = diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `event.{candidate}`?"));
        } else {
            diagnostic = diagnostic
                .with_primary_label("not an envelope field")
                .with_help(format!(
                    "data fields are under `event.data`: `${{event.data.{field}}}`"
                ))
                .with_note(format!(
                    "event fields: {}",
                    adl_parser::quoted_list(EVENT_FIELDS.iter().copied())
                ));
        }
        found.push(diagnostic);
    }
    cx.diagnostics.extend(found);
}

/// The envelope field an author most likely means by a common other name
/// (`time` for `timestamp`), which spelling distance alone would not find.
fn envelope_synonym(field: &str) -> Option<&'static str> {
    Some(match field.to_ascii_lowercase().as_str() {
        "time" | "ts" | "date" | "datetime" | "created_at" | "occurred_at" | "at" => "timestamp",
        "type" | "kind" | "event" | "event_name" | "topic" => "event_type",
        "event_id" | "uuid" | "key" => "id",
        "payload" | "body" | "content" | "params" => "data",
        "origin" | "sender" | "from" | "producer" => "source",
        _ => return None,
    })
}
