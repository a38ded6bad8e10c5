use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an `events` array whose items hold `event_id`, `trigger` or `actions`:
    /// the v1.5 DSL's event definitions. The help is the v2 `events` block they stand
    /// for (one subscription per action, conditions as filters), and notes list what
    /// must be carried over by hand.
    ///
    /// ## Why it matters
    /// adl runs only the v2 `events` object: none of these events would ever fire.
    ///
    /// ## Example
    /// ```json
    /// { "events": [{ "event_id": "on-error", "event_type": "error_occurred", "actions": [{ "action_type": "log_event", "target": "system", "parameters": { "message": "failed" }, "priority": 5 }] }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "events": { "subscriptions": [{ "subscription_type": "direct", "event_name": "error", "handler": { "name": "on-error.1", "handler_type": "notification", "notification_type": "info", "message": "failed" } }] } }
    /// ```
    pub static EVENTS_ARRAY_DIALECT = ("ADL217", "events-array-dialect", Severity::Error, "`events` is the v1.5 array dialect, which adl does not run");
}
