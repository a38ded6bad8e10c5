use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Persistence;

use crate::connection::table_name_problem;
use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a database `table_name` that is not a plain or schema-qualified SQL
    /// identifier: letters, digits and `_`, not starting with a digit, at most 63
    /// bytes a part, at most one `.`.
    ///
    /// ## Why it matters
    /// The runtime puts the table name into SQL statements. adl never splices an
    /// unchecked name into SQL; anything else would be an injection waiting to
    /// happen, or a table name that only works quoted.
    ///
    /// ## Example
    /// ```json
    /// { "type": "database", "connection_string": "sqlite://events.db", "table_name": "agent-events" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "type": "database", "connection_string": "sqlite://events.db", "table_name": "agent_events" }
    /// ```
    pub static INVALID_TABLE_NAME = ("ADL701", "invalid-table-name", Severity::Error, "a table name is not an SQL identifier");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(Persistence::Database(database)) = &cx.agent.events.persistence else {
        return;
    };
    let name = &database.table_name;
    let Some(problem) = table_name_problem(&name.value) else {
        return;
    };
    let suggestion: String = name
        .value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let diagnostic = Diagnostic::new(
        &INVALID_TABLE_NAME,
        format!("table name `{}` is not an SQL identifier", name.value),
        cx.span(name.node),
        cx.pointer(name.node),
    )
    .with_primary_label(problem)
    .with_note("the name goes into SQL statements, so only plain identifiers (`events`, `audit.events`) are accepted")
    .with_help(format!("use a plain identifier, e.g. `{suggestion}`"));
    cx.report(diagnostic);
}
