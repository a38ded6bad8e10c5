use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Keyword, Spanned, Suppressions};
use crate::json::NodeId;

/// JSON object of parameters; string values may hold `${…}` templates.
pub type Parameters = serde_json::Map<String, serde_json::Value>;

/// What the agent does when activated.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "handler_type", rename_all = "snake_case")]
pub enum Handler {
    ToolInvocation(ToolInvocationHandler),
    StateUpdate(StateUpdateHandler),
    Notification(NotificationHandler),
    Custom(CustomHandler),
}

impl Handler {
    pub fn node(&self) -> NodeId {
        match self {
            Handler::ToolInvocation(h) => h.node,
            Handler::StateUpdate(h) => h.node,
            Handler::Notification(h) => h.node,
            Handler::Custom(h) => h.node,
        }
    }

    /// The `name` the author gave, unique among handlers.
    pub fn name(&self) -> Option<&Spanned<String>> {
        match self {
            Handler::ToolInvocation(h) => h.name.as_ref(),
            Handler::StateUpdate(h) => h.name.as_ref(),
            Handler::Notification(h) => h.name.as_ref(),
            Handler::Custom(h) => h.name.as_ref(),
        }
    }

    /// The name other parts of the block use to reach this handler: `name`, or a
    /// custom handler's `handler_name`. Only `name`s are unique: custom handlers
    /// without one may share a `handler_name` (one host implementation called
    /// from several places).
    pub fn reference_name(&self) -> Option<&Spanned<String>> {
        match self {
            Handler::ToolInvocation(h) => h.name.as_ref(),
            Handler::StateUpdate(h) => h.name.as_ref(),
            Handler::Notification(h) => h.name.as_ref(),
            Handler::Custom(h) => h.name.as_ref().or(Some(&h.handler_name)),
        }
    }
}

/// The `handler_type` discriminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerType {
    ToolInvocation,
    StateUpdate,
    Notification,
    Custom,
}

impl Keyword for HandlerType {
    const WHAT: &'static str = "handler type";
    const ALL: &'static [(&'static str, Self)] = &[
        ("tool_invocation", Self::ToolInvocation),
        ("state_update", Self::StateUpdate),
        ("notification", Self::Notification),
        ("custom", Self::Custom),
    ];
}

/// Invokes a declared tool with templated parameters.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToolInvocationHandler {
    /// The handler's name, by which subscriptions and routing refer to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Spanned<String>>,
    /// The tool called: one the agent declares in `tools`.
    pub tool_name: Spanned<String>,
    /// Default `{}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Spanned<Parameters>>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// Writes a value (template allowed) into the agent's state.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateUpdateHandler {
    /// The handler's name, by which subscriptions and routing refer to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Spanned<String>>,
    /// The state field written (`a.b` for a nested one).
    pub state_field: Spanned<String>,
    /// Required; may be `null`.
    pub value: Spanned<serde_json::Value>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// Sends a templated message to the notification sink.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationHandler {
    /// The handler's name, by which subscriptions and routing refer to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Spanned<String>>,
    pub notification_type: Spanned<NotificationType>,
    /// The message; `${event.…}` templates are filled in from the event.
    pub message: Spanned<String>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationType {
    Alert,
    Info,
    Warning,
    Error,
}

impl Keyword for NotificationType {
    const WHAT: &'static str = "notification type";
    const ALL: &'static [(&'static str, Self)] = &[
        ("alert", Self::Alert),
        ("info", Self::Info),
        ("warning", Self::Warning),
        ("error", Self::Error),
    ];
}

/// Delivered to a handler the host registers under `handler_name`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomHandler {
    /// The handler's name, by which subscriptions and routing refer to it (without one, its `handler_name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Spanned<String>>,
    /// The host implementation called; custom handlers without `name` may share one.
    pub handler_name: Spanned<String>,
    /// What the host's handler receives; `${event.…}` templates are filled in from the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Spanned<Parameters>>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}
