use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports text that is not valid JSON (RFC 8259): unterminated strings, trailing
    /// or missing commas, bad escapes, comments, single quotes, unquoted keys, invalid
    /// numbers, truncated files and content after the end of the document.
    ///
    /// ## Why it matters
    /// Nothing else can be checked until the file is JSON. adl recovers from a
    /// trailing or a missing comma so that it can report the rest of the file too.
    ///
    /// ## Example
    /// ```json
    /// { "events": { "triggers": [], } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "events": { "triggers": [] } }
    /// ```
    pub static INVALID_JSON = ("ADL101", "invalid-json", Severity::Error, "the text is not valid JSON");
}
