//! JSON Schemas generated from the model (checked in under `schemas/`).

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use serde_json::Value;

use crate::model::{AgentFileSchema, EventsBlock};

/// The schema of an agent file's relevant parts (`events`, `capabilities`, `tools`).
pub fn agent_schema() -> serde_json::Value {
    let generator = settings().into_generator();
    generator
        .into_root_schema_for::<AgentFileSchema>()
        .to_value()
}

/// The schema of the events block alone.
pub fn events_schema() -> serde_json::Value {
    let generator = settings().into_generator();
    generator.into_root_schema_for::<EventsBlock>().to_value()
}

/// Pretty JSON with a trailing newline, as written to `schemas/`.
pub fn to_pretty(schema: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Draft 2020-12; an optional field may be left out but is never `null` (adl
/// reports `null` there as `wrong-type`).
fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12().with(|settings| {
        settings
            .transforms
            .push(Box::new(RecursiveTransform(forbid_null)));
    })
}

/// Removes the `null` that schemars allows for every `Option` field: no field
/// of the model is nullable (`null` where a value may be anything is still allowed).
fn forbid_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let single = types.remove(0);
            object.insert("type".to_owned(), single);
        }
    }
    if let Some(Value::Array(any_of)) = object.get("anyOf") {
        let kept: Vec<Value> = any_of
            .iter()
            .filter(|s| s.get("type").is_none_or(|t| t != "null"))
            .cloned()
            .collect();
        if let [only] = kept.as_slice() {
            let only = only.clone();
            object.remove("anyOf");
            if let Value::Object(fields) = only {
                object.extend(fields);
            }
        } else {
            object.insert("anyOf".to_owned(), Value::Array(kept));
        }
    }
}
