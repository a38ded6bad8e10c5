//! Which event types can reach a handler or a condition (spec §13.6), and what
//! their `data` fields are, for typing templates and conditions.

use std::collections::BTreeMap;

use adl_parser::model::{
    CompositeOperator, Handler, HandlerRef, RoutingStrategy, Subscription, Trigger,
};

use crate::context::Context;

/// The JSON type of a known data field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    /// An RFC 3339 string: ordering operators accept it.
    Timestamp,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    Any,
}

impl FieldType {
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::String => "a string",
            FieldType::Timestamp => "an RFC 3339 timestamp",
            FieldType::Number => "a number",
            FieldType::Integer => "an integer",
            FieldType::Boolean => "a boolean",
            FieldType::Object => "an object",
            FieldType::Array => "an array",
            FieldType::Any => "any value",
        }
    }

    /// Whether a JSON literal can be a value of this type.
    pub fn admits(self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, value) {
            (FieldType::Any, _)
            | (_, Value::Null)
            | (FieldType::String | FieldType::Timestamp, Value::String(_))
            | (FieldType::Number, Value::Number(_))
            | (FieldType::Boolean, Value::Bool(_))
            | (FieldType::Object, Value::Object(_))
            | (FieldType::Array, Value::Array(_)) => true,
            (FieldType::Integer, Value::Number(n)) => n.as_f64().is_some_and(|f| f.fract() == 0.0),
            _ => false,
        }
    }
}

/// The data shape of an event type: its known fields, or untyped.
pub type Shape = Option<BTreeMap<String, FieldType>>;

/// The events that can reach a place: a set of names, or anything (untyped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    Names(Vec<String>),
    Any,
}

impl Reach {
    fn union(self, other: Reach) -> Reach {
        match (self, other) {
            (Reach::Names(mut a), Reach::Names(b)) => {
                for name in b {
                    if !a.contains(&name) {
                        a.push(name);
                    }
                }
                Reach::Names(a)
            }
            _ => Reach::Any,
        }
    }
}

fn builtin(name: &str) -> Shape {
    use FieldType::{Any, Object, String, Timestamp};
    let fields: &[(&str, FieldType)] = match name {
        "tool_invocation" => &[
            ("tool_name", String),
            ("parameters", Object),
            ("result", Any),
            ("status", String),
        ],
        "state_change" => &[
            ("previous_state", Any),
            ("new_state", Any),
            ("timestamp", Timestamp),
            ("field", String),
        ],
        "error" => &[
            ("error_type", String),
            ("error_message", String),
            ("error_code", String),
        ],
        "time_trigger" => &[("trigger", String), ("scheduled_time", Timestamp)],
        _ => return None,
    };
    Some(fields.iter().map(|&(n, t)| (n.to_owned(), t)).collect())
}

fn declared_type(schema: &serde_json::Value) -> FieldType {
    let format = schema.get("format").and_then(serde_json::Value::as_str);
    match schema.get("type").and_then(serde_json::Value::as_str) {
        Some("string") if format == Some("date-time") => FieldType::Timestamp,
        Some("string") => FieldType::String,
        Some("number") => FieldType::Number,
        Some("integer") => FieldType::Integer,
        Some("boolean") => FieldType::Boolean,
        Some("object") => FieldType::Object,
        Some("array") => FieldType::Array,
        _ => FieldType::Any,
    }
}

impl Context<'_> {
    /// The data shape of an event type: built-in, declared in `event_types` (its
    /// `properties`), or untyped.
    pub fn shape(&self, event_type: &str) -> Shape {
        if let Some(shape) = builtin(event_type) {
            return Some(shape);
        }
        let declared = self
            .agent
            .events
            .event_types
            .as_ref()?
            .value
            .get(event_type)?;
        let properties = declared.value.get("properties")?.as_object()?;
        Some(
            properties
                .iter()
                .map(|(name, schema)| (name.clone(), declared_type(schema)))
                .collect(),
        )
    }

    /// What a subscription delivers to its handler.
    pub fn subscription_reach(subscription: &Subscription) -> Reach {
        match subscription {
            Subscription::Direct(s) => Reach::Names(vec![s.event_name.value.clone()]),
            Subscription::Filtered(s) => Reach::Names(vec![s.event_name.value.clone()]),
            Subscription::Pattern(_) => Reach::Any,
        }
    }

    /// The causing events of a trigger's activations.
    pub fn trigger_reach(trigger: &Trigger) -> Reach {
        match trigger {
            Trigger::Event(t) => Reach::Names(vec![t.event_name.value.clone()]),
            Trigger::Time(_) => Reach::Names(vec!["time_trigger".to_owned()]),
            Trigger::Condition(_) => Reach::Names(vec!["state_change".to_owned()]),
            Trigger::Composite(c) => match c.operator.value {
                CompositeOperator::Or => c
                    .triggers
                    .value
                    .iter()
                    .map(Self::trigger_reach)
                    .fold(Reach::Names(Vec::new()), Reach::union),
                CompositeOperator::And => {
                    let instantaneous: Vec<Reach> = c
                        .triggers
                        .value
                        .iter()
                        .filter(|m| matches!(m, Trigger::Event(_) | Trigger::Time(_)))
                        .map(Self::trigger_reach)
                        .collect();
                    if instantaneous.is_empty() {
                        Reach::Names(vec!["state_change".to_owned()])
                    } else {
                        instantaneous
                            .into_iter()
                            .fold(Reach::Names(Vec::new()), Reach::union)
                    }
                }
                CompositeOperator::Not => Reach::Any,
            },
        }
    }

    /// Every trigger activation's causing events (what routing delivers).
    pub fn activations_reach(&self) -> Reach {
        self.agent
            .events
            .triggers()
            .iter()
            .map(Self::trigger_reach)
            .fold(Reach::Names(Vec::new()), Reach::union)
    }

    /// The events that can reach each handler (by node): through the
    /// subscriptions that hold or name it, and through routing when trigger
    /// activations can be routed to it. One pass over subscriptions and handlers.
    pub fn handler_reaches(&self) -> std::collections::HashMap<adl_parser::NodeId, Reach> {
        let events = &self.agent.events;
        let mut reaches: std::collections::HashMap<adl_parser::NodeId, Reach> =
            std::collections::HashMap::new();
        let mut add = |node, reach: Reach| {
            let current = reaches.remove(&node).unwrap_or(Reach::Names(Vec::new()));
            reaches.insert(node, current.union(reach));
        };
        for subscription in events.subscriptions() {
            let node = match subscription.handler() {
                HandlerRef::Inline(inline) => Some(inline.node()),
                HandlerRef::Named(named) => {
                    self.by_name.get(named.value.as_str()).map(|h| h.node())
                }
            };
            if let Some(node) = node {
                add(node, Self::subscription_reach(subscription));
            }
        }
        if !events.triggers().is_empty() {
            let activations = self.activations_reach();
            for handler in events.handlers() {
                if self.routing_may_target(handler) {
                    add(handler.node(), activations.clone());
                }
            }
        }
        reaches
    }

    fn routing_may_target(&self, handler: &Handler) -> bool {
        let events = &self.agent.events;
        let name = handler.reference_name().map(|n| n.value.as_str());
        let named = |n: &str| Some(n) == name;
        match events.routing_strategy() {
            RoutingStrategy::Direct => events
                .target_handler
                .as_ref()
                .is_none_or(|t| named(&t.value)),
            RoutingStrategy::Broadcast => events
                .target_handlers
                .as_ref()
                .is_none_or(|t| t.value.iter().any(|n| named(&n.value))),
            RoutingStrategy::Conditional => {
                events
                    .routes()
                    .iter()
                    .any(|r| named(&r.target_handler.value))
                    || events
                        .default_handler
                        .as_ref()
                        .is_some_and(|d| named(&d.value))
            }
        }
    }

    /// The type of `data.<field>` for every reaching event, when all of them are
    /// typed; `None` when any is untyped (or nothing reaches). `Some(Err(known))`
    /// when no reaching type has the field: `known` lists the fields they have.
    pub fn data_field(&self, reach: &Reach, field: &str) -> Option<Result<FieldType, Vec<String>>> {
        let Reach::Names(names) = reach else {
            return None;
        };
        if names.is_empty() {
            return None;
        }
        let mut shapes = Vec::new();
        for name in names {
            shapes.push((name, self.shape(name)?));
        }
        let found: Vec<FieldType> = shapes
            .iter()
            .filter_map(|(_, s)| s.get(field).copied())
            .collect();
        match found.as_slice() {
            [] => {
                let mut known: Vec<String> = shapes
                    .iter()
                    .flat_map(|(name, s)| s.keys().map(move |k| format!("{k} ({name})")))
                    .collect();
                known.sort();
                known.dedup();
                Some(Err(known))
            }
            [only] => Some(Ok(*only)),
            many if many.iter().all(|t| *t == many[0]) => Some(Ok(many[0])),
            _ => Some(Ok(FieldType::Any)),
        }
    }
}
