use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document whose `id` and `agent_id` differ.
    ///
    /// ## Why it matters
    /// Tools that read `id` and tools that read `agent_id` would know the agent by
    /// different names.
    ///
    /// ## Example
    /// ```json
    /// { "id": "a", "agent_id": "b" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "agent_id": "b" }
    /// ```
    pub static CONFLICTING_ID = ("ADL219", "conflicting-id", Severity::Error, "`id` and `agent_id` give the agent two different ids");
}
