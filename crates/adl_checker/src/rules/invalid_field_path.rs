use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::conditions::subject;
use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a condition `field` that is not a path: names joined by `.`, with
    /// optional `[index]` (`parameters.query`, `items[0].id`). The error points at
    /// the first character that does not fit.
    ///
    /// ## Why it matters
    /// The runtime could not resolve the field, so the condition would always be false.
    ///
    /// ## Example
    /// ```json
    /// { "field": "parameters..query", "operator": "exists" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "field": "parameters.query", "operator": "exists" }
    /// ```
    pub static INVALID_FIELD_PATH = ("ADL411", "invalid-field-path", Severity::Error, "a condition field is not a valid path");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for site in cx.condition_sites() {
        let field = &site.condition.field;
        let Err(error) = subject(&field.value, &site.scope) else {
            continue;
        };
        let diagnostic = Diagnostic::new(
            &INVALID_FIELD_PATH,
            format!("invalid field path: {}", error.message),
            cx.doc
                .string_subspan(field.node, error.range.start, error.range.end),
            cx.pointer(field.node),
        )
        .with_help(error.help);
        cx.report(diagnostic);
    }
}
