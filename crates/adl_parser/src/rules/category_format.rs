use adl_diagnostics::{Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a tool `category` that is not a taxonomy path: two to four lower-case
    /// segments joined by dots (`data_access.database.query`). A warning in v1.5 and
    /// later documents, a note in v1 ones, where the category was free text.
    ///
    /// ## Why it matters
    /// Registries group and search tools by these paths.
    ///
    /// ## Example
    /// ```json
    /// { "name": "q", "description": "d", "parameters": [], "category": "Database Query" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "q", "description": "d", "parameters": [], "category": "data_access.database.query" }
    /// ```
    pub static CATEGORY_FORMAT = ("ADL221", "category-format", Severity::Warning, "a tool `category` is not a taxonomy path");
}
