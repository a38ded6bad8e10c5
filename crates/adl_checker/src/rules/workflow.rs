use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use adl_parser::NodeId;

use crate::sections::{Sections, Unresolved};

declare_rule! {
    /// ## What it does
    /// Reports an edge whose `source` or `target` is not a key of the workflow's
    /// `nodes`, with the closest node as a suggestion.
    ///
    /// ## Why it matters
    /// The workflow engine cannot follow the edge; the node it meant is never reached.
    ///
    /// ## Example
    /// ```json
    /// { "workflow": { "name": "w", "version": "1.0.0", "nodes": { "fetch": { "type": "input" }, "store": { "type": "output" } }, "edges": [{ "source": "fetch", "target": "stor" }] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "edges": [{ "source": "fetch", "target": "store" }] }
    /// ```
    pub static UNKNOWN_NODE = ("ADL510", "unknown-node", Severity::Error, "a workflow edge starts or ends at a node that does not exist");
}

declare_rule! {
    /// ## What it does
    /// Reports a directed cycle among a workflow's edges (every relation counts, loop
    /// backs too), at the edge that closes it, with a label on every edge of the cycle
    /// and its path in the message.
    ///
    /// ## Why it matters
    /// A workflow is a directed acyclic graph: an engine that runs it in dependency
    /// order never starts a node on a cycle, or runs it forever.
    ///
    /// ## Example
    /// ```json
    /// { "workflow": { "name": "w", "version": "1.0.0", "nodes": { "a": { "type": "action" }, "b": { "type": "action" } }, "edges": [{ "source": "a", "target": "b" }, { "source": "b", "target": "a" }] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "edges": [{ "source": "a", "target": "b" }] }
    /// ```
    pub static WORKFLOW_CYCLE = ("ADL511", "workflow-cycle", Severity::Error, "the workflow's edges form a cycle");
}

declare_rule! {
    /// ## What it does
    /// Reports a workflow whose `nodes` object is empty.
    ///
    /// ## Why it matters
    /// There is nothing to run; usually the nodes were written elsewhere.
    ///
    /// ## Example
    /// ```json
    /// { "workflow": { "name": "w", "version": "1.0.0", "nodes": {}, "edges": [] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "workflow": { "name": "w", "version": "1.0.0", "nodes": { "start": { "type": "trigger" } }, "edges": [] } }
    /// ```
    pub static EMPTY_WORKFLOW = ("ADL512", "empty-workflow", Severity::Error, "a workflow has no nodes");
}

declare_rule! {
    /// ## What it does
    /// Reports an edge whose `target` is a node of type `trigger`.
    ///
    /// ## Why it matters
    /// Triggers start a workflow from outside; nothing inside it can start them, so
    /// the edge never carries anything.
    ///
    /// ## Example
    /// ```json
    /// { "edges": [{ "source": "notify", "target": "start" }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "edges": [{ "source": "start", "target": "notify" }] }
    /// ```
    pub static TRIGGER_HAS_INCOMING = ("ADL513", "trigger-has-incoming", Severity::Error, "an edge leads into a trigger node");
}

declare_rule! {
    /// ## What it does
    /// Reports workflow graphs that load but are likely wrong: an edge leaving an
    /// `output` node, a `condition` (or `decision`) node with fewer than two
    /// outgoing edges, and a node with no edges at all among several nodes
    /// (annotations excepted).
    ///
    /// ## Why it matters
    /// Outputs end a path; a condition with one branch decides nothing; an
    /// unconnected node never runs.
    ///
    /// ## Example
    /// ```json
    /// { "nodes": { "in": { "type": "input" }, "check": { "type": "condition" }, "out": { "type": "output" } }, "edges": [{ "source": "in", "target": "check" }, { "source": "check", "target": "out" }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "nodes": { "in": { "type": "input" }, "check": { "type": "condition" }, "ok": { "type": "output" }, "fail": { "type": "output" } }, "edges": [{ "source": "in", "target": "check" }, { "source": "check", "target": "ok" }, { "source": "check", "target": "fail" }] }
    /// ```
    pub static WORKFLOW_SHAPE = ("ADL514", "workflow-shape", Severity::Warning, "a workflow node whose edges look wrong");
}

declare_rule! {
    /// ## What it does
    /// Reports an `id` inside a workflow node: a warning when it repeats the node's
    /// key, an error when it differs (the key is the node's id; edges use it).
    ///
    /// ## Why it matters
    /// With two ids, tools disagree on which one edges name.
    ///
    /// ## Example
    /// ```json
    /// { "nodes": { "fetch": { "id": "fetch-orders", "type": "input" } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "nodes": { "fetch": { "type": "input" } } }
    /// ```
    pub static REDUNDANT_NODE_ID = ("ADL515", "redundant-node-id", Severity::Warning, "a workflow node repeats or contradicts its key with an `id`");
}

pub(crate) fn check(cx: &mut Sections<'_>) {
    let Some(workflow) = cx.workflow() else {
        return;
    };
    let Some(nodes) = cx.member(workflow, "nodes") else {
        return;
    };
    if cx.doc.members(nodes).is_some_and(<[_]>::is_empty) {
        cx.report(
            Diagnostic::new(
                &EMPTY_WORKFLOW,
                "the workflow has no nodes",
                cx.anchor(nodes),
                cx.pointer(nodes),
            )
            .with_primary_label("empty")
            .with_help("add the workflow's nodes, keyed by their ids"),
        );
        return;
    }
    let names: Vec<&str> = cx.members(nodes).iter().map(|m| &*m.key).collect();
    let triggers: Vec<&str> = cx
        .members(nodes)
        .iter()
        .filter(|m| {
            cx.text_of(m.value, "type")
                .is_some_and(|(t, _)| t == "trigger")
        })
        .map(|m| &*m.key)
        .collect();
    // (source index, target index, edge node) of every edge whose ends exist.
    let mut graph: Vec<(usize, usize, NodeId)> = Vec::new();
    let mut unresolved_ends = false;
    let edges = cx
        .member(workflow, "edges")
        .map(|e| cx.items(e).to_vec())
        .unwrap_or_default();
    for edge in edges {
        let mut ends = [None, None];
        for (slot, key) in ["source", "target"].iter().enumerate() {
            let Some((name, node)) = cx.text_of(edge, key) else {
                continue;
            };
            if let Some(index) = names.iter().position(|n| *n == name) {
                ends[slot] = Some(index);
            } else {
                unresolved_ends = true;
                unknown_node(cx, name, node, &names, key);
            }
        }
        if let Some((target, node)) = cx.text_of(edge, "target")
            && triggers.contains(&target)
        {
            cx.report(
                Diagnostic::new(
                    &TRIGGER_HAS_INCOMING,
                    format!("an edge leads into the trigger `{target}`"),
                    cx.span(node),
                    cx.pointer(node),
                )
                .with_primary_label("a trigger node")
                .with_help("triggers only start a workflow: reverse the edge, or make the target another kind of node"),
            );
        }
        if let [Some(source), Some(target)] = ends {
            graph.push((source, target, edge));
        }
    }
    if let Some(cycle) = find_cycle(names.len(), &graph) {
        report_cycle(cx, &names, &graph, &cycle);
    }
    node_ids(cx, nodes);
    // An edge with a misspelled end is reported once, not also as a node left unconnected.
    shape(cx, nodes, &graph, !unresolved_ends);
}

fn node_ids(cx: &mut Sections<'_>, nodes: NodeId) {
    let found: Vec<(String, NodeId, adl_diagnostics::Span)> = cx
        .members(nodes)
        .iter()
        .filter_map(|m| {
            let (id, node) = cx.text_of(m.value, "id")?;
            (id != &*m.key).then_some(())?;
            Some((m.key.to_string(), node, m.key_span))
        })
        .collect();
    for (key, node, key_span) in found {
        let id = cx.text(node).unwrap_or_default();
        cx.report(
            Diagnostic::new(
                &REDUNDANT_NODE_ID,
                format!("the node `{key}` says its id is `{id}`"),
                cx.span(node),
                cx.pointer(node),
            )
            .with_severity(Severity::Error)
            .with_primary_label("a second id")
            .with_label(key_span, "the node's id is its key")
            .with_help(format!(
                "remove `id` (edges name the node `{key}`), or rename the key to `{id}`"
            )),
        );
    }
    let repeated: Vec<NodeId> = cx
        .members(nodes)
        .iter()
        .filter_map(|m| {
            let (id, node) = cx.text_of(m.value, "id")?;
            (id == &*m.key).then_some(node)
        })
        .collect();
    for node in repeated {
        let member = cx.doc.member_of(node).map_or(cx.span(node), |m| m.key_span);
        cx.report(
            Diagnostic::new(
                &REDUNDANT_NODE_ID,
                "the node's `id` repeats its key",
                member,
                cx.pointer(node),
            )
            .with_primary_label("redundant")
            .with_help("remove `id`: the key is the node's id"),
        );
    }
}

/// The type of the node at `index` among `nodes`' members.
fn node_type<'a>(cx: &Sections<'a>, nodes: NodeId, index: usize) -> Option<&'a str> {
    let member = cx.members(nodes).get(index)?;
    cx.text_of(member.value, "type").map(|(t, _)| t)
}

fn shape(
    cx: &mut Sections<'_>,
    nodes: NodeId,
    graph: &[(usize, usize, NodeId)],
    edges_resolved: bool,
) {
    let members: Vec<(String, adl_diagnostics::Span, String)> = cx
        .members(nodes)
        .iter()
        .map(|m| (m.key.to_string(), m.key_span, cx.pointer(m.value)))
        .collect();
    for &(source, _, edge) in graph {
        if node_type(cx, nodes, source) == Some("output") {
            let name = &members[source].0;
            let at = cx.member(edge, "source").unwrap_or(edge);
            cx.report(
                Diagnostic::new(
                    &WORKFLOW_SHAPE,
                    format!("an edge leaves the output node `{name}`"),
                    cx.span(at),
                    cx.pointer(at),
                )
                .with_primary_label("an output node")
                .with_help("outputs end a path: make the node an `action`, or remove the edge"),
            );
        }
    }
    for (index, (name, span, pointer)) in members.iter().enumerate() {
        let kind = node_type(cx, nodes, index);
        let out = graph.iter().filter(|(s, _, _)| *s == index).count();
        let touching = graph
            .iter()
            .filter(|(s, t, _)| *s == index || *t == index)
            .count();
        if edges_resolved && matches!(kind, Some("condition" | "decision")) && out < 2 {
            cx.report(
                Diagnostic::new(
                    &WORKFLOW_SHAPE,
                    format!(
                        "the condition node `{name}` has {out} outgoing edge{}",
                        if out == 1 { "" } else { "s" }
                    ),
                    *span,
                    pointer.clone(),
                )
                .with_primary_label("fewer than two branches")
                .with_help("add an edge for each outcome, or make the node an `action`"),
            );
        } else if edges_resolved && touching == 0 && members.len() > 1 && kind != Some("annotation")
        {
            cx.report(
                Diagnostic::new(
                    &WORKFLOW_SHAPE,
                    format!("the node `{name}` has no edges"),
                    *span,
                    pointer.clone(),
                )
                .with_primary_label("never reached")
                .with_help("connect it with an edge, or remove it"),
            );
        }
    }
}

fn unknown_node(cx: &mut Sections<'_>, name: &str, node: NodeId, names: &[&str], end: &str) {
    let diagnostic = Diagnostic::new(
        &UNKNOWN_NODE,
        format!("the edge's {end} `{name}` is not a node of the workflow"),
        cx.span(node),
        cx.pointer(node),
    );
    let unresolved = Unresolved {
        known: names,
        known_as: "nodes",
        label: "no node has this id",
        help: None,
    };
    cx.report(unresolved.explain(diagnostic, name));
}

/// The edges (indexes into `graph`) of one directed cycle, in order, if any.
fn find_cycle(nodes: usize, graph: &[(usize, usize, NodeId)]) -> Option<Vec<usize>> {
    // Iterative depth-first search; `state`: 0 new, 1 on the path, 2 done.
    let mut state = vec![0_u8; nodes];
    for start in 0..nodes {
        if state[start] != 0 {
            continue;
        }
        // (node, next edge to try, edge that entered it)
        let mut path: Vec<(usize, usize, Option<usize>)> = vec![(start, 0, None)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next, _)) = path.last_mut() {
            let found = (*next..graph.len()).find(|&e| graph[e].0 == node);
            let Some(edge) = found else {
                state[node] = 2;
                path.pop();
                continue;
            };
            *next = edge + 1;
            let target = graph[edge].1;
            match state[target] {
                0 => {
                    state[target] = 1;
                    path.push((target, 0, Some(edge)));
                }
                1 => {
                    // The cycle: the path's edges from `target` on, then `edge`.
                    let from = path.iter().position(|(n, _, _)| *n == target).unwrap_or(0);
                    let mut cycle: Vec<usize> =
                        path[from + 1..].iter().filter_map(|(_, _, e)| *e).collect();
                    cycle.push(edge);
                    return Some(cycle);
                }
                _ => {}
            }
        }
    }
    None
}

fn report_cycle(
    cx: &mut Sections<'_>,
    names: &[&str],
    graph: &[(usize, usize, NodeId)],
    cycle: &[usize],
) {
    let Some(&closing) = cycle.last() else { return };
    let mut path: Vec<&str> = cycle.iter().map(|&e| names[graph[e].0]).collect();
    path.push(names[graph[closing].1]);
    let closing_edge = graph[closing].2;
    let mut diagnostic = Diagnostic::new(
        &WORKFLOW_CYCLE,
        format!("the workflow has a cycle: {}", path.join(" → ")),
        cx.anchor(closing_edge),
        cx.pointer(closing_edge),
    )
    .with_primary_label("this edge closes the cycle")
    .with_help("remove one edge of the cycle; repeat work with a `loop` node instead");
    for &edge in &cycle[..cycle.len() - 1] {
        let (source, target, node) = graph[edge];
        diagnostic = diagnostic.with_label(
            cx.anchor(node),
            format!("{} → {}", names[source], names[target]),
        );
    }
    cx.report(diagnostic);
}
