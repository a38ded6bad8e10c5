use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Trigger;

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a composite trigger whose `triggers` array is empty.
    ///
    /// ## Why it matters
    /// An `and`, `or` or `not` over nothing has no meaning: it would never fire (or
    /// always fire), and it is almost certainly unfinished.
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "composite", "operator": "or", "triggers": [] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "trigger_type": "composite", "operator": "or", "triggers": [
    ///   { "trigger_type": "event", "event_name": "deploy_started" },
    ///   { "trigger_type": "event", "event_name": "deploy_failed" }] }
    /// ```
    pub static EMPTY_COMPOSITE = ("ADL503", "empty-composite", Severity::Error, "a composite trigger has no members");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for trigger in cx.all_triggers() {
        let Trigger::Composite(composite) = trigger else {
            continue;
        };
        if !composite.triggers.value.is_empty() {
            continue;
        }
        let diagnostic = Diagnostic::new(
            &EMPTY_COMPOSITE,
            "composite trigger has no members",
            cx.span(composite.triggers.node),
            cx.pointer(composite.triggers.node),
        )
        .with_primary_label("empty")
        .with_help("add the triggers to combine, or remove the composite");
        cx.report(diagnostic);
    }
}
