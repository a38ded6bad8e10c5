use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a key that the events block, or the object it appears in, does not
    /// define. The help suggests the closest valid key and lists all of them.
    /// When that suggestion is certain (one close key, not written already), the
    /// finding carries it as a fix (`adl check --fix`) and the value is read as
    /// that key, so the rest of the object is checked in the same round (no
    /// `missing-field` for it).
    ///
    /// ## Why it matters
    /// A misspelt key is silently ignored by lenient loaders: `filtr` would leave a
    /// subscription unfiltered. Keys outside the events block are not checked. Any
    /// object may carry `x-adl-allow` (suppressions).
    ///
    /// ## Example
    /// ```json
    /// { "subscription_type": "direct", "event_name": "x", "filtr": { "field": "a", "operator": "exists" }, "handler": "h" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "subscription_type": "direct", "event_name": "x", "filter": { "field": "a", "operator": "exists" }, "handler": "h" }
    /// ```
    pub static UNKNOWN_KEY = ("ADL203", "unknown-key", Severity::Error, "an object in the events block has a key it does not define");
}
