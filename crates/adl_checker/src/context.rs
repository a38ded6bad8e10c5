//! What every semantic rule sees: the document, the model, and shared indexes.

use std::collections::HashMap;

use adl_diagnostics::{Diagnostic, Span};
pub use adl_parser::json::json_type_name;
use adl_parser::model::{Agent, Handler, HandlerRef};
use adl_parser::{Document, NodeId};

/// The checker's view of one document.
#[derive(Debug)]
pub struct Context<'a> {
    pub doc: &'a Document,
    pub agent: &'a Agent,
    /// Every handler, listed in `handlers` or inline in a subscription, in
    /// document order: both share one namespace (spec §13.16).
    pub handlers: Vec<&'a Handler>,
    /// Reference name → every handler answering to it, in document order
    /// (several only for a shared custom `handler_name`; referring to such a
    /// name is an error).
    pub by_name: HashMap<&'a str, Vec<&'a Handler>>,
    /// Declared tool name → its declaration.
    pub tools_by_name: HashMap<&'a str, &'a adl_parser::model::ToolDecl>,
    pub diagnostics: Vec<Diagnostic>,
    /// "Now", for fire times shown in help (fixed in tests).
    pub now: jiff::Timestamp,
    /// Every template-bearing string of every handler, parsed once.
    pub templates: Vec<crate::templates::TemplateString<'a>>,
    /// Data shapes of the built-in and declared event types.
    pub shapes: HashMap<String, std::collections::BTreeMap<String, crate::reach::FieldType>>,
}

impl<'a> Context<'a> {
    pub fn new(doc: &'a Document, agent: &'a Agent, now: jiff::Timestamp) -> Self {
        let mut handlers: Vec<&'a Handler> = agent.events.handlers().iter().collect();
        for subscription in agent.events.subscriptions() {
            if let HandlerRef::Inline(handler) = subscription.handler() {
                handlers.push(handler);
            }
        }
        handlers.sort_by_key(|handler| handler.node());
        let mut by_name: HashMap<&str, Vec<&Handler>> = HashMap::new();
        for handler in &handlers {
            if let Some(name) = handler.reference_name() {
                by_name
                    .entry(name.value.as_str())
                    .or_default()
                    .push(*handler);
            }
        }
        let mut tools_by_name = HashMap::new();
        if let Some(tools) = &agent.tools {
            for tool in &tools.value {
                tools_by_name
                    .entry(tool.name.value.as_str())
                    .or_insert(tool);
            }
        }
        let mut cx = Self {
            doc,
            agent,
            handlers,
            by_name,
            tools_by_name,
            diagnostics: Vec::new(),
            now,
            shapes: Self::known_shapes(agent),
            templates: Vec::new(),
        };
        cx.templates = cx.parse_template_strings();
        cx
    }

    pub fn span(&self, node: NodeId) -> Span {
        self.doc.span(node)
    }

    /// `diagnostic` with the fix that writes `replacement` in place of the
    /// string at `node`, quoted as it is written.
    pub fn fix_string(
        &self,
        diagnostic: adl_diagnostics::Diagnostic,
        node: NodeId,
        replacement: &str,
    ) -> adl_diagnostics::Diagnostic {
        let span = self.span(node);
        let original = self.doc.text().get(span.range()).unwrap_or_default();
        diagnostic.with_fix(span, adl_parser::quoted_like(original, replacement))
    }

    pub fn pointer(&self, node: NodeId) -> String {
        self.doc.pointer(node)
    }

    /// A short span standing for a node: a member's key, or an object's `{`.
    pub fn anchor(&self, node: NodeId) -> Span {
        self.doc.anchor(node)
    }

    /// The span of the key of `node`'s member, or of the node itself.
    pub fn key_span(&self, node: NodeId) -> Span {
        self.doc
            .member_of(node)
            .map_or(self.doc.span(node), |m| m.key_span)
    }

    /// Every handler reached by reference name `name`, in document order.
    pub fn handlers_named(&self, name: &str) -> &[&'a Handler] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The (first) handler reached by reference name `name`.
    pub fn handler_named(&self, name: &str) -> Option<&'a Handler> {
        self.handlers_named(name).first().copied()
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

impl<'a> Context<'a> {
    /// Every `tool_invocation` handler, listed or inline, in document order.
    pub fn tool_calls(&self) -> Vec<&'a adl_parser::model::ToolInvocationHandler> {
        self.handlers
            .iter()
            .filter_map(|handler| match handler {
                Handler::ToolInvocation(h) => Some(h),
                _ => None,
            })
            .collect()
    }

    /// Every tool invocation whose tool is declared with a parameter list and
    /// that passes parameters: the call, the tool, its declared parameters and
    /// the passed members (in source order, with their spans).
    pub fn tool_arguments(&self) -> Vec<ToolArguments<'a>> {
        let mut found = Vec::new();
        for call in self.tool_calls() {
            let (Some(tool), Some(parameters)) =
                (self.tool(&call.tool_name.value), &call.parameters)
            else {
                continue;
            };
            let (Some(declared), Some(passed)) =
                (&tool.parameters, self.doc.members(parameters.node))
            else {
                continue;
            };
            found.push(ToolArguments {
                tool,
                declared: &declared.value,
                passed,
            });
        }
        found
    }

    /// The declared tool named `name`, when tools are declared.
    pub fn tool(&self, name: &str) -> Option<&'a adl_parser::model::ToolDecl> {
        self.tools_by_name.get(name).copied()
    }
}

impl<'a> Context<'a> {
    /// Every trigger, members of composites included (parents first).
    pub fn all_triggers(&self) -> Vec<&'a adl_parser::model::Trigger> {
        fn walk<'t>(
            triggers: &'t [adl_parser::model::Trigger],
            out: &mut Vec<&'t adl_parser::model::Trigger>,
        ) {
            for trigger in triggers {
                out.push(trigger);
                if let adl_parser::model::Trigger::Composite(composite) = trigger {
                    walk(&composite.triggers.value, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.agent.events.triggers(), &mut out);
        out
    }
}

/// See [`Context::tool_arguments`].
#[derive(Debug)]
pub struct ToolArguments<'a> {
    pub tool: &'a adl_parser::model::ToolDecl,
    pub declared: &'a [adl_parser::model::ToolParameter],
    pub passed: &'a [adl_parser::json::Member],
}
