//! The whole agent document: its version, its layout, where each section
//! is, and the structural checks of every section outside `events` (which
//! has a reader of its own).
//!
//! A document that holds nothing but `events` and `tools` (at the top level
//! or in `capabilities`) is an *events fragment*: it is checked as the
//! events contract describes, without the identity an agent file needs.
//! A document with no key only agent definitions have (a `package.json`
//! passed along) is not judged. Anything else is an agent document and every
//! section is checked.

mod dialect;
pub mod sections;
pub mod shape;

use std::collections::BTreeMap;
use std::fmt;

use adl_diagnostics::{Diagnostic, Severity};

use crate::json::{Document, NodeId, NodeKind};
use crate::rules::{
    CONFLICTING_ID, CONFLICTING_LAYOUTS, DEPRECATED_ID, MISSING_AGENT_ID, MISSING_FIELD,
    MISSING_SCHEMA_VERSION, MISSING_TOOLS, NONSTANDARD_SHAPE, SCHEMA_VERSION_MISMATCH,
    UNSUPPORTED_SCHEMA_VERSION,
};
use shape::{Walker, anchor};

pub use dialect::{array_dialect_items, events_array_dialect};

/// A version of the agent document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V1,
    V1_5,
    V2,
    V3,
}

impl Version {
    pub(crate) const fn bit(self) -> u8 {
        match self {
            Version::V1 => 1,
            Version::V1_5 => 2,
            Version::V2 => 4,
            Version::V3 => 8,
        }
    }

    /// The `schema_version` that declares it.
    pub const fn schema_version(self) -> &'static str {
        match self {
            Version::V1 => "1.0.0",
            Version::V1_5 => "1.5.0",
            Version::V2 => "2.0.0",
            Version::V3 => "3.0.0",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::V1 => "v1",
            Version::V1_5 => "v1.5",
            Version::V2 => "v2",
            Version::V3 => "v3",
        })
    }
}

/// Where a document keeps its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Every section at the top level.
    Flat,
    /// Sections in `identity`, `llm`, `capabilities`, `governance`, `orchestration`.
    Grouped,
}

/// How the version was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    /// `schema_version` says so.
    Declared(NodeId),
    /// A key or shape only that version has, at this node.
    Marker { node: NodeId, why: &'static str },
    /// Nothing newer than v1 was found.
    Default,
}

/// What kind of document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// No key of an agent definition at all (a `package.json` passed along
    /// with agent files): only its syntax is checked.
    NotAnAgent,
    /// Only `events` and `tools`: checked by the events contract alone.
    EventsFragment,
    /// A whole agent definition: every section is checked.
    Agent,
}

/// The document's version, layout and where each section is.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentInfo {
    pub kind: DocumentKind,
    pub version: Version,
    pub source: VersionSource,
    pub layout: Layout,
    /// Section (by its flat name: `tools`, `llm_settings`, `workflow`…) → node.
    pub sections: BTreeMap<&'static str, NodeId>,
}

impl DocumentInfo {
    pub fn section(&self, name: &str) -> Option<NodeId> {
        self.sections.get(name).copied()
    }
}

/// Each section's flat name, and its group in the grouped layout with its key there.
const PLACES: &[(&str, &str, &str)] = &[
    ("agent_id", "identity", "agent_id"),
    ("id", "identity", "id"),
    ("name", "identity", "name"),
    ("description", "identity", "description"),
    ("version", "identity", "version"),
    ("version_string", "identity", "version_string"),
    ("lifecycle", "identity", "lifecycle"),
    ("owner", "identity", "owner"),
    ("llm", "llm", "provider"),
    ("llm_settings", "llm", "settings"),
    ("llm_extensions", "llm", "extensions"),
    ("tools", "capabilities", "tools"),
    ("rag", "capabilities", "rag"),
    ("memory", "capabilities", "memory"),
    ("document_index_id", "capabilities", "document_index_id"),
    (
        "execution_constraints",
        "capabilities",
        "execution_constraints",
    ),
    ("events", "capabilities", "events"),
    ("rag_extensions", "capabilities", "rag_extensions"),
    ("memory_extensions", "capabilities", "memory_extensions"),
    ("compatibility", "governance", "compatibility"),
    ("change_log", "governance", "change_log"),
    ("permissions", "governance", "permissions"),
    ("audit", "governance", "audit"),
    ("policy", "governance", "policy"),
    ("policy", "orchestration", "policy"),
    ("workflow", "orchestration", "workflow"),
    ("role", "orchestration", "role"),
    ("agent_roles", "orchestration", "agent_roles"),
];

/// Top-level keys only an agent definition has: with none of them a JSON
/// object is not judged (`name`, `version` or `description` alone are any
/// package's).
pub const AGENT_KEYS: [&str; 28] = [
    "schema_version",
    "agent_id",
    "version_string",
    "lifecycle",
    "llm",
    "llm_settings",
    "llm_extensions",
    "role",
    "tools",
    "rag",
    "memory",
    "document_index_id",
    "execution_constraints",
    "events",
    "rag_extensions",
    "memory_extensions",
    "compatibility",
    "change_log",
    "permissions",
    "audit",
    "policy",
    "workflow",
    "agent_roles",
    "identity",
    "capabilities",
    "governance",
    "orchestration",
    "metadata",
];

/// Reads the document's version and layout and checks every section but
/// `events`. `events_dialect` is whether `events` is the array dialect.
pub(crate) fn read_document(doc: &Document, root: NodeId) -> (DocumentInfo, Vec<Diagnostic>) {
    let mut walker = Walker {
        doc,
        version: Version::V1,
        diagnostics: Vec::new(),
    };
    let members = doc.members(root).unwrap_or_default();
    let group = |name: &str| {
        doc.member(root, name)
            .map(|m| m.value)
            .filter(|&n| doc.members(n).is_some())
    };
    let llm_is_group = doc
        .member(root, "llm")
        .is_some_and(|m| doc.members(m.value).is_some());
    let layout = if ["identity", "capabilities", "orchestration"]
        .iter()
        .any(|g| group(g).is_some())
        || llm_is_group
    {
        Layout::Grouped
    } else {
        Layout::Flat
    };

    let sections = locate(&mut walker, root, llm_is_group);
    let fragment = members.iter().all(|m| {
        m.key.starts_with("x-")
            || &*m.key == "events"
            || &*m.key == "tools"
            || (&*m.key == "capabilities"
                && doc.members(m.value).is_some_and(|inner| {
                    inner.iter().all(|i| {
                        i.key.starts_with("x-") || &*i.key == "events" || &*i.key == "tools"
                    })
                }))
    });
    let agent_like = AGENT_KEYS.iter().any(|key| doc.member(root, key).is_some());
    let kind = if fragment {
        DocumentKind::EventsFragment
    } else if agent_like {
        DocumentKind::Agent
    } else {
        DocumentKind::NotAnAgent
    };

    let (inferred, marker) = infer(doc, root, &sections, layout);
    let declared = doc.member(root, "schema_version").map(|m| m.value);
    let declared_version = declared.and_then(|node| declared_version(doc, node));
    let (version, source) = match (declared, &declared_version) {
        (Some(node), Some(Ok(version))) => (*version, VersionSource::Declared(node)),
        (Some(node), Some(Err(major))) => {
            walker.push(
                Diagnostic::new(
                    &UNSUPPORTED_SCHEMA_VERSION,
                    format!("schema version {major} is not one adl knows"),
                    doc.span(node),
                    doc.pointer(node),
                )
                .with_primary_label("not 1.x, 2.x or 3.x")
                .with_help(format!(
                    "declare `{}` (the version this file's keys suggest), or leave `schema_version` out",
                    inferred.schema_version()
                ))
                .with_note(format!(
                    "the file is checked as {inferred}, the version its keys suggest"
                )),
            );
            (inferred, marker.clone())
        }
        _ => (inferred, marker.clone()),
    };
    walker.version = version;
    let info = DocumentInfo {
        kind,
        version,
        source,
        layout,
        sections,
    };
    if kind != DocumentKind::Agent {
        return (info, walker.diagnostics);
    }

    walker.object(root, &sections::ROOT);
    if let (Some(node), Some(Ok(declared))) = (declared, declared_version)
        && inferred > declared
    {
        walker.push(version_mismatch(doc, node, declared, inferred, &marker));
    }
    if declared.is_none() {
        walker.push(missing_schema_version(doc, root, &info));
    }
    required_sections(&mut walker, root, &info);
    identity(&mut walker, &info);
    dialect_shapes(&mut walker, &info);
    (info, walker.diagnostics)
}

/// Where each section is (a section at two places is reported once, and
/// read at the top level).
fn locate(
    walker: &mut Walker<'_>,
    root: NodeId,
    llm_is_group: bool,
) -> BTreeMap<&'static str, NodeId> {
    let doc = walker.doc;
    let group = |name: &str| {
        doc.member(root, name)
            .map(|m| m.value)
            .filter(|&n| doc.members(n).is_some())
    };
    let mut sections = BTreeMap::new();
    for &(name, group_name, key) in PLACES {
        let flat = doc
            .member(root, name)
            .map(|m| m.value)
            .filter(|_| !(name == "llm" && llm_is_group));
        let grouped = group(group_name)
            .and_then(|g| doc.member(g, key))
            .map(|m| m.value);
        let found = match (flat, grouped) {
            (Some(flat), Some(grouped)) => {
                if name != "events" && name != "tools" {
                    walker.push(conflicting(doc, name, group_name, key, flat, grouped));
                }
                Some(flat)
            }
            (one, other) => one.or(other),
        };
        if let Some(node) = found {
            sections.entry(name).or_insert(node);
        }
    }

    sections
}

fn conflicting(
    doc: &Document,
    name: &str,
    group: &str,
    key: &str,
    flat: NodeId,
    grouped: NodeId,
) -> Diagnostic {
    let key_span = |node| doc.member_of(node).map_or(doc.span(node), |m| m.key_span);
    Diagnostic::new(
        &CONFLICTING_LAYOUTS,
        format!("`{name}` is defined both at the top level and in `{group}`"),
        key_span(grouped),
        doc.pointer(grouped),
    )
    .with_primary_label(format!("`{group}.{key}` here"))
    .with_label(key_span(flat), format!("top-level `{name}` here"))
    .with_note(format!(
        "adl reads the top-level `{name}`; the other would be silently ignored"
    ))
    .with_help(format!("keep one `{name}`"))
}

/// `Ok(version)` for a known `N.N.N`, `Err(major)` for another major, `None`
/// when it is not `N.N.N` at all (the shape check reports that).
fn declared_version(doc: &Document, node: NodeId) -> Option<Result<Version, String>> {
    let NodeKind::String(text) = doc.kind(node) else {
        return None;
    };
    if !sections::is_semver(text) {
        return None;
    }
    let mut parts = text.split('.');
    let major = parts.next().unwrap_or_default();
    let minor_at_least_5 = parts
        .next()
        .and_then(|minor| minor.parse::<u64>().ok())
        .is_none_or(|minor| minor >= 5);
    // Leading zeros are still the same number (`01.0.0` is 1.0.0).
    Some(match major.trim_start_matches('0') {
        "1" if minor_at_least_5 => Ok(Version::V1_5),
        "1" => Ok(Version::V1),
        "2" => Ok(Version::V2),
        "3" => Ok(Version::V3),
        _ => Err(major.to_owned()),
    })
}

/// The highest version whose marker the document holds, and the marker.
fn infer(
    doc: &Document,
    root: NodeId,
    sections: &BTreeMap<&'static str, NodeId>,
    layout: Layout,
) -> (Version, VersionSource) {
    let at = |name: &str| sections.get(name).copied();
    let marker = |node, why| VersionSource::Marker { node, why };
    let has = |node: NodeId, key: &str| doc.member(node, key).map(|m| m.value);
    let is_object = |node: NodeId| doc.members(node).is_some();

    for name in ["workflow", "policy"] {
        if let Some(node) = at(name) {
            return (
                Version::V3,
                marker(
                    node,
                    if name == "workflow" {
                        "`workflow` is a v3 section"
                    } else {
                        "`policy` is a v3 section"
                    },
                ),
            );
        }
    }
    if layout == Layout::Grouped {
        let group = ["identity", "capabilities", "orchestration", "llm"]
            .iter()
            .find_map(|g| has(root, g))
            .unwrap_or(root);
        return (Version::V2, marker(group, "the grouped layout is v2"));
    }
    if let Some(node) = at("agent_id") {
        return (Version::V2, marker(node, "`agent_id` is a v2 key"));
    }
    for name in ["events", "agent_roles"] {
        if let Some(node) = at(name).filter(|&n| is_object(n)) {
            let why = if name == "events" {
                "an `events` object is v2"
            } else {
                "an `agent_roles` object is v2"
            };
            return (Version::V2, marker(node, why));
        }
    }
    for name in ["llm_extensions", "rag_extensions", "memory_extensions"] {
        if let Some(node) = at(name) {
            return (Version::V2, marker(node, "`*_extensions` sections are v2"));
        }
    }
    if let Some(settings) = at("llm_settings") {
        for key in ["primary_model", "specialized_models", "routing"] {
            if let Some(node) = has(settings, key) {
                return (Version::V2, marker(node, "`llm_extensions` keys are v2"));
            }
        }
    }
    if let Some(constraints) = at("execution_constraints") {
        for key in [
            "time_constraints",
            "memory_constraints",
            "cost_constraints",
            "security_constraints",
            "capability_requirements",
            "enforcement",
        ] {
            if let Some(node) = has(constraints, key) {
                return (Version::V2, marker(node, "`*_constraints` are v2"));
            }
        }
    }
    legacy_markers(doc, sections).unwrap_or((Version::V1, VersionSource::Default))
}

/// The v1.5 marker the document holds, if any.
fn legacy_markers(
    doc: &Document,
    sections: &BTreeMap<&'static str, NodeId>,
) -> Option<(Version, VersionSource)> {
    let at = |name: &str| sections.get(name).copied();
    let marker = |node, why| VersionSource::Marker { node, why };
    let has = |node: NodeId, key: &str| doc.member(node, key).map(|m| m.value);
    let is_array = |node: NodeId| matches!(doc.kind(node), NodeKind::Array(_));
    for name in [
        "version_string",
        "lifecycle",
        "compatibility",
        "change_log",
        "memory",
        "execution_constraints",
    ] {
        if let Some(node) = at(name) {
            return Some((Version::V1_5, marker(node, "a v1.5 section")));
        }
    }
    for name in ["events", "agent_roles"] {
        if let Some(node) = at(name).filter(|&n| is_array(n)) {
            return Some((Version::V1_5, marker(node, "an array here is v1.5")));
        }
    }
    if let Some(settings) = at("llm_settings") {
        for key in ["model_routing", "model_constraints"] {
            if let Some(node) = has(settings, key) {
                return Some((Version::V1_5, marker(node, "a v1.5 `llm_settings` key")));
            }
        }
    }
    if let Some(node) = at("rag").and_then(|rag| {
        doc_items(doc, rag).find_map(|index| {
            [
                "hierarchical_config",
                "search_config",
                "cross_file_references",
            ]
            .iter()
            .find_map(|k| has(index, k))
        })
    }) {
        return Some((Version::V1_5, marker(node, "a v1.5 RAG key")));
    }
    if let Some(tools) = at("tools") {
        for tool in doc_items(doc, tools) {
            if let Some(node) = has(tool, "subcategory") {
                return Some((Version::V1_5, marker(node, "`subcategory` is v1.5")));
            }
            if let Some(node) = has(tool, "category")
                .filter(|&n| matches!(doc.kind(n), NodeKind::String(s) if sections::is_category(s)))
            {
                return Some((Version::V1_5, marker(node, "a taxonomy category is v1.5")));
            }
            if let Some(node) = has(tool, "returns").and_then(|r| has(r, "schema")) {
                return Some((Version::V1_5, marker(node, "typed returns are v1.5")));
            }
            for parameter in has(tool, "parameters")
                .map(|p| doc_items(doc, p))
                .into_iter()
                .flatten()
            {
                for key in [
                    "pattern",
                    "minLength",
                    "maxLength",
                    "minimum",
                    "maximum",
                    "enum",
                    "format",
                ] {
                    if let Some(node) = has(parameter, key) {
                        return Some((
                            Version::V1_5,
                            marker(node, "parameter constraints are v1.5"),
                        ));
                    }
                }
            }
        }
    }
    None
}

/// The elements of an array node (none for anything else).
fn doc_items(doc: &Document, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
    let items: &[NodeId] = match doc.kind(node) {
        NodeKind::Array(items) => items,
        _ => &[],
    };
    items.iter().copied()
}

fn why(doc: &Document, source: &VersionSource) -> Option<String> {
    match source {
        VersionSource::Marker { node, why } => Some(format!("{why} (at `{}`)", doc.pointer(*node))),
        _ => None,
    }
}

fn version_mismatch(
    doc: &Document,
    node: NodeId,
    declared: Version,
    inferred: Version,
    marker: &VersionSource,
) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        &SCHEMA_VERSION_MISMATCH,
        format!("the file declares {declared} but uses {inferred} features"),
        doc.span(node),
        doc.pointer(node),
    )
    .with_primary_label(format!("declares {declared}"))
    .with_help(format!(
        "declare `\"schema_version\": \"{}\"`",
        inferred.schema_version()
    ));
    if let VersionSource::Marker { node: at, why } = marker {
        diagnostic = diagnostic.with_label(anchor(doc, *at), (*why).to_owned());
    }
    diagnostic
}

fn missing_schema_version(doc: &Document, root: NodeId, info: &DocumentInfo) -> Diagnostic {
    let severity = if info.version >= Version::V2 {
        Severity::Warning
    } else {
        Severity::Note
    };
    let mut diagnostic = Diagnostic::new(
        &MISSING_SCHEMA_VERSION,
        format!("no `schema_version`: read as a {} document", info.version),
        anchor(doc, root),
        String::new(),
    )
    .with_primary_label(format!("read as {}", info.version))
    .with_help(format!(
        "add `\"schema_version\": \"{}\"` so that every tool reads the file the same way",
        info.version.schema_version()
    ))
    .with_severity(severity);
    if let Some(why) = why(doc, &info.source) {
        diagnostic = diagnostic.with_note(why);
    }
    diagnostic
}

/// The sections each version requires (decision 2), wherever the layout puts them.
fn required_sections(walker: &mut Walker<'_>, root: NodeId, info: &DocumentInfo) {
    let doc = walker.doc;
    let legacy = info.version < Version::V2;
    let mut required = vec!["name", "description", "llm"];
    if legacy {
        required.extend(["role", "llm_settings"]);
    }
    for name in required {
        if info.section(name).is_some() {
            continue;
        }
        let (group, key) = PLACES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or(("", name), |&(_, g, k)| (g, k));
        let grouped = info.layout == Layout::Grouped;
        let (node, what) = match doc.member(root, group).map(|m| m.value) {
            Some(g) if grouped && doc.members(g).is_some() => (g, format!("`{group}`")),
            _ => (root, "the agent definition".to_owned()),
        };
        let missing_key = if node == root && grouped && group != "llm" {
            format!("{group}.{key}")
        } else if node == root {
            name.to_owned()
        } else {
            key.to_owned()
        };
        walker.push(
            Diagnostic::new(
                &MISSING_FIELD,
                format!("missing field `{missing_key}` in {what}"),
                anchor(doc, node),
                doc.pointer(node),
            )
            .with_primary_label(format!("this object has no `{key}`"))
            .with_note(format!("required in {} documents", info.version)),
        );
    }
    if legacy && info.section("tools").is_none() {
        walker.push(
            Diagnostic::new(
                &MISSING_TOOLS,
                format!(
                    "no `tools`: {} documents declare the agent's tools",
                    info.version
                ),
                anchor(doc, root),
                String::new(),
            )
            .with_primary_label("no `tools` here")
            .with_help("add `\"tools\": []` if the agent calls no tool"),
        );
    }
}

/// `id`, `agent_id` and the version fields (decisions 3 and 5).
fn identity(walker: &mut Walker<'_>, info: &DocumentInfo) {
    let doc = walker.doc;
    let text = |node: NodeId| match doc.kind(node) {
        NodeKind::String(s) => Some(s.to_string()),
        _ => None,
    };
    let modern = info.version >= Version::V2;
    match (info.section("id"), info.section("agent_id")) {
        (Some(id), Some(agent_id)) => {
            if let (Some(a), Some(b)) = (text(id), text(agent_id))
                && a != b
            {
                walker.push(
                    Diagnostic::new(
                        &CONFLICTING_ID,
                        format!("`id` (`{a}`) and `agent_id` (`{b}`) differ"),
                        doc.span(id),
                        doc.pointer(id),
                    )
                    .with_primary_label("the deprecated alias")
                    .with_label(doc.span(agent_id), "the agent's id")
                    .with_help("remove `id`: `agent_id` is the agent's id"),
                );
            }
        }
        (Some(id), None) => {
            let diagnostic = Diagnostic::new(
                &DEPRECATED_ID,
                "`id` is the deprecated name of `agent_id`",
                anchor(doc, id),
                doc.pointer(id),
            )
            .with_primary_label("rename to `agent_id`")
            .with_help("rename `id` to `agent_id`");
            if modern {
                walker.push(diagnostic);
            } else {
                walker.push_as(diagnostic, Severity::Note);
            }
        }
        (None, None) if modern => {
            let Some(root) = doc.root() else { return };
            let (node, key) = match info.layout {
                Layout::Grouped => (
                    doc.member(root, "identity").map_or(root, |m| m.value),
                    "identity.agent_id",
                ),
                Layout::Flat => (root, "agent_id"),
            };
            walker.push(
                Diagnostic::new(
                    &MISSING_AGENT_ID,
                    format!("no `agent_id`: a {} agent names itself", info.version),
                    anchor(doc, node),
                    doc.pointer(node),
                )
                .with_primary_label(format!("no `{key}` here"))
                .with_help(format!(
                    "add `\"agent_id\"`: a UUID or a slug such as `\"{}\"`",
                    slug(
                        info.section("name")
                            .and_then(text)
                            .as_deref()
                            .unwrap_or("my-agent")
                    )
                ))
                .with_note("ids of workflows, policies and indexes are built from it"),
            );
        }
        _ => {}
    }
    if let Some(version) = info.section("version")
        && let Some(text) = text(version)
        && sections::is_semver(&text)
    {
        walker.push(
            Diagnostic::new(
                &NONSTANDARD_SHAPE,
                format!("`version` is an integer; `{text}` is a semantic version"),
                doc.span(version),
                doc.pointer(version),
            )
            .with_primary_label("a string")
            .with_help(format!(
                "write `\"version_string\": \"{text}\"`, or an integer `version`"
            )),
        );
    }
}

/// A slug of `name` for help: lower case, `-` between words.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "my-agent".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Shapes the public examples use for standard sections (decision 13): warned
/// with the rewrite instead of refused as wrong types.
fn dialect_shapes(walker: &mut Walker<'_>, info: &DocumentInfo) {
    let doc = walker.doc;
    if let Some(lifecycle) = info.section("lifecycle")
        && doc.members(lifecycle).is_some()
    {
        let status = doc
            .member(lifecycle, "status")
            .and_then(|m| match doc.kind(m.value) {
                NodeKind::String(s) => Some(s.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| "stable".to_owned());
        walker.push(
            Diagnostic::new(
                &NONSTANDARD_SHAPE,
                "`lifecycle` is a string; this object is another file format's shape",
                anchor(doc, lifecycle),
                doc.pointer(lifecycle),
            )
            .with_primary_label("an object")
            .with_help(format!(
                "write `\"lifecycle\": \"{status}\"` and move the dates to `metadata`"
            )),
        );
    }
    if let Some(permissions) = info.section("permissions") {
        permissions_dialect(walker, permissions);
    }
    if let Some(change_log) = info.section("change_log")
        && matches!(doc.kind(change_log), NodeKind::Array(_))
    {
        walker.push(
            Diagnostic::new(
                &NONSTANDARD_SHAPE,
                "`change_log` is one entry; this array is another file format's shape",
                anchor(doc, change_log),
                doc.pointer(change_log),
            )
            .with_primary_label("an array")
            .with_help("keep the newest entry as the `change_log` object"),
        );
    }
}

/// The public v3 examples' permissions (booleans for access, `allowed_paths`,
/// `network.enabled`, `env_vars.allowed`): one warning with the rewrite.
fn permissions_dialect(walker: &mut Walker<'_>, permissions: NodeId) {
    let doc = walker.doc;
    let member = |node: NodeId, key: &str| doc.member(node, key).map(|m| m.value);
    let mut found = Vec::new();
    if let Some(file_io) = member(permissions, "file_io") {
        for key in ["read", "write", "delete"] {
            if member(file_io, key).is_some_and(|n| matches!(doc.kind(n), NodeKind::Bool(_))) {
                found.push(format!("`file_io.{key}` as a boolean"));
            }
        }
        if member(file_io, "allowed_paths").is_some() {
            found.push("`file_io.allowed_paths`".to_owned());
        }
    }
    if member(permissions, "network")
        .and_then(|n| member(n, "enabled"))
        .is_some()
    {
        found.push("`network.enabled`".to_owned());
    }
    if member(permissions, "env_vars").is_some() {
        found.push("`env_vars`".to_owned());
    }
    if found.is_empty() {
        return;
    }
    walker.push(
        Diagnostic::new(
            &NONSTANDARD_SHAPE,
            format!(
                "`permissions` uses another format's shape: {}",
                found.join(", ")
            ),
            anchor(doc, permissions),
            doc.pointer(permissions),
        )
        .with_primary_label("not the schema's shape")
        .with_help(
            "list paths in `file_io.read`/`write`/`delete` (`allowed_paths` go there), \
             domains in `network.allowed_domains`, and variables in \
             `environment_variables.read`; an empty list allows nothing",
        ),
    );
}
