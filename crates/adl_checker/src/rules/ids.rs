use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::NodeId;
use adl_parser::document::Version;

use crate::sections::Sections;

declare_rule! {
    /// ## What it does
    /// Reports, from v2 on, an `id` on a RAG index, the workflow, a workflow edge or
    /// the policy, where v2 names it `index_id`, `workflow_id`, `edge_id` or
    /// `policy_id`.
    ///
    /// ## Why it matters
    /// v2 tools read the new names; the old one is kept only for reading old files.
    ///
    /// ## Example
    /// ```json
    /// { "rag": [{ "id": "docs", "name": "Docs", "rag_type": "vector", "virtual_index_path": "/docs", "location_type": "local", "metadata": {} }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "rag": [{ "index_id": "docs", "name": "Docs", "rag_type": "vector", "virtual_index_path": "/docs", "location_type": "local", "metadata": {} }] }
    /// ```
    pub static DEPRECATED_FIELD = ("ADL317", "deprecated-field", Severity::Warning, "an entity's `id` written the pre-v2 way");
}

declare_rule! {
    /// ## What it does
    /// Reports a hierarchical id (`AGENT:workflow`, `AGENT:index`) whose first part
    /// is not the agent's id (or, without one, its name), and an edge id with `:`
    /// that is not under its workflow's id (`AGENT:workflow:edge-1`).
    ///
    /// ## Why it matters
    /// Hierarchical ids are unique across agents only when they start with the
    /// agent's own id; a copied file keeps the old agent's.
    ///
    /// ## Example
    /// ```json
    /// { "agent_id": "billing", "workflow": { "workflow_id": "support:main", "name": "w", "version": "1.0.0", "nodes": {}, "edges": [] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "agent_id": "billing", "workflow": { "workflow_id": "billing:main", "name": "w", "version": "1.0.0", "nodes": {}, "edges": [] } }
    /// ```
    pub static ID_PREFIX_MISMATCH = ("ADL318", "id-prefix-mismatch", Severity::Warning, "a hierarchical id does not start with its owner's id");
}

declare_rule! {
    /// ## What it does
    /// Reports an agent id that is neither a UUID nor a slug
    /// (`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`) (opt-in).
    ///
    /// ## Why it matters
    /// Agent ids end up in URLs, subjects and file names, where spaces, `:` and
    /// `/` need escaping or break hierarchical ids.
    ///
    /// ## Example
    /// ```json
    /// { "agent_id": "Support Agent #1" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "agent_id": "support-agent-1" }
    /// ```
    pub static AGENT_ID_FORMAT = ("ADL319", "agent-id-format", Severity::Warning, "an agent id that is neither a UUID nor a slug", opt_in);
}

declare_rule! {
    /// ## What it does
    /// Reports whitespace in an entity id: a RAG index, workflow, node, edge, policy
    /// or role id (opt-in).
    ///
    /// ## Why it matters
    /// Ids are compared exactly; a trailing space makes two ids differ that look
    /// the same, and spaces need quoting wherever ids are typed.
    ///
    /// ## Example
    /// ```json
    /// { "nodes": { "Fetch Orders": { "type": "input" } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "nodes": { "fetch-orders": { "type": "input", "label": "Fetch Orders" } } }
    /// ```
    pub static ID_WHITESPACE = ("ADL320", "id-whitespace", Severity::Warning, "an entity id holds whitespace", opt_in);
}

/// One entity that has an id: its object, its v2 id key, and what it is.
struct Entity {
    object: NodeId,
    key: &'static str,
    what: &'static str,
}

pub(crate) fn check(cx: &mut Sections<'_>) {
    let mut entities = Vec::new();
    if let Some(rag) = cx.section("rag") {
        for &index in cx.items(rag) {
            entities.push(Entity {
                object: index,
                key: "index_id",
                what: "a RAG index",
            });
        }
    }
    let workflow = cx.workflow();
    if let Some(workflow) = workflow {
        entities.push(Entity {
            object: workflow,
            key: "workflow_id",
            what: "the workflow",
        });
        if let Some(edges) = cx.member(workflow, "edges") {
            for &edge in cx.items(edges) {
                entities.push(Entity {
                    object: edge,
                    key: "edge_id",
                    what: "an edge",
                });
            }
        }
    }
    if let Some(policy) = cx
        .section("policy")
        .filter(|&p| cx.doc.members(p).is_some())
    {
        entities.push(Entity {
            object: policy,
            key: "policy_id",
            what: "the policy",
        });
    }

    for entity in &entities {
        deprecated(cx, entity);
    }
    prefixes(cx, &entities, workflow);
    if cx.reports(&AGENT_ID_FORMAT) {
        agent_id_format(cx);
    }
    if cx.reports(&ID_WHITESPACE) {
        whitespace(cx, &entities, workflow);
    }
}

/// The id of `entity`: its v2 key, else `id`.
fn id_of<'a>(cx: &Sections<'a>, entity: &Entity) -> Option<(&'a str, NodeId)> {
    cx.text_of(entity.object, entity.key)
        .or_else(|| cx.text_of(entity.object, "id"))
}

fn deprecated(cx: &mut Sections<'_>, entity: &Entity) {
    if cx.info.version < Version::V2 {
        return;
    }
    let Some(member) = cx.doc.member(entity.object, "id") else {
        return;
    };
    let both = cx.member(entity.object, entity.key).is_some();
    let key = entity.key;
    let diagnostic = Diagnostic::new(
        &DEPRECATED_FIELD,
        format!("`id` on {} is the pre-v2 name of `{key}`", entity.what),
        member.key_span,
        cx.pointer(member.value),
    )
    .with_primary_label(format!("deprecated: `{key}`"));
    cx.report(if both {
        diagnostic.with_help(format!("remove `id`: `{key}` is already given"))
    } else {
        diagnostic.with_help(format!("rename `id` to `{key}`"))
    });
}

/// The agent's own id (`agent_id`, `id`, else `name`), for hierarchical ids.
fn owner<'a>(cx: &Sections<'a>) -> Option<(&'a str, &'static str)> {
    for key in ["agent_id", "id", "name"] {
        if let Some(text) = cx.section(key).and_then(|n| cx.text(n)) {
            return Some((text, key));
        }
    }
    None
}

fn prefixes(cx: &mut Sections<'_>, entities: &[Entity], workflow: Option<NodeId>) {
    let owner = owner(cx);
    let workflow_id = workflow.and_then(|w| {
        id_of(
            cx,
            &Entity {
                object: w,
                key: "workflow_id",
                what: "",
            },
        )
    });
    for entity in entities {
        let Some((id, node)) = id_of(cx, entity) else {
            continue;
        };
        let Some((head, _)) = id.split_once(':') else {
            continue;
        };
        if entity.key == "edge_id" {
            let Some((workflow_id, workflow_node)) = workflow_id else {
                continue;
            };
            if id
                .strip_prefix(workflow_id)
                .is_some_and(|rest| rest.starts_with(':'))
            {
                continue;
            }
            cx.report(
                Diagnostic::new(
                    &ID_PREFIX_MISMATCH,
                    format!("the edge id `{id}` is not under the workflow's id `{workflow_id}`"),
                    cx.span(node),
                    cx.pointer(node),
                )
                .with_primary_label(format!("expected `{workflow_id}:…`"))
                .with_label(cx.span(workflow_node), "the workflow's id")
                .with_help(format!("start the edge id with `{workflow_id}:`")),
            );
            continue;
        }
        let Some((owner, owner_key)) = owner else {
            continue;
        };
        if head == owner {
            continue;
        }
        let span = cx.doc.string_subspan(node, 0, head.len());
        cx.report(
            Diagnostic::new(
                &ID_PREFIX_MISMATCH,
                format!(
                    "the id of {} starts with `{head}`, not the agent's {} `{owner}`",
                    entity.what,
                    if owner_key == "name" { "name" } else { "id" }
                ),
                span,
                cx.pointer(node),
            )
            .with_primary_label(format!("expected `{owner}`"))
            .with_help(format!(
                "start it with `{owner}:` (a copied file keeps the old agent's id)"
            )),
        );
    }
}

fn is_slug(id: &str) -> bool {
    let mut chars = id.chars();
    id.len() <= 100
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn agent_id_format(cx: &mut Sections<'_>) {
    let Some((id, node)) = ["agent_id", "id"]
        .iter()
        .find_map(|key| cx.section(key).and_then(|n| Some((cx.text(n)?, n))))
    else {
        return;
    };
    // A UUID is also a slug.
    if is_slug(id) {
        return;
    }
    cx.report(
        Diagnostic::new(
            &AGENT_ID_FORMAT,
            format!("the agent id `{id}` is neither a UUID nor a slug"),
            cx.span(node),
            cx.pointer(node),
        )
        .with_primary_label("not a slug")
        .with_help(
            "use letters, digits, `_`, `.` and `-`, starting with a letter or digit (at most 100)",
        ),
    );
}

fn whitespace(cx: &mut Sections<'_>, entities: &[Entity], workflow: Option<NodeId>) {
    let mut ids: Vec<(NodeId, &str)> = Vec::new();
    for entity in entities {
        if let Some((_, node)) = id_of(cx, entity) {
            ids.push((node, entity.what));
        }
    }
    if let Some(roles) = cx.section("agent_roles") {
        for &role in cx.items(roles) {
            if let Some((_, node)) = cx.text_of(role, "role_id") {
                ids.push((node, "a role"));
            }
        }
    }
    for (node, what) in ids {
        if let Some(text) = cx.text(node)
            && text.chars().any(char::is_whitespace)
        {
            report_whitespace(cx, cx.span(node), cx.pointer(node), what, text);
        }
    }
    // Node ids are the keys of `nodes`.
    if let Some(nodes) = workflow.and_then(|w| cx.member(w, "nodes")) {
        let keys: Vec<_> = cx
            .members(nodes)
            .iter()
            .filter(|m| m.key.chars().any(char::is_whitespace))
            .map(|m| (m.key_span, cx.pointer(m.value), m.key.to_string()))
            .collect();
        for (span, pointer, key) in keys {
            report_whitespace(cx, span, pointer, "a node", &key);
        }
    }
}

fn report_whitespace(
    cx: &mut Sections<'_>,
    span: adl_diagnostics::Span,
    pointer: String,
    what: &str,
    id: &str,
) {
    let slug: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    cx.report(
        Diagnostic::new(
            &ID_WHITESPACE,
            format!("the id of {what} `{id}` holds whitespace"),
            span,
            pointer,
        )
        .with_primary_label("whitespace in an id")
        .with_help(format!(
            "use `{slug}` as the id, and keep the words in a `label` or `name`"
        )),
    );
}
