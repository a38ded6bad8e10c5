//! One test per fixture file: `adl check` on it must give exactly its checked-in
//! snapshot (`<case>.snap` beside it), and the fixture's invariant must hold:
//! - `fixtures/valid/…`: no errors and no warnings with the default rules;
//! - `fixtures/invalid/<CODE>-<name>/…`: at least one diagnostic of that rule
//!   (an opt-in rule is enabled for its own fixtures);
//! - `fixtures/seed/…`: the public text's examples; the snapshot is the contract.
//!
//! Regenerate snapshots with `ADL_UPDATE=1 cargo test --test fixtures`.

#![allow(
    clippy::unwrap_used,
    reason = "a broken fixture or workspace should fail the test loudly"
)]

mod support;

use std::fmt::Write as _;

use std::path::Path;

use adl::render::{FileReport, HumanOptions, human_diagnostic, json};
use adl_diagnostics::LineIndex;

#[allow(
    clippy::needless_pass_by_value,
    reason = "the harness passes the contents by value"
)]
fn check_fixture(path: &Path, bytes: Vec<u8>) -> datatest_stable::Result<()> {
    let name = support::relative(path);
    let expected_rule = expected_rule(&name);
    let mut overrides = adl_checker::SeverityOverrides::default();
    if let Some(rule) = expected_rule.and_then(|(code, _)| adl_checker::find_rule(code))
        && !rule.enabled_by_default
    {
        overrides
            .set(rule.code, adl_checker::Level::Warn)
            .expect("a rule from the registry");
    }
    let options = adl_checker::CheckOptions {
        overrides,
        // Rules reported only on request are checked with that request.
        explain_defaults: expected_rule.is_some_and(|(code, _)| code == "ADL209"),
        // Fire times in help are computed from a fixed instant.
        now: Some("2026-01-01T00:00:00Z".parse().expect("a valid instant")),
        syntax: adl_parser::Syntax::of_path(path),
    };
    let report = adl_checker::check(&bytes, &options);
    let file = FileReport {
        name: name.clone(),
        text: report.redacted_text(),
        diagnostics: report.diagnostics,
    };

    if name.starts_with("fixtures/valid/") {
        let findings: Vec<_> = file
            .diagnostics
            .iter()
            .filter(|d| d.severity != adl_diagnostics::Severity::Note)
            .map(|d| format!("{} {}", d.rule.code, d.message))
            .collect();
        if !findings.is_empty() {
            return Err(format!("valid fixture {name} has findings: {findings:?}").into());
        }
    }
    if let Some((code, rule_name)) = expected_rule {
        let rule = adl_checker::find_rule(code).ok_or(format!("{name}: no rule {code}"))?;
        if rule.name != rule_name {
            return Err(format!(
                "{name}: directory names `{rule_name}`, but {code} is `{}`",
                rule.name
            )
            .into());
        }
        if !file.diagnostics.iter().any(|d| d.rule.code == code) {
            return Err(format!("{name} does not trigger {code}").into());
        }
    }

    let snapshot = render_snapshot(&file);
    support::assert_golden(&path.with_extension("snap"), &snapshot)?;
    Ok(())
}

/// `(CODE, name)` from `fixtures/invalid/<CODE>-<name>/…`.
fn expected_rule(name: &str) -> Option<(&str, &str)> {
    let dir = name.strip_prefix("fixtures/invalid/")?.split('/').next()?;
    dir.split_once('-')
}

/// One line per diagnostic, then the human rendering (no colour, width 100),
/// then the JSON output.
fn render_snapshot(file: &FileReport) -> String {
    let index = LineIndex::new(&file.text);
    let mut out = format!("# adl check {}\n", file.name);
    for d in &file.diagnostics {
        let (start, _) = file.locate(&index, d.primary.span);
        let _ = writeln!(
            out,
            "{} {} {} {}:{} {}",
            d.rule.code,
            d.severity,
            if d.pointer.is_empty() {
                "\"\""
            } else {
                &d.pointer
            },
            start.line,
            start.column,
            d.message
        );
    }
    out.push_str("\n--- human\n");
    let options = HumanOptions {
        color: false,
        width: 100,
    };
    for d in &file.diagnostics {
        out.push_str(&human_diagnostic(file, d, options));
        out.push('\n');
    }
    out.push_str("--- json\n");
    out.push_str(&json(std::slice::from_ref(file)));
    out
}

datatest_stable::harness! {
    { test = check_fixture, root = "../../fixtures", pattern = r"^(valid|invalid|seed)/.*\.(json|adl|yaml)$" },
}
