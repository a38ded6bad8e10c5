use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a cycle of handlers that feed themselves with nothing on the way to
    /// stop it: each handler emits an event (a tool invocation emits
    /// `tool_invocation`; a state update with a templated value emits
    /// `state_change`) that a subscription or trigger without a filter, or with
    /// one that provably holds for that event, sends back into the cycle. The
    /// diagnostic points at the subscription or trigger that closes the cycle, with
    /// a label on every hop.
    ///
    /// ## Why it matters
    /// Every event starts an endless chain; the runtime cuts it at
    /// `max_cascade_depth` and reports a `cascade_limit` error each time, so the
    /// agent does `max_cascade_depth` times the work and fails.
    ///
    /// ## Example
    /// ```json
    /// { "subscription_type": "direct", "event_name": "tool_invocation",
    ///   "handler": { "handler_type": "tool_invocation", "tool_name": "log_result", "parameters": { "event_data": "${event.data}" } } }
    /// ```
    ///
    /// ## Use instead
    /// Exclude the handler's own events:
    /// ```json
    /// { "subscription_type": "filtered", "event_name": "tool_invocation",
    ///   "filter": { "field": "tool_name", "operator": "not_equals", "value": "log_result" },
    ///   "handler": { "handler_type": "tool_invocation", "tool_name": "log_result", "parameters": { "event_data": "${event.data}" } } }
    /// ```
    pub static UNBOUNDED_CASCADE = ("ADL601", "unbounded-cascade", Severity::Error, "handlers feed themselves with nothing to stop them");
}
