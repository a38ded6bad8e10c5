use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an object key that appears more than once in the same object. The
    /// second occurrence is the error; a label points at the first.
    ///
    /// ## Why it matters
    /// JSON parsers silently keep one of the values (most keep the last), so part of
    /// what the author wrote is lost without a trace. An author never means that.
    ///
    /// ## Example
    /// ```json
    /// { "events": { "processing_mode": "batch", "processing_mode": "synchronous" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "events": { "processing_mode": "batch" } }
    /// ```
    pub static DUPLICATE_KEY = ("ADL104", "duplicate-key", Severity::Error, "an object has the same key twice");
}
