use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Refuses a file in a syntax adl does not read: the ADL DSL (`*.adl`), the
    /// source language some ADL tools compile to JSON. Directory scans skip such
    /// files; this is reported only for a file passed by name.
    ///
    /// ## Why it matters
    /// Checking DSL text as JSON would report a syntax error on its first line and
    /// nothing useful after it.
    ///
    /// ## Example
    /// `adl check agent.adl`
    ///
    /// ## Use instead
    /// Compile the DSL to JSON with its own tool, then `adl check agent.json`.
    pub static UNSUPPORTED_FORMAT = ("ADL107", "unsupported-format", Severity::Error, "the file is in a syntax adl does not read");
}
