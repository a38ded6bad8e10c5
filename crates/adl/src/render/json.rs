//! `--format json`: exactly one JSON object (spec §12).

use adl_diagnostics::{LineIndex, Position, Span};
use serde_json::{Value, json};

use super::{FileReport, Summary};

pub fn json(reports: &[FileReport]) -> String {
    let files: Vec<Value> = reports.iter().map(file).collect();
    let summary = Summary::of(reports);
    let document = json!({
        "version": 1,
        "files": files,
        "summary": {
            "files": summary.files,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "notes": summary.notes,
        },
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn file(report: &FileReport) -> Value {
    let index = LineIndex::new(&report.text);
    let range = |span: Span| range_value(report.locate(&index, span));
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "code": d.rule.code,
                "rule": d.rule.name,
                "severity": d.severity.as_str(),
                "message": d.message,
                "pointer": d.pointer,
                "range": range(d.primary.span),
                "label": d.primary.message,
                "help": d.help,
                "notes": d.notes,
                "labels": d.labels.iter().map(|l| json!({
                    "message": l.message,
                    "range": range(l.span),
                })).collect::<Vec<_>>(),
                "fix": d.fix.as_ref().map(|fix| json!({
                    "range": range(fix.span),
                    "replacement": fix.replacement,
                })),
            })
        })
        .collect();
    json!({ "path": report.name, "diagnostics": diagnostics })
}

fn position(p: Position) -> Value {
    json!({ "line": p.line, "column": p.column, "offset": p.offset })
}

fn range_value((start, end): (Position, Position)) -> Value {
    json!({ "start": position(start), "end": position(end) })
}
