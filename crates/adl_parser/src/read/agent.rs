use adl_diagnostics::Diagnostic;

use super::{Reader, events::record_block_defaults};
use crate::json::{Document, NodeId};
use crate::model::{Agent, EventsBlock, EventsLayout};
use crate::rules::CONFLICTING_LAYOUTS;

/// Reads the agent definition at the document's root. Returns `None` only when
/// the root is not an object (reported as `wrong-type`). The flag says whether
/// the model holds everything written (see [`Reader::into_parts`]).
pub fn read_agent(doc: &Document, root: NodeId) -> (Option<Agent>, Vec<Diagnostic>, bool) {
    let mut reader = Reader::new(doc);
    let agent = reader.agent(root);
    let (diagnostics, whole) = reader.into_parts();
    (agent, diagnostics, whole)
}

impl Reader<'_> {
    fn agent(&mut self, root: NodeId) -> Option<Agent> {
        if self.doc.members(root).is_none() {
            self.wrong_type(root, "an agent definition (a JSON object)");
            return None;
        }
        let capabilities = self
            .doc
            .member(root, "capabilities")
            .map(|m| m.value)
            .filter(|&n| self.doc.members(n).is_some());
        let flat_events = self.doc.member(root, "events").map(|m| m.value);
        let grouped_events = capabilities
            .and_then(|c| self.doc.member(c, "events"))
            .map(|m| m.value);
        let flat_tools = self.doc.member(root, "tools").map(|m| m.value);
        let grouped_tools = capabilities
            .and_then(|c| self.doc.member(c, "tools"))
            .map(|m| m.value);

        for (flat, grouped, key) in [
            (flat_events, grouped_events, "events"),
            (flat_tools, grouped_tools, "tools"),
        ] {
            if let (Some(flat), Some(grouped)) = (flat, grouped) {
                self.conflicting_layouts(flat, grouped, key);
            }
        }

        let (layout, events_node) = match (flat_events, grouped_events) {
            (Some(node), _) => (EventsLayout::Flat, Some(node)),
            (None, Some(node)) => (EventsLayout::Grouped, Some(node)),
            (None, None) => (EventsLayout::Absent, None),
        };
        // With both layouts, the grouped block is still checked so that all its
        // problems are reported; the flat one is the model.
        if let (Some(_), Some(grouped)) = (flat_events, grouped_events) {
            let defaults_before = self.defaults.len();
            self.events_block(grouped);
            self.defaults.truncate(defaults_before);
        }
        // The v1.5 array dialect is one error with its rewrite, not a wrong type.
        let dialect = events_node.and_then(|node| {
            crate::document::array_dialect_items(self.doc, node).map(|items| (node, items))
        });
        if let Some((node, items)) = dialect {
            self.diagnostics
                .push(crate::document::events_array_dialect(self.doc, node, items));
        }
        let events = if let Some(node) = events_node.filter(|_| dialect.is_none()) {
            self.events_block(node)
                .unwrap_or_else(|| EventsBlock::empty(node))
        } else {
            let block = EventsBlock::empty(root);
            record_block_defaults(self, root, "/events", |_| false, &block);
            block
        };
        if let (Some(_), Some(grouped)) = (flat_tools, grouped_tools) {
            self.array(grouped, Self::tool);
        }
        let tools = flat_tools
            .or(grouped_tools)
            .and_then(|n| self.array(n, Self::tool));
        Some(Agent {
            root,
            layout,
            events,
            tools,
            defaults: std::mem::take(&mut self.defaults),
        })
    }

    fn conflicting_layouts(&mut self, flat: NodeId, grouped: NodeId, key: &str) {
        let flat_key = self
            .doc
            .member_of(flat)
            .map_or(self.doc.span(flat), |m| m.key_span);
        let grouped_key = self
            .doc
            .member_of(grouped)
            .map_or(self.doc.span(grouped), |m| m.key_span);
        let diagnostic = Diagnostic::new(
            &CONFLICTING_LAYOUTS,
            format!("`{key}` is defined both at the top level and in `capabilities`"),
            grouped_key,
            self.doc.pointer(grouped),
        )
        .with_primary_label(format!("`capabilities.{key}` here"))
        .with_label(flat_key, format!("top-level `{key}` here"))
        .with_note(format!(
            "adl reads the top-level `{key}`; the other would be silently ignored"
        ))
        .with_help(format!(
            "keep one `{key}`: merge them into the top level or into `capabilities`"
        ));
        self.diagnostics.push(diagnostic);
    }
}
