use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a handler whose `name` is already used by another handler's
    /// `name`, listed or inline in a subscription: they share one namespace.
    /// Custom handlers without `name` may share a `handler_name` (one host
    /// implementation called from several places); referring to such a shared
    /// name is `ambiguous-handler-reference`.
    ///
    /// ## Why it matters
    /// Routes, targets and subscriptions name handlers; with two of the same name,
    /// which one runs is a guess.
    ///
    /// ## Example
    /// ```json
    /// "handlers": [
    ///   { "name": "notify", "handler_type": "notification", "notification_type": "info", "message": "a" },
    ///   { "name": "notify", "handler_type": "notification", "notification_type": "alert", "message": "b" }
    /// ]
    /// ```
    ///
    /// ## Use instead
    /// Give each handler its own name: `notify_info`, `notify_alert`.
    pub static DUPLICATE_HANDLER_NAME = ("ADL301", "duplicate-handler-name", Severity::Error, "two handlers have the same reference name");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let mut seen: std::collections::HashMap<&str, adl_parser::NodeId> =
        std::collections::HashMap::new();
    let mut found = Vec::new();
    for handler in &cx.handlers {
        let Some(name) = handler.name() else {
            continue;
        };
        match seen.get(name.value.as_str()) {
            Some(&first) => found.push((name.clone(), first)),
            None => {
                seen.insert(&name.value, name.node);
            }
        }
    }
    for (name, first) in found {
        let diagnostic = Diagnostic::new(
            &DUPLICATE_HANDLER_NAME,
            format!("handler name `{}` is already used", name.value),
            cx.span(name.node),
            cx.pointer(name.node),
        )
        .with_primary_label("used again here")
        .with_label(cx.span(first), "first used here")
        .with_note("listed handlers and handlers inline in subscriptions share one namespace")
        .with_help("give each handler its own `name`");
        cx.report(diagnostic);
    }
}
