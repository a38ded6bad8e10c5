use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Condition, Keyword, Spanned, Suppressions};
use crate::json::NodeId;

/// What makes the agent act: an event, a time, a state condition, or a combination.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "trigger_type", rename_all = "snake_case")]
pub enum Trigger {
    Event(EventTrigger),
    Time(TimeTrigger),
    Condition(ConditionTrigger),
    Composite(CompositeTrigger),
}

impl Trigger {
    /// The node of the trigger object.
    pub fn node(&self) -> NodeId {
        match self {
            Trigger::Event(t) => t.node,
            Trigger::Time(t) => t.node,
            Trigger::Condition(t) => t.node,
            Trigger::Composite(t) => t.node,
        }
    }
}

/// The `trigger_type` discriminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerType {
    Event,
    Time,
    Condition,
    Composite,
}

impl Keyword for TriggerType {
    const WHAT: &'static str = "trigger type";
    const ALL: &'static [(&'static str, Self)] = &[
        ("event", Self::Event),
        ("time", Self::Time),
        ("condition", Self::Condition),
        ("composite", Self::Composite),
    ];
}

/// Fires on every event named `event_name` that meets `condition`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventTrigger {
    /// The event name that fires the trigger.
    pub event_name: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// Fires on a cron schedule.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeTrigger {
    /// `"cron"`. (Older files put the cron expression itself here: accepted with a warning.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Spanned<String>>,
    /// 5-field crontab, 6-field with seconds, or `@hourly` `@daily` `@midnight`
    /// `@weekly` `@monthly` `@yearly` `@annually`. When the file writes the
    /// expression in `schedule`, the model carries it here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<Spanned<String>>,
    /// IANA time zone name (default `UTC`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<Spanned<String>>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// Fires when a condition over state goes from false to true (edge-triggered).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionTrigger {
    pub condition: Condition,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// `and` / `or` / `not` over other triggers.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompositeTrigger {
    pub operator: Spanned<CompositeOperator>,
    /// The triggers combined by `operator`.
    pub triggers: Spanned<Vec<Trigger>>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompositeOperator {
    And,
    Or,
    Not,
}

impl Keyword for CompositeOperator {
    const WHAT: &'static str = "composite operator";
    const ALL: &'static [(&'static str, Self)] =
        &[("and", Self::And), ("or", Self::Or), ("not", Self::Not)];
}
