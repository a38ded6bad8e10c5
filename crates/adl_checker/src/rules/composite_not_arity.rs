use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{CompositeOperator, Trigger};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a `not` composite that does not have exactly one member.
    ///
    /// ## Why it matters
    /// `not` negates one trigger; over several it has no defined meaning.
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "composite", "operator": "not", "triggers": [ {…}, {…} ] }
    /// ```
    ///
    /// ## Use instead
    /// `not` over one `or` (none of them) or one `and` (not all of them).
    pub static COMPOSITE_NOT_ARITY = ("ADL505", "composite-not-arity", Severity::Error, "a `not` composite does not have exactly one member");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for trigger in cx.all_triggers() {
        let Trigger::Composite(composite) = trigger else {
            continue;
        };
        let count = composite.triggers.value.len();
        // An empty list is `empty-composite`'s.
        if composite.operator.value != CompositeOperator::Not || count < 2 {
            continue;
        }
        let diagnostic = Diagnostic::new(
            &COMPOSITE_NOT_ARITY,
            format!("`not` composite has {count} members"),
            cx.span(composite.operator.node),
            cx.pointer(composite.node),
        )
        .with_label(cx.span(composite.triggers.node), format!("{count} members"))
        .with_note("`not` negates exactly one trigger")
        .with_help("wrap the members in one `or` (none of them) or one `and` (not all of them)");
        cx.report(diagnostic);
    }
}
