use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a declared `schema_version` older than the features the document uses
    /// (`1.0.0` with `agent_id`, `2.0.0` with `workflow`), pointing at the feature.
    ///
    /// ## Why it matters
    /// Tools that trust the declaration check the file against the wrong version.
    ///
    /// ## Example
    /// ```json
    /// { "schema_version": "1.0.0", "agent_id": "support" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "schema_version": "2.0.0", "agent_id": "support" }
    /// ```
    pub static SCHEMA_VERSION_MISMATCH = ("ADL215", "schema-version-mismatch", Severity::Warning, "the document uses features newer than its declared `schema_version`");
}
