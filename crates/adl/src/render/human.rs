//! miette's graphical report, one per diagnostic, and a summary line.

use std::fmt;
use std::fmt::Write as _;

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
    let mut out = human_diagnostics(reports, options);
    out.push_str(&summary_line(Summary::of(reports), 0));
    out
}

/// Every diagnostic of every report.
pub fn human_diagnostics(reports: &[FileReport], options: HumanOptions) -> String {
    let mut out = String::new();
    for report in reports {
        for diagnostic in &report.diagnostics {
            out.push_str(&human_diagnostic(report, diagnostic, options));
            out.push('\n');
        }
    }
    out
}

/// How many findings of each rule, most frequent first: one line per rule
/// (`count  CODE  name  severity`), as `--statistics` prints them.
pub fn statistics(reports: &[FileReport]) -> String {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for diagnostic in reports.iter().flat_map(|r| &r.diagnostics) {
        let key = (
            diagnostic.rule.code,
            diagnostic.rule.name,
            diagnostic.severity.as_str(),
        );
        *counts.entry(key).or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows.first().map_or(1, |(_, n)| n.to_string().len());
    let mut out = String::new();
    for ((code, name, severity), count) in rows {
        let _ = writeln!(out, "{count:>width$}  {code}  {name:<28} {severity}");
    }
    out
}

/// One diagnostic as miette draws it (deterministic without colour: no links,
/// fixed width, unicode characters).
pub fn human_diagnostic(
    report: &FileReport,
    diagnostic: &Diagnostic,
    options: HumanOptions,
) -> String {
    if spans(diagnostic)
        .any(|span| line_of(&report.text, span.start as usize).len() > MAX_DRAWN_LINE)
    {
        return windowed(report, diagnostic);
    }
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_context_lines(1);
    let adapter = MietteAdapter::new(diagnostic, report);
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
    for label in &adapter.earlier {
        let snippet = EarlierSnippet {
            label,
            source: &adapter.source,
        };
        let _ = handler.render_report(&mut out, &snippet);
    }
    out
}

/// Lines longer than this are not drawn whole (a minified file is one line of
/// megabytes, and miette cannot indent past 65,535 columns): the diagnostic
/// shows a window of the line around each span instead.
const MAX_DRAWN_LINE: usize = 500;

/// Characters of a long line shown on each side of a span.
const WINDOW_CONTEXT: usize = 40;

/// Characters of a span shown at most.
const WINDOW_SPAN: usize = 60;

fn spans(diagnostic: &Diagnostic) -> impl Iterator<Item = adl_diagnostics::Span> + '_ {
    std::iter::once(diagnostic.primary.span).chain(diagnostic.labels.iter().map(|l| l.span))
}

/// The byte range of the line holding byte `offset` (its newline excluded).
fn line_range(text: &str, offset: usize) -> std::ops::Range<usize> {
    let offset = offset.min(text.len());
    let start = memchr::memrchr(b'\n', &text.as_bytes()[..offset]).map_or(0, |newline| newline + 1);
    let end = memchr::memchr(b'\n', &text.as_bytes()[offset..])
        .map_or(text.len(), |newline| offset + newline);
    start..end
}

fn line_of(text: &str, offset: usize) -> &str {
    &text[line_range(text, offset)]
}

/// A diagnostic on a long line, in miette's layout: each span's line cut to
/// a window around it, `…` where it is cut.
fn windowed(report: &FileReport, diagnostic: &Diagnostic) -> String {
    let text = &report.text;
    let index = adl_diagnostics::LineIndex::new(text);
    let rule = diagnostic.rule;
    let symbol = match diagnostic.severity {
        Severity::Error => '×',
        Severity::Warning => '⚠',
        Severity::Note => '☞',
    };
    let mut out = format!(
        "{}({})\n\n  {symbol} {}\n",
        rule.code, rule.name, diagnostic.message
    );
    let labels = std::iter::once((&diagnostic.primary.span, &diagnostic.primary.message)).chain(
        diagnostic
            .labels
            .iter()
            .map(|label| (&label.span, &label.message)),
    );
    for (number, (span, message)) in labels.enumerate() {
        let position = index.position(text, span.start);
        let line = line_range(text, position.offset as usize);
        let start = position.offset as usize;
        let end = (span.end as usize).clamp(start, line.end);
        let before: String = {
            let chars: Vec<char> = text[line.start..start]
                .chars()
                .rev()
                .take(WINDOW_CONTEXT + 1)
                .collect();
            let cut = chars.len() > WINDOW_CONTEXT;
            let kept: String = chars
                .into_iter()
                .take(WINDOW_CONTEXT)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if cut { format!("…{kept}") } else { kept }
        };
        let marked: String = text[start..end].chars().take(WINDOW_SPAN).collect();
        let rest = &text[start + marked.len()..line.end];
        let mut after: String = rest.chars().take(WINDOW_CONTEXT).collect();
        if after.len() < rest.len() {
            after.push('…');
        }
        let gutter = position.line.to_string();
        let pad = " ".repeat(gutter.len());
        let corner = if number == 0 { '╭' } else { '├' };
        let _ = writeln!(
            out,
            " {pad} {corner}─[{}:{}:{}]",
            report.name, position.line, position.column
        );
        let _ = writeln!(out, " {gutter} │ {before}{marked}{after}");
        let width = marked.chars().count().max(1);
        let _ = writeln!(
            out,
            " {pad} · {}{} {}",
            " ".repeat(before.chars().count()),
            "─".repeat(width),
            message.as_deref().unwrap_or_default()
        );
    }
    let pad = " ".repeat(
        index
            .position(text, diagnostic.primary.span.start)
            .line
            .to_string()
            .len(),
    );
    let _ = writeln!(out, " {pad} ╰────");
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "  help: {help}");
    }
    for note in &diagnostic.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    out
}

/// `Checked N files: …`, and how many paths could not be read (their
/// reasons were printed on stderr).
pub fn summary_line(summary: Summary, unreadable: usize) -> String {
    let problems = summary.errors + summary.warnings + summary.notes;
    let checked = plural(summary.files, "file");
    let found = if problems == 0 {
        "no problems found".to_owned()
    } else {
        format!(
            "{}, {}, {}",
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.notes, "note"),
        )
    };
    if unreadable == 0 {
        format!("Checked {checked}: {found}.\n")
    } else {
        format!(
            "Checked {checked}: {found}; {} could not be read.\n",
            plural(unreadable, "path")
        )
    }
}

/// Presents one of our diagnostics to miette.
struct MietteAdapter<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedSource<String>,
    /// The labels drawn with the primary one: those after it, or close
    /// before it.
    labels: Vec<&'a adl_diagnostics::Label>,
    /// Labels well before the primary one, drawn after it (miette draws
    /// labels in file order and names the first in the header, which must
    /// be where the mistake is).
    earlier: Vec<EarlierLabel>,
}

/// A label drawn after the diagnostic, with a snippet of its own.
#[derive(Debug)]
struct EarlierLabel {
    message: String,
    span: SourceSpan,
}

/// An [`EarlierLabel`] as miette draws it: its message, then its snippet.
#[derive(Debug)]
struct EarlierSnippet<'a> {
    label: &'a EarlierLabel,
    source: &'a NamedSource<String>,
}

impl fmt::Display for EarlierSnippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label.message)
    }
}

impl std::error::Error for EarlierSnippet<'_> {}

impl miette::Diagnostic for EarlierSnippet<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, self.label.span),
        )))
    }
}

/// A label this many lines or more before the primary one is drawn after it.
const EARLIER_LINES: usize = 3;

impl<'a> MietteAdapter<'a> {
    fn new(diagnostic: &'a Diagnostic, report: &FileReport) -> Self {
        let text = &report.text;
        let primary = diagnostic.primary.span.start as usize;
        let lines_before = |start: usize| {
            text.get(start.min(primary)..primary).map_or(0, |between| {
                memchr::memchr_iter(b'\n', between.as_bytes()).count()
            })
        };
        let (earlier, labels): (Vec<_>, Vec<_>) = diagnostic.labels.iter().partition(|label| {
            label.message.is_some()
                && (label.span.start as usize) < primary
                && lines_before(label.span.start as usize) >= EARLIER_LINES
        });
        Self {
            diagnostic,
            source: NamedSource::new(&report.name, report.text.clone()),
            labels,
            earlier: earlier
                .into_iter()
                .map(|label| EarlierLabel {
                    message: label.message.clone().unwrap_or_default(),
                    span: source_span(label.span),
                })
                .collect(),
        }
    }
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
        labels.extend(self.labels.iter().map(|label| {
            LabeledSpan::new_with_span(label.message.clone(), source_span(label.span))
        }));
        Some(Box::new(labels.into_iter()))
    }
}
