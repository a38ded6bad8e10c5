use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a v1 or v1.5 document without a `tools` key; those versions' schemas
    /// require one, even when empty.
    ///
    /// ## Why it matters
    /// Validators that follow those schemas reject the file.
    ///
    /// ## Example
    /// ```json
    /// { "name": "a", "description": "d", "role": "r", "llm": "openai", "llm_settings": { "temperature": 0, "max_tokens": 10 } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "a", "description": "d", "role": "r", "llm": "openai", "llm_settings": { "temperature": 0, "max_tokens": 10 }, "tools": [] }
    /// ```
    pub static MISSING_TOOLS = ("ADL216", "missing-tools", Severity::Warning, "a v1 or v1.5 document has no `tools`");
}
