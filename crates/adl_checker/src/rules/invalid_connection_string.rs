use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Persistence;

use crate::connection::parse_connection;
use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a database `connection_string` adl cannot use: a scheme other than
    /// `postgresql://`, `postgres://`, `sqlite://PATH` or `sqlite::memory:`, an
    /// `sqlite://` without a path, an invalid port, or a template other than
    /// `${env.NAME}`.
    ///
    /// ## Why it matters
    /// The runtime could not open the store, and events would have nowhere to go.
    /// Event templates in a connection string would let event data choose the
    /// database.
    ///
    /// ## Example
    /// ```json
    /// { "type": "database", "connection_string": "mysql://db/adl", "table_name": "events" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "type": "database", "connection_string": "postgresql://adl@db/adl", "table_name": "events" }
    /// ```
    pub static INVALID_CONNECTION_STRING = ("ADL702", "invalid-connection-string", Severity::Error, "a connection string cannot be used");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(Persistence::Database(database)) = &cx.agent.events.persistence else {
        return;
    };
    let connection = &database.connection_string;
    let Err(problem) = parse_connection(&connection.value) else {
        return;
    };
    // Only the part at fault is shown in the message: a connection string may hold secrets.
    let span = cx
        .doc
        .string_subspan(connection.node, problem.range.start, problem.range.end);
    let diagnostic = Diagnostic::new(
        &INVALID_CONNECTION_STRING,
        problem.message,
        span,
        cx.pointer(connection.node),
    )
    .with_help(problem.help);
    cx.report(diagnostic);
}
