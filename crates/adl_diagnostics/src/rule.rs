use crate::Severity;

/// The static record of one diagnostic rule: what `adl explain`, the generated
/// docs and the self-tests read.
///
/// Codes are stable: never reused, never renumbered. Names are kebab-case and
/// describe the problem (`duplicate-key`), not the fix.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// Whether the rule reports without being asked. Opt-in rules hold opinions
    /// (best practices a correct file may ignore); they report only when enabled
    /// with `--warn`/`--deny` or in `adl.toml`.
    pub enabled_by_default: bool,
    /// One line, lower case, no trailing period.
    pub summary: &'static str,
    /// Long-form Markdown docs: what it does, why it matters, an example, what
    /// to use instead, as the doc comment gives them (each line keeps the space
    /// after `///`); [`Rule::long_docs`] is the text to show.
    pub docs: &'static str,
}

impl Rule {
    /// The long-form docs as Markdown: each line without the one space the doc
    /// comment put after `///`.
    pub fn long_docs(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// Whether `id` names this rule, by code (case-insensitive) or by name.
    pub fn is_named(&self, id: &str) -> bool {
        self.code.eq_ignore_ascii_case(id) || self.name == id
    }
}

/// Declares a [`Rule`] as a static, capturing its doc comment as the long-form docs.
/// A trailing `opt_in` declares a rule that is off until enabled.
///
/// ```
/// use adl_diagnostics::{declare_rule, Severity};
/// declare_rule! {
///     /// ## What it does
///     /// Explains itself.
///     pub static SELF_EXPLAINING = ("ADL998", "self-explaining", Severity::Note, "a rule with docs");
/// }
/// assert!(SELF_EXPLAINING.docs.contains("Explains itself."));
/// assert!(SELF_EXPLAINING.enabled_by_default);
/// assert!(SELF_EXPLAINING.long_docs().starts_with("## What it does\n"));
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = ($code:literal, $name:literal, $severity:expr, $summary:literal $(,)?);
    ) => {
        $crate::declare_rule!(@rule $(#[doc = $doc])* $vis $ident, $code, $name, $severity, $summary, true);
    };
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = ($code:literal, $name:literal, $severity:expr, $summary:literal, opt_in $(,)?);
    ) => {
        $crate::declare_rule!(@rule $(#[doc = $doc])* $vis $ident, $code, $name, $severity, $summary, false);
    };
    (
        @rule $(#[doc = $doc:literal])* $vis:vis $ident:ident,
        $code:literal, $name:literal, $severity:expr, $summary:literal, $enabled:literal
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::Rule = $crate::Rule {
            code: $code,
            name: $name,
            default_severity: $severity,
            enabled_by_default: $enabled,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
        };
    };
}
