//! `--format github`: GitHub Actions workflow commands, one line per diagnostic.

use std::fmt::Write;

use adl_diagnostics::{LineIndex, Severity};

use super::FileReport;

pub fn github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let index = LineIndex::new(&report.text);
        for d in &report.diagnostics {
            let (start, end) = report.locate(&index, d.primary.span);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let mut message = d.message.clone();
            for note in &d.notes {
                let _ = write!(message, "\nnote: {note}");
            }
            if let Some(help) = &d.help {
                let _ = write!(message, "\nhelp: {help}");
            }
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&report.name),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("{} ({})", d.rule.code, d.rule.name)),
                escape_data(&message),
            );
        }
    }
    out
}

/// Escapes a message (the workflow-command data part).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_separators_are_escaped() {
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
        assert_eq!(escape_data("50%: x\ny"), "50%25: x%0Ay");
    }
}
