use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a tool invocation that does not pass a parameter the declared tool
    /// marks `"required": true`.
    ///
    /// ## Why it matters
    /// The call would be rejected by the tool, every time the handler runs.
    ///
    /// ## Example
    /// ```json
    /// { "tools": [{ "name": "search_web", "parameters": [{ "name": "query", "type": "string", "required": true }] }],
    ///   "events": { "handlers": [{ "handler_type": "tool_invocation", "tool_name": "search_web" }] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "handler_type": "tool_invocation", "tool_name": "search_web", "parameters": { "query": "${event.data.text}" } }
    /// ```
    pub static MISSING_TOOL_PARAMETER = ("ADL308", "missing-tool-parameter", Severity::Error, "a tool invocation lacks a required parameter");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for call in cx.tool_calls() {
        let Some(tool) = cx.tool(&call.tool_name.value) else {
            continue;
        };
        let Some(declared) = &tool.parameters else {
            continue;
        };
        let given = |name: &str| {
            call.parameters
                .as_ref()
                .is_some_and(|p| p.value.contains_key(name))
        };
        for parameter in &declared.value {
            let required = parameter.required.as_ref().is_some_and(|r| r.value);
            if !required || given(&parameter.name.value) {
                continue;
            }
            let (span, pointer) = match &call.parameters {
                Some(p) => (cx.key_span(p.node), cx.pointer(p.node)),
                None => (cx.anchor(call.node), cx.pointer(call.node)),
            };
            let diagnostic = Diagnostic::new(
                &MISSING_TOOL_PARAMETER,
                format!(
                    "missing required parameter `{}` of tool `{}`",
                    parameter.name.value, tool.name.value
                ),
                span,
                pointer,
            )
            .with_primary_label(format!("`{}` is not passed", parameter.name.value))
            .with_label(cx.span(parameter.name.node), "declared required here")
            .with_help(format!(
                "pass it: `\"{}\": \"${{event.data.{}}}\"`",
                parameter.name.value, parameter.name.value
            ));
            cx.report(diagnostic);
        }
    }
}
