//! The executable form of a [`Graph`]: templates parsed, conditions and regexes
//! compiled, the name index and glob automaton built, cron schedules parsed and
//! event schemas compiled. Pure (no I/O, no async): the executor drives it.
//!
//! Building a program from a graph is loading, not checking: a graph that
//! `adl compile` wrote always loads; a hand-edited one that no longer makes sense
//! gets a [`LoadError`] naming the place.

mod condition;
mod matcher;
mod path;
mod template;
mod trigger;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

pub use condition::{Condition, json_equal};
pub use matcher::{MatcherError, NameMatcher, NameTest};
pub(crate) use path::state_keys;
pub use path::{BareRoot, FieldPath, Scope};
pub use template::Template;
pub use trigger::{Occurrence, Schedule, TriggerExpr};

use crate::Event;
use crate::graph::{
    CompositeOperator, ConditionNode, Graph, HandlerAction, HandlerId, LoadError, NameMatch,
    NotificationType, Routing, Settings, ToolParameterNode, TriggerKind, TriggerNode,
};

/// A loaded agent, ready to dispatch.
#[derive(Debug)]
pub struct Program {
    graph: Graph,
    pub handlers: Vec<CompiledHandler>,
    pub subscriptions: Vec<CompiledSubscription>,
    matcher: NameMatcher,
    pub triggers: Vec<CompiledTrigger>,
    /// Top-level event triggers by event name: only these can fire for a name.
    event_triggers: HashMap<String, Vec<usize>, foldhash::fast::RandomState>,
    /// Triggers evaluated on every occurrence (time triggers, mixed composites).
    every_occurrence: Vec<usize>,
    /// Condition triggers and state-only composites, evaluated after state changes.
    edge: Vec<usize>,
    /// Every time trigger, composite members included.
    pub schedules: Vec<Schedule>,
    routing: CompiledRouting,
    validators: HashMap<String, jsonschema::Validator, foldhash::fast::RandomState>,
}

/// A handler with its templates parsed.
#[derive(Debug)]
pub struct CompiledHandler {
    /// Reference name, or pointer when it has none (shared with every action record).
    pub label: Arc<str>,
    pub action: CompiledAction,
}

#[derive(Debug)]
pub enum CompiledAction {
    Tool {
        tool_name: Arc<str>,
        parameters: Template,
        /// The declared parameters, when the tool is declared with a list:
        /// rendered arguments are checked against them before the call.
        signature: Option<Arc<[ToolParameterNode]>>,
    },
    State {
        field: String,
        keys: Vec<String>,
        value: Template,
    },
    Notify {
        notification_type: NotificationType,
        message: Template,
    },
    Custom {
        handler_name: Arc<str>,
        parameters: Template,
    },
}

impl CompiledAction {
    pub fn handler_type(&self) -> &'static str {
        match self {
            CompiledAction::Tool { .. } => "tool_invocation",
            CompiledAction::State { .. } => "state_update",
            CompiledAction::Notify { .. } => "notification",
            CompiledAction::Custom { .. } => "custom",
        }
    }
}

#[derive(Debug)]
pub struct CompiledSubscription {
    /// Shared with every action record it activates.
    pub pointer: Arc<str>,
    pub filter: Option<Condition>,
    pub handler: HandlerId,
}

#[derive(Debug)]
pub struct CompiledTrigger {
    pub pointer: Arc<str>,
    pub expr: TriggerExpr,
}

#[derive(Debug)]
enum CompiledRouting {
    Direct(Option<HandlerId>),
    Broadcast(Vec<HandlerId>),
    Conditional {
        routes: Vec<(Condition, HandlerId, bool)>,
        default: Option<HandlerId>,
    },
}

fn invalid(pointer: &str, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}

impl Program {
    /// Loads a graph.
    pub fn new(graph: Graph) -> Result<Self, LoadError> {
        let handler_count = graph.handlers.len();
        let check_id = |id: HandlerId, pointer: &str| {
            if id.index() < handler_count {
                Ok(id)
            } else {
                Err(invalid(pointer, format!("handler {} does not exist", id.0)))
            }
        };
        // A name several custom handlers share would not say which one ran:
        // their action records name them by pointer.
        let mut name_uses: HashMap<&str, usize> = HashMap::new();
        for name in graph.handlers.iter().filter_map(|h| h.name.as_deref()) {
            *name_uses.entry(name).or_default() += 1;
        }
        let handlers = graph
            .handlers
            .iter()
            .map(|node| {
                let shared = node.name.as_deref().is_some_and(|n| name_uses[n] > 1);
                compile_handler(node, shared, &graph.tools)
            })
            .collect::<Result<Vec<_>, LoadError>>()?;

        let subscriptions = graph
            .subscriptions
            .iter()
            .map(|s| {
                Ok(CompiledSubscription {
                    pointer: s.pointer.as_str().into(),
                    filter: s
                        .filter
                        .as_ref()
                        .map(|f| Condition::compile(f, BareRoot::Data))
                        .transpose()
                        .map_err(|e| invalid(&s.pointer, e))?,
                    handler: check_id(s.handler, &s.pointer)?,
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        let matcher = NameMatcher::new(graph.subscriptions.iter().map(|s| match &s.name {
            NameMatch::EventName(name) => NameTest::Exact(name),
            NameMatch::EventPattern(pattern) => NameTest::Glob(pattern),
        }))
        .map_err(|e| invalid("/events/subscriptions", e.to_string()))?;

        let mut schedules = Vec::new();
        let mut triggers = Vec::with_capacity(graph.triggers.len());
        let mut event_triggers: HashMap<String, Vec<usize>, foldhash::fast::RandomState> =
            HashMap::default();
        let mut every_occurrence = Vec::new();
        let mut edge = Vec::new();
        for (index, node) in graph.triggers.iter().enumerate() {
            let expr = trigger_expr(node, &mut schedules)?;
            match &expr {
                TriggerExpr::Event { name, .. } => {
                    event_triggers.entry(name.clone()).or_default().push(index);
                }
                expr if expr.is_state_only() => edge.push(index),
                _ => every_occurrence.push(index),
            }
            triggers.push(CompiledTrigger {
                pointer: node.pointer.as_str().into(),
                expr,
            });
        }

        let routing = compile_routing(&graph.routing, check_id)?;

        let validators = graph
            .event_types
            .iter()
            .map(|(name, schema)| {
                jsonschema::validator_for(schema)
                    .map(|v| (name.clone(), v))
                    .map_err(|e| {
                        invalid(
                            &format!("/event_types/{name}"),
                            format!("the schema of event type `{name}` is invalid: {e}"),
                        )
                    })
            })
            .collect::<Result<_, _>>()?;

        Ok(Self {
            graph,
            handlers,
            subscriptions,
            matcher,
            triggers,
            event_triggers,
            every_occurrence,
            edge,
            schedules,
            routing,
            validators,
        })
    }

    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    pub fn settings(&self) -> &Settings {
        &self.graph.settings
    }

    pub fn initial_state(&self) -> &Map<String, Value> {
        &self.graph.initial_state
    }

    /// Checks an event's data against its declared `event_types` schema.
    pub(crate) fn validate(&self, event: &Event) -> Result<(), String> {
        // Most agents declare no schemas: no name is hashed for them.
        if self.validators.is_empty() {
            return Ok(());
        }
        let Some(validator) = self.validators.get(event.event_type.as_str()) else {
            return Ok(());
        };
        match validator.iter_errors(event.data.value()).next() {
            None => Ok(()),
            Some(error) => {
                let at = error.instance_path().to_string();
                let at = if at.is_empty() { "/".to_owned() } else { at };
                Err(format!(
                    "data does not match the `{}` schema at {at}: {error}",
                    event.event_type
                ))
            }
        }
    }

    /// Subscriptions whose name matches and whose filter passes, in declaration order.
    /// One by one: the caller collects them only if it needs to. They borrow
    /// the program (`'p`); the iterator also borrows the event and the state
    /// (`'e`), so that the caller may let the state go and keep them.
    pub fn matching_subscriptions<'p: 'e, 'e>(
        &'p self,
        event: &'e Event,
        state: &'e Map<String, Value>,
    ) -> impl Iterator<Item = &'p CompiledSubscription> + 'e {
        let scope = Scope {
            event: Some(event),
            state,
        };
        let matched = self.matcher.matches(&event.event_type);
        (0..matched.len())
            .map(move |k| &self.subscriptions[matched[k] as usize])
            .filter(move |s| s.filter.as_ref().is_none_or(|f| f.holds(scope)))
    }

    /// Triggers (not edge-triggered ones) that fire for this occurrence, in order.
    pub fn fired_triggers(
        &self,
        occurrence: Occurrence<'_>,
        state: &Map<String, Value>,
    ) -> Vec<usize> {
        let by_name = self
            .event_triggers
            .get(occurrence.event().event_type.as_str())
            .map_or(&[][..], Vec::as_slice);
        let mut fired: Vec<usize> = by_name
            .iter()
            .chain(&self.every_occurrence)
            .copied()
            .filter(|&i| self.triggers[i].expr.holds(occurrence, state))
            .collect();
        fired.sort_unstable();
        fired
    }

    /// Condition triggers and state-only composites (edge-triggered).
    pub fn edge_triggers(&self) -> &[usize] {
        &self.edge
    }

    /// The handlers a trigger activation caused by `event` goes to; empty when
    /// it is dropped (conditional routing with no match and no default).
    pub fn route(&self, event: &Event, state: &Map<String, Value>) -> Vec<HandlerId> {
        match &self.routing {
            CompiledRouting::Direct(target) => target.iter().copied().collect(),
            CompiledRouting::Broadcast(targets) => targets.clone(),
            CompiledRouting::Conditional { routes, default } => {
                let scope = Scope {
                    event: Some(event),
                    state,
                };
                let mut targets = Vec::new();
                for (condition, target, keep_going) in routes {
                    if condition.holds(scope) {
                        targets.push(*target);
                        if !keep_going {
                            break;
                        }
                    }
                }
                if targets.is_empty() {
                    targets.extend(default.iter().copied());
                }
                targets
            }
        }
    }
}

fn compile_handler(
    node: &crate::graph::HandlerNode,
    shared_name: bool,
    tools: &std::collections::BTreeMap<String, Vec<ToolParameterNode>>,
) -> Result<CompiledHandler, LoadError> {
    let at = |e: String| invalid(&node.pointer, e);
    let action = match &node.action {
        HandlerAction::ToolInvocation {
            tool_name,
            parameters,
        } => CompiledAction::Tool {
            tool_name: Arc::from(tool_name.as_str()),
            parameters: Template::compile(&Value::Object(parameters.clone())).map_err(at)?,
            signature: tools.get(tool_name).map(|s| Arc::from(s.as_slice())),
        },
        HandlerAction::StateUpdate { state_field, value } => CompiledAction::State {
            field: state_field.clone(),
            keys: path::state_keys(state_field).map_err(at)?,
            value: Template::compile(value).map_err(at)?,
        },
        HandlerAction::Notification {
            notification_type,
            message,
        } => CompiledAction::Notify {
            notification_type: *notification_type,
            message: Template::string(message).map_err(at)?,
        },
        HandlerAction::Custom {
            handler_name,
            parameters,
        } => CompiledAction::Custom {
            handler_name: Arc::from(handler_name.as_str()),
            parameters: Template::compile(&Value::Object(parameters.clone())).map_err(at)?,
        },
    };
    Ok(CompiledHandler {
        label: if shared_name {
            node.pointer.as_str().into()
        } else {
            node.label().into()
        },
        action,
    })
}

fn compile_routing(
    routing: &Routing,
    check_id: impl Fn(HandlerId, &str) -> Result<HandlerId, LoadError>,
) -> Result<CompiledRouting, LoadError> {
    Ok(match routing {
        Routing::Direct { target } => {
            CompiledRouting::Direct(target.map(|t| check_id(t, "/routing")).transpose()?)
        }
        Routing::Broadcast { targets } => CompiledRouting::Broadcast(
            targets
                .iter()
                .map(|&t| check_id(t, "/routing"))
                .collect::<Result<_, _>>()?,
        ),
        Routing::Conditional {
            routes,
            default_handler,
        } => CompiledRouting::Conditional {
            routes: routes
                .iter()
                .enumerate()
                .map(|(i, route)| {
                    let pointer = format!("/routing/routes/{i}");
                    Ok((
                        Condition::compile(&route.condition, BareRoot::Data)
                            .map_err(|e| invalid(&pointer, e))?,
                        check_id(route.target, &pointer)?,
                        route.continue_,
                    ))
                })
                .collect::<Result<_, LoadError>>()?,
            default: default_handler
                .map(|d| check_id(d, "/routing/default_handler"))
                .transpose()?,
        },
    })
}

fn trigger_expr(
    node: &TriggerNode,
    schedules: &mut Vec<Schedule>,
) -> Result<TriggerExpr, LoadError> {
    let at = |e: String| invalid(&node.pointer, e);
    Ok(match &node.kind {
        TriggerKind::Event {
            event_name,
            condition,
        } => TriggerExpr::Event {
            name: event_name.clone(),
            condition: condition
                .as_ref()
                .map(|c| Condition::compile(c, BareRoot::Data))
                .transpose()
                .map_err(at)?,
        },
        TriggerKind::Time {
            expression,
            timezone,
        } => {
            schedules.push(Schedule::new(node.pointer.clone(), expression, timezone).map_err(at)?);
            TriggerExpr::Time {
                time: schedules.len() - 1,
            }
        }
        TriggerKind::Condition { condition } => TriggerExpr::State {
            condition: state_condition(condition).map_err(at)?,
        },
        TriggerKind::Composite { operator, triggers } => {
            let members = triggers
                .iter()
                .map(|m| trigger_expr(m, schedules))
                .collect::<Result<Vec<_>, _>>()?;
            match operator {
                CompositeOperator::And => TriggerExpr::And(members),
                CompositeOperator::Or => TriggerExpr::Or(members),
                CompositeOperator::Not => {
                    let mut members = members.into_iter();
                    match (members.next(), members.next()) {
                        (Some(member), None) => TriggerExpr::Not(Box::new(member)),
                        _ => return Err(at("`not` takes exactly one member".to_owned())),
                    }
                }
            }
        }
    })
}

fn state_condition(node: &ConditionNode) -> Result<Condition, String> {
    let condition = Condition::compile(node, BareRoot::State)?;
    if condition.reads_event() {
        return Err(format!(
            "`{}`: a condition trigger has no event",
            node.field
        ));
    }
    Ok(condition)
}
