use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{Subscription, Trigger};

use crate::context::Context;
use crate::glob::glob_matches;

declare_rule! {
    /// ## What it does
    /// Warns when an events block reacts to events (it has subscriptions or
    /// triggers) but nothing handles `error` events: no subscription matches
    /// `error`, and no event trigger names it.
    ///
    /// ## Why it matters
    /// Failing and timed-out handlers emit `error` events. Without a handler for
    /// them, failures pass silently ("Handle Errors Gracefully" in ADL v2's best
    /// practices). The rule is opt-in: many correct agents leave errors to the
    /// host's logs, so it reports only when enabled (`adl check --warn
    /// unhandled-errors`, or `unhandled-errors = "warn"` under `[rules]` in
    /// `adl.toml`).
    ///
    /// ## Example
    /// ```json
    /// { "subscriptions": [{ "subscription_type": "direct", "event_name": "user_message", "handler": "reply" }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "subscriptions": [
    ///   { "subscription_type": "direct", "event_name": "user_message", "handler": "reply" },
    ///   { "subscription_type": "direct", "event_name": "error",
    ///     "handler": { "handler_type": "notification", "notification_type": "error", "message": "${event.data.error_message}" } }] }
    /// ```
    pub static UNHANDLED_ERRORS = ("ADL801", "unhandled-errors", Severity::Warning, "nothing handles `error` events", opt_in);
}

const ERROR: &str = "error";

fn trigger_handles_errors(trigger: &Trigger) -> bool {
    match trigger {
        Trigger::Event(t) => t.event_name.value == ERROR,
        Trigger::Composite(c) => c.triggers.value.iter().any(trigger_handles_errors),
        Trigger::Time(_) | Trigger::Condition(_) => false,
    }
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let events = &cx.agent.events;
    if events.subscriptions().is_empty() && events.triggers().is_empty() {
        return;
    }
    let by_subscription = events.subscriptions().iter().any(|s| match s {
        Subscription::Direct(d) => d.event_name.value == ERROR,
        Subscription::Filtered(f) => f.event_name.value == ERROR,
        Subscription::Pattern(p) => glob_matches(&p.event_pattern.value, ERROR),
    });
    if by_subscription || events.triggers().iter().any(trigger_handles_errors) {
        return;
    }
    let diagnostic = Diagnostic::new(
        &UNHANDLED_ERRORS,
        "nothing handles `error` events",
        cx.anchor(events.node),
        cx.pointer(events.node),
    )
    .with_primary_label("no subscription or trigger for `error` in this block")
    .with_note("failing and timed-out handlers emit `error` events; without a handler they pass silently")
    .with_help("add `{\"subscription_type\": \"direct\", \"event_name\": \"error\", \"handler\": {\"handler_type\": \"notification\", \"notification_type\": \"error\", \"message\": \"${event.data.error_message}\"}}`");
    cx.report(diagnostic);
}
