use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::json::NodeKind;
use adl_parser::{Document, NodeId};

use crate::sections::{Sections, Unresolved};

declare_rule! {
    /// ## What it does
    /// Warns about a secret written into the document: a literal value for a key
    /// named `api_key`, `password`, `token` or `secret` (or ending in `_api_key`,
    /// `_password`, `_token`, `_secret`) instead of a `${NAME}` reference to the
    /// environment. adl redacts the value in every output.
    ///
    /// ## Why it matters
    /// Agent definitions are committed, shared and logged; a key in one leaks with it.
    ///
    /// ## Example
    /// ```json
    /// { "primary_model": { "provider": "openai", "model": "gpt-4o", "api_key": "sk-live-0123" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "primary_model": { "provider": "openai", "model": "gpt-4o", "api_key": "${OPENAI_API_KEY}" } }
    /// ```
    pub static INLINE_SECRET = ("ADL720", "inline-secret", Severity::Warning, "a secret written into the document");
}

declare_rule! {
    /// ## What it does
    /// Reports a `${NAME}` (or `${env.NAME}`) reference to an environment variable
    /// that the document's environment permissions do not list
    /// (`governance.permissions.environment_variables.read`, `env_vars.allowed`, or
    /// a tool's `permissions.env_vars`). Only documents that list some are checked.
    ///
    /// ## Why it matters
    /// A host that enforces the permissions refuses to read the variable: the value
    /// is empty at run time.
    ///
    /// ## Example
    /// ```json
    /// { "api_key": "${OPENAI_KEY}", "governance": { "permissions": { "environment_variables": { "read": ["OPENAI_API_KEY"] } } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "api_key": "${OPENAI_API_KEY}", "governance": { "permissions": { "environment_variables": { "read": ["OPENAI_API_KEY"] } } } }
    /// ```
    pub static UNDECLARED_ENV_VAR = ("ADL721", "undeclared-env-var", Severity::Warning, "an environment variable the permissions do not list");
}

declare_rule! {
    /// ## What it does
    /// Reports memory encryption turned off in an agent that keeps personal data
    /// (`memory.privacy.pii`) or requires encryption
    /// (`security_constraints.require_encryption`).
    ///
    /// ## Why it matters
    /// Personal data would be stored in clear, against the agent's own settings.
    ///
    /// ## Example
    /// ```json
    /// { "memory": { "privacy": { "pii": true, "encryption": false } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "memory": { "privacy": { "pii": true, "encryption": true } } }
    /// ```
    pub static ENCRYPTION_CONFLICT = ("ADL722", "encryption-conflict", Severity::Warning, "memory encryption off where the agent requires it");
}

/// Whether a key names a secret (ASCII case ignored).
fn is_secret_key(key: &str) -> bool {
    const NAMES: [&str; 5] = ["api_key", "apikey", "password", "token", "secret"];
    const SUFFIXES: [&str; 4] = ["_api_key", "_password", "_token", "_secret"];
    // Every name and suffix ends in one of these: most keys stop here.
    if !key
        .as_bytes()
        .last()
        .is_some_and(|b| matches!(b.to_ascii_lowercase(), b'y' | b'd' | b'n' | b't'))
    {
        return false;
    }
    let ends_with = |suffix: &str| {
        key.len() >= suffix.len()
            && key.as_bytes()[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    NAMES.iter().any(|name| key.eq_ignore_ascii_case(name)) || SUFFIXES.iter().any(|s| ends_with(s))
}

/// Whether a secret's value only references the environment (`${NAME}`).
fn is_reference(value: &str) -> bool {
    value
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|name| !name.is_empty() && !name.contains('}'))
}

/// What the document holds that no output may show.
pub(crate) struct Secrets {
    /// String nodes holding an inline secret (`inline-secret`), with their keys' spans.
    pub inline: Vec<(NodeId, adl_diagnostics::Span)>,
    /// Every span to redact: those values, and passwords inside connection strings.
    pub redact: Vec<adl_diagnostics::Span>,
}

/// Finds every secret in one pass over the tree, so that redaction never
/// depends on the document being valid.
pub(crate) fn find_secrets(doc: &Document) -> Secrets {
    let mut secrets = Secrets {
        inline: Vec::new(),
        redact: Vec::new(),
    };
    for node in doc.node_ids() {
        let Some(members) = doc.members(node) else {
            continue;
        };
        for member in members {
            let NodeKind::String(text) = doc.kind(member.value) else {
                continue;
            };
            if &*member.key == "connection_string" {
                for range in crate::connection::secret_ranges(text) {
                    secrets
                        .redact
                        .push(doc.string_subspan(member.value, range.start, range.end));
                }
            } else if is_secret_key(&member.key)
                && !text.trim().is_empty()
                && !is_reference(text.trim())
            {
                secrets.inline.push((member.value, member.key_span));
                secrets.redact.push(value_span(doc, member.value));
            }
        }
    }
    secrets
}

/// Replaces, in place, every inline secret of a JSON value (as
/// `inline-secret` finds them) with `***`; `${NAME}` references stay.
pub fn redact_secrets(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                match member {
                    serde_json::Value::String(text)
                        if is_secret_key(key)
                            && !text.trim().is_empty()
                            && !is_reference(text.trim()) =>
                    {
                        "***".clone_into(text);
                    }
                    _ => redact_secrets(member),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_secrets),
        _ => {}
    }
}

/// The span of a string's content, without its quotes: what redaction hides.
pub(crate) fn value_span(doc: &Document, node: NodeId) -> adl_diagnostics::Span {
    match doc.kind(node) {
        NodeKind::String(text) => doc.string_subspan(node, 0, text.len()),
        _ => doc.span(node),
    }
}

pub(crate) fn check(cx: &mut Sections<'_>) {
    for &(node, key_span) in cx.inline_secrets {
        let pointer = cx.pointer(node);
        cx.report(
            Diagnostic::new(
                &INLINE_SECRET,
                "a secret is written into the document",
                cx.span(node),
                pointer,
            )
            .with_primary_label("redacted in every output")
            .with_label(key_span, "a secret's key")
            .with_note("agent definitions are committed and shared; a secret in one leaks with it")
            .with_help("reference the environment instead, for example `${OPENAI_API_KEY}`"),
        );
    }
    env_vars(cx);
    encryption(cx);
}

/// The environment variables the permissions list, if any list is declared.
fn declared_env_vars<'a>(cx: &Sections<'a>) -> Option<Vec<&'a str>> {
    let mut lists: Vec<NodeId> = Vec::new();
    if let Some(permissions) = cx.section("permissions") {
        for path in [
            &["environment_variables", "read"][..],
            &["environment_variables", "write"],
            &["env_vars", "allowed"],
        ] {
            lists.extend(cx.path(permissions, path));
        }
    }
    if let Some(tools) = cx.section("tools") {
        for &tool in cx.items(tools) {
            lists.extend(cx.path(tool, &["permissions", "env_vars"]));
        }
    }
    if lists.is_empty() {
        return None;
    }
    Some(
        lists
            .into_iter()
            .flat_map(|list| cx.items(list).iter().filter_map(|&n| cx.text(n)))
            .collect(),
    )
}

/// Every `${NAME}` and `${env.NAME}` in `text`: (byte range of NAME, NAME).
fn env_references(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("${").map(|i| i + from) {
        let start = open + 2;
        let Some(close) = text[start..].find('}').map(|i| i + start) else {
            break;
        };
        let inner = &text[start..close];
        let (offset, name) = match inner.strip_prefix("env.") {
            Some(name) => (4, name),
            None => (0, inner),
        };
        let is_name = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        // A bare `${name}` in lower case is a template of another kind.
        let is_env = offset == 4 || name.chars().all(|c| !c.is_ascii_lowercase());
        if is_name && is_env {
            found.push((start + offset, close));
        }
        from = close + 1;
    }
    found
}

fn env_vars(cx: &mut Sections<'_>) {
    let Some(declared) = declared_env_vars(cx) else {
        return;
    };
    for node in cx.doc.node_ids() {
        let Some(text) = cx.text(node) else {
            continue;
        };
        if !text.contains("${") {
            continue;
        }
        for (start, end) in env_references(text) {
            let name = &text[start..end];
            if declared.contains(&name) {
                continue;
            }
            let diagnostic = Diagnostic::new(
                &UNDECLARED_ENV_VAR,
                format!("the environment variable `{name}` is not in the agent's permissions"),
                cx.doc.string_subspan(node, start, end),
                cx.pointer(node),
            );
            let help =
                format!("add `{name}` to `governance.permissions.environment_variables.read`");
            let unresolved = Unresolved {
                known: &declared,
                known_as: "listed",
                label: "not listed",
                help: Some(&help),
            };
            cx.report(unresolved.explain(diagnostic, name));
        }
    }
}

fn flag(cx: &Sections<'_>, section: &str, path: &[&str]) -> Option<(bool, NodeId)> {
    let node = cx.path(cx.section(section)?, path)?;
    match cx.doc.kind(node) {
        NodeKind::Bool(b) => Some((*b, node)),
        _ => None,
    }
}

fn encryption(cx: &mut Sections<'_>) {
    let requirement = flag(cx, "memory", &["privacy", "pii"])
        .filter(|(on, _)| *on)
        .map(|(_, n)| (n, "the memory holds personal data"))
        .or_else(|| {
            flag(
                cx,
                "execution_constraints",
                &["security_constraints", "require_encryption"],
            )
            .filter(|(on, _)| *on)
            .map(|(_, n)| (n, "the agent requires encryption"))
        });
    let Some((required_node, why)) = requirement else {
        return;
    };
    let off = [
        flag(cx, "memory", &["privacy", "encryption"]),
        flag(
            cx,
            "memory_extensions",
            &["privacy", "encryption", "enabled"],
        ),
    ];
    for (on, node) in off.into_iter().flatten() {
        if on {
            continue;
        }
        cx.report(
            Diagnostic::new(
                &ENCRYPTION_CONFLICT,
                format!("memory encryption is off, but {why}"),
                cx.span(node),
                cx.pointer(node),
            )
            .with_primary_label("encryption off")
            .with_label(cx.span(required_node), why)
            .with_help("turn encryption on (`true`)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_and_references() {
        assert!(is_secret_key("api_key") && is_secret_key("OPENAI_API_KEY"));
        assert!(is_secret_key("access_token") && !is_secret_key("max_tokens"));
        assert!(!is_secret_key("token_limits") && !is_secret_key("secret_santa"));
        assert!(is_reference("${OPENAI_API_KEY}") && is_reference("${env.KEY}"));
        assert!(!is_reference("sk-123") && !is_reference("${A}${B}x") && !is_reference("${}"));
    }

    #[test]
    fn redaction_replaces_literals_and_keeps_references() {
        let mut value = serde_json::json!({
            "primary_model": { "api_key": "sk-1", "model": "m" },
            "fallback_models": [{ "api_key": "${KEY}" }, { "auth_token": "t" }]
        });
        redact_secrets(&mut value);
        assert_eq!(
            value,
            serde_json::json!({
                "primary_model": { "api_key": "***", "model": "m" },
                "fallback_models": [{ "api_key": "${KEY}" }, { "auth_token": "***" }]
            })
        );
    }

    #[test]
    fn env_references_are_upper_case_or_env_prefixed() {
        let text = "${A_KEY} ${env.db_pass} ${event.data.x} ${lower} ${";
        let names: Vec<&str> = env_references(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(names, ["A_KEY", "db_pass"]);
    }
}
