//! Checks ADL agent definitions: the parser's syntax and structural rules, then
//! semantic rules over the typed model, and the registry of every rule adl has.
//!
//! ```
//! let report = adl_checker::check(br#"{ "events": { "processing_mode": "batch", "queue_size": 10 } }"#, &adl_checker::CheckOptions::default());
//! assert_eq!(report.diagnostics.len(), 1);
//! assert_eq!(report.diagnostics[0].rule.name, "unused-option");
//! assert!(adl_checker::find_rule("ADL206").is_some());
//! ```

mod context;
pub mod glob;
mod registry;
pub mod rules;
mod severity;
mod suppression;

use adl_diagnostics::Diagnostic;
use adl_parser::ParsedAgent;

pub use registry::{RULES, find_rule, suggest_rule};
pub use severity::{Level, SeverityOverrides, UnknownRule};

/// What to report beyond the default.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Add a `default-applied` note for every default the reader applied.
    pub explain_defaults: bool,
    /// Rule levels from `adl.toml` and the command line.
    pub overrides: SeverityOverrides,
}

/// The result of checking one document.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub parsed: ParsedAgent,
    /// Every finding, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and checks an agent definition from raw bytes. Never panics on input.
pub fn check(bytes: &[u8], options: &CheckOptions) -> CheckReport {
    let parsed = adl_parser::parse(bytes);
    let mut diagnostics = parsed.diagnostics.clone();
    // Semantic rules need the whole model: an element left out for a structural
    // error would make names look unknown, so they wait until the structure is right.
    let structurally_valid = !diagnostics.iter().any(Diagnostic::is_error);
    if let (Some(agent), true) = (&parsed.agent, structurally_valid) {
        let mut cx = context::Context::new(&parsed.document, agent);
        for check in rules::CHECKS {
            check(&mut cx);
        }
        diagnostics.extend(cx.diagnostics);
    }
    if options.explain_defaults {
        diagnostics.extend(parsed.default_notes());
    }
    if parsed.document.root().is_some() {
        suppression::apply_suppressions(&parsed.document, &mut diagnostics);
    }
    options.overrides.apply(&mut diagnostics);
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    CheckReport {
        parsed,
        diagnostics,
    }
}
