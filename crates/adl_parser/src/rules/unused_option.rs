use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Warns about an option that the chosen strategy or mode does not use, so the
    /// runtime ignores it: `queue_size` with `processing_mode: synchronous`,
    /// `target_handlers` with `routing_strategy: direct`, routing options in a block
    /// without triggers (routing applies to trigger activations only), and so on.
    ///
    /// ## Why it matters
    /// The author probably expects the option to have an effect. Either the
    /// strategy/mode is not the intended one, or the option is left over.
    ///
    /// ## Example
    /// ```json
    /// { "processing_mode": "synchronous", "queue_size": 100 }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "processing_mode": "asynchronous", "queue_size": 100 }
    /// ```
    pub static UNUSED_OPTION = ("ADL206", "unused-option", Severity::Warning, "an option is ignored by the chosen strategy or mode");
}
