use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{ProcessingMode, defaults};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Warns when an events block with at least one handler processes events
    /// synchronously (written or by default) without an explicit `timeout_ms`.
    ///
    /// ## Why it matters
    /// In synchronous mode the dispatcher waits for every handler. The default
    /// (5000 ms) is rarely right for a given agent ("Set Timeouts" in ADL v2's best
    /// practices): state the bound you mean.
    ///
    /// ## Example
    /// ```json
    /// { "processing_mode": "synchronous", "handlers": [ … ] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "processing_mode": "synchronous", "timeout_ms": 2000, "handlers": [ … ] }
    /// ```
    pub static IMPLICIT_TIMEOUT = ("ADL802", "implicit-timeout", Severity::Warning, "synchronous processing without an explicit `timeout_ms`");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let events = &cx.agent.events;
    if events.processing_mode() != ProcessingMode::Synchronous
        || events.timeout_ms.is_some()
        || cx.handlers.is_empty()
    {
        return;
    }
    let (span, pointer, label) = match &events.processing_mode {
        Some(mode) => (
            cx.span(mode.node),
            cx.pointer(mode.node),
            "synchronous here",
        ),
        None => (
            cx.anchor(events.node),
            cx.pointer(events.node),
            "synchronous by default",
        ),
    };
    let diagnostic = Diagnostic::new(
        &IMPLICIT_TIMEOUT,
        "synchronous processing without an explicit `timeout_ms`",
        span,
        pointer,
    )
    .with_primary_label(label)
    .with_note(format!(
        "each handler is then bounded by the default of {} ms",
        defaults::TIMEOUT_MS
    ))
    .with_help(
        "set `\"timeout_ms\"` to the longest a handler may take, e.g. `\"timeout_ms\": 2000`",
    );
    cx.report(diagnostic);
}
