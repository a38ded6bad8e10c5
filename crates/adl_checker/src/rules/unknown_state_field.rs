use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::conditions::{Subject, subject};
use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Warns about a condition on a state field that the agent neither declares in
    /// its initial `state` nor writes with a `state_update` handler.
    ///
    /// ## Why it matters
    /// Nothing sets that field, so a condition trigger on it can never fire, unless
    /// the host writes state directly (then declare it in `state`).
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "condition", "condition": { "field": "memory_usage", "operator": "greater_than", "value": 0.9 } }
    /// ```
    /// with no `state.memory_usage` and no handler writing it.
    ///
    /// ## Use instead
    /// ```json
    /// { "state": { "memory_usage": 0.0 }, "triggers": [ … ] }
    /// ```
    pub static UNKNOWN_STATE_FIELD = ("ADL416", "unknown-state-field", Severity::Warning, "a condition reads a state field nothing sets");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let known = cx.state_fields();
    for site in cx.condition_sites() {
        let field = &site.condition.field;
        let Ok((_, Subject::State(path))) = subject(&field.value, &site.scope) else {
            continue;
        };
        let first = path.split('.').next().unwrap_or_default();
        let is_known = known.contains_key(&path)
            || known
                .keys()
                .any(|k| k.split('.').next() == Some(first) || path.starts_with(&format!("{k}.")));
        if is_known {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_STATE_FIELD,
            format!("nothing sets the state field `{path}`"),
            cx.span(field.node),
            cx.pointer(field.node),
        )
        .with_primary_label("not in `state` and written by no handler");
        if let Some(candidate) = adl_parser::suggest(&path, known.keys().map(String::as_str)) {
            diagnostic = diagnostic.with_help(format!("did you mean `{candidate}`?"));
        } else {
            diagnostic = diagnostic.with_help(format!(
                "declare it in the initial state (`\"state\": {{\"{first}\": …}}`) or write it with a `state_update` handler"
            ));
        }
        cx.report(diagnostic);
    }
}
