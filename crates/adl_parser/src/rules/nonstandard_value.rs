use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an enumerated value that the schema does not list but that public ADL
    /// files, docs or validators use for one it does (`memory.backend: "sqlite"` for
    /// `external`, `lifecycle: "active"` for `stable`), naming the schema's value.
    ///
    /// ## Why it matters
    /// Tools that follow the schema refuse the file; tools that follow the examples
    /// accept it. Writing the schema's value makes every tool read it the same way.
    ///
    /// ## Example
    /// ```json
    /// { "memory": { "type": "episodic", "backend": "sqlite" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "memory": { "type": "episodic", "backend": "external" } }
    /// ```
    pub static NONSTANDARD_VALUE = ("ADL211", "nonstandard-value", Severity::Warning, "a value that public files use in place of the schema's value");
}
