use schemars::JsonSchema;
use serde::Serialize;

use super::{Condition, Handler, Keyword, Spanned, Suppressions};
use crate::json::NodeId;

/// Runs its own handler for every matching event. Routing does not apply.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "subscription_type", rename_all = "snake_case")]
pub enum Subscription {
    Direct(DirectSubscription),
    Pattern(PatternSubscription),
    Filtered(FilteredSubscription),
}

impl Subscription {
    pub fn node(&self) -> NodeId {
        match self {
            Subscription::Direct(s) => s.node,
            Subscription::Pattern(s) => s.node,
            Subscription::Filtered(s) => s.node,
        }
    }

    pub fn filter(&self) -> Option<&Condition> {
        match self {
            Subscription::Direct(s) => s.filter.as_ref(),
            Subscription::Pattern(s) => s.filter.as_ref(),
            Subscription::Filtered(s) => Some(&s.filter),
        }
    }

    pub fn handler(&self) -> &HandlerRef {
        match self {
            Subscription::Direct(s) => &s.handler,
            Subscription::Pattern(s) => &s.handler,
            Subscription::Filtered(s) => &s.handler,
        }
    }
}

/// The `subscription_type` discriminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionType {
    Direct,
    Pattern,
    Filtered,
}

impl Keyword for SubscriptionType {
    const WHAT: &'static str = "subscription type";
    const ALL: &'static [(&'static str, Self)] = &[
        ("direct", Self::Direct),
        ("pattern", Self::Pattern),
        ("filtered", Self::Filtered),
    ];
}

/// An inline handler, or the name of one in `handlers`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum HandlerRef {
    Named(Spanned<String>),
    Inline(Box<Handler>),
}

/// Events named exactly `event_name`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectSubscription {
    /// The event name matched exactly.
    pub event_name: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Condition>,
    pub handler: HandlerRef,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// Events whose name matches a glob (`*` and `?` only).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatternSubscription {
    /// A glob over event names: `*` matches any run of characters (dots too), `?` one character.
    pub event_pattern: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Condition>,
    pub handler: HandlerRef,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// Events named exactly `event_name` that pass the required `filter`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FilteredSubscription {
    /// The event name matched exactly; `filter` decides which of those events run the handler.
    pub event_name: Spanned<String>,
    pub filter: Condition,
    pub handler: HandlerRef,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}
