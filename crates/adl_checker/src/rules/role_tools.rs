use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use super::UNKNOWN_TOOL;
use crate::sections::{Sections, Unresolved};

declare_rule! {
    /// ## What it does
    /// Reports an entry of a role's `forbidden_tools` that is not a declared tool.
    ///
    /// ## Why it matters
    /// Forbidding a tool that does not exist forbids nothing: usually the name is
    /// misspelt and the tool meant stays allowed.
    ///
    /// ## Example
    /// ```json
    /// { "tools": [{ "name": "delete_record", "description": "d", "parameters": [] }], "agent_roles": [{ "role_id": "reader", "constraints": { "forbidden_tools": ["delete_recrd"] } }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "agent_roles": [{ "role_id": "reader", "constraints": { "forbidden_tools": ["delete_record"] } }] }
    /// ```
    pub static UNKNOWN_FORBIDDEN_TOOL = ("ADL313", "unknown-forbidden-tool", Severity::Warning, "a role forbids a tool the agent does not declare");
}

declare_rule! {
    /// ## What it does
    /// Reports a tool both in a role's `allowed_tools` and its `forbidden_tools`, a
    /// capability both in `allowed_capabilities` and `forbidden_capabilities`, or a
    /// domain both in `allowed_domains` and `blocked_domains`.
    ///
    /// ## Why it matters
    /// The two lists contradict each other; which one wins depends on the runtime.
    ///
    /// ## Example
    /// ```json
    /// { "agent_roles": [{ "role_id": "w", "constraints": { "allowed_tools": ["search"], "forbidden_tools": ["search"] } }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "agent_roles": [{ "role_id": "w", "constraints": { "allowed_tools": ["search"] } }] }
    /// ```
    pub static ALLOWED_AND_FORBIDDEN = ("ADL314", "allowed-and-forbidden", Severity::Error, "the same tool, capability or domain is both allowed and forbidden");
}

/// Role tool lists, workflow nodes and array events name declared tools.
pub(crate) fn check(cx: &mut Sections<'_>) {
    let tools = cx.tool_names();
    let declared: Vec<&str> = tools.iter().map(|(name, _)| *name).collect();
    let mut roles: Vec<_> = Vec::new();
    if let Some(list) = cx.section("agent_roles") {
        roles.extend_from_slice(cx.items(list));
    }
    for role in roles {
        let Some(constraints) = cx.member(role, "constraints") else {
            continue;
        };
        let allowed = cx.texts_of(constraints, "allowed_tools");
        let forbidden = cx.texts_of(constraints, "forbidden_tools");
        for &(name, node) in &allowed {
            if !declared.contains(&name) {
                unknown_tool(cx, name, node, &declared, "a role allows it");
            }
        }
        for &(name, node) in &forbidden {
            if !declared.contains(&name) {
                let mut diagnostic = Diagnostic::new(
                    &UNKNOWN_FORBIDDEN_TOOL,
                    format!("the role forbids `{name}`, which is not a declared tool"),
                    cx.span(node),
                    cx.pointer(node),
                )
                .with_primary_label("not a declared tool");
                if let Some(candidate) = adl_parser::suggest(name, declared.iter().copied()) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{candidate}`?"));
                }
                cx.report(diagnostic);
            }
            if let Some(&(_, allowed_node)) = allowed.iter().find(|(a, _)| *a == name) {
                contradiction(cx, "tool", name, allowed_node, node);
            }
        }
        let allowed = cx.texts_of(constraints, "allowed_capabilities");
        for (name, node) in cx.texts_of(constraints, "forbidden_capabilities") {
            if let Some(&(_, allowed_node)) = allowed.iter().find(|(a, _)| *a == name) {
                contradiction(cx, "capability", name, allowed_node, node);
            }
        }
    }
    if let Some(constraints) = cx.section("execution_constraints") {
        for (group, allow, deny) in [
            ("security_constraints", "allowed_domains", "blocked_domains"),
            (
                "capability_negotiation",
                "allowed_capabilities",
                "forbidden_capabilities",
            ),
        ] {
            let Some(group) = cx.member(constraints, group) else {
                continue;
            };
            let allowed = cx.texts_of(group, allow);
            for (name, node) in cx.texts_of(group, deny) {
                if let Some(&(_, allowed_node)) = allowed.iter().find(|(a, _)| *a == name) {
                    contradiction(cx, "domain or capability", name, allowed_node, node);
                }
            }
        }
    }
    // The v1.5 array events' `invoke_tool` actions (reported as a dialect,
    // but their targets still have to exist).
    if let Some(events) = cx.section("events")
        && let Some(items) = adl_parser::document::array_dialect_items(cx.doc, events)
    {
        for &item in items {
            let Some(actions) = cx.member(item, "actions") else {
                continue;
            };
            for &action in cx.items(actions) {
                if cx
                    .text_of(action, "action_type")
                    .is_some_and(|(t, _)| t == "invoke_tool")
                    && let Some((name, node)) = cx.text_of(action, "target")
                    && !declared.contains(&name)
                {
                    unknown_tool(cx, name, node, &declared, "an array event invokes it");
                }
            }
        }
    }
    if let Some(workflow) = cx.workflow()
        && let Some(nodes) = cx.member(workflow, "nodes")
    {
        for member in cx.members(nodes) {
            let Some(config) = cx.member(member.value, "config") else {
                continue;
            };
            for key in ["tool", "tool_name"] {
                if let Some((name, node)) = cx.text_of(config, key)
                    && !declared.contains(&name)
                {
                    unknown_tool(cx, name, node, &declared, "a workflow node calls it");
                }
            }
        }
    }
}

fn unknown_tool(
    cx: &mut Sections<'_>,
    name: &str,
    node: adl_parser::NodeId,
    declared: &[&str],
    why: &str,
) {
    let diagnostic = Diagnostic::new(
        &UNKNOWN_TOOL,
        format!("unknown tool `{name}`"),
        cx.span(node),
        cx.pointer(node),
    );
    let label = format!("{why}, but no tool has this name");
    let unresolved = Unresolved {
        known: declared,
        known_as: "declared tools",
        label: &label,
        help: Some("declare the tool in `tools`, or name one of the declared tools"),
    };
    cx.report(unresolved.explain(diagnostic, name));
}

fn contradiction(
    cx: &mut Sections<'_>,
    what: &str,
    name: &str,
    allowed: adl_parser::NodeId,
    forbidden: adl_parser::NodeId,
) {
    let diagnostic = Diagnostic::new(
        &ALLOWED_AND_FORBIDDEN,
        format!("the {what} `{name}` is both allowed and forbidden"),
        cx.span(forbidden),
        cx.pointer(forbidden),
    )
    .with_primary_label("forbidden here")
    .with_label(cx.span(allowed), "allowed here")
    .with_help(format!("keep `{name}` in one of the two lists"));
    cx.report(diagnostic);
}
