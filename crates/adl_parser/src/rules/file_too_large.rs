use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Refuses files larger than 16 MiB without parsing them.
    ///
    /// ## Why it matters
    /// An agent definition is configuration. A file this large is almost certainly
    /// the wrong file (a log, a data dump), and reading it would cost memory for nothing.
    ///
    /// ## Example
    /// `adl check events.log.json` on a 2 GiB event dump.
    ///
    /// ## Use instead
    /// Pass the agent definition; split very large definitions.
    pub static FILE_TOO_LARGE = ("ADL106", "file-too-large", Severity::Error, "the file is larger than 16 MiB");
}
