//! The names an agent file declares and uses (handlers, tools), with their
//! places: what an editor's go-to-definition and find-references work on.

use adl_diagnostics::Span;

use crate::CheckReport;
use crate::context::Context;

/// What a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Handler,
    Tool,
}

/// One occurrence of a name: where it is declared, or where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub kind: SymbolKind,
    pub name: String,
    /// The string's span, quotes included.
    pub span: Span,
    pub definition: bool,
}

/// Every handler and tool name of the checked document, declared or used, in
/// no particular order; none when the document has no model.
pub fn symbols(report: &CheckReport) -> Vec<Symbol> {
    let Some(agent) = &report.parsed.agent else {
        return Vec::new();
    };
    let cx = Context::new(&report.parsed.document, agent, jiff::Timestamp::UNIX_EPOCH);
    let symbol = |kind, name: &str, node, definition| Symbol {
        kind,
        name: name.to_owned(),
        span: cx.span(node),
        definition,
    };
    let mut found = Vec::new();
    for handler in &cx.handlers {
        if let Some(name) = handler.reference_name() {
            found.push(symbol(SymbolKind::Handler, &name.value, name.node, true));
        }
    }
    for (reference, _) in crate::rules::handler_references(&cx) {
        found.push(symbol(
            SymbolKind::Handler,
            &reference.value,
            reference.node,
            false,
        ));
    }
    for tool in cx.tools_by_name.values() {
        found.push(symbol(
            SymbolKind::Tool,
            &tool.name.value,
            tool.name.node,
            true,
        ));
    }
    for call in cx.tool_calls() {
        found.push(symbol(
            SymbolKind::Tool,
            &call.tool_name.value,
            call.tool_name.node,
            false,
        ));
    }
    found
}
