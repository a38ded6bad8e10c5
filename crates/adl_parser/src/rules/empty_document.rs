use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file that is empty or holds only white space.
    ///
    /// ## Why it matters
    /// An empty file is usually a failed write or a wrong path, not an agent.
    ///
    /// ## Example
    /// An empty `agent.json`.
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "my-agent" }
    /// ```
    pub static EMPTY_DOCUMENT = ("ADL103", "empty-document", Severity::Error, "the file holds no JSON value");
}
