use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an agent `id` without `agent_id`. A warning in v2 and v3 documents, a
    /// note in v1 and v1.5 ones (where `id` was the name).
    ///
    /// ## Why it matters
    /// v2 renamed the field; tools that read `agent_id` find no id.
    ///
    /// ## Example
    /// ```json
    /// { "schema_version": "2.0.0", "id": "support-agent" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "schema_version": "2.0.0", "agent_id": "support-agent" }
    /// ```
    pub static DEPRECATED_ID = ("ADL218", "deprecated-id", Severity::Warning, "the agent's id is written as `id` instead of `agent_id`");
}
