use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Warns about a cycle of handlers that feed themselves where a filter or
    /// condition on the way might stop the chain but cannot be decided before
    /// running: `status equals "error"` loops while the tool keeps failing; a
    /// state condition loops while it keeps changing back. Cycles that a condition
    /// provably breaks (`tool_name equals "search_web"` cannot match a handler that
    /// calls `log_search`) are not reported.
    ///
    /// ## Why it matters
    /// When the condition keeps holding, the chain runs until the runtime cuts it
    /// at `max_cascade_depth` and emits a `cascade_limit` error.
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
