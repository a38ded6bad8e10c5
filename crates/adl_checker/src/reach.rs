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
            (Reach::Names(a), Reach::Names(b)) if a.is_empty() => Reach::Names(b),
            (Reach::Names(a), Reach::Names(b)) if b.is_empty() => Reach::Names(a),
            (Reach::Names(mut a), Reach::Names(b)) => {
                let mut seen: std::collections::HashSet<String> = a.iter().cloned().collect();
                a.extend(b.into_iter().filter(|name| seen.insert(name.clone())));
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
            ("handler", String),
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
    pub fn shape(&self, event_type: &str) -> Option<&BTreeMap<String, FieldType>> {
        self.shapes.get(event_type)
    }

    /// Every known shape, built once: the built-in types, then `event_types`.
    pub fn known_shapes(
        agent: &adl_parser::Agent,
    ) -> std::collections::HashMap<String, BTreeMap<String, FieldType>> {
        let mut shapes = std::collections::HashMap::new();
        for name in ["tool_invocation", "state_change", "error", "time_trigger"] {
            if let Some(shape) = builtin(name) {
                shapes.insert(name.to_owned(), shape);
            }
        }
        if let Some(declared) = &agent.events.event_types {
            for (name, schema) in &declared.value {
                let Some(properties) = schema.value.get("properties").and_then(|p| p.as_object())
                else {
                    continue;
                };
                shapes.entry(name.clone()).or_insert_with(|| {
                    properties
                        .iter()
                        .map(|(field, schema)| (field.clone(), declared_type(schema)))
                        .collect()
                });
            }
        }
        shapes
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
        let mut seen = std::collections::HashSet::new();
        let mut names = Vec::new();
        for trigger in self.agent.events.triggers() {
            match Self::trigger_reach(trigger) {
                Reach::Any => return Reach::Any,
                Reach::Names(found) => {
                    names.extend(found.into_iter().filter(|n| seen.insert(n.clone())));
                }
            }
        }
        Reach::Names(names)
    }

    /// The events that reach each handler through subscriptions (by handler
    /// node), and the listed handlers that trigger activations can be routed to.
    /// One pass over subscriptions and handlers; see [`HandlerReaches::of`].
    pub fn handler_reaches(&self) -> HandlerReaches {
        let events = &self.agent.events;
        let mut by_subscription: std::collections::HashMap<adl_parser::NodeId, Reach> =
            std::collections::HashMap::new();
        for subscription in events.subscriptions() {
            let node = match subscription.handler() {
                HandlerRef::Inline(inline) => Some(inline.node()),
                HandlerRef::Named(named) => self
                    .handler_named(&named.value)
                    .map(adl_parser::model::Handler::node),
            };
            if let Some(node) = node {
                let current = by_subscription
                    .remove(&node)
                    .unwrap_or(Reach::Names(Vec::new()));
                by_subscription.insert(node, current.union(Self::subscription_reach(subscription)));
            }
        }
        let routed = if events.triggers().is_empty() {
            std::collections::HashSet::new()
        } else {
            events
                .handlers()
                .iter()
                .filter(|h| self.routing_may_target(h))
                .map(Handler::node)
                .collect()
        };
        HandlerReaches {
            by_subscription,
            routed,
            activations: self.activations_reach(),
        }
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
    pub fn data_field(&self, reach: &Reach, field: &str) -> DataField {
        let Reach::Names(names) = reach else {
            return None;
        };
        if names.is_empty() {
            return None;
        }
        let mut shapes = Vec::with_capacity(names.len());
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

/// What reaches each handler, computed once (see [`Context::handler_reaches`]).
#[derive(Debug)]
pub struct HandlerReaches {
    by_subscription: std::collections::HashMap<adl_parser::NodeId, Reach>,
    routed: std::collections::HashSet<adl_parser::NodeId>,
    activations: Reach,
}

impl HandlerReaches {
    /// The events that can reach the handler at `node`.
    /// The type of `data.<field>` at the handler at `node` (see
    /// [`Context::data_field`]), combining what subscriptions and routing deliver
    /// without building their union; lookups on the shared activation reach are
    /// memoized in `memo`.
    pub fn data_field(
        &self,
        cx: &Context<'_>,
        node: adl_parser::NodeId,
        field: &str,
        memo: &mut std::collections::HashMap<String, DataField>,
    ) -> DataField {
        let subscribed = self.by_subscription.get(&node);
        let routed = self.routed.contains(&node);
        let from_routing = routed.then(|| {
            memo.entry(field.to_owned())
                .or_insert_with(|| cx.data_field(&self.activations, field))
                .clone()
        });
        let from_subscriptions = subscribed.map(|reach| cx.data_field(reach, field));
        match (from_subscriptions, from_routing) {
            (Some(a), Some(b)) => combine(a, b),
            (Some(only), None) | (None, Some(only)) => only,
            (None, None) => None,
        }
    }

    /// The events that reach the handler at `node` (for messages).
    pub fn of(&self, node: adl_parser::NodeId) -> Reach {
        match (self.by_subscription.get(&node), self.routed.contains(&node)) {
            (Some(reach), false) => reach.clone(),
            (None, true) => self.activations.clone(),
            (Some(reach), true) => reach.clone().union(self.activations.clone()),
            (None, false) => Reach::Names(Vec::new()),
        }
    }
}

/// The result of a data-field lookup: `None` untyped, `Ok` a type, `Err` the known fields.
pub type DataField = Option<Result<FieldType, Vec<String>>>;

/// The lookup over a union, from the lookups over its parts.
fn combine(a: DataField, b: DataField) -> DataField {
    match (a?, b?) {
        (Ok(x), Ok(y)) if x == y => Some(Ok(x)),
        (Ok(_), Ok(_)) => Some(Ok(FieldType::Any)),
        (Ok(x), Err(_)) | (Err(_), Ok(x)) => Some(Ok(x)),
        (Err(mut x), Err(y)) => {
            x.extend(y);
            x.sort();
            x.dedup();
            Some(Err(x))
        }
    }
}
