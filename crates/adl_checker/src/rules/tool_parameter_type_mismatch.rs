use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use serde_json::Value;

use crate::context::{Context, json_type_name};

declare_rule! {
    /// ## What it does
    /// Reports a literal parameter value whose JSON type does not fit the declared
    /// parameter type (`string`, `integer`, `number`, `boolean`, `object`, `array`;
    /// `any` and other type names are not checked). Values with `${…}` templates are
    /// resolved at run time and not checked here. As in JSON Schema, `5.0` is an integer.
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

/// Whether `value` fits the declared type; `None` when the type is not checked.
fn fits(declared: &str, value: &Value) -> Option<bool> {
    Some(match declared {
        "string" => value.is_string(),
        "integer" => value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => return None,
    })
}

/// Whether a value holds a template anywhere (then its type is known only at run time).
fn has_template(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains("${"),
        Value::Array(items) => items.iter().any(has_template),
        Value::Object(map) => map.values().any(has_template),
        _ => false,
    }
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for call in cx.tool_calls() {
        let (Some(tool), Some(parameters)) = (cx.tool(&call.tool_name.value), &call.parameters)
        else {
            continue;
        };
        let Some(declared) = &tool.parameters else {
            continue;
        };
        let Some(members) = cx.doc.members(parameters.node) else {
            continue;
        };
        for member in members {
            let Some(parameter) = declared.value.iter().find(|p| p.name.value == *member.key)
            else {
                continue;
            };
            let Some(declared_type) = &parameter.parameter_type else {
                continue;
            };
            let value = cx.doc.to_value(member.value);
            if has_template(&value) || fits(&declared_type.value, &value) != Some(false) {
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
