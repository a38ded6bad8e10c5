use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a tool_invocation handler whose `tool_name` is not one of the
    /// declared tools, with the closest declared name as a suggestion.
    ///
    /// ## Why it matters
    /// The call would fail at run time, every time the handler runs.
    ///
    /// ## Example
    /// ```json
    /// { "tools": [{ "name": "log_search" }],
    ///   "events": { "handlers": [{ "handler_type": "tool_invocation", "tool_name": "log_serch" }] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "handler_type": "tool_invocation", "tool_name": "log_search" }
    /// ```
    pub static UNKNOWN_TOOL = ("ADL306", "unknown-tool", Severity::Error, "a handler invokes a tool that is not declared");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(tools) = &cx.agent.tools else { return };
    let names: Vec<&str> = tools.value.iter().map(|t| t.name.value.as_str()).collect();
    for call in cx.tool_calls() {
        if cx.tool(&call.tool_name.value).is_some() {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_TOOL,
            format!("unknown tool `{}`", call.tool_name.value),
            cx.span(call.tool_name.node),
            cx.pointer(call.tool_name.node),
        )
        .with_label(cx.key_span(tools.node), "tools are declared here");
        if let Some(candidate) = adl_parser::suggest(&call.tool_name.value, names.iter().copied()) {
            diagnostic = diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `{candidate}`?"));
            if adl_parser::suggest_certain(&call.tool_name.value, names.iter().copied())
                == Some(candidate)
            {
                diagnostic = cx.fix_string(diagnostic, call.tool_name.node, candidate);
            }
        } else {
            diagnostic = diagnostic
                .with_primary_label("not a declared tool")
                .with_help("declare the tool, or call one of the declared tools")
                .with_note(format!(
                    "declared tools: {}",
                    adl_parser::quoted_list(names.iter().copied())
                ));
        }
        cx.report(diagnostic);
    }
}
