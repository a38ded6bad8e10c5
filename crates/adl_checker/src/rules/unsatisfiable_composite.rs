use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{CompositeOperator, Trigger};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports an `and` composite over two or more instantaneous members that can
    /// never occur in the same evaluation: events with different names, or an
    /// event and a time tick. (Two time members are allowed: they can coincide.)
    ///
    /// ## Why it matters
    /// An event or time member is true only in the evaluation its own occurrence
    /// causes, and one evaluation has one cause. Such a trigger never fires.
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "composite", "operator": "and", "triggers": [
    ///   { "trigger_type": "event", "event_name": "deploy_started" },
    ///   { "trigger_type": "event", "event_name": "tests_passed" }] }
    /// ```
    ///
    /// ## Use instead
    /// Combine an event with a state condition that the other event sets:
    /// ```json
    /// { "trigger_type": "composite", "operator": "and", "triggers": [
    ///   { "trigger_type": "event", "event_name": "deploy_started" },
    ///   { "trigger_type": "condition", "condition": { "field": "tests_passed", "operator": "equals", "value": true } }] }
    /// ```
    pub static UNSATISFIABLE_COMPOSITE = ("ADL506", "unsatisfiable-composite", Severity::Error, "an `and` composite can never fire");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for trigger in cx.all_triggers() {
        let Trigger::Composite(composite) = trigger else {
            continue;
        };
        if composite.operator.value != CompositeOperator::And {
            continue;
        }
        // The cause each instantaneous member needs: an event name, or a tick (None).
        let causes: Vec<(Option<&str>, adl_parser::NodeId)> = composite
            .triggers
            .value
            .iter()
            .filter_map(|member| match member {
                Trigger::Event(event) => Some((Some(event.event_name.value.as_str()), event.node)),
                Trigger::Time(time) => Some((None, time.node)),
                _ => None,
            })
            .collect();
        let Some(&(first, first_node)) = causes.first() else {
            continue;
        };
        let Some(&(other, other_node)) = causes.iter().find(|(cause, _)| *cause != first) else {
            continue;
        };
        let describe = |cause: Option<&str>| {
            cause.map_or_else(
                || "a time tick".to_owned(),
                |name| format!("event `{name}`"),
            )
        };
        let diagnostic = Diagnostic::new(
            &UNSATISFIABLE_COMPOSITE,
            format!(
                "`and` over {} and {} can never fire",
                describe(first),
                describe(other)
            ),
            cx.anchor(composite.node),
            cx.pointer(composite.node),
        )
        .with_label(cx.anchor(first_node), "true only in its own evaluation")
        .with_label(cx.anchor(other_node), "true only in a different evaluation")
        .with_note(
            "an event or time member is true only in the evaluation its own occurrence causes",
        )
        .with_help("use `or`, or replace one member with a state `condition` that its event sets");
        cx.report(diagnostic);
    }
}
