use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::Document;
use adl_parser::json::{NodeId, NodeKind};

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports an `event_types` schema that is not a valid JSON Schema (checked
    /// against its metaschema, and compiled, exactly as the runtime does when it
    /// loads the agent), pointing at the keyword at fault inside the schema.
    ///
    /// ## Why it matters
    /// The runtime checks the data of every event of that type against the
    /// schema; one it cannot compile means the agent cannot be loaded at all.
    ///
    /// ## Example
    /// ```json
    /// { "event_types": { "order_created": {
    ///     "type": "object", "properties": { "amount": { "type": "decimal" } } } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "event_types": { "order_created": {
    ///     "type": "object", "properties": { "amount": { "type": "number" } } } } }
    /// ```
    pub static INVALID_EVENT_SCHEMA = ("ADL417", "invalid-event-schema", Severity::Error, "an `event_types` schema is not a valid JSON Schema");
}

/// The JSON Schema type names.
const TYPES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
];

pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(types) = &cx.agent.events.event_types else {
        return;
    };
    for (name, schema) in &types.value {
        // The runtime's own judge: what it refuses at load, this reports.
        let Err(error) = jsonschema::validator_for(&schema.value) else {
            continue;
        };
        let path = error.instance_path().as_str();
        let node = descend(cx.doc, schema.node, path);
        let under_type = path.rsplit('/').next() == Some("type")
            || path.rsplit('/').nth(1) == Some("type");
        let found = match cx.doc.kind(node) {
            NodeKind::String(text) => format!("`\"{text}\"`"),
            kind => kind.type_name().to_owned(),
        };
        let mut diagnostic = Diagnostic::new(
            &INVALID_EVENT_SCHEMA,
            format!("the schema of event type `{name}` is not a valid JSON Schema"),
            cx.doc.span(node),
            cx.pointer(node),
        )
        .with_primary_label(format!("{found} is not valid here"))
        .with_note(format!("JSON Schema says: {}", error.masked()))
        .with_note("the runtime checks every event of this type against the schema, and refuses to load an agent whose schema it cannot compile");
        diagnostic = if under_type {
            let suggestion = match cx.doc.kind(node) {
                NodeKind::String(text) => adl_parser::suggest(text, TYPES),
                _ => None,
            };
            let list = adl_parser::quoted_list(TYPES);
            match suggestion {
                Some(closest) => diagnostic.with_help(format!(
                    "did you mean `{closest}`? a type is one of {list}"
                )),
                None => diagnostic.with_help(format!("a type is one of {list}")),
            }
        } else {
            diagnostic.with_help("fix the keyword to what JSON Schema (draft 2020-12) allows")
        };
        cx.report(diagnostic);
    }
}

/// The node at a JSON pointer below `node` (as deep as the pointer leads).
fn descend(doc: &Document, mut node: NodeId, pointer: &str) -> NodeId {
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let next = match doc.kind(node) {
            NodeKind::Object(_) => doc.member(node, &segment).map(|m| m.value),
            NodeKind::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i).copied()),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}
