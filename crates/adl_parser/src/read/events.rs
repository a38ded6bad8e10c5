use std::collections::BTreeMap;

use adl_diagnostics::Diagnostic;

use super::{Fields, Reader};
use crate::json::{NodeId, NodeKind};
use crate::model::{
    EventsBlock, Keyword, ProcessingMode, Route, RoutingStrategy, Spanned, defaults,
};
use crate::rules::UNUSED_OPTION;

/// Every key of the events block (spec §1: routing and processing options sit flat
/// beside the strategy and mode).
pub const EVENTS_KEYS: &[&str] = &[
    "subscriptions",
    "triggers",
    "handlers",
    "routing_strategy",
    "target_handler",
    "target_handlers",
    "routes",
    "default_handler",
    "processing_mode",
    "timeout_ms",
    "queue_size",
    "worker_count",
    "overflow",
    "batch_size",
    "batch_timeout_ms",
    "max_cascade_depth",
    "max_cascade_events",
    "persistence",
    "event_types",
    "state",
];

const ROUTE_KEYS: &[&str] = &["condition", "target_handler", "continue"];
const ROUTING_OPTIONS: &[&str] = &[
    "target_handler",
    "target_handlers",
    "routes",
    "default_handler",
];
const ASYNCHRONOUS_OPTIONS: &[&str] = &["queue_size", "worker_count", "overflow"];
const BATCH_OPTIONS: &[&str] = &["batch_size", "batch_timeout_ms"];

impl Reader<'_> {
    /// Reads the events block at `node` (an object, else `wrong-type` and `None`).
    pub fn events_block(&mut self, node: NodeId) -> Option<EventsBlock> {
        let mut fields = self.object(node, "the events block")?;
        self.unknown_keys(&mut fields, EVENTS_KEYS, &[]);
        let mut block = EventsBlock::empty(node);
        block.allow = self.suppressions(&fields);
        block.subscriptions = fields
            .get("subscriptions")
            .and_then(|n| self.array(n, Self::subscription));
        block.triggers = fields
            .get("triggers")
            .and_then(|n| self.array(n, Self::trigger));
        block.handlers = fields
            .get("handlers")
            .and_then(|n| self.array(n, Self::handler));
        block.routing_strategy = fields.get("routing_strategy").and_then(|n| self.keyword(n));
        block.target_handler = fields.get("target_handler").and_then(|n| self.string(n));
        block.target_handlers = fields
            .get("target_handlers")
            .and_then(|n| self.array(n, Self::string));
        block.routes = fields
            .get("routes")
            .and_then(|n| self.array(n, Self::route));
        block.default_handler = fields.get("default_handler").and_then(|n| self.string(n));
        block.processing_mode = fields.get("processing_mode").and_then(|n| self.keyword(n));
        let positive = |reader: &mut Self, key: &str| {
            fields.get(key).and_then(|n| reader.integer(n, 1, u64::MAX))
        };
        block.timeout_ms = positive(self, "timeout_ms");
        block.queue_size = positive(self, "queue_size");
        block.worker_count = positive(self, "worker_count");
        block.batch_size = positive(self, "batch_size");
        block.batch_timeout_ms = positive(self, "batch_timeout_ms");
        block.overflow = fields.get("overflow").and_then(|n| self.keyword(n));
        block.max_cascade_depth = fields
            .get("max_cascade_depth")
            .and_then(|n| self.integer(n, 1, defaults::MAX_CASCADE_DEPTH_LIMIT));
        block.max_cascade_events = fields
            .get("max_cascade_events")
            .and_then(|n| self.integer(n, 1, defaults::MAX_CASCADE_EVENTS_LIMIT));
        block.persistence = fields.get("persistence").and_then(|n| self.persistence(n));
        block.event_types = fields.get("event_types").and_then(|n| self.event_types(n));
        block.state = fields.get("state").and_then(|n| self.json_object(n));

        self.unused_options(&fields, &block);
        self.record_block_defaults(&fields, &block);
        Some(block)
    }

    fn route(&mut self, node: NodeId) -> Option<Route> {
        let mut fields = self.object(node, "a route")?;
        self.unknown_keys(&mut fields, ROUTE_KEYS, &[]);
        let allow = self.suppressions(&fields);
        let condition = self
            .required(&fields, "condition")
            .and_then(|n| self.condition(n));
        let target_handler = self
            .required(&fields, "target_handler")
            .and_then(|n| self.string(n));
        let continue_ = fields.get("continue").and_then(|n| self.boolean(n));
        Some(Route {
            condition: condition?,
            target_handler: target_handler?,
            continue_,
            allow,
            node,
        })
    }

    /// `event_types`: event name → JSON Schema (an object or a boolean).
    fn event_types(
        &mut self,
        node: NodeId,
    ) -> Option<Spanned<BTreeMap<String, Spanned<serde_json::Value>>>> {
        let fields = self.object(node, "`event_types`")?;
        let mut types = BTreeMap::new();
        for member in fields.members {
            if matches!(
                self.doc.kind(member.value),
                NodeKind::Object(_) | NodeKind::Bool(_)
            ) {
                types
                    .entry(member.key.to_string())
                    .or_insert_with(|| self.json_value(member.value));
            } else {
                self.wrong_type(member.value, "a JSON Schema (an object or a boolean)");
            }
        }
        Some(Spanned::new(types, node))
    }

    /// Options the chosen strategy or mode ignores (spec §1, §13.3).
    fn unused_options(&mut self, fields: &Fields<'_>, block: &EventsBlock) {
        // Against a setting the author misspelled, the options are not
        // unused: the typo (`unknown-key`, "did you mean") is the mistake.
        let misspelled = |reader: &Self, key: &str| {
            reader
                .typos
                .iter()
                .any(|(node, meant)| *node == fields.node && meant == key)
        };
        let has_triggers = !block.triggers().is_empty();
        let strategy = block.routing_strategy();
        let routing_misspelled =
            block.routing_strategy.is_none() && misspelled(self, "routing_strategy");
        for &key in ROUTING_OPTIONS {
            if routing_misspelled {
                break;
            }
            let Some(node) = fields.get(key) else {
                continue;
            };
            let used_by = match key {
                "target_handler" => RoutingStrategy::Direct,
                "target_handlers" => RoutingStrategy::Broadcast,
                _ => RoutingStrategy::Conditional,
            };
            if !has_triggers {
                let diagnostic = self
                    .unused_option(node, key, "in a block without triggers")
                    .with_note("routing applies to trigger activations only; subscriptions run their own handlers")
                    .with_help(format!("remove `{key}`, or add the trigger it is meant for"));
                self.diagnostics.push(diagnostic);
            } else if strategy != used_by {
                let reason = format!("with `routing_strategy: {}`", strategy.keyword());
                let diagnostic = self.unused_option(node, key, &reason).with_help(format!(
                    "remove `{key}`, or set `routing_strategy` to `{}`",
                    used_by.keyword()
                ));
                self.diagnostics.push(diagnostic);
            }
        }
        let mode = block.processing_mode();
        if block.processing_mode.is_none() && misspelled(self, "processing_mode") {
            return;
        }
        for (options, used_by) in [
            (ASYNCHRONOUS_OPTIONS, ProcessingMode::Asynchronous),
            (BATCH_OPTIONS, ProcessingMode::Batch),
        ] {
            if mode == used_by {
                continue;
            }
            for &key in options {
                let Some(node) = fields.get(key) else {
                    continue;
                };
                let reason = format!("with `processing_mode: {}`", mode.keyword());
                let diagnostic = self.unused_option(node, key, &reason).with_help(format!(
                    "remove `{key}`, or set `processing_mode` to `{}`",
                    used_by.keyword()
                ));
                self.diagnostics.push(diagnostic);
            }
        }
    }

    fn unused_option(&self, node: NodeId, key: &str, reason: &str) -> Diagnostic {
        let member = self.doc.member_of(node);
        let span = member.map_or(self.doc.span(node), |m| m.key_span);
        Diagnostic::new(
            &UNUSED_OPTION,
            format!("`{key}` is ignored {reason}"),
            span,
            self.doc.pointer(node),
        )
        .with_primary_label("has no effect")
    }

    /// Records the defaults of every top-level field the block leaves out.
    fn record_block_defaults(&mut self, fields: &Fields<'_>, block: &EventsBlock) {
        let pointer = self.doc.pointer(fields.node);
        record_block_defaults(
            self,
            fields.node,
            &pointer,
            |key| fields.get(key).is_some(),
            block,
        );
    }
}

/// Records the v1.5 defaults for every field `is_written` says is absent. Used for a
/// written block and, with nothing written, for a v1.5 agent (`pointer` = `/events`).
pub(super) fn record_block_defaults(
    reader: &mut Reader<'_>,
    container: NodeId,
    pointer: &str,
    is_written: impl Fn(&str) -> bool,
    block: &EventsBlock,
) {
    // The mode options are explicit in the compiled graph whatever the mode:
    // each is recorded, with the mode that uses it when this one does not.
    for (key, value, used_by) in defaults::events_block() {
        if is_written(key) {
            continue;
        }
        reader.record_default(container, pointer, key, value);
        if let Some(mode) = used_by
            && block.processing_mode() != mode
            && let Some(recorded) = reader.defaults.last_mut()
        {
            recorded.used_with = Some(mode.keyword());
        }
    }
}
