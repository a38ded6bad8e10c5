use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{HandlerRef, Spanned};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a handler name that no handler has: in `target_handler`,
    /// `target_handlers`, a route's `target_handler`, `default_handler`, or a
    /// subscription's `handler` given as a string. Names in routing options that the
    /// strategy does not use must resolve too. The help suggests the closest name.
    ///
    /// ## Why it matters
    /// The activation or event would reach no handler at run time.
    ///
    /// ## Example
    /// ```json
    /// "handlers": [{ "name": "notify_ops", "handler_type": "notification", "notification_type": "alert", "message": "m" }],
    /// "subscriptions": [{ "subscription_type": "direct", "event_name": "error", "handler": "notify_op" }]
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "subscriptions": [{ "subscription_type": "direct", "event_name": "error", "handler": "notify_ops" }]
    /// ```
    pub static UNKNOWN_HANDLER = ("ADL303", "unknown-handler", Severity::Error, "a handler name does not resolve");
}

/// Every place that names a handler, with what it is.
pub(crate) fn references<'a>(cx: &Context<'a>) -> Vec<(&'a Spanned<String>, &'static str)> {
    let events = &cx.agent.events;
    let mut references = Vec::new();
    if let Some(target) = &events.target_handler {
        references.push((target, "`target_handler`"));
    }
    if let Some(targets) = &events.target_handlers {
        references.extend(targets.value.iter().map(|t| (t, "`target_handlers`")));
    }
    for route in events.routes() {
        references.push((&route.target_handler, "a route"));
    }
    if let Some(default) = &events.default_handler {
        references.push((default, "`default_handler`"));
    }
    for subscription in events.subscriptions() {
        if let HandlerRef::Named(name) = subscription.handler() {
            references.push((name, "a subscription"));
        }
    }
    references
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let names: Vec<&str> = cx.by_name.keys().copied().collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    for (reference, place) in references(cx) {
        if cx.by_name.contains_key(reference.value.as_str()) {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_HANDLER,
            format!("{place} names the unknown handler `{}`", reference.value),
            cx.span(reference.node),
            cx.pointer(reference.node),
        );
        if let Some(candidate) = adl_parser::suggest(&reference.value, names.iter().copied()) {
            diagnostic = diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `{candidate}`?"));
            if adl_parser::suggest_certain(&reference.value, names.iter().copied())
                == Some(candidate)
            {
                diagnostic = cx.fix_string(diagnostic, reference.node, candidate);
            }
        } else if sorted.is_empty() {
            diagnostic = diagnostic
                .with_primary_label("no handler has a name")
                .with_help(format!(
                    "add `\"name\": \"{}\"` to the handler meant here",
                    reference.value
                ));
        } else {
            diagnostic = diagnostic
                .with_primary_label("no handler has this name")
                .with_note(format!(
                    "handler names: {}",
                    adl_parser::quoted_list(sorted.iter().copied())
                ));
        }
        cx.report(diagnostic);
    }
}
