use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Handler;
use adl_parser::template::{has_template, state_field_keys};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a `state_update` whose `state_field` is not names joined by `.`:
    /// an empty string, or a name left empty (`orders.`, `.count`, `a..b`). The
    /// error points at the `.` with nothing on one side.
    ///
    /// ## Why it matters
    /// The runtime writes the value under those names; an empty one names no
    /// place, so the agent could not be loaded.
    ///
    /// ## Example
    /// ```json
    /// { "handler_type": "state_update", "state_field": "orders..last_id", "value": "${event.id}" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "handler_type": "state_update", "state_field": "orders.last_id", "value": "${event.id}" }
    /// ```
    pub static INVALID_STATE_FIELD = ("ADL418", "invalid-state-field", Severity::Error, "a `state_field` is not a dotted name");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for handler in cx.handlers.clone() {
        let Handler::StateUpdate(update) = handler else {
            continue;
        };
        let field = &update.state_field;
        // A template here is `template-not-allowed`'s to report.
        if has_template(&field.value) {
            continue;
        }
        let Err(error) = state_field_keys(&field.value) else {
            continue;
        };
        let span = if field.value.is_empty() {
            cx.span(field.node)
        } else {
            cx.doc
                .string_subspan(field.node, error.range.start, error.range.end)
        };
        let diagnostic = Diagnostic::new(
            &INVALID_STATE_FIELD,
            format!("invalid state field: {}", error.message),
            span,
            cx.pointer(field.node),
        )
        .with_primary_label("no name here")
        .with_help(error.help);
        cx.report(diagnostic);
    }
}
