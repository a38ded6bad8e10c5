//! What a host plugs into the runtime: a tool invoker, a notification sink and
//! custom handlers. Each is a trait with one async method; plain closures
//! returning futures implement them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

use crate::Event;
use crate::graph::NotificationType;

/// A boxed, sendable future (what the host traits return).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A handler failure, as the host reports it. It becomes the action's `error`
/// and an `error` event (`handler_failed`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct HandlerError(pub String);

impl From<String> for HandlerError {
    fn from(message: String) -> Self {
        Self(message)
    }
}

impl From<&str> for HandlerError {
    fn from(message: &str) -> Self {
        Self(message.to_owned())
    }
}

/// One tool call: templates already resolved.
///
/// The parts of a call (this one, [`Notification`], [`CustomCall`]) are
/// shared with the runtime (the parameters are also the action record's
/// `input`): making a call copies nothing. `Arc<str>` and `Arc<Value>` read
/// as `&str` and `&Value`.
#[derive(Debug, Clone)]
pub struct ToolCall {
    pub tool_name: Arc<str>,
    pub parameters: Arc<Value>,
    /// The event that caused the call; its `id` is an idempotency key.
    pub event: Arc<Event>,
    /// The calling handler's reference name or pointer.
    pub handler: Arc<str>,
}

/// Runs tools for `tool_invocation` handlers.
pub trait ToolInvoker: Send + Sync + 'static {
    fn invoke(&self, call: ToolCall) -> BoxFuture<'static, Result<Value, HandlerError>>;
}

impl<F, Fut> ToolInvoker for F
where
    F: Fn(ToolCall) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, HandlerError>> + Send + 'static,
{
    fn invoke(&self, call: ToolCall) -> BoxFuture<'static, Result<Value, HandlerError>> {
        Box::pin(self(call))
    }
}

/// One notification: the message already resolved.
#[derive(Debug, Clone)]
pub struct Notification {
    pub notification_type: NotificationType,
    pub message: String,
    /// The event that caused it.
    pub event: Arc<Event>,
    /// The notifying handler's reference name or pointer.
    pub handler: Arc<str>,
}

/// Receives `notification` handlers' messages.
pub trait NotificationSink: Send + Sync + 'static {
    fn notify(&self, notification: Notification) -> BoxFuture<'static, Result<(), HandlerError>>;
}

impl<F, Fut> NotificationSink for F
where
    F: Fn(Notification) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
{
    fn notify(&self, notification: Notification) -> BoxFuture<'static, Result<(), HandlerError>> {
        Box::pin(self(notification))
    }
}

/// One call of a custom handler.
#[derive(Debug, Clone)]
pub struct CustomCall {
    pub handler_name: Arc<str>,
    pub parameters: Arc<Value>,
    /// The event that caused the call; its `id` is an idempotency key.
    pub event: Arc<Event>,
    /// The calling handler's reference name or pointer.
    pub handler: Arc<str>,
}

/// A host-registered handler for `custom` handlers of one `handler_name`.
pub trait CustomHandler: Send + Sync + 'static {
    fn handle(&self, call: CustomCall) -> BoxFuture<'static, Result<Value, HandlerError>>;
}

impl<F, Fut> CustomHandler for F
where
    F: Fn(CustomCall) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, HandlerError>> + Send + 'static,
{
    fn handle(&self, call: CustomCall) -> BoxFuture<'static, Result<Value, HandlerError>> {
        Box::pin(self(call))
    }
}
