use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports YAML text that does not parse, at the place the YAML parser
    /// stopped.
    ///
    /// ## Why it matters
    /// Nothing after a syntax error can be read reliably.
    ///
    /// ## Example
    /// ```yaml
    /// name: "Support agent
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// name: "Support agent"
    /// ```
    pub static INVALID_YAML = ("ADL108", "invalid-yaml", Severity::Error, "the text is not valid YAML");
}

declare_rule! {
    /// ## What it does
    /// Reports a YAML file holding more than one document (`---` between them).
    /// Only the first is read.
    ///
    /// ## Why it matters
    /// An agent definition is one document; the others would be silently ignored.
    ///
    /// ## Example
    /// ```yaml
    /// name: a
    /// ---
    /// name: b
    /// ```
    ///
    /// ## Use instead
    /// One agent per file.
    pub static YAML_MULTIPLE_DOCUMENTS = ("ADL109", "yaml-multiple-documents", Severity::Error, "a YAML file holds more than one document");
}

declare_rule! {
    /// ## What it does
    /// Reports YAML features with no JSON equivalent: tags (`!!binary`,
    /// `!custom`), merge keys (`<<`), keys that are not strings, `.nan` and
    /// `.inf`, and aliases that would expand beyond the size limit.
    ///
    /// ## Why it matters
    /// An agent definition is JSON's data model written in YAML; these have no
    /// meaning there, and tools disagree on them.
    ///
    /// ## Example
    /// ```yaml
    /// llm_settings:
    ///   <<: *defaults
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// llm_settings:
    ///   temperature: 0.2
    ///   max_tokens: 800
    /// ```
    pub static YAML_UNSUPPORTED = ("ADL110", "yaml-unsupported", Severity::Error, "a YAML feature with no JSON equivalent");
}

declare_rule! {
    /// ## What it does
    /// Warns about plain scalars that YAML 1.1 reads differently from YAML 1.2
    /// (which adl follows): `yes`, `no`, `on`, `off`, `y`, `n` (strings in 1.2,
    /// booleans in 1.1), `0123` (123 in 1.2, octal 83 in 1.1), `1:30` (a string
    /// in 1.2, 90 in 1.1).
    ///
    /// ## Why it matters
    /// Another tool reading the same file gets another value.
    ///
    /// ## Example
    /// ```yaml
    /// audit: yes
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// audit: true
    /// ```
    pub static YAML_AMBIGUOUS_SCALAR = ("ADL111", "yaml-ambiguous-scalar", Severity::Warning, "a YAML scalar that YAML 1.1 reads otherwise");
}
