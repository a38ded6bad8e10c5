use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::template::{Segment, parse_template_string, value_has_template};
use serde_json::Value;

use crate::context::{Context, json_type_name};

declare_rule! {
    /// ## What it does
    /// Reports a literal parameter value whose JSON type does not fit the declared
    /// parameter type (`string`, `integer`, `number`, `boolean`, `object`, `array`;
    /// `any` and other type names are not checked). Values with `${…}` templates are
    /// resolved at run time and not checked here, except the fallback of a value
    /// that is one whole template (`"${event.data.tags ?? 0}"`): it is a literal
    /// too, passed whenever the path is missing. As in JSON Schema, `5.0` is an
    /// integer.
    ///
    /// ## Why it matters
    /// The tool would receive a value it cannot use.
    ///
    /// ## Example
    /// ```json
    /// { "tools": [{ "name": "fetch", "parameters": [{ "name": "limit", "type": "integer" }] }],
    ///   "events": { "handlers": [{ "handler_type": "tool_invocation", "tool_name": "fetch", "parameters": { "limit": "10" } }] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "parameters": { "limit": 10 }
    /// ```
    pub static TOOL_PARAMETER_TYPE_MISMATCH = ("ADL309", "tool-parameter-type-mismatch", Severity::Error, "a literal tool parameter has the wrong type");
}

use adl_parser::model::value_fits_type as fits;

pub(crate) fn check(cx: &mut Context<'_>) {
    for arguments in cx.tool_arguments() {
        let (tool, members) = (arguments.tool, arguments.passed);
        for member in members {
            let Some(parameter) = arguments
                .declared
                .iter()
                .find(|p| p.name.value == *member.key)
            else {
                continue;
            };
            let Some(declared_type) = &parameter.parameter_type else {
                continue;
            };
            let value = cx.doc.to_value(member.value);
            if let Value::String(text) = &value
                && let Ok(segments) = parse_template_string(text)
                && let [Segment::Template {
                    fallback: Some(fallback),
                    range,
                    ..
                }] = segments.as_slice()
                && !fallback.is_null()
                && fits(&declared_type.value, fallback) == Some(false)
            {
                let diagnostic = Diagnostic::new(
                    &TOOL_PARAMETER_TYPE_MISMATCH,
                    format!(
                        "parameter `{}` of tool `{}` expects `{}`, but its fallback is {}",
                        member.key,
                        tool.name.value,
                        declared_type.value,
                        json_type_name(fallback)
                    ),
                    cx.doc.string_subspan(member.value, range.start, range.end),
                    cx.pointer(member.value),
                )
                .with_primary_label("used when the path is missing")
                .with_label(cx.span(declared_type.node), "declared here");
                cx.report(diagnostic);
                continue;
            }
            if value_has_template(&value) || fits(&declared_type.value, &value) != Some(false) {
                continue;
            }
            let diagnostic = Diagnostic::new(
                &TOOL_PARAMETER_TYPE_MISMATCH,
                format!(
                    "parameter `{}` of tool `{}` expects `{}`, found {}",
                    member.key,
                    tool.name.value,
                    declared_type.value,
                    json_type_name(&value)
                ),
                cx.span(member.value),
                cx.pointer(member.value),
            )
            .with_label(cx.span(declared_type.node), "declared here");
            cx.report(diagnostic);
        }
    }
}
