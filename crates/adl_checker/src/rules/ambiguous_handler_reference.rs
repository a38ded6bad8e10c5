use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Handler;

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a reference to a handler (`target_handler`, `target_handlers`, a
    /// route, `default_handler`, or a subscription's `handler` given as a string)
    /// whose name several handlers answer to: custom handlers without `name` are
    /// reached by their `handler_name`, which may repeat, and may equal another
    /// handler's `name`. Every handler of that name is labelled.
    ///
    /// ## Why it matters
    /// The reference must reach one handler; with several, which one runs would
    /// be a guess.
    ///
    /// ## Example
    /// ```json
    /// "handlers": [
    ///   { "handler_type": "custom", "handler_name": "enricher", "parameters": { "source": "crm" } },
    ///   { "handler_type": "custom", "handler_name": "enricher", "parameters": { "source": "web" } }
    /// ],
    /// "subscriptions": [{ "subscription_type": "direct", "event_name": "lead", "handler": "enricher" }]
    /// ```
    ///
    /// ## Use instead
    /// Give the handler meant a `name` of its own and refer to that:
    /// ```json
    /// { "name": "enrich_from_crm", "handler_type": "custom", "handler_name": "enricher", "parameters": { "source": "crm" } }
    /// ```
    pub static AMBIGUOUS_HANDLER_REFERENCE = ("ADL311", "ambiguous-handler-reference", Severity::Error, "a handler name reaches several handlers");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for (reference, place) in super::unknown_handler::references(cx) {
        let named = cx.handlers_named(&reference.value);
        if named.len() < 2 {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            &AMBIGUOUS_HANDLER_REFERENCE,
            format!(
                "{place} names `{}`, which {} handlers answer to",
                reference.value,
                named.len()
            ),
            cx.span(reference.node),
            cx.pointer(reference.node),
        )
        .with_primary_label("reaches more than one handler");
        for handler in named {
            let label = match handler {
                Handler::Custom(custom) if custom.name.is_none() => "a custom handler of this `handler_name`",
                _ => "a handler of this `name`",
            };
            let at = handler.reference_name().map_or_else(|| cx.anchor(handler.node()), |n| cx.span(n.node));
            diagnostic = diagnostic.with_label(at, label);
        }
        let pointers: Vec<String> = named.iter().map(|h| cx.pointer(h.node())).collect();
        diagnostic = diagnostic
            .with_note(format!(
                "handlers answering to `{}`: {}",
                reference.value,
                adl_parser::quoted_list(pointers.iter().map(String::as_str))
            ))
            .with_help("give the handler meant a `name` of its own and refer to that");
        cx.report(diagnostic);
    }
}
