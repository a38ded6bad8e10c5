//! `adl graph`: the dispatch graph as a picture (Graphviz DOT or Mermaid).
//!
//! Events are ellipses, triggers hexagons, handlers boxes. Solid edges are
//! "this event runs that" (through a subscription, labelled with its filter, or a
//! trigger); routes are labelled with their condition; dashed edges are the
//! events a handler emits, which is where cascades show.

use std::fmt::Write as _;

use adl_runtime::graph::{
    ConditionNode, Graph, HandlerAction, Keyword, NameMatch, Routing, TriggerKind, TriggerNode,
};

/// The picture's parts, independent of the output syntax.
struct View {
    /// (id, label, shape)
    nodes: Vec<(String, String, Shape)>,
    /// (from, to, label, dashed)
    edges: Vec<(String, String, String, bool)>,
}

#[derive(Clone, Copy)]
enum Shape {
    Event,
    Trigger,
    Handler,
}

fn condition(c: &ConditionNode) -> String {
    format!("{} {} {}", c.field, c.operator.keyword(), c.value)
}

/// Event nodes, numbered in order of first mention.
#[derive(Default)]
struct Events(Vec<String>);

impl Events {
    fn id(&mut self, name: &str) -> String {
        let index = self.0.iter().position(|n| n == name).unwrap_or_else(|| {
            self.0.push(name.to_owned());
            self.0.len() - 1
        });
        format!("e{index}")
    }
}

fn view(graph: &Graph) -> View {
    let mut events = Events::default();
    let mut edges = Vec::new();
    let mut nodes = Vec::new();
    for (i, handler) in graph.handlers.iter().enumerate() {
        let what = match &handler.action {
            HandlerAction::ToolInvocation { tool_name, .. } => {
                edges.push((
                    format!("h{i}"),
                    events.id("tool_invocation"),
                    String::new(),
                    true,
                ));
                format!("tool_invocation {tool_name}")
            }
            HandlerAction::StateUpdate { state_field, .. } => {
                edges.push((
                    format!("h{i}"),
                    events.id("state_change"),
                    String::new(),
                    true,
                ));
                format!("state_update {state_field}")
            }
            HandlerAction::Notification {
                notification_type, ..
            } => {
                format!("notification {}", notification_type.keyword())
            }
            HandlerAction::Custom { handler_name, .. } => format!("custom {handler_name}"),
        };
        nodes.push((
            format!("h{i}"),
            format!("{}\n{what}", handler.label()),
            Shape::Handler,
        ));
    }
    for subscription in &graph.subscriptions {
        let name = match &subscription.name {
            NameMatch::EventName(name) | NameMatch::EventPattern(name) => name.clone(),
        };
        let label = subscription
            .filter
            .as_ref()
            .map(condition)
            .unwrap_or_default();
        edges.push((
            events.id(&name),
            format!("h{}", subscription.handler.0),
            label,
            false,
        ));
    }
    let targets: Vec<(usize, String)> = match &graph.routing {
        Routing::Direct { target } => target.iter().map(|t| (t.index(), String::new())).collect(),
        Routing::Broadcast { targets } => {
            targets.iter().map(|t| (t.index(), String::new())).collect()
        }
        Routing::Conditional {
            routes,
            default_handler,
        } => routes
            .iter()
            .map(|r| (r.target.index(), condition(&r.condition)))
            .chain(
                default_handler
                    .iter()
                    .map(|d| (d.index(), "default".to_owned())),
            )
            .collect(),
    };
    for (i, trigger) in graph.triggers.iter().enumerate() {
        let id = format!("t{i}");
        nodes.push((id.clone(), trigger_label(trigger), Shape::Trigger));
        let mut names = Vec::new();
        trigger_events(trigger, &mut names);
        for name in names {
            edges.push((events.id(&name), id.clone(), String::new(), false));
        }
        for (handler, label) in &targets {
            edges.push((id.clone(), format!("h{handler}"), label.clone(), false));
        }
    }
    for (index, name) in events.0.into_iter().enumerate() {
        nodes.push((format!("e{index}"), name, Shape::Event));
    }
    View { nodes, edges }
}

fn trigger_label(trigger: &TriggerNode) -> String {
    match &trigger.kind {
        TriggerKind::Event {
            event_name,
            condition: c,
        } => match c {
            Some(c) => format!("on {event_name} if {}", condition(c)),
            None => format!("on {event_name}"),
        },
        TriggerKind::Time {
            expression,
            timezone,
        } => format!("cron {expression} ({timezone})"),
        TriggerKind::Condition { condition: c } => format!("when {}", condition(c)),
        TriggerKind::Composite { operator, triggers } => format!(
            "{}({})",
            operator.keyword(),
            triggers
                .iter()
                .map(trigger_label)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The event names a trigger listens to (time triggers listen to their ticks).
fn trigger_events(trigger: &TriggerNode, out: &mut Vec<String>) {
    match &trigger.kind {
        TriggerKind::Event { event_name, .. } => out.push(event_name.clone()),
        TriggerKind::Time { .. } => out.push("time_trigger".to_owned()),
        TriggerKind::Condition { .. } => out.push("state_change".to_owned()),
        TriggerKind::Composite { triggers, .. } => {
            for member in triggers {
                trigger_events(member, out);
            }
        }
    }
    out.sort();
    out.dedup();
}

fn quoted(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

pub fn dot(graph: &Graph) -> String {
    let view = view(graph);
    let mut out = String::from("digraph agent {\n  rankdir=LR;\n");
    for (id, label, shape) in &view.nodes {
        let shape = match shape {
            Shape::Event => "ellipse",
            Shape::Trigger => "hexagon",
            Shape::Handler => "box",
        };
        let _ = writeln!(out, "  {id} [label={}, shape={shape}];", quoted(label));
    }
    for (from, to, label, dashed) in &view.edges {
        let mut attributes = Vec::new();
        if !label.is_empty() {
            attributes.push(format!("label={}", quoted(label)));
        }
        if *dashed {
            attributes.push("style=dashed".to_owned());
        }
        if attributes.is_empty() {
            let _ = writeln!(out, "  {from} -> {to};");
        } else {
            let _ = writeln!(out, "  {from} -> {to} [{}];", attributes.join(", "));
        }
    }
    out.push_str("}\n");
    out
}

pub fn mermaid(graph: &Graph) -> String {
    let view = view(graph);
    let text = |label: &str| {
        format!(
            "\"{}\"",
            label.replace('"', "#quot;").replace('\n', "<br/>")
        )
    };
    let mut out = String::from("flowchart LR\n");
    for (id, label, shape) in &view.nodes {
        let _ = match shape {
            Shape::Event => writeln!(out, "  {id}([{}])", text(label)),
            Shape::Trigger => writeln!(out, "  {id}{{{{{}}}}}", text(label)),
            Shape::Handler => writeln!(out, "  {id}[{}]", text(label)),
        };
    }
    for (from, to, label, dashed) in &view.edges {
        let arrow = if *dashed { "-.->" } else { "-->" };
        if label.is_empty() {
            let _ = writeln!(out, "  {from} {arrow} {to}");
        } else {
            let _ = writeln!(out, "  {from} {arrow}|{}| {to}", text(label));
        }
    }
    out
}
