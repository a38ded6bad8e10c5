//! JSON Schemas generated from the model (checked in under `schemas/`).

use schemars::generate::SchemaSettings;

use crate::model::{AgentFileSchema, EventsBlock};

/// The schema of an agent file's relevant parts (`events`, `capabilities`, `tools`).
pub fn agent_schema() -> serde_json::Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<AgentFileSchema>().to_value()
}

/// The schema of the events block alone.
pub fn events_schema() -> serde_json::Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<EventsBlock>().to_value()
}

/// Pretty JSON with a trailing newline, as written to `schemas/`.
pub fn to_pretty(schema: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
