use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Warns about an `x-adl-allow` entry that silences nothing: no finding of that
    /// rule is reported for the object or anything inside it.
    ///
    /// ## Why it matters
    /// A stale suppression hides the next real problem of that kind in that place.
    ///
    /// ## Example
    /// ```json
    /// { "processing_mode": "synchronous", "timeout_ms": 500, "x-adl-allow": { "unused-option": "legacy" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "processing_mode": "synchronous", "timeout_ms": 500 }
    /// ```
    pub static UNUSED_SUPPRESSION = ("ADL901", "unused-suppression", Severity::Warning, "a suppression silences nothing");
}
