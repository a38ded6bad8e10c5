use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file whose bytes are not UTF-8, at the first byte that is not.
    ///
    /// ## Why it matters
    /// JSON text exchanged between systems must be UTF-8 (RFC 8259 §8.1). A file
    /// saved as Latin-1 or UTF-16 would be read differently by every tool.
    ///
    /// ## Example
    /// A file saved in Latin-1 containing `"café"` (byte `0xE9`).
    ///
    /// ## Use instead
    /// Save the file as UTF-8. A leading byte order mark is tolerated.
    pub static INVALID_UTF8 = ("ADL102", "invalid-utf8", Severity::Error, "the file is not UTF-8 text");
}
