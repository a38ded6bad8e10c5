use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Warns about a cycle of handlers that feed themselves where a filter or
    /// condition on the way might stop the chain but cannot be decided before
    /// running: `status equals "error"` loops while the tool keeps failing; a
    /// state condition loops while it keeps changing back. Also a cycle that closes
    /// only when a handler fails: a tool or custom handler's `error` reaches an
    /// `error` subscription whose handler leads back to it (never two `error` hops
    /// in a row: an error raised while handling an error is not dispatched).
    /// Cycles that a condition provably breaks (`tool_name equals "search_web"`
    /// cannot match a handler that calls `log_search`; `handler not_equals
    /// "enricher"` on an `error` subscription) are not reported.
    ///
    /// ## Why it matters
    /// When the condition keeps holding, or the handler keeps failing, the chain
    /// runs until the runtime cuts it at `max_cascade_depth` or
    /// `max_cascade_events` and emits a `cascade_limit` error; with fan-out that
    /// can be thousands of events for one input.
    ///
    /// ## Example
    /// ```json
    /// { "subscription_type": "filtered", "event_name": "tool_invocation",
    ///   "filter": { "field": "status", "operator": "equals", "value": "error" },
    ///   "handler": { "handler_type": "tool_invocation", "tool_name": "retry", "parameters": {} } }
    /// ```
    ///
    /// ## Use instead
    /// Make the filter exclude the handler's own events (`tool_name not_equals
    /// "retry"`), or accept the bound and suppress the warning with a reason.
    pub static POSSIBLE_CASCADE = ("ADL602", "possible-cascade", Severity::Warning, "handlers may feed themselves until the cascade limit");
}
