use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Keyword, Spanned, Suppressions};
use crate::json::NodeId;

/// `{ "field": PATH, "operator": OP, "value": JSON }`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Dotted path with optional indexes (`parameters.query`, `items[0].id`); bare
    /// paths resolve under `event.data` in event contexts and `state` in condition triggers.
    pub field: Spanned<String>,
    pub operator: Spanned<Operator>,
    /// The value to compare with; optional only for `exists` (default `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Spanned<serde_json::Value>>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// Comparison operators of conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    Equals,
    NotEquals,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    Contains,
    In,
    NotIn,
    StartsWith,
    EndsWith,
    Matches,
    Exists,
}

impl Keyword for Operator {
    const WHAT: &'static str = "operator";
    const ALL: &'static [(&'static str, Self)] = &[
        ("equals", Self::Equals),
        ("not_equals", Self::NotEquals),
        ("greater_than", Self::GreaterThan),
        ("greater_than_or_equal", Self::GreaterThanOrEqual),
        ("less_than", Self::LessThan),
        ("less_than_or_equal", Self::LessThanOrEqual),
        ("contains", Self::Contains),
        ("in", Self::In),
        ("not_in", Self::NotIn),
        ("starts_with", Self::StartsWith),
        ("ends_with", Self::EndsWith),
        ("matches", Self::Matches),
        ("exists", Self::Exists),
    ];
}
