//! The static cascade graph (spec §8, §13.15): a handler emits events (a tool
//! invocation emits `tool_invocation`; a state update with a varying value emits
//! `state_change`; a tool or custom handler that fails emits `error`), a
//! subscription or trigger matches them, and runs handlers. Each edge is
//! classified by evaluating the subscription's filter or the trigger's condition
//! against what is statically known of the emitted event.
//!
//! An `error` raised while handling an `error` event is logged, not dispatched:
//! so a cycle may not take two `error` hops in a row. Cycles are searched in a
//! graph where each handler appears twice, as run for an `error` event and as run
//! for anything else, and only the second kind's `error` hops exist.

use std::borrow::Cow;
use std::collections::HashMap;

use adl_parser::NodeId;
use adl_parser::model::{
    CompositeOperator, Condition, Handler, HandlerRef, Operator, RoutingStrategy, Subscription,
    Trigger,
};
use adl_parser::template::value_has_template;
use serde_json::Value;

use crate::conditions::{Scope, Subject, subject};
use crate::context::Context;
use crate::glob::glob_matches;
use crate::reach::Reach;

/// Whether a guard lets an emitted event through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Always: no guard, or one that provably holds for the emitted event.
    Certain,
    /// Cannot be decided statically (it depends on a result, a status, …).
    Possible,
    /// Never: the guard provably excludes the emitted event.
    Excluded,
}

/// What a handler emits, as far as it is known before running.
#[derive(Debug, Clone)]
pub struct Emission<'a> {
    pub event_type: &'static str,
    /// `tool_invocation`: the tool's name. `state_change`: the state field.
    /// `error`: the handler (its reference name, or its pointer).
    pub key_field: &'static str,
    pub key: Cow<'a, str>,
    /// The node that names `key` (the `tool_name` or `state_field` value; for
    /// `error`, the `tool_name` or `handler_name` of the handler that fails).
    pub key_node: NodeId,
    /// Whether every run emits it (an `error` needs a failure).
    pub every_run: bool,
}

/// One hop: handler `from` emits, `via` (a subscription or trigger) matches, `to` runs.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub via: NodeId,
    pub pass: Pass,
    pub event_type: &'static str,
    /// What `from` names to emit (its `tool_name` or `state_field` value).
    pub cause: NodeId,
}

fn emissions<'a>(cx: &Context<'a>, handler: &'a Handler) -> Vec<Emission<'a>> {
    // Tools and custom handlers can fail: their `error` names the handler the
    // way the runtime's does (`handler`: its reference name, or its pointer
    // when it has none or shares it).
    let label = match handler.reference_name() {
        Some(name) if cx.handlers_named(&name.value).len() == 1 => {
            Cow::Borrowed(name.value.as_str())
        }
        _ => Cow::Owned(cx.pointer(handler.node())),
    };
    let failure = |key_node: NodeId| Emission {
        event_type: "error",
        key_field: "handler",
        key: label.clone(),
        key_node,
        every_run: false,
    };
    match handler {
        Handler::ToolInvocation(h) => vec![
            Emission {
                event_type: "tool_invocation",
                key_field: "tool_name",
                key: Cow::Borrowed(&h.tool_name.value),
                key_node: h.tool_name.node,
                every_run: true,
            },
            failure(h.tool_name.node),
        ],
        // A constant value changes state at most once, so it cannot feed a loop.
        // A templated value is assumed to change every time.
        Handler::StateUpdate(h) if value_has_template(&h.value.value) => vec![Emission {
            event_type: "state_change",
            key_field: "field",
            key: Cow::Borrowed(&h.state_field.value),
            key_node: h.state_field.node,
            every_run: true,
        }],
        // Custom handlers have no other statically known emissions.
        Handler::Custom(h) => vec![failure(h.handler_name.node)],
        _ => Vec::new(),
    }
}

fn both(a: Pass, b: Pass) -> Pass {
    match (a, b) {
        (Pass::Excluded, _) | (_, Pass::Excluded) => Pass::Excluded,
        (Pass::Certain, Pass::Certain) => Pass::Certain,
        _ => Pass::Possible,
    }
}

fn decided(holds: bool) -> Pass {
    if holds { Pass::Certain } else { Pass::Excluded }
}

/// `(field, value)` of a filter `field equals "value"` on a bare data field (the
/// shape the cascade index can look up directly).
fn equality_key(condition: Option<&Condition>) -> Option<(&str, &str)> {
    let condition = condition?;
    if condition.operator.value != Operator::Equals {
        return None;
    }
    let field = condition.field.value.as_str();
    let field = field.strip_prefix("event.data.").unwrap_or(field);
    if !(field == "tool_name" || field == "field") {
        return None;
    }
    Some((field, condition.value.as_ref()?.value.as_str()?))
}

/// Evaluates a guard against an emission, deciding what can be decided.
pub fn evaluate(condition: Option<&Condition>, emission: &Emission<'_>) -> Pass {
    let Some(condition) = condition else {
        return Pass::Certain;
    };
    let scope = Scope::Event(Reach::Names(vec![emission.event_type.to_owned()]));
    let Ok((_, subject)) = subject(&condition.field.value, &scope) else {
        return Pass::Possible;
    };
    let known: &str = match subject {
        Subject::DataField(field) if field == emission.key_field => &emission.key,
        Subject::Envelope(_)
            if condition.field.value.ends_with("event_type")
                || condition.field.value.ends_with("name") =>
        {
            emission.event_type
        }
        _ => return Pass::Possible,
    };
    let value = condition.value.as_ref().map(|v| &v.value);
    let as_str = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let list_has = |v: Option<&Value>| {
        v.and_then(Value::as_array)
            .map(|items| items.iter().any(|i| i.as_str() == Some(known)))
    };
    match condition.operator.value {
        Operator::Equals => as_str(value).map_or(Pass::Excluded, |v| decided(v == known)),
        Operator::NotEquals => as_str(value).map_or(Pass::Certain, |v| decided(v != known)),
        Operator::In => list_has(value).map_or(Pass::Possible, decided),
        Operator::NotIn => list_has(value).map_or(Pass::Possible, |has| decided(!has)),
        Operator::StartsWith => {
            as_str(value).map_or(Pass::Possible, |v| decided(known.starts_with(&v)))
        }
        Operator::EndsWith => {
            as_str(value).map_or(Pass::Possible, |v| decided(known.ends_with(&v)))
        }
        Operator::Contains => as_str(value).map_or(Pass::Possible, |v| decided(known.contains(&v))),
        Operator::Exists => decided(value.and_then(Value::as_bool).unwrap_or(true)),
        _ => Pass::Possible,
    }
}

impl Context<'_> {
    fn handler_index(&self, node: NodeId) -> Option<usize> {
        // `handlers` is sorted by node (document order).
        self.handlers.binary_search_by_key(&node, |h| h.node()).ok()
    }

    /// The listed handlers a trigger activation can be routed to, and whether
    /// routing itself may drop it (conditional routes).
    fn routing_targets(&self) -> (Vec<usize>, Pass) {
        let events = &self.agent.events;
        let listed: Vec<usize> = events
            .handlers()
            .iter()
            .filter_map(|h| self.handler_index(h.node()))
            .collect();
        let by_name = |name: &str| {
            self.handler_named(name)
                .and_then(|h| self.handler_index(h.node()))
        };
        match events.routing_strategy() {
            RoutingStrategy::Direct => match &events.target_handler {
                Some(target) => (by_name(&target.value).into_iter().collect(), Pass::Certain),
                None if listed.len() == 1 => (listed, Pass::Certain),
                None => (Vec::new(), Pass::Certain),
            },
            RoutingStrategy::Broadcast => match &events.target_handlers {
                Some(targets) => (
                    targets
                        .value
                        .iter()
                        .filter_map(|t| by_name(&t.value))
                        .collect(),
                    Pass::Certain,
                ),
                None => (listed, Pass::Certain),
            },
            RoutingStrategy::Conditional => {
                let mut targets: Vec<usize> = events
                    .routes()
                    .iter()
                    .filter_map(|r| by_name(&r.target_handler.value))
                    .collect();
                if let Some(default) = &events.default_handler {
                    targets.extend(by_name(&default.value));
                }
                (targets, Pass::Possible)
            }
        }
    }

    /// How a top-level trigger reacts to an emission.
    fn trigger_pass(trigger: &Trigger, emission: &Emission<'_>) -> Pass {
        match trigger {
            Trigger::Event(t) if t.event_name.value == emission.event_type => {
                evaluate(t.condition.as_ref(), emission)
            }
            // Edge-triggered: it fires again only after its condition was false.
            Trigger::Condition(t) if emission.event_type == "state_change" => {
                let reads = t.condition.field.value.trim_start_matches("state.");
                let written: &str = &emission.key;
                let related = reads == written
                    || reads.starts_with(&format!("{written}."))
                    || written.starts_with(&format!("{reads}."));
                if related {
                    Pass::Possible
                } else {
                    Pass::Excluded
                }
            }
            Trigger::Composite(c) if c.operator.value == CompositeOperator::Or => {
                let passes: Vec<Pass> = c
                    .triggers
                    .value
                    .iter()
                    .map(|m| Self::trigger_pass(m, emission))
                    .collect();
                if passes.contains(&Pass::Certain) {
                    Pass::Certain
                } else if passes.contains(&Pass::Possible) {
                    Pass::Possible
                } else {
                    Pass::Excluded
                }
            }
            // `and` needs every member in the same evaluation: an instantaneous
            // member that excludes the emission excludes the whole; a state-only
            // `and` is edge-triggered and reacts to state changes only.
            Trigger::Composite(c) if c.operator.value == CompositeOperator::And => {
                let members = &c.triggers.value;
                if members.iter().all(state_only) && emission.event_type != "state_change" {
                    return Pass::Excluded;
                }
                let blocked = members
                    .iter()
                    .any(|m| !reads_state(m) && Self::trigger_pass(m, emission) == Pass::Excluded);
                if blocked {
                    Pass::Excluded
                } else {
                    Pass::Possible
                }
            }
            // `not` fires on every occurrence its member does not: an emission its
            // member excludes passes, unless a level (condition) member inside
            // makes it depend on state.
            Trigger::Composite(c) if c.operator.value == CompositeOperator::Not => {
                let Some(member) = c.triggers.value.first() else {
                    return Pass::Excluded;
                };
                match Self::trigger_pass(member, emission) {
                    Pass::Certain => Pass::Excluded,
                    Pass::Possible => Pass::Possible,
                    Pass::Excluded if reads_state(member) => Pass::Possible,
                    Pass::Excluded => Pass::Certain,
                }
            }
            _ => Pass::Excluded,
        }
    }

    /// The handler a subscription runs.
    fn subscription_target(&self, subscription: &Subscription) -> Option<usize> {
        match subscription.handler() {
            HandlerRef::Inline(inline) => self.handler_index(inline.node()),
            HandlerRef::Named(name) => self
                .handler_named(&name.value)
                .and_then(|h| self.handler_index(h.node())),
        }
    }

    /// Every edge of the cascade graph.
    pub fn cascade_edges(&self) -> Vec<Edge> {
        let events = &self.agent.events;
        let (targets, routing) = self.routing_targets();
        // Subscriptions by exact event name, and the patterns: matching an
        // emission costs lookups plus the patterns, not a scan of every
        // subscription. A filter `KEY equals "v"` on the emitted key (`tool_name`,
        // `field`) is indexed by `v` too: it can only pass for an emission of `v`.
        let mut keyed: HashMap<(&str, &str, &str), Vec<&Subscription>> = HashMap::new();
        let mut by_event: HashMap<&str, Vec<&Subscription>> = HashMap::new();
        let mut patterns: Vec<(&str, &Subscription)> = Vec::new();
        for subscription in events.subscriptions() {
            let name = match subscription {
                Subscription::Direct(s) => &s.event_name.value,
                Subscription::Filtered(s) => &s.event_name.value,
                Subscription::Pattern(s) => {
                    patterns.push((&s.event_pattern.value, subscription));
                    continue;
                }
            };
            match equality_key(subscription.filter()) {
                Some((field, value)) => keyed
                    .entry((name, field, value))
                    .or_default()
                    .push(subscription),
                None => by_event.entry(name).or_default().push(subscription),
            }
        }
        // Event triggers by name; the others (condition, composite) are few.
        let mut triggers_by_event: HashMap<&str, Vec<&Trigger>> = HashMap::new();
        let mut other_triggers: Vec<&Trigger> = Vec::new();
        for trigger in events.triggers() {
            match trigger {
                Trigger::Event(t) => triggers_by_event
                    .entry(&t.event_name.value)
                    .or_default()
                    .push(trigger),
                Trigger::Time(_) => {}
                _ => other_triggers.push(trigger),
            }
        }
        // Only two event types are ever emitted: match the patterns once for each.
        let mut pattern_matches: HashMap<&str, Vec<&Subscription>> = HashMap::new();
        let mut edges = Vec::new();
        for (from, handler) in self.handlers.iter().enumerate() {
            for emission in emissions(self, handler) {
                let emitted = if emission.every_run {
                    Pass::Certain
                } else {
                    Pass::Possible
                };
                let exact = by_event
                    .get(emission.event_type)
                    .map_or(&[][..], Vec::as_slice);
                let keyed_here = keyed
                    .get(&(emission.event_type, emission.key_field, &*emission.key))
                    .map_or(&[][..], Vec::as_slice);
                let by_pattern = pattern_matches
                    .entry(emission.event_type)
                    .or_insert_with(|| {
                        patterns
                            .iter()
                            .filter(|(pattern, _)| glob_matches(pattern, emission.event_type))
                            .map(|(_, s)| *s)
                            .collect()
                    })
                    .clone();
                for subscription in exact.iter().chain(keyed_here).copied().chain(by_pattern) {
                    let pass = both(evaluate(subscription.filter(), &emission), emitted);
                    if let (Some(to), false) = (
                        self.subscription_target(subscription),
                        pass == Pass::Excluded,
                    ) {
                        edges.push(Edge {
                            from,
                            to,
                            via: subscription.node(),
                            pass,
                            event_type: emission.event_type,
                            cause: emission.key_node,
                        });
                    }
                }
                let named = triggers_by_event
                    .get(emission.event_type)
                    .map_or(&[][..], Vec::as_slice);
                for trigger in named.iter().chain(&other_triggers).copied() {
                    let pass = both(
                        both(Self::trigger_pass(trigger, &emission), routing),
                        emitted,
                    );
                    if pass == Pass::Excluded {
                        continue;
                    }
                    for &to in &targets {
                        edges.push(Edge {
                            from,
                            to,
                            via: trigger.node(),
                            pass,
                            event_type: emission.event_type,
                            cause: emission.key_node,
                        });
                    }
                }
            }
        }
        edges
    }
}

/// Strongly connected components (Tarjan's algorithm, iterative so that a long
/// chain of handlers cannot exhaust the stack), as sorted lists of node indexes.
pub fn components(count: usize, edges: &[Edge]) -> Vec<Vec<usize>> {
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); count];
    for edge in edges {
        successors[edge.from].push(edge.to);
    }
    let mut index: Vec<Option<usize>> = vec![None; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut found = Vec::new();
    for root in 0..count {
        if index[root].is_some() {
            continue;
        }
        // Each frame: a node and how many of its successors were visited.
        let mut frames = vec![(root, 0usize)];
        index[root] = Some(next);
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut position)) = frames.last_mut() {
            if let Some(&w) = successors[v].get(*position) {
                *position += 1;
                match index[w] {
                    None => {
                        index[w] = Some(next);
                        low[w] = next;
                        next += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        frames.push((w, 0));
                    }
                    Some(w_index) if on_stack[w] => low[v] = low[v].min(w_index),
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if Some(low[v]) == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                found.push(component);
            }
        }
    }
    found
}

/// A shortest cycle through `start` using only `edges` between `members` (BFS).
pub fn cycle_through<'e>(
    start: usize,
    members: &[usize],
    edges: &'e [Edge],
) -> Option<Vec<&'e Edge>> {
    use std::collections::{HashMap, HashSet, VecDeque};
    let members: HashSet<usize> = members.iter().copied().collect();
    let mut outgoing: HashMap<usize, Vec<&Edge>> = HashMap::new();
    for edge in edges
        .iter()
        .filter(|e| members.contains(&e.from) && members.contains(&e.to))
    {
        outgoing.entry(edge.from).or_default().push(edge);
    }
    let mut came_by: HashMap<usize, &Edge> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &edge in outgoing.get(&v).map_or(&[][..], Vec::as_slice) {
            if edge.to == start {
                let mut path = vec![edge];
                let mut at = v;
                while at != start {
                    let previous = came_by.get(&at)?;
                    path.push(previous);
                    at = previous.from;
                }
                path.reverse();
                return Some(path);
            }
            if edge.to != start && !came_by.contains_key(&edge.to) {
                came_by.insert(edge.to, edge);
                queue.push_back(edge.to);
            }
        }
    }
    None
}

/// One cycle per strongly connected component: made of certain edges when the
/// component has one (`unbounded-cascade`), else of any edges (`possible-cascade`).
fn find_cycles(count: usize, edges: &[Edge]) -> Vec<(&'static adl_diagnostics::Rule, Vec<Edge>)> {
    use crate::rules::{POSSIBLE_CASCADE, UNBOUNDED_CASCADE};

    let certain: Vec<Edge> = edges
        .iter()
        .filter(|e| e.pass == Pass::Certain)
        .cloned()
        .collect();
    let mut self_loops = vec![false; count];
    let mut certain_self_loops = vec![false; count];
    for edge in edges.iter().filter(|e| e.from == e.to) {
        self_loops[edge.from] = true;
        certain_self_loops[edge.from] |= edge.pass == Pass::Certain;
    }
    let certain_components: Vec<Vec<usize>> = components(count, &certain)
        .into_iter()
        .filter(|c| c.len() > 1 || certain_self_loops[c[0]])
        .collect();
    let mut cycles = Vec::new();
    for component in components(count, edges) {
        let is_cycle = component.len() > 1 || self_loops[component[0]];
        if !is_cycle {
            continue;
        }
        let certain_cycle = certain_components
            .iter()
            .filter(|c| component.binary_search(&c[0]).is_ok())
            .find_map(|c| {
                cycle_through(c[0], c, &certain).map(|cycle| cycle.into_iter().cloned().collect())
            });
        match certain_cycle {
            Some(cycle) => cycles.push((&UNBOUNDED_CASCADE, cycle)),
            None => {
                if let Some(cycle) = cycle_through(component[0], &component, edges) {
                    cycles.push((&POSSIBLE_CASCADE, cycle.into_iter().cloned().collect()));
                }
            }
        }
    }
    cycles
}

/// How many hops of a cycle get a label of their own.
const MAX_LABELLED_HOPS: usize = 8;

/// How a handler is named in messages.
fn handler_name(cx: &Context<'_>, index: usize) -> String {
    let handler = cx.handlers[index];
    handler.reference_name().map_or_else(
        || format!("the handler at `{}`", cx.pointer(handler.node())),
        |n| format!("`{}`", n.value),
    )
}

/// The diagnostic for one cycle: on the subscription or trigger that closes it,
/// with a label on every hop.
fn cycle_diagnostic(
    cx: &Context<'_>,
    rule: &'static adl_diagnostics::Rule,
    cycle: &[Edge],
) -> Option<adl_diagnostics::Diagnostic> {
    let certain = rule.code == crate::rules::UNBOUNDED_CASCADE.code;
    let name = |i: usize| handler_name(cx, i);
    let closing = cycle.last()?;
    let message = if certain {
        format!("{} triggers itself without end", name(closing.to))
    } else {
        format!(
            "{} may trigger itself until the cascade limit",
            name(closing.to)
        )
    };
    let mut diagnostic = adl_diagnostics::Diagnostic::new(
        rule,
        message,
        cx.anchor(closing.via),
        cx.pointer(closing.via),
    )
    .with_primary_label(format!(
        "matches the `{}` event and runs {} again",
        closing.event_type,
        name(closing.to)
    ));
    // A long cycle gets its first hops labelled; the note gives the count.
    let mut labelled = vec![cx.anchor(closing.via)];
    for edge in cycle.iter().take(MAX_LABELLED_HOPS) {
        let cause = cx.span(edge.cause);
        if !labelled.contains(&cause) {
            let what = match edge.event_type {
                "state_change" => "writes this state field",
                "error" => "may fail here",
                _ => "calls this tool",
            };
            diagnostic = diagnostic.with_label(
                cause,
                format!("{} {what}, emitting `{}`", name(edge.from), edge.event_type),
            );
            labelled.push(cause);
        }
        let via = cx.anchor(edge.via);
        if !labelled.contains(&via) {
            let how = if edge.pass == Pass::Certain {
                "always matches it"
            } else {
                "may match it"
            };
            diagnostic = diagnostic.with_label(via, format!("{how}, runs {}", name(edge.to)));
            labelled.push(via);
        }
    }
    let mut hops: Vec<String> = cycle
        .iter()
        .take(MAX_LABELLED_HOPS)
        .map(|e| format!("{} emits `{}`", name(e.from), e.event_type))
        .collect();
    if cycle.len() > MAX_LABELLED_HOPS {
        hops.push(format!("{} more hops", cycle.len() - MAX_LABELLED_HOPS));
    }
    let depth = cx.agent.events.max_cascade_depth();
    let events = cx.agent.events.max_cascade_events();
    let hops = hops.join(", then ");
    Some(if certain {
        diagnostic
            .with_note(format!("the cycle: {hops}; nothing on it can stop the chain"))
            .with_help(match closing.event_type {
                "state_change" => "add a filter or condition that excludes the cycle's own events, e.g. `field not_equals` the state field this handler writes",
                "error" => "add a filter that excludes the cycle's own events, e.g. `handler not_equals` the handler that fails",
                "tool_invocation" => "add a filter or condition that excludes the cycle's own events, e.g. `tool_name not_equals` the tool this handler calls",
                _ => "add a filter or condition that excludes the events this cycle emits",
            })
    } else if cycle.iter().any(|e| e.event_type == "error") {
        diagnostic
            .with_note(format!("the cycle: {hops}; it closes whenever a handler on it fails"))
            .with_help(format!("the runtime cuts the chain at `max_cascade_depth` ({depth}) and `max_cascade_events` ({events}); to be sure, filter the `error` subscription so that it excludes this cycle's handlers (`handler not_equals …`)"))
    } else {
        diagnostic
            .with_note(format!("the cycle: {hops}; a condition on it might stop the chain, but not provably"))
            .with_help(format!("the runtime cuts the chain at `max_cascade_depth` ({depth}) and `max_cascade_events` ({events}); to be sure, make the condition exclude the events this cycle emits"))
    })
}

/// The cascade graph with each handler twice: node `2h` is handler `h` run
/// for any event but `error`, node `2h + 1` run for an `error` event. An
/// `error` hop leads to the second kind, and leaves only from the first: the
/// error raised while handling an error is logged, not dispatched.
fn split_by_error(edges: &[Edge]) -> Vec<Edge> {
    let mut split = Vec::with_capacity(edges.len() * 2);
    for edge in edges {
        let into_error = edge.event_type == "error";
        let to = 2 * edge.to + usize::from(into_error);
        for layer in [0, 1] {
            if into_error && layer == 1 {
                continue;
            }
            split.push(Edge {
                from: 2 * edge.from + layer,
                to,
                ..edge.clone()
            });
        }
    }
    split
}

/// Reports every cycle of the cascade graph.
pub(crate) fn check(cx: &mut Context<'_>) {
    let edges = cx.cascade_edges();
    if edges.is_empty() {
        return;
    }
    let mut reported = std::collections::HashSet::new();
    for (rule, mut cycle) in find_cycles(2 * cx.handlers.len(), &split_by_error(&edges)) {
        for edge in &mut cycle {
            edge.from /= 2;
            edge.to /= 2;
        }
        // Two cycles closed by the same subscription or trigger: one report.
        let Some(closing) = cycle.last().map(|e| e.via) else {
            continue;
        };
        if !reported.insert(closing) {
            continue;
        }
        if let Some(diagnostic) = cycle_diagnostic(cx, rule, &cycle) {
            cx.report(diagnostic);
        }
    }
}

/// Whether a trigger has a condition member (true while state holds).
fn reads_state(trigger: &Trigger) -> bool {
    match trigger {
        Trigger::Condition(_) => true,
        Trigger::Composite(c) => c.triggers.value.iter().any(reads_state),
        Trigger::Event(_) | Trigger::Time(_) => false,
    }
}

/// Whether a trigger reads only state (conditions, and composites of them).
fn state_only(trigger: &Trigger) -> bool {
    match trigger {
        Trigger::Condition(_) => true,
        Trigger::Composite(c) => c.triggers.value.iter().all(state_only),
        Trigger::Event(_) | Trigger::Time(_) => false,
    }
}
