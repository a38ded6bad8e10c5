use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Condition, Handler, Keyword, Persistence, Spanned, Subscription, Suppressions, Trigger,
    defaults,
};
use crate::json::NodeId;

/// The ADL v2 `events` block, as written. Fields the author left out are `None`;
/// the accessors return the effective value (written or default).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventsBlock {
    /// Subscriptions: each runs its own handler for every event it matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<Spanned<Vec<Subscription>>>,
    /// Triggers: events, times, state conditions or combinations of them, routed to handlers by `routing_strategy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triggers: Option<Spanned<Vec<Trigger>>>,
    /// Named handlers that subscriptions and routing refer to by `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handlers: Option<Spanned<Vec<Handler>>>,

    /// How trigger activations reach handlers (default `direct`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_strategy: Option<Spanned<RoutingStrategy>>,
    /// `direct` routing: the handler that receives activations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_handler: Option<Spanned<String>>,
    /// `broadcast` routing: the handlers that receive activations (default: all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_handlers: Option<Spanned<Vec<Spanned<String>>>>,
    /// `conditional` routing: evaluated in order, first match wins unless `continue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routes: Option<Spanned<Vec<Route>>>,
    /// `conditional` routing: the handler for activations no route matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_handler: Option<Spanned<String>>,

    /// Default `synchronous`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing_mode: Option<Spanned<ProcessingMode>>,
    /// Bounds every handler in every mode; default 5000.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub timeout_ms: Option<Spanned<u64>>,
    /// `asynchronous`: bounded queue length; default 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub queue_size: Option<Spanned<u64>>,
    /// `asynchronous`: number of workers; default 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub worker_count: Option<Spanned<u64>>,
    /// `asynchronous`: what a full queue does; default `block`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overflow: Option<Spanned<Overflow>>,
    /// `batch`: events per batch; default 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub batch_size: Option<Spanned<u64>>,
    /// `batch`: longest wait after a batch's first event; default 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub batch_timeout_ms: Option<Spanned<u64>>,
    /// Longest chain of handler-emitted events; 1 to 64, default 8.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 64))]
    pub max_cascade_depth: Option<Spanned<u64>>,
    /// Most events one input may cause, all generations together; 1 to
    /// 1,000,000, default 1,000.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1_000_000))]
    pub max_cascade_events: Option<Spanned<u64>>,

    /// Default: memory with `max_events` 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistence: Option<Persistence>,
    /// Custom event name → JSON Schema of its `data`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_types: Option<Spanned<BTreeMap<String, Spanned<serde_json::Value>>>>,
    /// The agent's initial state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Spanned<serde_json::Map<String, serde_json::Value>>>,

    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

impl EventsBlock {
    /// An empty block at `node` (a v1.5 agent's, or one whose block could not be read).
    pub fn empty(node: NodeId) -> Self {
        Self {
            subscriptions: None,
            triggers: None,
            handlers: None,
            routing_strategy: None,
            target_handler: None,
            target_handlers: None,
            routes: None,
            default_handler: None,
            processing_mode: None,
            timeout_ms: None,
            queue_size: None,
            worker_count: None,
            overflow: None,
            batch_size: None,
            batch_timeout_ms: None,
            max_cascade_depth: None,
            max_cascade_events: None,
            persistence: None,
            event_types: None,
            state: None,
            allow: None,
            node,
        }
    }

    pub fn subscriptions(&self) -> &[Subscription] {
        self.subscriptions.as_ref().map_or(&[], |s| &s.value)
    }

    pub fn triggers(&self) -> &[Trigger] {
        self.triggers.as_ref().map_or(&[], |t| &t.value)
    }

    pub fn handlers(&self) -> &[Handler] {
        self.handlers.as_ref().map_or(&[], |h| &h.value)
    }

    pub fn routes(&self) -> &[Route] {
        self.routes.as_ref().map_or(&[], |r| &r.value)
    }

    pub fn routing_strategy(&self) -> RoutingStrategy {
        self.routing_strategy
            .as_ref()
            .map_or(defaults::ROUTING_STRATEGY, |s| s.value)
    }

    pub fn processing_mode(&self) -> ProcessingMode {
        self.processing_mode
            .as_ref()
            .map_or(defaults::PROCESSING_MODE, |m| m.value)
    }

    pub fn timeout_ms(&self) -> u64 {
        value_or(self.timeout_ms.as_ref(), defaults::TIMEOUT_MS)
    }

    pub fn queue_size(&self) -> u64 {
        value_or(self.queue_size.as_ref(), defaults::QUEUE_SIZE)
    }

    pub fn worker_count(&self) -> u64 {
        value_or(self.worker_count.as_ref(), defaults::WORKER_COUNT)
    }

    pub fn overflow(&self) -> Overflow {
        self.overflow
            .as_ref()
            .map_or(defaults::OVERFLOW, |o| o.value)
    }

    pub fn batch_size(&self) -> u64 {
        value_or(self.batch_size.as_ref(), defaults::BATCH_SIZE)
    }

    pub fn batch_timeout_ms(&self) -> u64 {
        value_or(self.batch_timeout_ms.as_ref(), defaults::BATCH_TIMEOUT_MS)
    }

    pub fn max_cascade_depth(&self) -> u64 {
        value_or(self.max_cascade_depth.as_ref(), defaults::MAX_CASCADE_DEPTH)
    }

    pub fn max_cascade_events(&self) -> u64 {
        value_or(
            self.max_cascade_events.as_ref(),
            defaults::MAX_CASCADE_EVENTS,
        )
    }
}

fn value_or(field: Option<&Spanned<u64>>, default: u64) -> u64 {
    field.map_or(default, |f| f.value)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoutingStrategy {
    Direct,
    Broadcast,
    Conditional,
}

impl Keyword for RoutingStrategy {
    const WHAT: &'static str = "routing strategy";
    const ALL: &'static [(&'static str, Self)] = &[
        ("direct", Self::Direct),
        ("broadcast", Self::Broadcast),
        ("conditional", Self::Conditional),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProcessingMode {
    Synchronous,
    Asynchronous,
    Batch,
}

impl Keyword for ProcessingMode {
    const WHAT: &'static str = "processing mode";
    const ALL: &'static [(&'static str, Self)] = &[
        ("synchronous", Self::Synchronous),
        ("asynchronous", Self::Asynchronous),
        ("batch", Self::Batch),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Overflow {
    Block,
    Reject,
}

impl Keyword for Overflow {
    const WHAT: &'static str = "overflow policy";
    const ALL: &'static [(&'static str, Self)] =
        &[("block", Self::Block), ("reject", Self::Reject)];
}

/// One route of `conditional` routing.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub condition: Condition,
    /// The handler activations go to when `condition` holds.
    pub target_handler: Spanned<String>,
    /// Keep evaluating the following routes after this one matched (default `false`).
    #[serde(rename = "continue", skip_serializing_if = "Option::is_none")]
    pub continue_: Option<Spanned<bool>>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}
