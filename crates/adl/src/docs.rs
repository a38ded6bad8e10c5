//! `docs/diagnostics.md`, generated from the rule registry (a test keeps it current).

use std::fmt::Write;

/// The reference of every rule: a table, then each rule's long-form docs.
pub fn diagnostics_markdown() -> String {
    let rules = adl_checker::RULES.as_slice();
    let mut out = String::from(
        "# Diagnostics\n\n\
         <!-- Generated from the rule registry: do not edit. Regenerate with `ADL_UPDATE=1 cargo test --test self_check`. -->\n\n\
         Every finding of `adl check` has a stable code and a readable name; both are accepted \
         wherever a rule is named (`adl explain ADL104`, `adl explain duplicate-key`). Codes are \
         grouped by phase: `ADL1xx` syntax, `ADL2xx` structure, `ADL3xx` references and tools, `ADL4xx` templates and conditions, `ADL5xx` triggers, `ADL6xx` cascades, `ADL7xx` persistence, `ADL8xx` best practices, `ADL9xx` suppressions.\n\n\
         Opt-in rules hold opinions a correct file may ignore: they report only when enabled, with \
         `adl check --warn RULE` or under `[rules]` in `adl.toml` (see [configuration](cli.md#configuration-adltoml)). \
         Every other rule is on by default and reports a likely mistake.\n\n\
         | Code | Name | Default severity | Summary |\n|---|---|---|---|\n",
    );
    for rule in rules {
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {}{} | {} |",
            rule.code,
            rule.code.to_lowercase(),
            rule.name,
            rule.default_severity,
            opt_in_marker(rule),
            rule.summary
        );
    }
    for rule in rules {
        let docs = rule.long_docs().replace("\n## ", "\n#### ");
        let docs = docs
            .strip_prefix("## ")
            .map_or(docs.clone(), |d| format!("#### {d}"));
        let _ = write!(
            out,
            "\n## {}\n\n`{}` · default severity: {}{} · {}\n\n{}",
            rule.code,
            rule.name,
            rule.default_severity,
            opt_in_marker(rule),
            rule.summary,
            docs
        );
    }
    out
}

fn opt_in_marker(rule: &adl_diagnostics::Rule) -> &'static str {
    if rule.enabled_by_default {
        ""
    } else {
        " (opt-in)"
    }
}
