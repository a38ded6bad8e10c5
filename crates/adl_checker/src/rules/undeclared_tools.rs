use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Handler;

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Warns, once, when tool_invocation handlers call tools but the agent declares
    /// no tools (`tools` or `capabilities.tools`), so the calls cannot be checked.
    ///
    /// ## Why it matters
    /// With declared tools, adl checks every call: the tool exists, its parameters
    /// are known, required ones are given and literals have the right type.
    ///
    /// ## Example
    /// ```json
    /// { "events": { "handlers": [{ "handler_type": "tool_invocation", "tool_name": "log_result" }] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "tools": [{ "name": "log_result", "parameters": [] }],
    ///   "events": { "handlers": [{ "handler_type": "tool_invocation", "tool_name": "log_result" }] } }
    /// ```
    pub static UNDECLARED_TOOLS = ("ADL310", "undeclared-tools", Severity::Warning, "tools are invoked but none are declared");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    if cx.agent.tools.is_some() {
        return;
    }
    let calls: Vec<_> = cx
        .handlers
        .iter()
        .filter_map(|handler| match handler {
            Handler::ToolInvocation(h) => Some(h.tool_name.clone()),
            _ => None,
        })
        .collect();
    let Some(first) = calls.first() else { return };
    let diagnostic = Diagnostic::new(
        &UNDECLARED_TOOLS,
        format!(
            "{} tool invocation{} but the agent declares no tools",
            calls.len(),
            if calls.len() == 1 { "" } else { "s" }
        ),
        cx.span(first.node),
        cx.pointer(first.node),
    )
    .with_primary_label("cannot be checked against a declaration")
    .with_help(format!(
        "declare the tools the agent uses: `\"tools\": [{{\"name\": \"{}\", \"parameters\": []}}]`",
        first.value
    ));
    cx.report(diagnostic);
}
