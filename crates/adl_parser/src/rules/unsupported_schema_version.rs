use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a `schema_version` whose major version is not 1, 2 or 3. The file is
    /// then checked as the version its keys suggest.
    ///
    /// ## Why it matters
    /// A tool cannot know what a future version means; reading the file as another
    /// version could accept what that version forbids.
    ///
    /// ## Example
    /// ```json
    /// { "schema_version": "7.0.0", "name": "a" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "schema_version": "2.0.0", "name": "a" }
    /// ```
    pub static UNSUPPORTED_SCHEMA_VERSION = ("ADL213", "unsupported-schema-version", Severity::Error, "`schema_version` names a major version adl does not know");
}
