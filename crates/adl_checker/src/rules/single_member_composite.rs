use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{CompositeOperator, Keyword, Trigger};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Warns about an `and` or `or` composite with exactly one member.
    ///
    /// ## Why it matters
    /// It is the member itself with extra nesting, or a combination left unfinished.
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "composite", "operator": "and", "triggers": [{ "trigger_type": "event", "event_name": "deploy" }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "trigger_type": "event", "event_name": "deploy" }
    /// ```
    pub static SINGLE_MEMBER_COMPOSITE = ("ADL504", "single-member-composite", Severity::Warning, "an `and` or `or` composite has one member");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for trigger in cx.all_triggers() {
        let Trigger::Composite(composite) = trigger else {
            continue;
        };
        if composite.operator.value == CompositeOperator::Not || composite.triggers.value.len() != 1
        {
            continue;
        }
        let operator = composite.operator.value.keyword();
        let diagnostic = Diagnostic::new(
            &SINGLE_MEMBER_COMPOSITE,
            format!("`{operator}` composite has a single member"),
            cx.span(composite.operator.node),
            cx.pointer(composite.node),
        )
        .with_label(cx.span(composite.triggers.node), "one member")
        .with_help("use the member trigger directly, or add the triggers to combine");
        cx.report(diagnostic);
    }
}
