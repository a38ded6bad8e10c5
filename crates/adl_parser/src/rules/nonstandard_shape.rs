use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a section written in a shape the schema does not define but other files
    /// use: `lifecycle` as an object, `change_log` as an array, a semantic version in
    /// `version`, v1.5 keys (`time_limits`) in a v2 file, `llm_extensions` keys inside
    /// `llm_settings`. The help gives the rewrite.
    ///
    /// ## Why it matters
    /// Nothing is lost, but tools that follow the schema reject or ignore the section.
    ///
    /// ## Example
    /// ```json
    /// { "schema_version": "2.0.0", "version": "1.2.0" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "schema_version": "2.0.0", "version_string": "1.2.0" }
    /// ```
    pub static NONSTANDARD_SHAPE = ("ADL212", "nonstandard-shape", Severity::Warning, "a section in a shape another version or dialect uses");
}
