use schemars::JsonSchema;
use serde::Serialize;

use super::Spanned;
use crate::json::NodeId;

/// A tool the agent declares (`tools` or `capabilities.tools`). Other keys are allowed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ToolDecl {
    pub name: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Spanned<Vec<ToolParameter>>>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// One declared parameter. Other keys (`description`, …) are allowed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ToolParameter {
    pub name: Spanned<String>,
    /// `string`, `integer`, `number`, `boolean`, `object`, `array`, `any`; other
    /// type names are not checked.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub parameter_type: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<Spanned<bool>>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}
