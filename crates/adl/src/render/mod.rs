//! Renderers: one module per output format, all over the same [`FileReport`]s.

mod github;
mod human;
mod json;
mod sarif;

use adl_diagnostics::{Diagnostic, LineIndex, Position, Severity, Span};

pub use github::github;
pub use human::{
    HumanOptions, human, human_diagnostic, human_diagnostics, statistics, summary_line,
};
pub use json::json;
pub use sarif::sarif;

/// The findings for one checked document.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// As shown to the user: the path as given, or `<stdin>`.
    pub name: String,
    /// The source text (invalid UTF-8 replaced) that spans point into.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// Start and end positions of a span, computed with this file's line index.
    pub fn locate(&self, index: &LineIndex, span: Span) -> (Position, Position) {
        (
            index.position(&self.text, span.start),
            index.position(&self.text, span.end),
        )
    }
}

/// Counts over all reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for diagnostic in reports.iter().flat_map(|r| &r.diagnostics) {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        summary
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}
