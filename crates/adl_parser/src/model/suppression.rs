use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer, ser::SerializeMap};

use super::Spanned;
use crate::json::NodeId;

/// The key under which any object may silence rules: `"x-adl-allow": {"RULE": "reason"}`.
pub const SUPPRESSION_KEY: &str = "x-adl-allow";

/// The rules an object silences for itself and everything inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressions {
    pub entries: Vec<Suppression>,
    pub node: NodeId,
}

/// One `"RULE": "reason"` entry. `reason` is the value node; the rule's key span
/// is found through the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub rule: String,
    pub reason: Spanned<String>,
}

impl Serialize for Suppressions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for entry in &self.entries {
            map.serialize_entry(&entry.rule, &entry.reason)?;
        }
        map.end()
    }
}

impl JsonSchema for Suppressions {
    fn schema_name() -> Cow<'static, str> {
        "Suppressions".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Rules silenced for this object and everything inside it: rule code or name → the reason (required).",
            "type": "object",
            "additionalProperties": { "type": "string" }
        })
    }
}
