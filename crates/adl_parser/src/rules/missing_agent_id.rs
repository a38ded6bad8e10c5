use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a v2 or v3 document with no agent id; the help suggests a slug made
    /// from the agent's name.
    ///
    /// ## Why it matters
    /// Workflow, policy and index ids are built from the agent's id; registries key
    /// agents by it.
    ///
    /// ## Example
    /// ```json
    /// { "schema_version": "2.0.0", "name": "Support Agent" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "schema_version": "2.0.0", "agent_id": "support-agent", "name": "Support Agent" }
    /// ```
    pub static MISSING_AGENT_ID = ("ADL220", "missing-agent-id", Severity::Warning, "a v2 or v3 document has neither `agent_id` nor `id`");
}
