use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::sections::{Sections, Unresolved};

declare_rule! {
    /// ## What it does
    /// Reports a policy whose `rego` text has no `package` declaration.
    ///
    /// ## Why it matters
    /// OPA refuses to load a module without a package: the policy would never be
    /// enforced.
    ///
    /// ## Example
    /// ```json
    /// { "policy": { "policy_id": "p", "name": "p", "version": "1.0.0", "rego": "default allow = false" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "policy": { "policy_id": "p", "name": "p", "version": "1.0.0", "rego": "package agent.authz\ndefault allow = false" } }
    /// ```
    pub static REGO_MISSING_PACKAGE = ("ADL710", "rego-missing-package", Severity::Error, "a policy's Rego module has no `package` line");
}

declare_rule! {
    /// ## What it does
    /// Reports a policy with no `enforcement` (it is then read as strict and
    /// denying), and one whose `mode` is `strict` while its `action` is `allow`.
    ///
    /// ## Why it matters
    /// Without enforcement settings, runtimes disagree on what a violation does;
    /// strict mode with `allow` lets every violation through.
    ///
    /// ## Example
    /// ```json
    /// { "policy": { "policy_id": "p", "name": "p", "version": "1.0.0", "rego": "package p" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "policy": { "policy_id": "p", "name": "p", "version": "1.0.0", "rego": "package p", "enforcement": { "mode": "strict", "action": "deny" } } }
    /// ```
    pub static POLICY_ENFORCEMENT = ("ADL711", "policy-enforcement", Severity::Warning, "a policy without enforcement settings, or strict mode that allows");
}

declare_rule! {
    /// ## What it does
    /// Reports a Rego module without a `default allow` rule (opt-in).
    ///
    /// ## Why it matters
    /// Without a default, `allow` is undefined when no rule matches; hosts read
    /// undefined differently, and deny-by-default is the safe reading only when
    /// written down.
    ///
    /// ## Example
    /// ```json
    /// { "rego": "package agent.authz\nallow { input.role == \"admin\" }" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "rego": "package agent.authz\ndefault allow = false\nallow { input.role == \"admin\" }" }
    /// ```
    pub static REGO_NO_DEFAULT = ("ADL712", "rego-no-default", Severity::Warning, "a Rego module without `default allow`", opt_in);
}

declare_rule! {
    /// ## What it does
    /// Notes a Rego module that reads `data.NAME` where the policy's `data` has no
    /// `NAME` (opt-in). References into the module's own package are not reported.
    ///
    /// ## Why it matters
    /// Undefined data makes every rule that reads it undefined: the policy
    /// quietly stops allowing (or denying) anything.
    ///
    /// ## Example
    /// ```json
    /// { "rego": "package p\ndefault allow = false\nallow { input.role == data.roles[_] }", "data": { "role": ["admin"] } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "rego": "package p\ndefault allow = false\nallow { input.role == data.roles[_] }", "data": { "roles": ["admin"] } }
    /// ```
    pub static REGO_UNKNOWN_DATA = ("ADL713", "rego-unknown-data", Severity::Note, "Rego reads policy data that is not given", opt_in);
}

/// The names read as `data.NAME` in `rego`, with their byte offsets.
fn data_reads(rego: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for (at, _) in rego.match_indices("data.") {
        let before = rego[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let start = at + "data.".len();
        let len = rego[start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rego.len() - start);
        if len > 0 {
            found.push((start, &rego[start..start + len]));
        }
    }
    found
}

fn rego_content(
    cx: &mut Sections<'_>,
    policy: adl_parser::NodeId,
    rego: &str,
    node: adl_parser::NodeId,
) {
    let package = rego
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("package "))
        .map(|p| p.trim().split('.').next().unwrap_or_default());
    if package.is_some()
        && !rego.lines().any(|line| {
            line.trim_start()
                .strip_prefix("default ")
                .is_some_and(|rest| rest.trim_start().starts_with("allow"))
        })
    {
        cx.report(
            Diagnostic::new(
                &REGO_NO_DEFAULT,
                "the Rego module has no `default allow`",
                cx.span(node),
                cx.pointer(node),
            )
            .with_primary_label("`allow` is undefined when no rule matches")
            .with_help("add `default allow = false` after the package line"),
        );
    }
    let data = cx.member(policy, "data");
    let given: Vec<&str> = data
        .map(|d| cx.members(d).iter().map(|m| &*m.key).collect())
        .unwrap_or_default();
    let mut reported: Vec<&str> = Vec::new();
    for (at, name) in data_reads(rego) {
        if given.contains(&name) || package == Some(name) || reported.contains(&name) {
            continue;
        }
        reported.push(name);
        let diagnostic = Diagnostic::new(
            &REGO_UNKNOWN_DATA,
            format!("the Rego module reads `data.{name}`, which the policy's `data` does not give"),
            cx.doc.string_subspan(node, at, at + name.len()),
            cx.pointer(node),
        );
        let help = format!("add `{name}` to the policy's `data`, or load it into OPA separately");
        let unresolved = Unresolved {
            known: &given,
            known_as: "the policy's data",
            label: "not in `data`",
            help: Some(&help),
        };
        cx.report(unresolved.explain(diagnostic, name));
    }
}

pub(crate) fn check(cx: &mut Sections<'_>) {
    let Some(policy) = cx.section("policy") else {
        return;
    };
    if cx.doc.members(policy).is_none() {
        return;
    }
    if let Some((rego, node)) = cx.text_of(policy, "rego")
        && !rego
            .lines()
            .any(|line| line.trim_start().starts_with("package "))
    {
        cx.report(
            Diagnostic::new(
                &REGO_MISSING_PACKAGE,
                "the Rego module has no `package` line",
                cx.span(node),
                cx.pointer(node),
            )
            .with_primary_label("no `package …` here")
            .with_help("start the module with `package NAME` (for example `package agent.policy`)"),
        );
    }
    if let Some((rego, node)) = cx.text_of(policy, "rego")
        && (cx.reports(&REGO_NO_DEFAULT) || cx.reports(&REGO_UNKNOWN_DATA))
    {
        rego_content(cx, policy, rego, node);
    }
    match cx.member(policy, "enforcement") {
        None => cx.report(
            Diagnostic::new(
                &POLICY_ENFORCEMENT,
                "the policy says nothing about enforcement",
                cx.anchor(policy),
                cx.pointer(policy),
            )
            .with_primary_label("no `enforcement`")
            .with_help("add `\"enforcement\": {\"mode\": \"strict\", \"action\": \"deny\"}`")
            .with_note("adl reads a policy without enforcement as strict and denying"),
        ),
        Some(enforcement) => {
            let mode = cx.text_of(enforcement, "mode").map(|(m, _)| m);
            if let (Some("strict"), Some(("allow", node))) =
                (mode, cx.text_of(enforcement, "action"))
            {
                cx.report(
                    Diagnostic::new(
                        &POLICY_ENFORCEMENT,
                        "strict enforcement with the action `allow` lets every violation through",
                        cx.span(node),
                        cx.pointer(node),
                    )
                    .with_primary_label("allows")
                    .with_help("use `deny` (or `warn` to only report)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_reads_skip_longer_names() {
        let rego = "allow { data.roles[_] == metadata.x; mydata.y; data.p.q }";
        let names: Vec<&str> = data_reads(rego).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["roles", "p"]);
    }
}
