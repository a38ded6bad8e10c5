use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Warns about a time trigger whose `schedule` holds the cron expression itself,
    /// with no `expression`. adl accepts this older shape and reads the expression
    /// from `schedule`.
    ///
    /// ## Why it matters
    /// The ADL v2 shape is `"schedule": "cron"` with the expression in `expression`;
    /// other tools reading the file may only understand that.
    ///
    /// ## Example
    /// ```json
    /// { "trigger_type": "time", "schedule": "0 * * * *" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "trigger_type": "time", "schedule": "cron", "expression": "0 * * * *" }
    /// ```
    pub static CRON_IN_SCHEDULE = ("ADL207", "cron-in-schedule", Severity::Warning, "a time trigger writes its cron expression in `schedule`");
}
