use std::collections::HashSet;

use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{HandlerRef, RoutingStrategy};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Warns about a handler in `handlers` that nothing can run: no subscription
    /// names it, and no trigger activation can be routed to it (there are no
    /// triggers, or the routing strategy's targets leave it out). A handler a
    /// misspelled reference means (`unknown-handler` suggests it) is not
    /// reported: the typo is the one mistake.
    ///
    /// ## Why it matters
    /// A handler that never runs is either left over or the sign of a routing
    /// mistake: the author expects it to react to something.
    ///
    /// ## Example
    /// ```json
    /// { "routing_strategy": "direct", "target_handler": "a",
    ///   "triggers": [{ "trigger_type": "event", "event_name": "deploy" }],
    ///   "handlers": [{ "name": "a", "handler_type": "custom", "handler_name": "a" },
    ///                { "name": "b", "handler_type": "custom", "handler_name": "b" }] }
    /// ```
    ///
    /// ## Use instead
    /// Route to it (`"routing_strategy": "broadcast"`), subscribe it to an event
    /// (`"handler": "b"`), or remove it.
    pub static DEAD_HANDLER = ("ADL305", "dead-handler", Severity::Warning, "a handler can never run");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let events = &cx.agent.events;
    let handlers = events.handlers();
    let mut reached: HashSet<&str> = events
        .subscriptions()
        .iter()
        .filter_map(|s| match s.handler() {
            HandlerRef::Named(name) => Some(name.value.as_str()),
            HandlerRef::Inline(_) => None,
        })
        .collect();
    let mut all_routed = false;
    if !events.triggers().is_empty() {
        match events.routing_strategy() {
            RoutingStrategy::Direct => match &events.target_handler {
                Some(target) => {
                    reached.insert(&target.value);
                }
                // One handler: that one. Several: `ambiguous-direct-routing` already says so.
                None => all_routed = true,
            },
            RoutingStrategy::Broadcast => match &events.target_handlers {
                Some(targets) => reached.extend(targets.value.iter().map(|t| t.value.as_str())),
                None => all_routed = true,
            },
            RoutingStrategy::Conditional => {
                reached.extend(
                    events
                        .routes()
                        .iter()
                        .map(|r| r.target_handler.value.as_str()),
                );
                if let Some(default) = &events.default_handler {
                    reached.insert(&default.value);
                }
            }
        }
    }
    if all_routed {
        return;
    }
    // A reference with a typo (`unknown-handler`, with its "did you mean")
    // is the one mistake: the handler it means is not dead as well.
    let names: Vec<&str> = cx.by_name.keys().copied().collect();
    for (reference, _) in super::unknown_handler::references(cx) {
        if !cx.by_name.contains_key(reference.value.as_str()) {
            if let Some(meant) = adl_parser::suggest(&reference.value, names.iter().copied()) {
                reached.insert(meant);
            }
        }
    }
    let no_triggers = events.triggers().is_empty();
    for handler in handlers {
        let name = handler.reference_name();
        if name.is_some_and(|n| reached.contains(n.value.as_str())) {
            continue;
        }
        let span = name.map_or_else(|| cx.anchor(handler.node()), |n| cx.span(n.node));
        let described = name.map_or_else(
            || "this handler".to_owned(),
            |n| format!("handler `{}`", n.value),
        );
        let mut diagnostic = Diagnostic::new(
            &DEAD_HANDLER,
            format!("{described} can never run"),
            span,
            cx.pointer(handler.node()),
        );
        diagnostic = if no_triggers {
            diagnostic
                .with_primary_label("no subscription names it and there are no triggers")
                .with_help(match name {
                    Some(n) => format!("subscribe it to an event (`\"handler\": \"{}\"`), add a trigger, or remove it", n.value),
                    None => "give it a `name` and subscribe it to an event, add a trigger, or remove it".to_owned(),
                })
        } else {
            diagnostic
                .with_primary_label("no subscription names it and routing never targets it")
                .with_help("add it to the routing targets, subscribe it to an event, or remove it")
        };
        cx.report(diagnostic);
    }
}
