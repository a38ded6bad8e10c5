//! Every template-bearing string of every handler (spec §7: strings in
//! `parameters`, `value` and `message`), parsed once per rule that needs them.

use adl_parser::NodeId;
use adl_parser::json::NodeKind;
use adl_parser::model::Handler;
use adl_parser::template::{Path, Segment, SyntaxError, has_template, parse_template_string};

use crate::context::Context;

/// One string holding `${`, in a handler.
#[derive(Debug)]
pub struct TemplateString<'a> {
    pub handler: &'a Handler,
    pub node: NodeId,
    pub parsed: Result<Vec<Segment>, SyntaxError>,
}

/// One `${…}` that parsed: its path, the string it is in, and that string's handler.
pub struct TemplateUse<'a, 't> {
    pub handler: &'a Handler,
    pub node: NodeId,
    pub path: &'t Path,
}

pub use adl_parser::template::EVENT_FIELDS;

/// Template roots.
pub const ROOTS: &[&str] = &["event", "state"];

fn string_nodes(cx: &Context<'_>, node: NodeId, out: &mut Vec<NodeId>) {
    match cx.doc.kind(node) {
        NodeKind::String(text) if has_template(text) => out.push(node),
        NodeKind::Array(items) => items.iter().for_each(|&i| string_nodes(cx, i, out)),
        NodeKind::Object(members) => members.iter().for_each(|m| string_nodes(cx, m.value, out)),
        _ => {}
    }
}

impl<'a> Context<'a> {
    /// The template-bearing strings of every handler, in document order (parsed
    /// once, when the context is built).
    pub fn parse_template_strings(&self) -> Vec<TemplateString<'a>> {
        let mut found = Vec::new();
        for &handler in &self.handlers {
            let roots: Vec<NodeId> = match handler {
                Handler::ToolInvocation(h) => h.parameters.iter().map(|p| p.node).collect(),
                Handler::Custom(h) => h.parameters.iter().map(|p| p.node).collect(),
                Handler::StateUpdate(h) => vec![h.value.node],
                Handler::Notification(h) => vec![h.message.node],
            };
            let mut nodes = Vec::new();
            for root in roots {
                string_nodes(self, root, &mut nodes);
            }
            for node in nodes {
                let NodeKind::String(text) = self.doc.kind(node) else {
                    continue;
                };
                found.push(TemplateString {
                    handler,
                    node,
                    parsed: parse_template_string(text),
                });
            }
        }
        found
    }

    /// Every template that parsed, in document order.
    pub fn template_uses(&self) -> Vec<TemplateUse<'a, '_>> {
        let mut uses = Vec::new();
        for string in &self.templates {
            let Ok(segments) = &string.parsed else {
                continue;
            };
            for segment in segments {
                if let Segment::Template { path, .. } = segment {
                    uses.push(TemplateUse {
                        handler: string.handler,
                        node: string.node,
                        path,
                    });
                }
            }
        }
        uses
    }
}
