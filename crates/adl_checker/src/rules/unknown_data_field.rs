use adl_diagnostics::{Diagnostic, Severity, Span, declare_rule};
use adl_parser::template::PathSegment;

use crate::context::Context;
use crate::reach::Reach;

declare_rule! {
    /// ## What it does
    /// Warns about `event.data.X` (in a template, or a condition's field) when every
    /// event type that can reach that place has a known data shape and none of
    /// them has `X`. Built-in types (`tool_invocation`, `state_change`, `error`,
    /// `time_trigger`) and types declared in `event_types` are known; custom events
    /// without a declaration and pattern subscriptions are not, and give no warning.
    /// The note lists the fields the reaching types have.
    ///
    /// ## Why it matters
    /// Data is open, so this is a warning, but a field no reaching event has is
    /// almost always a mix-up: the public ADL text's own example uses
    /// `${event.data.error_message}` in a handler fed by `tool_invocation` events.
    ///
    /// ## Example
    /// ```json
    /// { "subscription_type": "direct", "event_name": "tool_invocation",
    ///   "handler": { "handler_type": "notification", "notification_type": "alert",
    ///                "message": "Tool invocation failed: ${event.data.error_message}" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "message": "Tool ${event.data.tool_name} failed: ${event.data.result}"
    /// ```
    pub static UNKNOWN_DATA_FIELD = ("ADL404", "unknown-data-field", Severity::Warning, "no event that can reach here has this data field");
}

/// Reports `field` when no type of `reach` has it (shared with conditions).
pub(crate) fn report_unknown(
    cx: &mut Context<'_>,
    reach: &Reach,
    field: &str,
    span: Span,
    pointer: String,
) {
    let found = cx.data_field(reach, field);
    if let Some(diagnostic) = unknown_field_diagnostic(reach, field, found, span, pointer) {
        cx.report(diagnostic);
    }
}

/// The diagnostic for a lookup already made (memoized by the caller).
fn unknown_field_diagnostic(
    reach: &Reach,
    field: &str,
    found: Option<Result<crate::reach::FieldType, Vec<String>>>,
    span: Span,
    pointer: String,
) -> Option<Diagnostic> {
    let Some(Err(known)) = found else {
        return None;
    };
    let Reach::Names(names) = reach else {
        return None;
    };
    let reaching = adl_parser::quoted_list(names.iter().map(String::as_str));
    let candidates: Vec<&str> = known.iter().filter_map(|k| k.split(' ').next()).collect();
    let mut diagnostic = Diagnostic::new(
        &UNKNOWN_DATA_FIELD,
        format!("no event that can reach here has the data field `{field}`"),
        span,
        pointer,
    )
    .with_primary_label(format!("reached by {reaching}"))
    .with_note(format!("known data fields: {}", known.join(", ")));
    if let Some(candidate) = adl_parser::suggest(field, candidates.iter().copied()) {
        diagnostic = diagnostic.with_help(format!("did you mean `{candidate}`?"));
    } else {
        diagnostic = diagnostic.with_help(
            "use a field these events have, or declare the event's data in `event_types`",
        );
    }
    Some(diagnostic)
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let reaches = cx.handler_reaches();
    let mut memo = std::collections::HashMap::new();
    let mut reported = Vec::new();
    for template in cx.template_uses() {
        let path = template.path;
        let [PathSegment::Field(data), PathSegment::Field(field), ..] = path.segments.as_slice()
        else {
            continue;
        };
        if path.root != "event" || !(data == "data" || data == "value") {
            continue;
        }
        let node = template.handler.node();
        let found = reaches.data_field(cx, node, field, &mut memo);
        if !matches!(found, Some(Err(_))) {
            continue;
        }
        let start = path.range.start + path.root.len() + 1 + data.len() + 1;
        let span = cx
            .doc
            .string_subspan(template.node, start, start + field.len());
        let pointer = cx.pointer(template.node);
        reported.extend(unknown_field_diagnostic(
            &reaches.of(node),
            field,
            found,
            span,
            pointer,
        ));
    }
    cx.diagnostics.extend(reported);
}

/// Conditions in event contexts: a bare field, or `event.data.X`.
pub(crate) fn check_conditions(cx: &mut Context<'_>) {
    use crate::conditions::{Scope, Subject, subject};
    for site in cx.condition_sites() {
        let Scope::Event(reach) = &site.scope else {
            continue;
        };
        let field = &site.condition.field;
        let Ok((path, Subject::DataField(name))) = subject(&field.value, &site.scope) else {
            continue;
        };
        let start = if path.root == "event" {
            field.value.find(&format!(".{name}")).map_or(0, |i| i + 1)
        } else {
            0
        };
        let span = cx.doc.string_subspan(field.node, start, start + name.len());
        let pointer = cx.pointer(field.node);
        report_unknown(cx, reach, &name, span, pointer);
    }
}
