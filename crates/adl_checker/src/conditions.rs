//! Every condition with its context (spec §3): in event contexts (event-trigger
//! conditions, subscription filters, routes) a bare path is under `event.data`;
//! in condition triggers it is under `state`.

use std::collections::BTreeMap;

use adl_parser::model::{Condition, Handler, Trigger};
use adl_parser::template::{Path, PathSegment, SyntaxError, parse_path};

use crate::context::Context;
use crate::reach::{FieldType, Reach};

pub enum Scope {
    /// The events that can be the subject.
    Event(Reach),
    State,
}

pub struct ConditionSite<'a> {
    pub condition: &'a Condition,
    pub scope: Scope,
}

/// What a condition's field refers to.
pub enum Subject {
    /// `event.data.X…` (or a bare path in an event context): `X`.
    DataField(String),
    /// `event.id`, `event.timestamp`, …
    Envelope(FieldType),
    /// `state.X…` (or a bare path in a condition trigger): the dotted path.
    State(String),
    /// `event.…` in a condition trigger, where there is no event.
    EventInState,
    /// Something not typed (deeper paths, `event.data` itself).
    Other,
}

impl<'a> Context<'a> {
    pub fn condition_sites(&self) -> Vec<ConditionSite<'a>> {
        let mut sites = Vec::new();
        for trigger in self.all_triggers() {
            match trigger {
                Trigger::Event(t) => {
                    if let Some(condition) = &t.condition {
                        sites.push(ConditionSite {
                            condition,
                            scope: Scope::Event(Reach::Names(vec![t.event_name.value.clone()])),
                        });
                    }
                }
                Trigger::Condition(t) => sites.push(ConditionSite {
                    condition: &t.condition,
                    scope: Scope::State,
                }),
                Trigger::Time(_) | Trigger::Composite(_) => {}
            }
        }
        for subscription in self.agent.events.subscriptions() {
            if let Some(filter) = subscription.filter() {
                sites.push(ConditionSite {
                    condition: filter,
                    scope: Scope::Event(Self::subscription_reach(subscription)),
                });
            }
        }
        for route in self.agent.events.routes() {
            sites.push(ConditionSite {
                condition: &route.condition,
                scope: Scope::Event(self.activations_reach()),
            });
        }
        sites.sort_by_key(|site| site.condition.node);
        sites
    }

    /// The known state fields: the initial `state` and every `state_field` a
    /// handler writes, with the type of the initial value or written literal.
    pub fn state_fields(&self) -> BTreeMap<String, FieldType> {
        let mut fields = BTreeMap::new();
        if let Some(state) = &self.agent.events.state {
            for (key, value) in &state.value {
                fields.insert(key.clone(), literal_type(value));
            }
        }
        for handler in &self.handlers {
            if let Handler::StateUpdate(update) = handler {
                let written = &update.value.value;
                let kind = match written {
                    serde_json::Value::String(s) if s.contains("${") => FieldType::Any,
                    other => literal_type(other),
                };
                fields
                    .entry(update.state_field.value.clone())
                    .or_insert(kind);
            }
        }
        fields
    }
}

pub fn literal_type(value: &serde_json::Value) -> FieldType {
    use serde_json::Value;
    match value {
        Value::String(_) => FieldType::String,
        Value::Number(n) if n.is_i64() || n.is_u64() => FieldType::Integer,
        Value::Number(_) => FieldType::Number,
        Value::Bool(_) => FieldType::Boolean,
        Value::Object(_) => FieldType::Object,
        Value::Array(_) => FieldType::Array,
        Value::Null => FieldType::Any,
    }
}

/// Parses a condition's field and says what it refers to.
pub fn subject(field: &str, scope: &Scope) -> Result<(Path, Subject), SyntaxError> {
    let path = parse_path(field)?;
    let fields: Vec<&str> = path.fields().collect();
    let simple = path
        .segments
        .iter()
        .all(|s| matches!(s, PathSegment::Field(_)));
    let subject = match (scope, path.root.as_str()) {
        (Scope::State, "event") => Subject::EventInState,
        (_, "state") => Subject::State(fields.join(".")),
        (Scope::State, _) => Subject::State(path.dotted()),
        (Scope::Event(_), "event") => match fields.as_slice() {
            ["data" | "value", field, ..] if simple || path.segments.len() >= 2 => {
                Subject::DataField((*field).to_owned())
            }
            ["timestamp"] => Subject::Envelope(FieldType::Timestamp),
            ["id" | "event_type" | "name" | "source"] => Subject::Envelope(FieldType::String),
            _ => Subject::Other,
        },
        (Scope::Event(_), root) => Subject::DataField(root.to_owned()),
    };
    Ok((path, subject))
}

impl Context<'_> {
    /// The known type of a condition's field, when it can be known.
    pub fn subject_type(
        &self,
        site: &ConditionSite<'_>,
        state_fields: &BTreeMap<String, FieldType>,
    ) -> Option<FieldType> {
        let (_, subject) = subject(&site.condition.field.value, &site.scope).ok()?;
        match (subject, &site.scope) {
            (Subject::DataField(field), Scope::Event(reach)) => {
                self.data_field(reach, &field)?.ok()
            }
            (Subject::Envelope(kind), _) => Some(kind),
            (Subject::State(path), _) => state_fields.get(&path).copied(),
            _ => None,
        }
        .filter(|kind| *kind != FieldType::Any)
    }
}

/// Whether a JSON value is an RFC 3339 timestamp string.
pub fn is_timestamp(value: &serde_json::Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.parse::<jiff::Timestamp>().is_ok())
}
