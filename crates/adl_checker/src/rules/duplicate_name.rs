use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::sections::Sections;

declare_rule! {
    /// ## What it does
    /// Reports a name used twice where names must be unique: tool names, parameter
    /// names within a tool, RAG index ids, workflow edge ids, v1.5 role ids and
    /// specialized model names. The label points at the first use.
    ///
    /// ## Why it matters
    /// References by name become ambiguous, and a runtime keeps one of the two
    /// silently.
    ///
    /// ## Example
    /// ```json
    /// { "tools": [{ "name": "search", "description": "a", "parameters": [] }, { "name": "search", "description": "b", "parameters": [] }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "tools": [{ "name": "search_web", "description": "a", "parameters": [] }, { "name": "search_docs", "description": "b", "parameters": [] }] }
    /// ```
    pub static DUPLICATE_NAME = ("ADL315", "duplicate-name", Severity::Error, "two tools, parameters, indexes, edges, roles or models share a name");
}

pub(crate) fn check(cx: &mut Sections<'_>) {
    if let Some(tools) = cx.section("tools") {
        let tools: Vec<_> = cx.items(tools).to_vec();
        unique(cx, &tools, &["name"], "tool");
        for tool in tools {
            if let Some(parameters) = cx.member(tool, "parameters") {
                let parameters = cx.items(parameters).to_vec();
                unique(cx, &parameters, &["name"], "parameter");
            }
        }
    }
    if let Some(rag) = cx.section("rag") {
        let indexes = cx.items(rag).to_vec();
        unique(cx, &indexes, &["index_id", "id"], "index id");
    }
    if let Some(workflow) = cx.workflow()
        && let Some(edges) = cx.member(workflow, "edges")
    {
        let edges = cx.items(edges).to_vec();
        unique(cx, &edges, &["edge_id", "id"], "edge id");
    }
    if let Some(roles) = cx.section("agent_roles") {
        let roles = cx.items(roles).to_vec();
        unique(cx, &roles, &["role_id"], "role id");
    }
    for extensions in [cx.section("llm_extensions"), cx.section("llm_settings")]
        .into_iter()
        .flatten()
    {
        if let Some(models) = cx.member(extensions, "specialized_models") {
            let models = cx.items(models).to_vec();
            unique(cx, &models, &["name"], "specialized model name");
        }
    }
}

/// Reports each element whose name (the first of `keys` it has) an earlier one has.
fn unique(cx: &mut Sections<'_>, elements: &[adl_parser::NodeId], keys: &[&str], what: &str) {
    let mut seen: std::collections::HashMap<&str, adl_parser::NodeId> =
        std::collections::HashMap::with_capacity(elements.len());
    for &element in elements {
        let Some((name, node)) = keys.iter().find_map(|key| cx.text_of(element, key)) else {
            continue;
        };
        if let Some(&first) = seen.get(name) {
            let diagnostic = Diagnostic::new(
                &DUPLICATE_NAME,
                format!("the {what} `{name}` is used twice"),
                cx.span(node),
                cx.pointer(node),
            )
            .with_primary_label("used again here")
            .with_label(cx.span(first), "first used here")
            .with_help(format!("give each {what} its own name"));
            cx.report(diagnostic);
        } else {
            seen.insert(name, node);
        }
    }
}
