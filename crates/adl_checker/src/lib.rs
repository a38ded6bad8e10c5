//! Checks ADL agent definitions: the parser's syntax and structural rules, then
//! semantic rules over the typed model, and the registry of every rule adl has.
//!
//! ```
//! let report = adl_checker::check(br#"{ "events": { "processing_mode": "batch", "queue_size": 10 } }"#, &adl_checker::CheckOptions::default());
//! assert_eq!(report.diagnostics.len(), 1);
//! assert_eq!(report.diagnostics[0].rule.name, "unused-option");
//! assert!(adl_checker::find_rule("ADL206").is_some());
//! ```

mod cascade;
mod conditions;
pub mod connection;
mod context;
pub mod cron;
pub mod glob;
mod reach;
mod registry;
pub mod rules;
mod sections;
mod severity;
mod suppression;
pub mod symbols;
mod templates;

use adl_diagnostics::Diagnostic;
use adl_parser::ParsedAgent;

pub use registry::{RULES, find_rule, suggest_rule};
pub use rules::secrets::redact_secrets;
pub use severity::{Level, SeverityOverrides, UnknownRule};

/// What to report beyond the default.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Add a `default-applied` note for every default the reader applied.
    pub explain_defaults: bool,
    /// Rule levels from `adl.toml` and the command line.
    pub overrides: SeverityOverrides,
    /// The time from which fire times in help are computed (default: now).
    pub now: Option<jiff::Timestamp>,
    /// The syntax of the text (from the file name; JSON by default).
    pub syntax: adl_parser::Syntax,
}

/// The result of checking one document.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub parsed: ParsedAgent,
    /// Every finding, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Source spans of secrets (inline passwords): outputs must redact them.
    pub secrets: Vec<adl_diagnostics::Span>,
}

impl CheckReport {
    /// The source text with every secret replaced by `*` (byte lengths kept, so
    /// spans still point at the right places). Use this, never the raw text, for
    /// anything shown or written.
    pub fn redacted_text(&self) -> String {
        let text = self.parsed.document.text();
        if self.secrets.is_empty() {
            return text.to_owned();
        }
        let mut bytes = text.as_bytes().to_vec();
        for span in &self.secrets {
            if let Some(secret) = bytes.get_mut(span.range()) {
                secret.fill(b'*');
            }
        }
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

impl CheckReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Whether `diagnostic` is an error in what the model is read from: the
/// text itself, the events block or the tools. (Errors elsewhere in the
/// document, a missing `description` say, leave the model whole.) When the
/// reader kept everything written (`model_whole`: its errors are unknown keys
/// and keywords read as the ones they surely mean), its errors do not.
fn breaks_the_model(diagnostic: &Diagnostic, model_whole: bool) -> bool {
    let pointer = diagnostic.pointer.as_str();
    let under = |prefix: &str| {
        pointer
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    diagnostic.is_error()
        && (adl_parser::rules::is_syntax_rule(diagnostic.rule)
            || !model_whole
                && (pointer.is_empty()
                    && diagnostic.rule.code == adl_parser::rules::WRONG_TYPE.code
                    || pointer == "/capabilities"
                    || [
                        "/events",
                        "/tools",
                        "/capabilities/events",
                        "/capabilities/tools",
                    ]
                    .iter()
                    .any(|prefix| under(prefix))))
}

/// Parses and checks an agent definition from raw bytes. Never panics on input.
pub fn check(bytes: &[u8], options: &CheckOptions) -> CheckReport {
    let parsed = adl_parser::parse_as(bytes, options.syntax);
    let mut diagnostics = parsed.diagnostics.clone();
    // Semantic rules need the whole model: an element left out for a structural
    // error would make names look unknown, so they wait until the structure is
    // right, unless the reader recovered from every structural error.
    let structurally_valid = !diagnostics
        .iter()
        .any(|d| breaks_the_model(d, parsed.model_whole));
    if let (Some(agent), true) = (&parsed.agent, structurally_valid) {
        let now = options.now.unwrap_or_else(jiff::Timestamp::now);
        let mut cx = context::Context::new(&parsed.document, agent, now);
        for check in rules::CHECKS {
            check(&mut cx);
        }
        diagnostics.extend(cx.diagnostics);
    }
    let found = rules::secrets::find_secrets(&parsed.document);
    if let Some(info) = &parsed.info {
        diagnostics.extend(sections::check(
            &parsed.document,
            info,
            &found.inline,
            &options.overrides,
        ));
    }
    let secrets = found.redact;
    if options.explain_defaults {
        diagnostics.extend(parsed.document_note());
        diagnostics.extend(parsed.default_notes());
    }
    if parsed.document.root().is_some() {
        suppression::apply_suppressions(&parsed.document, &mut diagnostics);
    }
    options.overrides.apply(&mut diagnostics);
    // A total order, so that output never depends on the order rules ran in.
    diagnostics.sort_by(|a, b| {
        (
            a.primary.span.start,
            a.primary.span.end,
            a.rule.code,
            &a.message,
        )
            .cmp(&(
                b.primary.span.start,
                b.primary.span.end,
                b.rule.code,
                &b.message,
            ))
    });
    CheckReport {
        parsed,
        diagnostics,
        secrets,
    }
}
