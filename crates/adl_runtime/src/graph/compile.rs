//! Checked model → [`Graph`]: resolves names to handler ids and makes every
//! default explicit.

use std::collections::{BTreeMap, HashMap};

use adl_checker::CheckReport;
use adl_parser::Document;
use adl_parser::model::{
    self, Handler, HandlerRef, Persistence, RoutingStrategy, Subscription, Trigger,
};
use sha2::{Digest, Sha256};

use super::{
    AgentSections, ConditionNode, ConnectionString, DocumentRead, FORMAT, FORMAT_VERSION, Graph,
    HandlerAction, HandlerId, HandlerNode, Identity, LlmSection, NameMatch, PersistenceConfig,
    RouteNode, Routing, Settings, Source, SubscriptionNode, ToolParameterNode, TriggerKind,
    TriggerNode,
};

/// Why a definition could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    #[error("the definition has {0} error(s); fix them first (`adl check` lists them)")]
    HasErrors(usize),
    #[error("the document is not an agent definition")]
    NoAgent,
    #[error("{pointer}: {message}")]
    Unresolved { pointer: String, message: String },
}

/// Compiles a checked definition. Refuses one with errors: a graph is only ever
/// built from a definition the checker accepted.
pub fn compile(report: &CheckReport) -> Result<Graph, CompileError> {
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        return Err(CompileError::HasErrors(errors));
    }
    let agent = report.parsed.agent.as_ref().ok_or(CompileError::NoAgent)?;
    let doc = &report.parsed.document;
    let events = &agent.events;
    let mut compiler = Compiler {
        doc,
        handlers: Vec::new(),
        by_name: HashMap::new(),
    };
    for handler in events.handlers() {
        compiler.add_handler(handler);
    }
    let listed = compiler.handlers.len();
    // Every handler gets its id before any name is resolved: a subscription may
    // name a handler written inline in a later one.
    let inline: Vec<Option<HandlerId>> = events
        .subscriptions()
        .iter()
        .map(|s| match s.handler() {
            HandlerRef::Inline(handler) => Some(compiler.add_handler(handler)),
            HandlerRef::Named(_) => None,
        })
        .collect();
    let subscriptions = events
        .subscriptions()
        .iter()
        .zip(inline)
        .map(|(s, inline)| compiler.subscription(s, inline))
        .collect::<Result<Vec<_>, _>>()?;
    let triggers = events
        .triggers()
        .iter()
        .map(|t| compiler.trigger(t))
        .collect::<Result<Vec<_>, _>>()?;
    let routing = compiler.routing(events, listed)?;
    let text = doc.text();
    Ok(Graph {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        source: Source {
            sha256: hex(&Sha256::digest(text.as_bytes())),
            bytes: text.len() as u64,
        },
        settings: Settings {
            processing_mode: events.processing_mode(),
            timeout_ms: events.timeout_ms(),
            queue_size: events.queue_size(),
            worker_count: events.worker_count(),
            overflow: events.overflow(),
            batch_size: events.batch_size(),
            batch_timeout_ms: events.batch_timeout_ms(),
            max_cascade_depth: events.max_cascade_depth(),
            max_cascade_events: events.max_cascade_events(),
        },
        persistence: persistence(events.persistence.as_ref()),
        defaults_applied: agent.defaults.iter().map(|d| d.pointer.clone()).collect(),
        handlers: compiler.handlers,
        subscriptions,
        triggers,
        routing,
        event_types: events
            .event_types
            .as_ref()
            .map(|types| {
                types
                    .value
                    .iter()
                    .map(|(name, schema)| (name.clone(), schema.value.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        initial_state: events
            .state
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        tools: tool_signatures(agent),
        agent: agent_sections(doc, report.parsed.info.as_ref()),
    })
}

/// Identity and the flat names of the sections carried elsewhere than in
/// `sections`.
const NOT_IN_SECTIONS: &[&str] = &[
    "agent_id",
    "id",
    "name",
    "description",
    "version",
    "version_string",
    "lifecycle",
    "owner",
    "role",
    "llm",
    "llm_settings",
    "llm_extensions",
    "tools",
    "events",
];

/// The document's other sections as data, for an agent document.
fn agent_sections(
    doc: &Document,
    info: Option<&adl_parser::document::DocumentInfo>,
) -> Option<AgentSections> {
    use adl_parser::document::{DocumentKind, Layout, VersionSource};
    let info = info.filter(|i| i.kind == DocumentKind::Agent)?;
    let value = |name: &str| {
        info.section(name).map(|node| {
            let mut value = doc.to_value(node);
            adl_checker::redact_secrets(&mut value);
            value
        })
    };
    let text = |name: &str| value(name).and_then(|v| v.as_str().map(str::to_owned));
    let identity = Identity {
        agent_id: text("agent_id").or_else(|| text("id")),
        name: text("name"),
        description: text("description"),
        version: value("version"),
        version_string: text("version_string"),
        lifecycle: text("lifecycle"),
        owner: text("owner"),
        role: text("role"),
    };
    let llm = LlmSection {
        provider: text("llm"),
        settings: value("llm_settings"),
        extensions: value("llm_extensions"),
    };
    let has_llm = llm.provider.is_some() || llm.settings.is_some() || llm.extensions.is_some();
    Some(AgentSections {
        document: DocumentRead {
            version: info.version.schema_version().to_owned(),
            version_source: match info.source {
                VersionSource::Declared(_) => "declared",
                VersionSource::Marker { .. } => "inferred",
                VersionSource::Default => "default",
            }
            .to_owned(),
            layout: match info.layout {
                Layout::Flat => "flat",
                Layout::Grouped => "grouped",
            }
            .to_owned(),
        },
        identity,
        llm: has_llm.then_some(llm),
        tools: match value("tools") {
            Some(serde_json::Value::Array(tools)) => tools,
            _ => Vec::new(),
        },
        sections: info
            .sections
            .keys()
            .filter(|name| !NOT_IN_SECTIONS.contains(name))
            .filter_map(|&name| Some((name.to_owned(), value(name)?)))
            .collect(),
    })
}

/// Declared tools with a parameter list → their parameters (the first
/// declaration of a name, as the checker reads it).
fn tool_signatures(agent: &model::Agent) -> BTreeMap<String, Vec<ToolParameterNode>> {
    let mut signatures = BTreeMap::new();
    for tool in agent.tools.iter().flat_map(|tools| &tools.value) {
        let Some(parameters) = &tool.parameters else {
            continue;
        };
        signatures
            .entry(tool.name.value.clone())
            .or_insert_with(|| {
                parameters
                    .value
                    .iter()
                    .map(|p| ToolParameterNode {
                        name: p.name.value.clone(),
                        parameter_type: p.parameter_type.as_ref().map(|t| t.value.clone()),
                        required: p.required.as_ref().is_some_and(|r| r.value),
                    })
                    .collect()
            });
    }
    signatures
}

struct Compiler<'a> {
    doc: &'a Document,
    handlers: Vec<HandlerNode>,
    /// Reference name → every handler answering to it (custom handlers without
    /// `name` may share a `handler_name`).
    by_name: HashMap<String, Vec<HandlerId>>,
}

impl Compiler<'_> {
    fn add_handler(&mut self, handler: &Handler) -> HandlerId {
        let id = HandlerId(self.handlers.len() as u32);
        let name = handler.reference_name().map(|n| n.value.clone());
        if let Some(name) = &name {
            self.by_name.entry(name.clone()).or_default().push(id);
        }
        let action = match handler {
            Handler::ToolInvocation(h) => HandlerAction::ToolInvocation {
                tool_name: h.tool_name.value.clone(),
                parameters: h
                    .parameters
                    .as_ref()
                    .map(|p| p.value.clone())
                    .unwrap_or_default(),
            },
            Handler::StateUpdate(h) => HandlerAction::StateUpdate {
                state_field: h.state_field.value.clone(),
                value: h.value.value.clone(),
            },
            Handler::Notification(h) => HandlerAction::Notification {
                notification_type: h.notification_type.value,
                message: h.message.value.clone(),
            },
            Handler::Custom(h) => HandlerAction::Custom {
                handler_name: h.handler_name.value.clone(),
                parameters: h
                    .parameters
                    .as_ref()
                    .map(|p| p.value.clone())
                    .unwrap_or_default(),
            },
        };
        self.handlers.push(HandlerNode {
            name,
            pointer: self.doc.pointer(handler.node()),
            action,
        });
        id
    }

    fn resolve(&self, name: &model::Spanned<String>) -> Result<HandlerId, CompileError> {
        match self.by_name.get(&name.value).map(Vec::as_slice) {
            Some(&[id]) => Ok(id),
            Some(ids) if ids.len() > 1 => Err(CompileError::Unresolved {
                pointer: self.doc.pointer(name.node),
                message: format!("{} handlers answer to `{}`", ids.len(), name.value),
            }),
            _ => Err(CompileError::Unresolved {
                pointer: self.doc.pointer(name.node),
                message: format!("no handler is named `{}`", name.value),
            }),
        }
    }

    fn subscription(
        &self,
        subscription: &Subscription,
        inline: Option<HandlerId>,
    ) -> Result<SubscriptionNode, CompileError> {
        let name = match subscription {
            Subscription::Direct(s) => NameMatch::EventName(s.event_name.value.clone()),
            Subscription::Filtered(s) => NameMatch::EventName(s.event_name.value.clone()),
            Subscription::Pattern(s) if adl_checker::glob::has_wildcard(&s.event_pattern.value) => {
                NameMatch::EventPattern(s.event_pattern.value.clone())
            }
            Subscription::Pattern(s) => NameMatch::EventName(s.event_pattern.value.clone()),
        };
        let handler = match subscription.handler() {
            HandlerRef::Named(name) => self.resolve(name)?,
            HandlerRef::Inline(_) => {
                inline.expect("inline handlers get their ids before subscriptions compile")
            }
        };
        Ok(SubscriptionNode {
            pointer: self.doc.pointer(subscription.node()),
            name,
            filter: subscription.filter().map(condition),
            handler,
        })
    }

    fn trigger(&self, trigger: &Trigger) -> Result<TriggerNode, CompileError> {
        let pointer = self.doc.pointer(trigger.node());
        let kind =
            match trigger {
                Trigger::Event(t) => TriggerKind::Event {
                    event_name: t.event_name.value.clone(),
                    condition: t.condition.as_ref().map(condition),
                },
                Trigger::Time(t) => TriggerKind::Time {
                    expression: t.expression.as_ref().map(|e| e.value.clone()).ok_or_else(
                        || CompileError::Unresolved {
                            pointer: pointer.clone(),
                            message: "time trigger without a cron expression".to_owned(),
                        },
                    )?,
                    timezone: t
                        .timezone
                        .as_ref()
                        .map_or_else(|| "UTC".to_owned(), |z| z.value.clone()),
                },
                Trigger::Condition(t) => TriggerKind::Condition {
                    condition: condition(&t.condition),
                },
                Trigger::Composite(t) => TriggerKind::Composite {
                    operator: t.operator.value,
                    triggers: t
                        .triggers
                        .value
                        .iter()
                        .map(|member| self.trigger(member))
                        .collect::<Result<_, _>>()?,
                },
            };
        Ok(TriggerNode { pointer, kind })
    }

    fn routing(&self, events: &model::EventsBlock, listed: usize) -> Result<Routing, CompileError> {
        Ok(match events.routing_strategy() {
            RoutingStrategy::Direct => Routing::Direct {
                target: match &events.target_handler {
                    Some(name) => Some(self.resolve(name)?),
                    None if listed == 1 => Some(HandlerId(0)),
                    None if listed == 0 || events.triggers().is_empty() => None,
                    None => {
                        return Err(CompileError::Unresolved {
                            pointer: self.doc.pointer(events.node),
                            message: format!(
                                "direct routing has {listed} handlers and no `target_handler`"
                            ),
                        });
                    }
                },
            },
            RoutingStrategy::Broadcast => Routing::Broadcast {
                targets: match &events.target_handlers {
                    Some(names) => names
                        .value
                        .iter()
                        .map(|n| self.resolve(n))
                        .collect::<Result<_, _>>()?,
                    None => (0..listed as u32).map(HandlerId).collect(),
                },
            },
            RoutingStrategy::Conditional => Routing::Conditional {
                routes: events
                    .routes()
                    .iter()
                    .map(|route| {
                        Ok(RouteNode {
                            condition: condition(&route.condition),
                            target: self.resolve(&route.target_handler)?,
                            continue_: route.continue_.as_ref().is_some_and(|c| c.value),
                        })
                    })
                    .collect::<Result<_, CompileError>>()?,
                default_handler: events
                    .default_handler
                    .as_ref()
                    .map(|name| self.resolve(name))
                    .transpose()?,
            },
        })
    }
}

fn condition(condition: &model::Condition) -> ConditionNode {
    ConditionNode {
        field: condition.field.value.clone(),
        operator: condition.operator.value,
        value: condition
            .value
            .as_ref()
            .map_or(serde_json::Value::Bool(true), |v| v.value.clone()),
    }
}

fn persistence(persistence: Option<&Persistence>) -> PersistenceConfig {
    match persistence {
        None => PersistenceConfig::Memory {
            max_events: model::defaults::MAX_EVENTS,
        },
        Some(Persistence::Memory(m)) => PersistenceConfig::Memory {
            max_events: m
                .max_events
                .as_ref()
                .map_or(model::defaults::MAX_EVENTS, |v| v.value),
        },
        Some(Persistence::File(f)) => PersistenceConfig::File {
            file_path: f.file_path.value.clone(),
            rotation: f
                .rotation
                .as_ref()
                .map_or(model::defaults::ROTATION, |r| r.value),
        },
        Some(Persistence::Database(d)) => PersistenceConfig::Database {
            connection_string: ConnectionString(d.connection_string.value.clone()),
            table_name: d.table_name.value.clone(),
        },
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}
