//! Field paths resolved against an event and the agent's state.

use std::borrow::Cow;

use adl_parser::template::{self, PathSegment};
use serde_json::{Map, Value};

use crate::Event;
use crate::event_data::walk;

/// What a path starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// The whole envelope (`${event}`).
    Event,
    Id,
    EventType,
    Source,
    Timestamp,
    /// `event.data` (alias `event.value`).
    Data,
    State,
}

/// A resolved-at-load path: a root and the steps below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    pub root: Root,
    pub steps: Vec<PathSegment>,
}

/// Where a bare path (no `event.` / `state.` prefix) resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BareRoot {
    Data,
    State,
}

/// What a path is resolved against.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub event: Option<&'a Event>,
    pub state: &'a Map<String, Value>,
}

impl FieldPath {
    /// Parses a template path (`event.data.x`, `state.count`): the root must be
    /// written.
    pub(crate) fn template(text: &str) -> Result<Self, String> {
        let path = template::parse_path(text).map_err(|e| e.message)?;
        Self::rooted(&path.root, path.segments)
            .ok_or_else(|| format!("unknown template root `{}`", path.root))
    }

    /// Parses a condition's `field`: bare paths resolve under `bare`.
    pub(crate) fn condition(text: &str, bare: BareRoot) -> Result<Self, String> {
        let path = template::parse_path(text).map_err(|e| e.message)?;
        if path.root == "event" || path.root == "state" {
            return Self::rooted(&path.root, path.segments)
                .ok_or_else(|| format!("`{text}` is not an event field"));
        }
        let mut steps = vec![PathSegment::Field(path.root)];
        steps.extend(path.segments);
        Ok(Self {
            root: match bare {
                BareRoot::Data => Root::Data,
                BareRoot::State => Root::State,
            },
            steps,
        })
    }

    fn rooted(root: &str, mut segments: Vec<PathSegment>) -> Option<Self> {
        if root == "state" {
            return Some(Self {
                root: Root::State,
                steps: segments,
            });
        }
        if root != "event" {
            return None;
        }
        let Some(PathSegment::Field(first)) = segments.first() else {
            return segments.is_empty().then_some(Self {
                root: Root::Event,
                steps: Vec::new(),
            });
        };
        let root = match first.as_str() {
            "id" => Root::Id,
            "event_type" | "name" => Root::EventType,
            "source" => Root::Source,
            "timestamp" => Root::Timestamp,
            "data" | "value" => Root::Data,
            _ => return None,
        };
        segments.remove(0);
        Some(Self {
            root,
            steps: segments,
        })
    }

    /// Whether the path reads the event (so it needs an event in scope).
    pub fn reads_event(&self) -> bool {
        self.root != Root::State
    }

    /// The value at the path; `None` when anything on the way is missing.
    pub fn resolve<'a>(&self, scope: Scope<'a>) -> Option<Cow<'a, Value>> {
        let start: Cow<'a, Value> = match self.root {
            Root::State => {
                let (first, rest) = self.steps.split_first()?;
                let PathSegment::Field(name) = first else {
                    return None;
                };
                return walk(scope.state.get(name)?, rest).map(Cow::Borrowed);
            }
            Root::Data => return scope.event?.data.get(&self.steps).map(Cow::Borrowed),
            Root::Event => Cow::Owned(scope.event?.to_value()),
            Root::Id => Cow::Owned(Value::String(scope.event?.id.to_string())),
            Root::EventType => Cow::Owned(Value::String(scope.event?.event_type.to_string())),
            Root::Source => Cow::Owned(Value::String(scope.event?.source.as_ref()?.to_string())),
            Root::Timestamp => Cow::Owned(Value::String(scope.event?.timestamp.to_string())),
        };
        if self.steps.is_empty() {
            return Some(start);
        }
        match start {
            Cow::Owned(value) => walk(&value, &self.steps).cloned().map(Cow::Owned),
            Cow::Borrowed(value) => walk(value, &self.steps).map(Cow::Borrowed),
        }
    }
}

/// Splits a dotted `state_field` into its keys (`seen.0` → `seen`, `0`).
pub(crate) fn state_keys(field: &str) -> Result<Vec<String>, String> {
    adl_parser::template::state_field_keys(field)
        .map(|keys| keys.into_iter().map(str::to_owned).collect())
        .map_err(|e| e.message)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bare_condition_paths_resolve_under_data_or_state() {
        let event = Event::new(
            "e1",
            "ping",
            "2026-01-01T00:00:00Z",
            json!({"items": [{"id": 7}]}),
        );
        let state = json!({"count": 3}).as_object().cloned().expect("object");
        let scope = Scope {
            event: Some(&event),
            state: &state,
        };
        let data = FieldPath::condition("items[0].id", BareRoot::Data).expect("path");
        assert_eq!(data.resolve(scope).as_deref(), Some(&json!(7)));
        let count = FieldPath::condition("count", BareRoot::State).expect("path");
        assert_eq!(count.resolve(scope).as_deref(), Some(&json!(3)));
        let explicit = FieldPath::condition("state.count", BareRoot::Data).expect("path");
        assert_eq!(explicit.resolve(scope).as_deref(), Some(&json!(3)));
        let missing = FieldPath::condition("items[3].id", BareRoot::Data).expect("path");
        assert_eq!(missing.resolve(scope), None);
    }

    #[test]
    fn envelope_fields_and_aliases() {
        let event = Event::new("e1", "ping", "2026-01-01T00:00:00Z", json!({}));
        let state = Map::new();
        let scope = Scope {
            event: Some(&event),
            state: &state,
        };
        for (text, expected) in [
            ("event.id", json!("e1")),
            ("event.name", json!("ping")),
            ("event.event_type", json!("ping")),
            ("event.value", json!({})),
        ] {
            let path = FieldPath::template(text).expect("path");
            assert_eq!(path.resolve(scope).as_deref(), Some(&expected), "{text}");
        }
        assert_eq!(
            FieldPath::template("event.source")
                .expect("path")
                .resolve(scope),
            None
        );
        assert!(FieldPath::template("env.HOME").is_err());
    }

    #[test]
    fn state_fields_are_dotted_names() {
        assert_eq!(state_keys("seen.0").expect("keys"), ["seen", "0"]);
        assert!(state_keys("a..b").is_err());
    }
}
