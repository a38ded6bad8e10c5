use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::RoutingStrategy;

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports `routing_strategy: direct` (the default) without `target_handler`
    /// in a block that has triggers and more than one handler in `handlers`.
    ///
    /// ## Why it matters
    /// Direct routing sends each trigger activation to one handler. With several
    /// candidates and no target, adl cannot know which one is meant.
    ///
    /// ## Example
    /// ```json
    /// { "triggers": [{ "trigger_type": "event", "event_name": "deploy" }],
    ///   "handlers": [{ "name": "a", "handler_type": "custom", "handler_name": "a" },
    ///                { "name": "b", "handler_type": "custom", "handler_name": "b" }] }
    /// ```
    ///
    /// ## Use instead
    /// Add `"target_handler": "a"`, or `"routing_strategy": "broadcast"` to run every handler.
    pub static AMBIGUOUS_DIRECT_ROUTING = ("ADL304", "ambiguous-direct-routing", Severity::Error, "direct routing has several handlers and no target");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let events = &cx.agent.events;
    let listed = events.handlers().len();
    if events.triggers().is_empty()
        || events.routing_strategy() != RoutingStrategy::Direct
        || events.target_handler.is_some()
        || listed < 2
    {
        return;
    }
    let (span, pointer) = match &events.routing_strategy {
        Some(strategy) => (cx.span(strategy.node), cx.pointer(strategy.node)),
        None => (cx.anchor(events.node), cx.pointer(events.node)),
    };
    let mut diagnostic = Diagnostic::new(
        &AMBIGUOUS_DIRECT_ROUTING,
        format!("direct routing has {listed} handlers and no `target_handler`"),
        span,
        pointer,
    )
    .with_note("direct routing sends each trigger activation to exactly one handler");
    if let Some(handlers) = &events.handlers {
        diagnostic = diagnostic.with_label(
            cx.key_span(handlers.node),
            format!("{listed} handlers here"),
        );
    }
    let first = events.handlers()[0]
        .reference_name()
        .map(|n| n.value.clone());
    let help = match first {
        Some(name) => format!("add `\"target_handler\": \"{name}\"`, or use `\"routing_strategy\": \"broadcast\"` to run every handler"),
        None => "name the handler meant and set `target_handler`, or use `\"routing_strategy\": \"broadcast\"` to run every handler".to_owned(),
    };
    cx.report(diagnostic.with_help(help));
}
