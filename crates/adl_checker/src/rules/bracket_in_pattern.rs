use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Subscription;

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Warns about an `event_pattern` containing `[`, `]`, `{` or `}`. Event
    /// patterns are globs with `*` and `?` only; every other character is literal.
    ///
    /// ## Why it matters
    /// Authors used to shell or regex globs expect `[ab]` or `{a,b}` to be
    /// alternatives; here they match those characters literally, so the
    /// subscription silently never fires.
    ///
    /// ## Example
    /// ```json
    /// { "subscription_type": "pattern", "event_pattern": "order.{created,paid}", "handler": "h" }
    /// ```
    ///
    /// ## Use instead
    /// Two direct subscriptions (`order.created`, `order.paid`), or `order.*`.
    pub static BRACKET_IN_PATTERN = ("ADL804", "bracket-in-pattern", Severity::Warning, "an event pattern contains a bracket or brace, which is literal");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for subscription in cx.agent.events.subscriptions() {
        let Subscription::Pattern(pattern) = subscription else {
            continue;
        };
        let text = &pattern.event_pattern.value;
        let Some(position) = text.find(['[', ']', '{', '}']) else {
            continue;
        };
        let character = &text[position..=position];
        let diagnostic = Diagnostic::new(
            &BRACKET_IN_PATTERN,
            format!("`{character}` in event pattern `{text}` is a literal character"),
            cx.span(pattern.event_pattern.node),
            cx.pointer(pattern.event_pattern.node),
        )
        .with_primary_label("matched literally")
        .with_note("event patterns are globs with `*` and `?` only; brackets and braces are not alternatives")
        .with_help("write one subscription per name, or a `*` pattern");
        cx.report(diagnostic);
    }
}
