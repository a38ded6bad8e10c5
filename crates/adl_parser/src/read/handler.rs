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
        let name = fields.get("name").and_then(|n| self.string(n));
        let pointer = self.doc.pointer(node);
        match kind {
            HandlerType::ToolInvocation => {
                fields.what = "a tool_invocation handler";
                self.unknown_keys(&fields, TOOL_KEYS, &other_kinds(KINDS, TOOL_KEYS));
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
                fields.what = "a state_update handler";
                self.unknown_keys(&fields, STATE_KEYS, &other_kinds(KINDS, STATE_KEYS));
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
                fields.what = "a notification handler";
                self.unknown_keys(
                    &fields,
                    NOTIFICATION_KEYS,
                    &other_kinds(KINDS, NOTIFICATION_KEYS),
                );
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
                fields.what = "a custom handler";
                self.unknown_keys(&fields, CUSTOM_KEYS, &other_kinds(KINDS, CUSTOM_KEYS));
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
