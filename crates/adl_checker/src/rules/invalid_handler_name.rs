use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a handler `name` that is not an identifier: it must match
    /// `[A-Za-z_][A-Za-z0-9_.-]*`.
    ///
    /// ## Why it matters
    /// Names appear in routes, logs, metrics and the compiled graph; spaces and
    /// punctuation make them ambiguous there.
    ///
    /// ## Example
    /// ```json
    /// { "name": "notify ops!", "handler_type": "notification", "notification_type": "alert", "message": "m" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "notify_ops", "handler_type": "notification", "notification_type": "alert", "message": "m" }
    /// ```
    pub static INVALID_HANDLER_NAME = ("ADL302", "invalid-handler-name", Severity::Error, "a handler name is not an identifier");
}

/// `[A-Za-z_][A-Za-z0-9_.-]*`
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let invalid: Vec<_> = cx
        .handlers
        .iter()
        .filter_map(|handler| handler.reference_name())
        .filter(|name| !is_identifier(&name.value))
        .cloned()
        .collect();
    for name in invalid {
        let suggestion: String = name
            .value
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let suggestion = if suggestion.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            suggestion
        } else {
            format!("_{suggestion}")
        };
        let diagnostic = Diagnostic::new(
            &INVALID_HANDLER_NAME,
            format!("handler name `{}` is not an identifier", name.value),
            cx.span(name.node),
            cx.pointer(name.node),
        )
        .with_note("a name is a letter or `_`, then letters, digits, `_`, `.` or `-`")
        .with_help(format!("rename it, e.g. `{suggestion}`"));
        cx.report(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use super::is_identifier;

    #[test]
    fn identifiers() {
        assert!(is_identifier("notify_ops"));
        assert!(is_identifier("_x.y-2"));
        assert!(!is_identifier("2x"));
        assert!(!is_identifier("a b"));
        assert!(!is_identifier(""));
    }
}
