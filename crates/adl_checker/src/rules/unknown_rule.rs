use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an `x-adl-allow` entry that names no rule, by code or by name, with
    /// the closest rule name as a suggestion.
    ///
    /// ## Why it matters
    /// A misspelt rule silences nothing, and the finding it was meant for stays.
    ///
    /// ## Example
    /// ```json
    /// { "x-adl-allow": { "unused-options": "kept for the example" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "x-adl-allow": { "unused-option": "kept for the example" } }
    /// ```
    pub static UNKNOWN_RULE = ("ADL903", "unknown-rule", Severity::Error, "a suppression names no rule");
}
