use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::conditions::{Subject, subject};
use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports an `event.` path in the condition of a `condition` trigger.
    ///
    /// ## Why it matters
    /// A condition trigger watches the agent's state and fires when its condition
    /// becomes true after a state change; there is no event to read there, so the
    /// condition could never hold.
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "condition", "condition": { "field": "event.data.load", "operator": "greater_than", "value": 0.9 } }
    /// ```
    ///
    /// ## Use instead
    /// An event trigger with a condition, or a state field:
    /// ```json
    /// { "trigger_type": "event", "event_name": "metrics", "condition": { "field": "load", "operator": "greater_than", "value": 0.9 } }
    /// ```
    pub static EVENT_IN_STATE_CONDITION = ("ADL415", "event-in-state-condition", Severity::Error, "a condition trigger reads the event");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for site in cx.condition_sites() {
        let field = &site.condition.field;
        let Ok((path, Subject::EventInState)) = subject(&field.value, &site.scope) else {
            continue;
        };
        let diagnostic = Diagnostic::new(
            &EVENT_IN_STATE_CONDITION,
            "a condition trigger has no event to read",
            cx.doc.string_subspan(field.node, 0, path.root.len()),
            cx.pointer(field.node),
        )
        .with_primary_label("there is no event in a state condition")
        .with_note("condition triggers evaluate the agent's state after each change")
        .with_help("use an `event` trigger with this condition, or a `state.` field");
        cx.report(diagnostic);
    }
}
