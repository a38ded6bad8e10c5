//! What the rules over a whole agent document's other sections see: the
//! document, where each section is, and small readers of the JSON tree (the
//! shapes were checked by the parser; these rules look only at what they need
//! and skip what is malformed).

use adl_diagnostics::{Diagnostic, Span};
use adl_parser::document::{DocumentInfo, DocumentKind};
use adl_parser::json::NodeKind;
use adl_parser::{Document, NodeId};

pub(crate) struct Sections<'a> {
    pub doc: &'a Document,
    pub info: &'a DocumentInfo,
    /// The inline secrets found in the document (one scan serves the rule and redaction).
    pub inline_secrets: &'a [(NodeId, Span)],
    pub overrides: &'a crate::SeverityOverrides,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Sections<'a> {
    /// Whether `rule` is reported: opinions left off are not computed.
    pub fn reports(&self, rule: &adl_diagnostics::Rule) -> bool {
        self.overrides.reports(rule)
    }

    pub fn section(&self, name: &str) -> Option<NodeId> {
        self.info.section(name)
    }

    pub fn member(&self, node: NodeId, key: &str) -> Option<NodeId> {
        self.doc.member(node, key).map(|m| m.value)
    }

    /// `node`'s elements when it is an array (none otherwise).
    pub fn items(&self, node: NodeId) -> &'a [NodeId] {
        match self.doc.kind(node) {
            NodeKind::Array(items) => items,
            _ => &[],
        }
    }

    /// `node`'s members when it is an object (none otherwise).
    pub fn members(&self, node: NodeId) -> &'a [adl_parser::json::Member] {
        self.doc.members(node).unwrap_or_default()
    }

    /// The node at `path` below `node`, through object members.
    pub fn path(&self, node: NodeId, path: &[&str]) -> Option<NodeId> {
        path.iter()
            .try_fold(node, |node, key| self.member(node, key))
    }

    /// The number at `path` below `section`, with its node.
    pub fn number_at(&self, section: &str, path: &[&str]) -> Option<(f64, NodeId)> {
        let node = self.path(self.section(section)?, path)?;
        Some((self.number(node)?, node))
    }

    pub fn text(&self, node: NodeId) -> Option<&'a str> {
        match self.doc.kind(node) {
            NodeKind::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn number(&self, node: NodeId) -> Option<f64> {
        match self.doc.kind(node) {
            NodeKind::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    /// The string member `key` of `node`, with its node.
    pub fn text_of(&self, node: NodeId, key: &str) -> Option<(&'a str, NodeId)> {
        let value = self.member(node, key)?;
        Some((self.text(value)?, value))
    }

    /// The strings of the array member `key` of `node`, with their nodes.
    pub fn texts_of(&self, node: NodeId, key: &str) -> Vec<(&'a str, NodeId)> {
        self.member(node, key)
            .map(|list| {
                self.items(list)
                    .iter()
                    .filter_map(|&item| Some((self.text(item)?, item)))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn span(&self, node: NodeId) -> Span {
        self.doc.span(node)
    }

    pub fn pointer(&self, node: NodeId) -> String {
        self.doc.pointer(node)
    }

    /// A short span standing for a node: its key, or an object's `{`.
    pub fn anchor(&self, node: NodeId) -> Span {
        self.doc.anchor(node)
    }

    /// The declared tools' names, with their nodes.
    pub fn tool_names(&self) -> Vec<(&'a str, NodeId)> {
        self.section("tools")
            .map(|tools| {
                self.items(tools)
                    .iter()
                    .filter_map(|&tool| self.text_of(tool, "name"))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The workflow, wherever the layout keeps it.
    pub fn workflow(&self) -> Option<NodeId> {
        self.section("workflow")
            .filter(|&w| self.doc.members(w).is_some())
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

/// A name that resolves to none of `known`: "did you mean" when one is close,
/// otherwise `label` and `help`, and the names there are (`known_as`: "declared tools").
pub(crate) struct Unresolved<'k> {
    pub known: &'k [&'k str],
    pub known_as: &'k str,
    pub label: &'k str,
    pub help: Option<&'k str>,
}

impl Unresolved<'_> {
    pub fn explain(&self, diagnostic: Diagnostic, name: &str) -> Diagnostic {
        if let Some(candidate) = adl_parser::suggest(name, self.known.iter().copied()) {
            return diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `{candidate}`?"));
        }
        let mut diagnostic = diagnostic
            .with_primary_label(self.label)
            .with_optional_help(self.help.map(str::to_owned));
        if !self.known.is_empty() {
            diagnostic = diagnostic.with_note(format!(
                "{}: {}",
                self.known_as,
                adl_parser::quoted_list(self.known.iter().copied())
            ));
        }
        diagnostic
    }
}

/// Runs every section rule over an agent document.
pub(crate) fn check(
    doc: &Document,
    info: &DocumentInfo,
    inline_secrets: &[(NodeId, Span)],
    overrides: &crate::SeverityOverrides,
) -> Vec<Diagnostic> {
    if info.kind != DocumentKind::Agent {
        return Vec::new();
    }
    let mut cx = Sections {
        doc,
        info,
        inline_secrets,
        overrides,
        diagnostics: Vec::new(),
    };
    for check in crate::rules::SECTION_CHECKS {
        check(&mut cx);
    }
    cx.diagnostics
}
