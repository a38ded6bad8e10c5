use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document that has both `events` and `capabilities.events`, or both
    /// `tools` and `capabilities.tools`.
    ///
    /// ## Why it matters
    /// The flat and the grouped layout are alternatives. With both, it is unclear
    /// which block the runtime should load, and the other is silently ignored.
    ///
    /// ## Example
    /// ```json
    /// { "events": {}, "capabilities": { "events": {} } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "capabilities": { "events": {} } }
    /// ```
    pub static CONFLICTING_LAYOUTS = ("ADL201", "conflicting-layouts", Severity::Error, "a block is defined in both the flat and the grouped layout");
}
