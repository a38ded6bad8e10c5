//! The typed model of an agent definition's events block.
//!
//! Types mirror the JSON shapes (serde + schemars: the checked-in JSON Schema is
//! generated from them), and every value keeps its source node. They are built by
//! the reader (`read`), never deserialized from user text directly. (Keyword enums also
//! implement `Deserialize`: compiled dispatch graphs reuse them.)

mod condition;
pub mod defaults;
mod events;
mod handler;
mod persistence;
mod spanned;
mod subscription;
mod suppression;
mod tool;
mod trigger;

use schemars::JsonSchema;
use serde::Serialize;

pub use condition::{Condition, Operator};
pub use events::{EventsBlock, Overflow, ProcessingMode, Route, RoutingStrategy};
pub use handler::{
    CustomHandler, Handler, HandlerType, NotificationHandler, NotificationType, Parameters,
    StateUpdateHandler, ToolInvocationHandler,
};
pub use persistence::{
    DatabasePersistence, FilePersistence, MemoryPersistence, Persistence, PersistenceType, Rotation,
};
pub use spanned::Spanned;
pub use subscription::{
    DirectSubscription, FilteredSubscription, HandlerRef, PatternSubscription, Subscription,
    SubscriptionType,
};
pub use suppression::{SUPPRESSION_KEY, Suppression, Suppressions};
pub use tool::{ToolDecl, ToolParameter, value_fits_type};
pub use trigger::{
    CompositeOperator, CompositeTrigger, ConditionTrigger, EventTrigger, TimeTrigger, Trigger,
    TriggerType,
};

use crate::json::NodeId;

/// A closed set of keywords written as JSON strings (`"broadcast"`, `"equals"`…).
pub trait Keyword: Sized + Copy + 'static {
    /// What the keyword is, for messages: "routing strategy".
    const WHAT: &'static str;
    /// Every spelling and its value, in documentation order.
    const ALL: &'static [(&'static str, Self)];

    fn from_keyword(text: &str) -> Option<Self> {
        Self::ALL.iter().find(|(k, _)| *k == text).map(|&(_, v)| v)
    }

    fn keyword(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |&(k, _)| k)
    }
}

/// Where the events block was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventsLayout {
    /// `events` at the top level.
    Flat,
    /// `capabilities.events`.
    Grouped,
    /// No events block: a v1.5 agent with every default.
    Absent,
}

/// One default the reader applied, for `--explain-defaults` and `adl compile`.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedDefault {
    /// Pointer of the defaulted field (`/events/processing_mode`).
    pub pointer: String,
    pub value: serde_json::Value,
    /// The object that lacks the field.
    pub container: NodeId,
    /// The processing mode that uses it, when the block's mode does not (the
    /// compiled graph makes every setting explicit, used or not).
    pub used_with: Option<&'static str>,
}

/// The parts of an agent definition adl reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    pub root: NodeId,
    pub layout: EventsLayout,
    pub events: EventsBlock,
    /// Declared tools, `None` when the document declares none.
    pub tools: Option<Spanned<Vec<ToolDecl>>>,
    pub defaults: Vec<AppliedDefault>,
}

/// The JSON Schema of an events fragment (generation only; the whole
/// document's schema is made from the section tables).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(
    title = "ADL events fragment",
    description = "Only `events` and `tools` (or `capabilities.events` and `capabilities.tools`)."
)]
pub struct AgentFileSchema {
    /// How the agent reacts to events (ADL v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<EventsBlock>,
    /// The tools the agent can call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<ToolDecl>>,
    /// The grouped layout: `events` and `tools` here instead of at the top.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<CapabilitiesSchema>,
}

/// The grouped layout: `capabilities.events` / `capabilities.tools`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CapabilitiesSchema {
    /// How the agent reacts to events (ADL v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<EventsBlock>,
    /// The tools the agent can call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<ToolDecl>>,
}
