use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a value outside its fixed set: a `trigger_type`, `handler_type`,
    /// `subscription_type`, `routing_strategy`, `processing_mode`, `overflow`,
    /// persistence `type`, `rotation`, `notification_type` or condition `operator`
    /// that adl does not know. The help suggests the closest valid value. When
    /// it is certain, the finding carries it as a fix and the value is read as
    /// it (a misspelled kind, as its closest kind), so what depends on it is
    /// checked in the same round.
    ///
    /// ## Why it matters
    /// An unknown kind cannot be run, and a typo here changes what the agent does.
    ///
    /// ## Example
    /// ```json
    /// { "routing_strategy": "brodcast" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "routing_strategy": "broadcast" }
    /// ```
    pub static UNKNOWN_VARIANT = ("ADL205", "unknown-variant", Severity::Error, "a value is not one of the allowed values");
}
