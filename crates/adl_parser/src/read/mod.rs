//! Structural reading: spanned tree → typed model, with every structural diagnostic.
//!
//! Readers never stop at the first problem: an invalid element is reported and
//! left out of the model, and reading goes on with its siblings. A misspelled
//! key or keyword with a certain "did you mean" (and a kind with any) is read
//! as the one it means, so the element stays in the model and is checked whole
//! in the same round; the error is reported all the same.

mod agent;
mod condition;
mod events;
mod handler;
mod persistence;
mod subscription;
mod tool;
mod trigger;

use adl_diagnostics::{Diagnostic, Span, push_pointer_token};

pub use agent::read_agent;

use crate::json::{Document, Member, NodeId, NodeKind};
use crate::model::{AppliedDefault, Keyword, SUPPRESSION_KEY, Spanned, Suppression, Suppressions};
use crate::rules::{MISSING_FIELD, UNKNOWN_KEY, UNKNOWN_VARIANT, VALUE_OUT_OF_RANGE, WRONG_TYPE};
use crate::suggest::{quoted_list, suggest, suggest_certain};

/// Reading state: the document, and what has been found so far.
pub(crate) struct Reader<'d> {
    pub doc: &'d Document,
    pub diagnostics: Vec<Diagnostic>,
    pub defaults: Vec<AppliedDefault>,
    /// Keys an unknown key suggests ("did you mean"), by object: a missing
    /// field that a misspelled key means is reported once, as the typo.
    pub typos: Vec<(NodeId, String)>,
    /// Values with an unknown keyword that were read as the keyword they
    /// surely mean (the error is reported all the same).
    pub recovered: Vec<NodeId>,
}

/// The other kinds in `kinds` than the one whose keys are `own`, for the note of
/// an unknown key that belongs to another kind ("`expression` is a key of `time` triggers").
pub(crate) fn other_kinds(
    kinds: &[(&'static str, &'static [&'static str])],
    own: &[&str],
) -> Vec<(&'static str, &'static [&'static str])> {
    kinds
        .iter()
        .copied()
        .filter(|(_, keys)| !std::ptr::eq(*keys, own))
        .collect()
}

/// The members of one object being read; `what` names it in messages ("a time trigger").
pub(crate) struct Fields<'d> {
    pub node: NodeId,
    pub members: &'d [Member],
    pub what: &'static str,
    /// Valid keys written misspelled (`mesage`), with the value each
    /// misspelling holds: read as the key it surely means, so that the
    /// element is checked whole in the same round (the typo is reported).
    aliases: Vec<(&'static str, NodeId)>,
}

impl Fields<'_> {
    /// The value of the first member named `key` (duplicates are reported by
    /// the parser), or of a misspelling of it.
    pub fn get(&self, key: &str) -> Option<NodeId> {
        self.members
            .iter()
            .find(|m| &*m.key == key)
            .map(|m| m.value)
            .or_else(|| {
                self.aliases
                    .iter()
                    .find(|(meant, _)| *meant == key)
                    .map(|(_, value)| *value)
            })
    }
}

impl<'d> Reader<'d> {
    pub fn new(doc: &'d Document) -> Self {
        Self {
            doc,
            diagnostics: Vec::new(),
            defaults: Vec::new(),
            typos: Vec::new(),
            recovered: Vec::new(),
        }
    }

    /// What was found, a missing field that a misspelled key of the same
    /// object means left out: the unknown key's "did you mean" says it all.
    /// With it, whether the model holds everything written: every error
    /// found is an unknown key or a keyword read as the one it surely means
    /// (nothing was left out of the model for an error).
    pub fn into_parts(self) -> (Vec<Diagnostic>, bool) {
        let Self {
            doc,
            mut diagnostics,
            typos,
            recovered,
            ..
        } = self;
        let recovered: Vec<String> = recovered.into_iter().map(|n| doc.pointer(n)).collect();
        let whole = !diagnostics.iter().any(|d| {
            d.is_error()
                && d.rule.code != UNKNOWN_KEY.code
                && !(d.rule.code == UNKNOWN_VARIANT.code && recovered.contains(&d.pointer))
        });
        if typos.is_empty() {
            return (diagnostics, whole);
        }
        let meant: Vec<(String, String)> = typos
            .into_iter()
            .map(|(node, key)| (doc.pointer(node), format!("missing field `{key}` ")))
            .collect();
        diagnostics.retain(|d| {
            d.rule.code != MISSING_FIELD.code
                || !meant.iter().any(|(pointer, message)| {
                    d.pointer == *pointer && d.message.starts_with(message)
                })
        });
        (diagnostics, whole)
    }

    /// A short span that stands for a whole node: a member's key, or an object's `{`.
    pub fn anchor(&self, node: NodeId) -> Span {
        self.doc.anchor(node)
    }

    pub fn wrong_type(&mut self, node: NodeId, expected: &str) {
        let found = self.doc.kind(node).type_name();
        let diagnostic = Diagnostic::new(
            &WRONG_TYPE,
            format!("expected {expected}, found {found}"),
            self.doc.span(node),
            self.doc.pointer(node),
        );
        self.diagnostics.push(diagnostic);
    }

    /// The members of `node` if it is an object; otherwise reports `wrong-type`.
    pub fn object(&mut self, node: NodeId, what: &'static str) -> Option<Fields<'d>> {
        if let Some(members) = self.doc.members(node) {
            Some(Fields {
                node,
                members,
                what,
                aliases: Vec::new(),
            })
        } else {
            self.wrong_type(node, "an object");
            None
        }
    }

    /// `diagnostic` with the fix that writes `replacement` at `span`, quoted
    /// as the text there is.
    fn fix_text(&self, diagnostic: Diagnostic, span: Span, replacement: &str) -> Diagnostic {
        let original = self.doc.text().get(span.range()).unwrap_or_default();
        diagnostic.with_fix(span, crate::suggest::quoted_like(original, replacement))
    }

    /// Reports `missing-field` on the object that lacks `key`.
    pub fn missing(&mut self, fields: &Fields<'_>, key: &str, help: Option<String>) {
        let diagnostic = Diagnostic::new(
            &MISSING_FIELD,
            format!("missing field `{key}` in {}", fields.what),
            self.anchor(fields.node),
            self.doc.pointer(fields.node),
        )
        .with_primary_label(format!("this object has no `{key}`"))
        .with_optional_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// A required member: reports `missing-field` when absent.
    pub fn required(&mut self, fields: &Fields<'_>, key: &str) -> Option<NodeId> {
        let node = fields.get(key);
        if node.is_none() {
            self.missing(fields, key, None);
        }
        node
    }

    /// Reads a discriminated object: its suppressions and its `tag` keyword. When the
    /// tag is missing or unknown, the keys are checked against `all_keys` (every kind's)
    /// and `None` is returned.
    pub fn tagged<K: Keyword>(
        &mut self,
        node: NodeId,
        what: &'static str,
        tag: &str,
        all_keys: &[&'static str],
    ) -> Option<(Fields<'d>, Option<Suppressions>, K)> {
        let mut fields = self.object(node, what)?;
        let allow = self.suppressions(&fields);
        let tag_node = self.required(&fields, tag);
        // A misspelled kind (reported, with its "did you mean") is read as
        // the kind it means, so that the mistakes inside are found in the
        // same round; the document has an error either way.
        let kind = tag_node.and_then(|n| {
            self.keyword::<K>(n).map(|kind| kind.value).or_else(|| {
                let closest = self.closest_keyword::<K>(n)?;
                self.recovered.push(n);
                Some(closest)
            })
        });
        let Some(kind) = kind else {
            self.unknown_keys(&mut fields, all_keys, &[]);
            return None;
        };
        Some((fields, allow, kind))
    }

    /// The keyword a misspelled one at `node` means, when there is one.
    fn closest_keyword<K: Keyword>(&self, node: NodeId) -> Option<K> {
        let NodeKind::String(text) = self.doc.kind(node) else {
            return None;
        };
        let candidate = suggest(text, K::ALL.iter().map(|(k, _)| *k))?;
        K::from_keyword(candidate)
    }

    /// Reports every key of `fields` that is not in `valid` (nor `x-adl-allow`).
    /// `elsewhere` names other kinds of object that do define a key, for the note.
    pub fn unknown_keys(
        &mut self,
        fields: &mut Fields<'_>,
        valid: &[&'static str],
        elsewhere: &[(&str, &[&str])],
    ) {
        for member in fields.members {
            let key = &*member.key;
            if key == SUPPRESSION_KEY || valid.contains(&key) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                &UNKNOWN_KEY,
                format!("unknown key `{key}` in {}", fields.what),
                member.key_span,
                self.doc.pointer(member.value),
            );
            if let Some((owner, _)) = elsewhere.iter().find(|(_, keys)| keys.contains(&key)) {
                diagnostic = diagnostic.with_note(format!("`{key}` is a key of {owner}"));
            } else if let Some(candidate) = suggest(key, valid.iter().copied()) {
                diagnostic = diagnostic
                    .with_primary_label(format!("did you mean `{candidate}`?"))
                    .with_help(format!("did you mean `{candidate}`?"));
                if suggest_certain(key, valid.iter().copied()) == Some(candidate)
                    && fields.get(candidate).is_none()
                {
                    diagnostic = self.fix_text(diagnostic, member.key_span, candidate);
                    fields.aliases.push((candidate, member.value));
                }
                self.typos.push((fields.node, candidate.to_owned()));
            }
            let mut sorted = valid.to_vec();
            sorted.sort_unstable();
            diagnostic = diagnostic.with_note(format!(
                "valid keys here: {}",
                quoted_list(sorted.iter().copied())
            ));
            self.diagnostics.push(diagnostic);
        }
    }

    pub fn string(&mut self, node: NodeId) -> Option<Spanned<String>> {
        if let NodeKind::String(s) = self.doc.kind(node) {
            Some(Spanned::new(s.to_string(), node))
        } else {
            self.wrong_type(node, "a string");
            None
        }
    }

    pub fn boolean(&mut self, node: NodeId) -> Option<Spanned<bool>> {
        if let NodeKind::Bool(b) = self.doc.kind(node) {
            Some(Spanned::new(*b, node))
        } else {
            self.wrong_type(node, "a boolean");
            None
        }
    }

    /// An integer in `min..=max` (`5.0` counts as an integer, as in JSON Schema).
    pub fn integer(&mut self, node: NodeId, min: u64, max: u64) -> Option<Spanned<u64>> {
        let NodeKind::Number(number) = self.doc.kind(node) else {
            self.wrong_type(node, "an integer");
            return None;
        };
        let Some(value) = number.as_integer() else {
            self.wrong_type(node, "an integer");
            return None;
        };
        let in_range = u64::try_from(value)
            .ok()
            .filter(|v| (min..=max).contains(v));
        if in_range.is_none() {
            let key = self.doc.member_of(node).map_or("the value", |m| &m.key);
            let range = if max == u64::MAX {
                format!("at least {min}")
            } else {
                format!("from {min} to {max}")
            };
            let diagnostic = Diagnostic::new(
                &VALUE_OUT_OF_RANGE,
                format!("`{key}` must be {range}, found {value}"),
                self.doc.span(node),
                self.doc.pointer(node),
            )
            .with_primary_label(format!("must be {range}"));
            self.diagnostics.push(diagnostic);
        }
        in_range.map(|value| Spanned::new(value, node))
    }

    /// One keyword of `K` (`"broadcast"`), with a suggestion when it is misspelt.
    pub fn keyword<K: Keyword>(&mut self, node: NodeId) -> Option<Spanned<K>> {
        let NodeKind::String(text) = self.doc.kind(node) else {
            self.wrong_type(node, &format!("a {} (string)", K::WHAT));
            return None;
        };
        if let Some(value) = K::from_keyword(text) {
            return Some(Spanned::new(value, node));
        }
        let names = K::ALL.iter().map(|(k, _)| *k);
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_VARIANT,
            format!("unknown {} `{text}`", K::WHAT),
            self.doc.span(node),
            self.doc.pointer(node),
        );
        if let Some(candidate) = suggest(text, names.clone()) {
            diagnostic = diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `{candidate}`?"));
            if suggest_certain(text, names.clone()) == Some(candidate) {
                diagnostic = self.fix_text(diagnostic, self.doc.span(node), candidate);
                diagnostic =
                    diagnostic.with_note(format!("expected one of {}", quoted_list(names)));
                self.diagnostics.push(diagnostic);
                // Read as the keyword it surely means: what depends on it
                // is checked in the same round.
                self.recovered.push(node);
                return K::from_keyword(candidate).map(|value| Spanned::new(value, node));
            }
        }
        diagnostic = diagnostic.with_note(format!("expected one of {}", quoted_list(names)));
        self.diagnostics.push(diagnostic);
        None
    }

    /// An array whose elements are read by `element`; invalid elements are left out.
    pub fn array<T>(
        &mut self,
        node: NodeId,
        mut element: impl FnMut(&mut Self, NodeId) -> Option<T>,
    ) -> Option<Spanned<Vec<T>>> {
        let NodeKind::Array(items) = self.doc.kind(node) else {
            self.wrong_type(node, "an array");
            return None;
        };
        let values = items
            .iter()
            .filter_map(|&item| element(self, item))
            .collect();
        Some(Spanned::new(values, node))
    }

    /// Any JSON object, kept as a `serde_json` map.
    pub fn json_object(
        &mut self,
        node: NodeId,
    ) -> Option<Spanned<serde_json::Map<String, serde_json::Value>>> {
        if let serde_json::Value::Object(map) = self.doc.to_value(node) {
            Some(Spanned::new(map, node))
        } else {
            self.wrong_type(node, "an object");
            None
        }
    }

    /// Any JSON value.
    pub fn json_value(&self, node: NodeId) -> Spanned<serde_json::Value> {
        Spanned::new(self.doc.to_value(node), node)
    }

    /// The `x-adl-allow` member of an object, if any: rule → reason (strings).
    pub fn suppressions(&mut self, fields: &Fields<'_>) -> Option<Suppressions> {
        let node = fields.get(SUPPRESSION_KEY)?;
        let members = self.object(node, "`x-adl-allow`")?.members;
        let mut entries = Vec::new();
        for member in members {
            if let Some(reason) = self.string(member.value) {
                entries.push(Suppression {
                    rule: member.key.to_string(),
                    reason,
                });
            }
        }
        Some(Suppressions { entries, node })
    }

    /// Records that `field` of `container` took its default `value`.
    pub fn record_default(
        &mut self,
        container: NodeId,
        container_pointer: &str,
        field: &str,
        value: serde_json::Value,
    ) {
        let mut pointer = container_pointer.to_owned();
        push_pointer_token(&mut pointer, field);
        self.defaults.push(AppliedDefault {
            pointer,
            value,
            container,
            used_with: None,
        });
    }
}
