use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a tool `name` that is not 1 to 64 letters, digits, `_` or `-`.
    ///
    /// ## Why it matters
    /// Model providers' function-calling APIs refuse such names: the agent could not
    /// offer the tool to its model.
    ///
    /// ## Example
    /// ```json
    /// { "name": "search web", "description": "d", "parameters": [] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "search_web", "description": "d", "parameters": [] }
    /// ```
    pub static INVALID_TOOL_NAME = ("ADL312", "invalid-tool-name", Severity::Error, "a tool name that function-calling APIs refuse");
}
