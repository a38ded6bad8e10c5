use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a memory `retention.duration` that is not a count followed by one of
    /// `s`, `m`, `h`, `d`, `w` (`30d`).
    ///
    /// ## Why it matters
    /// The memory store cannot know when to forget.
    ///
    /// ## Example
    /// ```json
    /// { "memory": { "retention": { "policy": "ttl", "duration": "30 days" } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "memory": { "retention": { "policy": "ttl", "duration": "30d" } } }
    /// ```
    pub static INVALID_DURATION = ("ADL222", "invalid-duration", Severity::Error, "a retention duration is not a count and a unit");
}
