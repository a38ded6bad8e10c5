use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Subscription;

use crate::context::Context;
use crate::glob::has_wildcard;

declare_rule! {
    /// ## What it does
    /// Notes a pattern subscription whose `event_pattern` has no `*` or `?`: it
    /// matches exactly one name, which a direct subscription says more plainly.
    ///
    /// ## Why it matters
    /// "Use Specific Events" is an ADL v2 best practice: a direct subscription
    /// states intent, is found by exact lookup, and its events are typed for checks
    /// of filters and templates.
    ///
    /// ## Example
    /// ```json
    /// { "subscription_type": "pattern", "event_pattern": "tool_invocation", "handler": "log" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "subscription_type": "direct", "event_name": "tool_invocation", "handler": "log" }
    /// ```
    pub static LITERAL_PATTERN = ("ADL803", "literal-pattern", Severity::Note, "a pattern subscription matches a single name");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for subscription in cx.agent.events.subscriptions() {
        let Subscription::Pattern(pattern) = subscription else {
            continue;
        };
        let text = &pattern.event_pattern.value;
        if has_wildcard(text) {
            continue;
        }
        let diagnostic = Diagnostic::new(
            &LITERAL_PATTERN,
            format!("pattern `{text}` matches only the event `{text}`"),
            cx.span(pattern.event_pattern.node),
            cx.pointer(pattern.event_pattern.node),
        )
        .with_primary_label("no `*` or `?`")
        .with_help(format!(
            "use `\"subscription_type\": \"direct\", \"event_name\": \"{text}\"`"
        ));
        cx.report(diagnostic);
    }
}
