use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::sections::{Sections, Unresolved};

declare_rule! {
    /// ## What it does
    /// Reports `document_index_id`, a hierarchy level's `parent_index`, a
    /// `rag_hierarchy` sub-index's `parent`, or an entry of `cross_references.allowed_indices`
    /// that is not the id of a declared RAG index (`rag[].index_id`, or `id` before v2).
    ///
    /// ## Why it matters
    /// The agent would look documents up in an index that does not exist.
    ///
    /// ## Example
    /// ```json
    /// { "rag": [{ "index_id": "docs", "name": "Docs", "rag_type": "vector", "virtual_index_path": "/d", "location_type": "local", "metadata": {} }], "document_index_id": "doc" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "document_index_id": "docs" }
    /// ```
    pub static UNKNOWN_INDEX_REFERENCE = ("ADL316", "unknown-index-reference", Severity::Error, "a reference names a RAG index the agent does not declare");
}

pub(crate) fn check(cx: &mut Sections<'_>) {
    let rag = cx.section("rag");
    let indexes: &[adl_parser::NodeId] = rag.map_or(&[], |rag| cx.items(rag));
    // Declared indexes, and those a `rag_hierarchy` names (its root and sub-indices).
    let mut ids: Vec<&str> = indexes
        .iter()
        .filter_map(|&index| {
            ["index_id", "id"]
                .iter()
                .find_map(|key| cx.text_of(index, key))
                .map(|(id, _)| id)
        })
        .collect();
    let hierarchy = cx
        .section("rag_extensions")
        .and_then(|e| cx.member(e, "rag_hierarchy"));
    let sub_indices: Vec<adl_parser::NodeId> = hierarchy
        .and_then(|h| cx.member(h, "sub_indices"))
        .map(|s| cx.items(s).to_vec())
        .unwrap_or_default();
    if let Some(hierarchy) = hierarchy {
        ids.extend(cx.text_of(hierarchy, "root_index").map(|(name, _)| name));
    }
    ids.extend(
        sub_indices
            .iter()
            .filter_map(|&s| cx.text_of(s, "name").map(|(n, _)| n)),
    );
    let mut references = Vec::new();
    if let Some(node) = cx.section("document_index_id") {
        references.push(node);
    }
    references.extend(sub_indices.iter().filter_map(|&s| cx.member(s, "parent")));
    for &index in indexes {
        if let Some(levels) = cx
            .member(index, "hierarchical_config")
            .and_then(|h| cx.member(h, "levels"))
        {
            references.extend(
                cx.items(levels)
                    .iter()
                    .filter_map(|&l| cx.member(l, "parent_index")),
            );
        }
    }
    if let Some(extensions) = cx.section("rag_extensions") {
        if let Some(cross) = cx.member(extensions, "cross_references") {
            references.extend(
                cx.texts_of(cross, "allowed_indices")
                    .into_iter()
                    .map(|(_, n)| n),
            );
        }
    }
    for node in references {
        // An empty parent is the top of a hierarchy.
        let Some(name) = cx.text(node).filter(|name| !name.is_empty()) else {
            continue;
        };
        if ids.contains(&name) {
            continue;
        }
        let diagnostic = Diagnostic::new(
            &UNKNOWN_INDEX_REFERENCE,
            format!("unknown RAG index `{name}`"),
            cx.span(node),
            cx.pointer(node),
        );
        let unresolved = Unresolved {
            known: &ids,
            known_as: "declared indexes",
            label: "no index has this id",
            help: Some("declare the index in `rag`, or name a declared one"),
        };
        cx.report(unresolved.explain(diagnostic, name));
    }
}
