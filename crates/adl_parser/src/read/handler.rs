use super::{Reader, other_kinds};
use crate::json::NodeId;
use crate::model::{
    CustomHandler, Handler, HandlerType, NotificationHandler, NotificationType, StateUpdateHandler,
    ToolInvocationHandler,
};

const TOOL_KEYS: &[&str] = &["handler_type", "name", "tool_name", "parameters"];
const STATE_KEYS: &[&str] = &["handler_type", "name", "state_field", "value"];
const NOTIFICATION_KEYS: &[&str] = &["handler_type", "name", "notification_type", "message"];
const CUSTOM_KEYS: &[&str] = &["handler_type", "name", "handler_name", "parameters"];
const ALL_KEYS: &[&str] = &[
    "handler_type",
    "name",
    "tool_name",
    "parameters",
    "state_field",
    "value",
    "notification_type",
    "message",
    "handler_name",
];
const KINDS: &[(&str, &[&str])] = &[
    ("`tool_invocation` handlers", TOOL_KEYS),
    ("`state_update` handlers", STATE_KEYS),
    ("`notification` handlers", NOTIFICATION_KEYS),
    ("`custom` handlers", CUSTOM_KEYS),
];

impl Reader<'_> {
    pub fn handler(&mut self, node: NodeId) -> Option<Handler> {
        let (mut fields, allow, kind) =
            self.tagged::<HandlerType>(node, "a handler", "handler_type", ALL_KEYS)?;
        let (what, keys) = match kind {
            HandlerType::ToolInvocation => ("a tool_invocation handler", TOOL_KEYS),
            HandlerType::StateUpdate => ("a state_update handler", STATE_KEYS),
            HandlerType::Notification => ("a notification handler", NOTIFICATION_KEYS),
            HandlerType::Custom => ("a custom handler", CUSTOM_KEYS),
        };
        fields.what = what;
        // Keys first: a misspelled `name` is read as `name`.
        self.unknown_keys(&mut fields, keys, &other_kinds(KINDS, keys));
        let name = fields.get("name").and_then(|n| self.string(n));
        let pointer = self.doc.pointer(node);
        match kind {
            HandlerType::ToolInvocation => {
                let tool_name = self
                    .required(&fields, "tool_name")
                    .and_then(|n| self.string(n));
                let parameters = fields.get("parameters").and_then(|n| self.json_object(n));
                if fields.get("parameters").is_none() {
                    self.record_default(node, &pointer, "parameters", serde_json::json!({}));
                }
                Some(Handler::ToolInvocation(ToolInvocationHandler {
                    name,
                    tool_name: tool_name?,
                    parameters,
                    allow,
                    node,
                }))
            }
            HandlerType::StateUpdate => {
                let state_field = self
                    .required(&fields, "state_field")
                    .and_then(|n| self.string(n));
                let value = self.required(&fields, "value").map(|n| self.json_value(n));
                Some(Handler::StateUpdate(StateUpdateHandler {
                    name,
                    state_field: state_field?,
                    value: value?,
                    allow,
                    node,
                }))
            }
            HandlerType::Notification => {
                let notification_type = self
                    .required(&fields, "notification_type")
                    .and_then(|n| self.keyword::<NotificationType>(n));
                let message = self
                    .required(&fields, "message")
                    .and_then(|n| self.string(n));
                Some(Handler::Notification(NotificationHandler {
                    name,
                    notification_type: notification_type?,
                    message: message?,
                    allow,
                    node,
                }))
            }
            HandlerType::Custom => {
                let handler_name = self
                    .required(&fields, "handler_name")
                    .and_then(|n| self.string(n));
                let parameters = fields.get("parameters").and_then(|n| self.json_object(n));
                Some(Handler::Custom(CustomHandler {
                    name,
                    handler_name: handler_name?,
                    parameters,
                    allow,
                    node,
                }))
            }
        }
    }
}
