use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a key outside `events` that no version of the agent format defines in
    /// that object, with the closest valid key when one is near. Keys starting with
    /// `x-` and the contents of open objects (`metadata`, `config`, `data`, `schema`,
    /// `properties`, `task_mappings`) are never reported.
    ///
    /// ## Why it matters
    /// A misspelt key is silently ignored: `temprature` leaves the model at its
    /// default temperature. It is a warning, not an error, because runtimes ignore keys
    /// they do not know; inside `events` the same mistake is an error (`unknown-key`).
    ///
    /// ## Example
    /// ```json
    /// { "name": "a", "description": "d", "llm": "openai", "llm_settings": { "temprature": 0.2, "max_tokens": 100 } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "a", "description": "d", "llm": "openai", "llm_settings": { "temperature": 0.2, "max_tokens": 100 } }
    /// ```
    pub static UNKNOWN_AGENT_KEY = ("ADL210", "unknown-agent-key", Severity::Warning, "an agent document section has a key no version of the format defines");
}
