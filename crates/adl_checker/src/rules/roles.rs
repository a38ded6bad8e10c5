use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::NodeId;
use adl_parser::json::NodeKind;

use crate::sections::Sections;

declare_rule! {
    /// ## What it does
    /// Reports an agent that takes two roles that exclude each other:
    /// `coordinator` with `worker` (one hands out tasks, the other takes them), or
    /// `supervisor` with `critic` (one approves work, the other reviews it
    /// independently).
    ///
    /// ## Why it matters
    /// A team that routes by role sends the agent its own tasks, or lets it approve
    /// its own critique.
    ///
    /// ## Example
    /// ```json
    /// { "agent_roles": { "primary_role": "coordinator", "secondary_roles": ["worker"] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "agent_roles": { "primary_role": "coordinator", "secondary_roles": ["supervisor"] } }
    /// ```
    pub static INCOMPATIBLE_ROLES = ("ADL325", "incompatible-roles", Severity::Error, "an agent takes two roles that exclude each other");
}

declare_rule! {
    /// ## What it does
    /// Reports role settings at odds with the role: a coordinator that executes
    /// tasks, a worker that modifies configuration, a supervisor or critic that does
    /// either; a secondary role repeating the primary; and, in the v1.5 list, more
    /// than one coordinator.
    ///
    /// ## Why it matters
    /// Hosts that enforce roles refuse the action, or the team's division of work
    /// silently breaks down.
    ///
    /// ## Example
    /// ```json
    /// { "agent_roles": { "primary_role": "coordinator", "constraints": { "can_execute_tasks": true } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "agent_roles": { "primary_role": "coordinator", "constraints": { "can_execute_tasks": false } } }
    /// ```
    pub static ROLE_CONSTRAINT_CONFLICT = ("ADL326", "role-constraint-conflict", Severity::Warning, "role settings at odds with the role");
}

/// Pairs of roles one agent cannot hold together.
const EXCLUSIVE: &[(&str, &str)] = &[("coordinator", "worker"), ("supervisor", "critic")];

/// (constraint, the roles that must not have it set to true).
const FORBIDDEN_POWERS: &[(&str, &[&str])] = &[
    (
        "can_execute_tasks",
        &["coordinator", "supervisor", "critic"],
    ),
    (
        "can_modify_configuration",
        &["worker", "supervisor", "critic"],
    ),
];

pub(crate) fn check(cx: &mut Sections<'_>) {
    let Some(roles) = cx.section("agent_roles") else {
        return;
    };
    match cx.doc.kind(roles) {
        NodeKind::Object(_) => v2(cx, roles),
        NodeKind::Array(_) => coordinators(cx, roles),
        _ => {}
    }
}

fn v2(cx: &mut Sections<'_>, roles: NodeId) {
    let Some((primary, primary_node)) = cx.text_of(roles, "primary_role") else {
        return;
    };
    let secondary = cx.texts_of(roles, "secondary_roles");
    let mut held: Vec<(&str, NodeId)> = vec![(primary, primary_node)];
    for &(role, node) in &secondary {
        if role == primary {
            cx.report(
                Diagnostic::new(
                    &ROLE_CONSTRAINT_CONFLICT,
                    format!("`{role}` is the primary role already"),
                    cx.span(node),
                    cx.pointer(node),
                )
                .with_primary_label("repeats the primary role")
                .with_label(cx.span(primary_node), "the primary role")
                .with_help("remove it from `secondary_roles`"),
            );
            continue;
        }
        if let Some(&(other, other_node)) = held.iter().find(|(h, _)| {
            EXCLUSIVE
                .iter()
                .any(|&(a, b)| (a == role && b == *h) || (b == role && a == *h))
        }) {
            cx.report(
                Diagnostic::new(
                    &INCOMPATIBLE_ROLES,
                    format!("an agent cannot be both `{other}` and `{role}`"),
                    cx.span(node),
                    cx.pointer(node),
                )
                .with_primary_label(format!("excludes `{other}`"))
                .with_label(cx.span(other_node), format!("`{other}` here"))
                .with_help("remove one, and give the other to a second agent of the team"),
            );
        }
        held.push((role, node));
    }
    let Some(constraints) = cx.member(roles, "constraints") else {
        return;
    };
    for &(power, forbidden_for) in FORBIDDEN_POWERS {
        let Some(node) = cx.member(constraints, power) else {
            continue;
        };
        if !matches!(cx.doc.kind(node), NodeKind::Bool(true)) || !forbidden_for.contains(&primary) {
            continue;
        }
        cx.report(
            Diagnostic::new(
                &ROLE_CONSTRAINT_CONFLICT,
                format!("a `{primary}` should not have `{power}`"),
                cx.span(node),
                cx.pointer(node),
            )
            .with_primary_label(format!("at odds with the `{primary}` role"))
            .with_label(cx.span(primary_node), "the primary role")
            .with_help(format!("set `{power}` to false, or change the role")),
        );
    }
}

/// v1.5: more than one coordinator in the role list.
fn coordinators(cx: &mut Sections<'_>, roles: NodeId) {
    let found: Vec<NodeId> = cx
        .items(roles)
        .iter()
        .filter_map(|&role| cx.text_of(role, "role_type"))
        .filter(|(t, _)| t.eq_ignore_ascii_case("coordinator"))
        .map(|(_, node)| node)
        .collect();
    let Some((&first, rest)) = found.split_first() else {
        return;
    };
    for &node in rest {
        cx.report(
            Diagnostic::new(
                &ROLE_CONSTRAINT_CONFLICT,
                "a second coordinator role",
                cx.span(node),
                cx.pointer(node),
            )
            .with_primary_label("another coordinator")
            .with_label(cx.span(first), "the first coordinator")
            .with_help("keep one coordinator; give the other role another type"),
        );
    }
}
