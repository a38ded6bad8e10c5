//! `--format sarif`: SARIF 2.1.0 with the full rule registry in the driver.

use adl_diagnostics::{LineIndex, Severity, Span};
use serde_json::{Value, json};

use super::FileReport;

pub fn sarif(reports: &[FileReport]) -> String {
    let rules = adl_checker::RULES.as_slice();
    let rule_entries: Vec<Value> = rules
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "help": { "text": rule.long_docs(), "markdown": rule.long_docs() },
                "defaultConfiguration": {
                    "level": level(rule.default_severity),
                    "enabled": rule.enabled_by_default,
                },
            })
        })
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let index = LineIndex::new(&report.text);
        let uri = artifact_uri(&report.name);
        let location = |span: Span, message: Option<&String>| {
            let (start, end) = report.locate(&index, span);
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": {
                        "startLine": start.line,
                        "startColumn": start.column,
                        "endLine": end.line,
                        "endColumn": end.column,
                        "charOffset": start.offset,
                        "charLength": end.offset - start.offset,
                    },
                },
            });
            if let Some(message) = message {
                location["message"] = json!({ "text": message });
            }
            location
        };
        for d in &report.diagnostics {
            let rule_index = rules.iter().position(|r| r.code == d.rule.code);
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut primary = location(d.primary.span, None);
            primary["logicalLocations"] =
                json!([{ "fullyQualifiedName": d.pointer, "kind": "member" }]);
            let mut result = json!({
                "ruleId": d.rule.code,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [primary],
            });
            if let Some(i) = rule_index {
                result["ruleIndex"] = json!(i);
            }
            if !d.labels.is_empty() {
                let related: Vec<Value> = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let mut loc = location(label.span, label.message.as_ref());
                        loc["id"] = json!(i);
                        loc
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
            }
            if let Some(fix) = &d.fix {
                let changed = location(fix.span, None);
                result["fixes"] = fixes(d, fix, &changed["physicalLocation"]);
            }
            results.push(result);
        }
    }
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "adl",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_entries,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A relative URI reference: forward slashes, spaces and `%` escaped.
fn artifact_uri(name: &str) -> String {
    if name == "<stdin>" {
        return "stdin".to_owned();
    }
    name.replace('%', "%25").replace(' ', "%20")
}

/// A result's `fixes`: the fix as a replacement of the region at `changed`
/// (a physical location).
fn fixes(d: &adl_diagnostics::Diagnostic, fix: &adl_diagnostics::Fix, changed: &Value) -> Value {
    json!([{
        "description": { "text": d.help.as_deref().unwrap_or("apply the fix") },
        "artifactChanges": [{
            "artifactLocation": changed["artifactLocation"],
            "replacements": [{
                "deletedRegion": changed["region"],
                "insertedContent": { "text": fix.replacement },
            }],
        }],
    }])
}
