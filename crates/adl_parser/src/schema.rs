//! JSON Schemas generated from the model (checked in under `schemas/`).

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use serde_json::{Value, json};

use crate::document::sections::ROOT;
use crate::document::shape::{Object, Shape};
use crate::model::{AgentFileSchema, EventsBlock};

/// The `$id` of the agent document schema.
pub const AGENT_SCHEMA_ID: &str = "urn:adl:schema:agent-document";

/// The `$id` of the events block schema.
pub const EVENTS_SCHEMA_ID: &str = "urn:adl:schema:events-block";

/// The schema of a whole agent file: an agent definition (every section,
/// from the same tables `adl check` reads), an events fragment (only
/// `events` and `tools`), or a JSON file that is no agent at all.
pub fn agent_schema() -> serde_json::Value {
    let fragment = settings()
        .into_generator()
        .into_root_schema_for::<AgentFileSchema>()
        .to_value();
    let mut defs = fragment
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(block) = defs.get_mut("EventsBlock") {
        with_events_defaults(block);
    }
    let mut fragment_root = fragment.as_object().cloned().unwrap_or_default();
    fragment_root.remove("$defs");
    fragment_root.remove("$schema");
    fragment_root.remove("title");
    fragment_root.insert(
        "description".to_owned(),
        json!("Only `events` and `tools` (flat, or in `capabilities`): checked by the events contract alone."),
    );
    fragment_root.insert(
        "propertyNames".to_owned(),
        json!({"anyOf": [{"enum": ["events", "tools", "capabilities"]}, {"pattern": "^x-"}]}),
    );
    defs.insert("EventsFragment".to_owned(), Value::Object(fragment_root));
    let mut agent = object_schema(&ROOT);
    if let Some(agent) = agent.as_object_mut() {
        agent.insert(
            "description".to_owned(),
            json!("A whole agent definition, flat or grouped, of any version (v1, v1.5, v2, v3)."),
        );
        // At least one key only agent definitions have.
        agent.insert(
            "anyOf".to_owned(),
            Value::Array(
                AGENT_KEYS
                    .iter()
                    .map(|k| json!({"required": [k]}))
                    .collect(),
            ),
        );
    }
    defs.insert("AgentDocument".to_owned(), agent);
    defs.insert(
        "NotAnAgent".to_owned(),
        json!({
            "description": "A JSON object with no key of an agent definition: not judged.",
            "type": "object",
            "not": {"anyOf": AGENT_KEYS.iter().map(|k| json!({"required": [k]})).collect::<Vec<_>>()},
        }),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": AGENT_SCHEMA_ID,
        "title": "ADL agent definition",
        "description": "An ADL agent definition (v1, v1.5, v2 or v3, flat or grouped layout). Generated from the tables `adl check` reads; adl's own checks go further (references, versions, cycles).",
        "anyOf": [
            {"$ref": "#/$defs/AgentDocument"},
            {"$ref": "#/$defs/EventsFragment"},
            {"$ref": "#/$defs/NotAnAgent"},
        ],
        "$defs": defs,
    })
}

/// Top-level keys that make a JSON object an agent definition (as the reader decides).
const AGENT_KEYS: &[&str] = &crate::document::AGENT_KEYS;

fn object_schema(object: &Object) -> Value {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for field in object.fields {
        let mut schema = shape_schema(&field.shape);
        if let Some(map) = schema.as_object_mut() {
            if !field.doc.is_empty() {
                map.insert("description".to_owned(), json!(field.doc));
            } else if let Some(replacement) = field.replaced_by {
                map.insert(
                    "description".to_owned(),
                    json!(format!(
                        "Accepted here with a warning in v2 and later files: {replacement}."
                    )),
                );
            }
            #[allow(clippy::disallowed_methods, reason = "the tables' own JSON text")]
            let default = field
                .default
                .and_then(|text| serde_json::from_str::<Value>(text).ok());
            if let Some(value) = default {
                map.insert("default".to_owned(), value);
            }
        }
        properties.insert(field.key.to_owned(), schema);
        // Only what every version requires; the rest depends on the version.
        if field.required == crate::document::shape::Versions::ALL {
            required.push(field.key);
        }
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn shape_schema(shape: &Shape) -> Value {
    match shape {
        Shape::Any => json!({}),
        Shape::Null => json!({"type": "null"}),
        Shape::OpenObject => json!({"type": "object"}),
        Shape::Str { min, max, format } => {
            let mut schema = json!({"type": "string"});
            if *min > 0 {
                schema["minLength"] = json!(min);
            }
            if *max != u64::MAX {
                schema["maxLength"] = json!(max);
            }
            if let Some(pattern) = format.and_then(|f| f.pattern) {
                schema["pattern"] = json!(pattern);
            }
            schema
        }
        Shape::Int { min, max } => {
            let mut schema = json!({"type": "integer", "minimum": min});
            if *max != i64::MAX {
                schema["maximum"] = json!(max);
            }
            schema
        }
        Shape::Num { min, max } => {
            let mut schema = json!({"type": "number"});
            if *min > f64::MIN {
                // The smallest positive number stands for "above 0".
                if *min > 0.0 && *min <= f64::MIN_POSITIVE {
                    schema["exclusiveMinimum"] = json!(0);
                } else {
                    schema["minimum"] = json!(min);
                }
            }
            if *max < f64::MAX {
                schema["maximum"] = json!(max);
            }
            schema
        }
        Shape::Bool => json!({"type": "boolean"}),
        Shape::Enum(e) => {
            // Variants public files use are warned, not refused.
            let values: Vec<&str> = e
                .values
                .iter()
                .copied()
                .chain(e.variants.iter().map(|(v, _)| *v))
                .collect();
            json!({"enum": values})
        }
        Shape::Array(item) => json!({"type": "array", "items": shape_schema(item)}),
        Shape::Object(object) => object_schema(object),
        Shape::Map(value) => json!({"type": "object", "additionalProperties": shape_schema(value)}),
        Shape::Either(shapes) => {
            json!({"anyOf": shapes.iter().map(shape_schema).collect::<Vec<_>>()})
        }
        Shape::Elsewhere => json!({"$ref": "#/$defs/EventsBlock"}),
    }
}

/// The schema of the events block alone.
pub fn events_schema() -> serde_json::Value {
    let generator = settings().into_generator();
    let mut schema = generator.into_root_schema_for::<EventsBlock>().to_value();
    with_events_defaults(&mut schema);
    let Value::Object(mut rest) = schema else {
        return schema;
    };
    // `$schema`, `$id` and the title first, where editors and readers look.
    let mut ordered = serde_json::Map::new();
    ordered.insert(
        "$schema".to_owned(),
        rest.remove("$schema")
            .unwrap_or_else(|| json!("https://json-schema.org/draft/2020-12/schema")),
    );
    ordered.insert("$id".to_owned(), json!(EVENTS_SCHEMA_ID));
    ordered.insert("title".to_owned(), json!("ADL v2 events block"));
    rest.remove("title");
    ordered.extend(rest);
    Value::Object(ordered)
}

/// Gives every key of an events block schema its default, from the table
/// the reader records defaults from.
fn with_events_defaults(block: &mut Value) {
    let Some(properties) = block.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (key, value, _) in crate::model::defaults::events_block() {
        if let Some(Value::Object(property)) = properties.get_mut(key) {
            property.insert("default".to_owned(), value);
        }
    }
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
        settings
            .transforms
            .push(Box::new(RecursiveTransform(describe_discriminators)));
    })
}

/// Describes each variant's discriminator (`"subscription_type": {"const":
/// "pattern"}`) by its variant, so that an editor hovering over the kind says
/// what that kind is.
fn describe_discriminators(schema: &mut Schema) {
    let Some(Value::Array(variants)) = schema.as_object_mut().and_then(|o| o.get_mut("oneOf"))
    else {
        return;
    };
    for variant in variants {
        let Some(variant) = variant.as_object_mut() else {
            continue;
        };
        let about = variant
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(properties) = variant.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for property in properties.values_mut() {
            let Some(property) = property.as_object_mut() else {
                continue;
            };
            let Some(kind) = property.get("const").and_then(Value::as_str) else {
                continue;
            };
            if property.contains_key("description") {
                continue;
            }
            let description = match &about {
                Some(about) => format!("`{kind}`: {about}"),
                None => format!("The kind of this element: `{kind}`."),
            };
            property.insert("description".to_owned(), json!(description));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of `schema` (a JSON Schema) and of every schema inside it
    /// that have no `description` (nor a `$ref` to a described one), as
    /// JSON pointers.
    fn undescribed(schema: &Value, at: &str, found: &mut Vec<String>) {
        let Some(object) = schema.as_object() else {
            return;
        };
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (key, property) in properties {
                if property.get("description").is_none() && property.get("$ref").is_none() {
                    found.push(format!("{at}/properties/{key}"));
                }
                undescribed(property, &format!("{at}/properties/{key}"), found);
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(inner) = object.get(key) {
                undescribed(inner, &format!("{at}/{key}"), found);
            }
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(inner)) = object.get(key) {
                for (index, schema) in inner.iter().enumerate() {
                    undescribed(schema, &format!("{at}/{key}/{index}"), found);
                }
            }
        }
        if let Some(Value::Object(defs)) = object.get("$defs") {
            for (name, schema) in defs {
                undescribed(schema, &format!("{at}/$defs/{name}"), found);
            }
        }
    }

    /// Editors show a key's description on hover and completion: every key
    /// of both schemas has one.
    #[test]
    fn every_key_of_both_schemas_is_described() {
        for schema in [agent_schema(), events_schema()] {
            let mut found = Vec::new();
            undescribed(&schema, "", &mut found);
            assert!(found.is_empty(), "keys without a description: {found:#?}");
        }
    }

    #[test]
    fn a_discriminator_says_what_its_kind_is() {
        let schema = events_schema();
        let pattern = &schema["$defs"]["Subscription"]["oneOf"][1]["properties"];
        assert_eq!(pattern["subscription_type"]["const"], "pattern");
        let description = pattern["subscription_type"]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(
            description.starts_with("`pattern`: Events whose name"),
            "{description}"
        );
    }
}
