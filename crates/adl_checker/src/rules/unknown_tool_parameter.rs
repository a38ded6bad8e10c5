use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a parameter of a tool invocation that the declared tool does not
    /// have, with the closest declared parameter as a suggestion.
    ///
    /// ## Why it matters
    /// The tool would receive an argument it does not know, and the parameter the
    /// author meant would be missing.
    ///
    /// ## Example
    /// ```json
    /// { "tools": [{ "name": "log_search", "parameters": [{ "name": "query", "type": "string" }] }],
    ///   "events": { "handlers": [{ "handler_type": "tool_invocation", "tool_name": "log_search",
    ///                              "parameters": { "qeury": "${event.data.parameters.query}" } }] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "parameters": { "query": "${event.data.parameters.query}" }
    /// ```
    pub static UNKNOWN_TOOL_PARAMETER = ("ADL307", "unknown-tool-parameter", Severity::Error, "a tool invocation passes a parameter the tool does not declare");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for arguments in cx.tool_arguments() {
        let (tool, members) = (arguments.tool, arguments.passed);
        let names: Vec<&str> = arguments
            .declared
            .iter()
            .map(|p| p.name.value.as_str())
            .collect();
        for member in members {
            if names.contains(&&*member.key) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                &UNKNOWN_TOOL_PARAMETER,
                format!(
                    "tool `{}` has no parameter `{}`",
                    tool.name.value, member.key
                ),
                member.key_span,
                cx.pointer(member.value),
            )
            .with_label(cx.span(tool.name.node), "the tool is declared here");
            if let Some(candidate) = adl_parser::suggest(&member.key, names.iter().copied()) {
                diagnostic = diagnostic
                    .with_primary_label(format!("did you mean `{candidate}`?"))
                    .with_help(format!("did you mean `{candidate}`?"));
            } else if names.is_empty() {
                diagnostic =
                    diagnostic.with_help("the tool takes no parameters: remove it, or declare it");
            } else {
                diagnostic = diagnostic.with_note(format!(
                    "parameters of `{}`: {}",
                    tool.name.value,
                    adl_parser::quoted_list(names.iter().copied())
                ));
            }
            cx.report(diagnostic);
        }
    }
}
