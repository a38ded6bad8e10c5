//! miette's graphical report, one per diagnostic, and a summary line.

use std::fmt;

use adl_diagnostics::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::{FileReport, Summary, plural};

/// How to draw: colour, and the width to wrap at.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

/// Every diagnostic of every report, then one summary line.
pub fn human(reports: &[FileReport], options: HumanOptions) -> String {
    let mut out = String::new();
    for report in reports {
        for diagnostic in &report.diagnostics {
            out.push_str(&human_diagnostic(report, diagnostic, options));
            out.push('\n');
        }
    }
    out.push_str(&summary_line(Summary::of(reports)));
    out
}

/// One diagnostic as miette draws it (deterministic without colour: no links,
/// fixed width, unicode characters).
pub fn human_diagnostic(
    report: &FileReport,
    diagnostic: &Diagnostic,
    options: HumanOptions,
) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_context_lines(1);
    let adapter = MietteAdapter {
        diagnostic,
        source: NamedSource::new(&report.name, report.text.clone()),
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &adapter).is_err() {
        // Rendering into a String cannot fail; keep the finding visible regardless.
        out = format!(
            "{}: {} [{}]\n",
            diagnostic.severity, diagnostic.message, diagnostic.rule.code
        );
    }
    // Notes ("why it matters") go under the help, aligned with it, as rustc does.
    for note in &diagnostic.notes {
        out.push_str("  note: ");
        out.push_str(note);
        out.push('\n');
    }
    out
}

fn summary_line(summary: Summary) -> String {
    let problems = summary.errors + summary.warnings + summary.notes;
    let checked = plural(summary.files, "file");
    if problems == 0 {
        return format!("Checked {checked}: no problems found.\n");
    }
    format!(
        "Checked {checked}: {}, {}, {}.\n",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.notes, "note"),
    )
}

/// Presents one of our diagnostics to miette.
struct MietteAdapter<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedSource<String>,
}

impl fmt::Debug for MietteAdapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MietteAdapter")
            .field("diagnostic", &self.diagnostic)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for MietteAdapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for MietteAdapter<'_> {}

fn source_span(span: adl_diagnostics::Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len() as usize)
}

impl miette::Diagnostic for MietteAdapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let rule = self.diagnostic.rule;
        Some(Box::new(format!("{}({})", rule.code, rule.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.diagnostic.help.as_ref()?;
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = &self.diagnostic.primary;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            primary.message.clone(),
            source_span(primary.span),
        )];
        labels.extend(self.diagnostic.labels.iter().map(|label| {
            LabeledSpan::new_with_span(label.message.clone(), source_span(label.span))
        }));
        Some(Box::new(labels.into_iter()))
    }
}
