use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// On request only (`adl check --explain-defaults`), notes every default that
    /// was applied: the whole v1.5 default block for an agent without `events`, or
    /// each field a block leaves out (`processing_mode: synchronous`, …).
    ///
    /// ## Why it matters
    /// Nothing should be implicit to a reader: these notes show exactly what the
    /// runtime will use. Defaults are never warnings.
    ///
    /// ## Example
    /// ```json
    /// { "events": { "handlers": [] } }
    /// ```
    /// notes `routing_strategy` defaulting to `direct`, `processing_mode` to
    /// `synchronous`, and so on.
    ///
    /// ## Use instead
    /// Nothing to change; write a field out to make it explicit.
    pub static DEFAULT_APPLIED = ("ADL209", "default-applied", Severity::Note, "a default value was applied");
}
