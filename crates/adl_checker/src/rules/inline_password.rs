use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Persistence;

use crate::connection::{Connection, parse_connection};
use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Warns about a password written into a `connection_string` (in the user info
    /// or as a `password=` parameter) instead of an `${env.NAME}` reference. adl
    /// redacts it in every output: diagnostics, source snippets and compiled graphs.
    ///
    /// ## Why it matters
    /// Agent definitions are committed, shared and logged; a password in one leaks
    /// with it.
    ///
    /// ## Example
    /// ```json
    /// { "connection_string": "postgresql://adl:s3cret@db/adl" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "connection_string": "postgresql://adl:${env.ADL_DB_PASSWORD}@db/adl" }
    /// ```
    pub static INLINE_PASSWORD = ("ADL703", "inline-password", Severity::Warning, "a connection string holds a password");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(Persistence::Database(database)) = &cx.agent.events.persistence else {
        return;
    };
    let connection = &database.connection_string;
    let Ok(Connection::Postgres {
        password: Some(range),
    }) = parse_connection(&connection.value)
    else {
        return;
    };
    let span = cx
        .doc
        .string_subspan(connection.node, range.start, range.end);
    let diagnostic = Diagnostic::new(
        &INLINE_PASSWORD,
        "the connection string holds a password",
        span,
        cx.pointer(connection.node),
    )
    .with_primary_label("redacted in every output")
    .with_note("agent definitions are committed and shared; a password in one leaks with it")
    .with_help("reference the environment instead: `${env.ADL_DB_PASSWORD}`");
    cx.report(diagnostic);
}
