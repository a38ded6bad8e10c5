use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::sections::Sections;

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
