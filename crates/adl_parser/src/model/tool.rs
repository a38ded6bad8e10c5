use schemars::JsonSchema;
use serde::Serialize;

use super::Spanned;
use crate::json::NodeId;

/// A tool the agent declares (`tools` or `capabilities.tools`). Other keys are allowed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ToolDecl {
    /// The tool's name, as handlers' `tool_name` refers to it: 1 to 64 letters, digits, `_` or `-`.
    pub name: Spanned<String>,
    /// The tool's parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Spanned<Vec<ToolParameter>>>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// Whether `value` fits a declared parameter type; `None` when the type is not
/// checked (`any`, or a name adl does not know). As in JSON Schema, `5.0` is an
/// integer. The checker judges literals with it, the runtime rendered values.
pub fn value_fits_type(declared: &str, value: &serde_json::Value) -> Option<bool> {
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

/// One declared parameter. Other keys (`description`, …) are allowed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ToolParameter {
    /// The parameter's name, as the tool receives it.
    pub name: Spanned<String>,
    /// `string`, `integer`, `number`, `boolean`, `object`, `array`, `any`; other
    /// type names are not checked.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub parameter_type: Option<Spanned<String>>,
    /// Whether a call must give the parameter (default `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<Spanned<bool>>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}
