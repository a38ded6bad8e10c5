use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a `${…}` template that does not parse, at the exact column inside
    /// the string (mapped through JSON escapes): an unclosed `${`, an empty `${}`,
    /// a malformed path, or a fallback that is not one JSON value (a duplicate
    /// key in an object fallback included).
    ///
    /// ## Why it matters
    /// The runtime would send the raw text instead of the value meant.
    ///
    /// ## Example
    /// ```json
    /// { "handler_type": "notification", "notification_type": "alert", "message": "Failed: ${event.data.error_message" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "handler_type": "notification", "notification_type": "alert", "message": "Failed: ${event.data.error_message}" }
    /// ```
    /// (Write `$${` for a literal `${`.)
    pub static INVALID_TEMPLATE = ("ADL401", "invalid-template", Severity::Error, "a template does not parse");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let mut found = Vec::new();
    for string in &cx.templates {
        let Err(error) = &string.parsed else { continue };
        let span = cx
            .doc
            .string_subspan(string.node, error.range.start, error.range.end);
        found.push(
            Diagnostic::new(
                &INVALID_TEMPLATE,
                format!("invalid template: {}", error.message),
                span,
                cx.pointer(string.node),
            )
            .with_help(error.help.clone()),
        );
    }
    cx.diagnostics.extend(found);
}
