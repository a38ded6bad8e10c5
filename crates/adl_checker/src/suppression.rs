//! `"x-adl-allow": {"RULE": "reason"}`: silences a rule for an object and
//! everything inside it (spec §11). Suppressions that silence nothing are reported.

use adl_diagnostics::{Diagnostic, Rule, Span};
use adl_parser::Document;
use adl_parser::json::NodeKind;
use adl_parser::model::SUPPRESSION_KEY;

use crate::registry::{find_rule, suggest_rule};
use crate::rules::{SUPPRESSION_WITHOUT_REASON, UNKNOWN_RULE, UNUSED_SUPPRESSION};

struct Entry {
    rule: &'static Rule,
    /// Pointer of the object that carries the suppression.
    scope: String,
    key_span: Span,
    key_pointer: String,
    used: bool,
}

/// Drops the diagnostics that a suppression silences, then reports malformed
/// suppressions and those that silenced nothing.
pub fn apply_suppressions(doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for node in doc.node_ids() {
        let Some(members) = doc.members(node) else {
            continue;
        };
        let Some(member) = members.iter().find(|m| &*m.key == SUPPRESSION_KEY) else {
            continue;
        };
        let Some(rules) = doc.members(member.value) else {
            continue;
        };
        let scope = parent_pointer(&doc.pointer(member.value));
        for entry in rules {
            let key_pointer = doc.pointer(entry.value);
            let has_reason = matches!(doc.kind(entry.value), NodeKind::String(reason) if !reason.trim().is_empty());
            if !has_reason {
                problems.push(
                    Diagnostic::new(
                        &SUPPRESSION_WITHOUT_REASON,
                        format!("suppression of `{}` has no reason", entry.key),
                        doc.span(entry.value),
                        key_pointer.clone(),
                    )
                    .with_help("say why the rule does not apply here: `\"RULE\": \"reason\"`"),
                );
            }
            let Some(rule) = find_rule(&entry.key) else {
                let mut diagnostic = Diagnostic::new(
                    &UNKNOWN_RULE,
                    format!("unknown rule `{}`", entry.key),
                    entry.key_span,
                    key_pointer,
                );
                if let Some(suggestion) = suggest_rule(&entry.key) {
                    diagnostic = diagnostic
                        .with_primary_label(format!("did you mean `{suggestion}`?"))
                        .with_help(format!("did you mean `{suggestion}`?"));
                } else {
                    diagnostic =
                        diagnostic.with_help("`adl explain` lists every rule by code and name");
                }
                problems.push(diagnostic);
                continue;
            };
            entries.push(Entry {
                rule,
                scope: scope.clone(),
                key_span: entry.key_span,
                key_pointer,
                used: false,
            });
        }
    }
    if entries.is_empty() && problems.is_empty() {
        return;
    }
    diagnostics.retain(|diagnostic| {
        let silencer = entries
            .iter_mut()
            .find(|e| e.rule.code == diagnostic.rule.code && within(&diagnostic.pointer, &e.scope));
        match silencer {
            Some(entry) => {
                entry.used = true;
                false
            }
            None => true,
        }
    });
    for entry in entries.into_iter().filter(|e| !e.used) {
        diagnostics.push(
            Diagnostic::new(
                &UNUSED_SUPPRESSION,
                format!("suppression of `{}` silences nothing", entry.rule.name),
                entry.key_span,
                entry.key_pointer,
            )
            .with_primary_label("nothing here triggers this rule")
            .with_help("remove it: a stale suppression would hide a future problem"),
        );
    }
    diagnostics.extend(problems);
}

/// Whether `pointer` is `scope` or inside it.
fn within(pointer: &str, scope: &str) -> bool {
    pointer == scope
        || pointer
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn parent_pointer(pointer: &str) -> String {
    pointer
        .rsplit_once('/')
        .map_or_else(String::new, |(parent, _)| parent.to_owned())
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn scope_matches_itself_and_descendants_only() {
        assert!(within("/events/triggers/0", "/events/triggers/0"));
        assert!(within("/events/triggers/0/condition", "/events/triggers/0"));
        assert!(!within("/events/triggers/01", "/events/triggers/0"));
        assert!(within("/anything", ""));
    }
}
