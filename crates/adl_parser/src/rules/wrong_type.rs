use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong JSON type: a string where an array is expected,
    /// a number where an integer is expected, and so on.
    ///
    /// ## Why it matters
    /// The runtime cannot interpret such a value; a loader that coerces it would
    /// guess what the author meant.
    ///
    /// ## Example
    /// ```json
    /// { "events": { "triggers": { "trigger_type": "event", "event_name": "x" } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "events": { "triggers": [{ "trigger_type": "event", "event_name": "x" }] } }
    /// ```
    pub static WRONG_TYPE = ("ADL202", "wrong-type", Severity::Error, "a value has the wrong JSON type");
}
