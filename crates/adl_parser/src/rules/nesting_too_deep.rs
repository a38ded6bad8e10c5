use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports arrays or objects nested deeper than 256 levels.
    ///
    /// ## Why it matters
    /// No agent definition needs that depth, and refusing it guarantees that no
    /// input can exhaust the stack of adl or of the runtime that loads the agent.
    ///
    /// ## Example
    /// `[[[[[[ … ]]]]]]` with 300 levels.
    ///
    /// ## Use instead
    /// Flatten the structure.
    pub static NESTING_TOO_DEEP = ("ADL105", "nesting-too-deep", Severity::Error, "arrays or objects are nested deeper than 256 levels");
}
