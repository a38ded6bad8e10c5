use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an `x-adl-allow` entry whose reason is empty or not a string.
    ///
    /// ## Why it matters
    /// A suppression is a decision; the reason tells the next reader why the rule
    /// does not apply, so that it is not removed (or copied) blindly.
    ///
    /// ## Example
    /// ```json
    /// { "x-adl-allow": { "dead-handler": "" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "x-adl-allow": { "dead-handler": "invoked by the host through the custom handler API" } }
    /// ```
    pub static SUPPRESSION_WITHOUT_REASON = ("ADL902", "suppression-without-reason", Severity::Error, "a suppression gives no reason");
}
