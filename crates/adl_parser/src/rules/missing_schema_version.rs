use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document without `schema_version`, naming the version adl inferred
    /// from its keys and the key that decided. A warning for v2 and v3 documents (their
    /// schema requires the field), a note for v1 and v1.5 (their schemas lack it).
    ///
    /// ## Why it matters
    /// Without it every tool guesses the version; two tools can guess differently.
    ///
    /// ## Example
    /// ```json
    /// { "agent_id": "support", "name": "a", "description": "d", "llm": "openai" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "schema_version": "2.0.0", "agent_id": "support", "name": "a", "description": "d", "llm": "openai" }
    /// ```
    pub static MISSING_SCHEMA_VERSION = ("ADL214", "missing-schema-version", Severity::Warning, "the document does not declare its `schema_version`");
}
