//! Severity control: `--warn` / `--deny` / `--allow` and the `[rules]` table of `adl.toml`.

use adl_diagnostics::{Diagnostic, Rule, Severity};

use crate::registry::{find_rule, suggest_rule};

/// What to do with a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Drop them.
    Allow,
    /// Report them as warnings.
    Warn,
    /// Report them as errors.
    Deny,
}

/// Rule → level, later entries overriding earlier ones (config, then command line).
#[derive(Debug, Clone, Default)]
pub struct SeverityOverrides {
    entries: Vec<(&'static Rule, Level)>,
}

/// A rule id that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{id}`{}", suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct UnknownRule {
    pub id: String,
    pub suggestion: Option<&'static str>,
}

impl SeverityOverrides {
    /// Sets `level` for the rule named `id` (code or name).
    pub fn set(&mut self, id: &str, level: Level) -> Result<(), UnknownRule> {
        let rule = find_rule(id).ok_or_else(|| UnknownRule {
            id: id.to_owned(),
            suggestion: suggest_rule(id),
        })?;
        self.entries.push((rule, level));
        Ok(())
    }

    pub fn level_of(&self, rule: &Rule) -> Option<Level> {
        self.entries
            .iter()
            .rev()
            .find(|(r, _)| r.code == rule.code)
            .map(|&(_, level)| level)
    }

    /// Whether findings of `rule` are reported (so that opt-in rules left off
    /// need not be computed).
    pub fn reports(&self, rule: &Rule) -> bool {
        match self.level_of(rule) {
            Some(Level::Allow) => adl_parser::rules::is_syntax_rule(rule),
            Some(Level::Warn | Level::Deny) => true,
            None => rule.enabled_by_default,
        }
    }

    /// Applies the overrides, and drops the findings of opt-in rules no
    /// override enabled. Syntax rules (`ADL1xx`) are never lowered: a document
    /// that cannot be read cannot be checked.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|diagnostic| {
            if adl_parser::rules::is_syntax_rule(diagnostic.rule) {
                return true;
            }
            match self.level_of(diagnostic.rule) {
                Some(Level::Allow) => false,
                Some(Level::Warn) => {
                    diagnostic.severity = Severity::Warning;
                    true
                }
                Some(Level::Deny) => {
                    diagnostic.severity = Severity::Error;
                    true
                }
                None => diagnostic.rule.enabled_by_default,
            }
        });
    }
}
