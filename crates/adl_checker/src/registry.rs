//! Every rule adl can report, from every crate, in code order. `adl explain`,
//! the generated `docs/diagnostics.md`, SARIF output and the self-tests read this.

use std::sync::LazyLock;

use adl_diagnostics::Rule;

/// All rules, sorted by code.
pub static RULES: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    let mut rules: Vec<&'static Rule> = adl_parser::rules::RULES.to_vec();
    rules.extend_from_slice(crate::rules::RULES);
    rules.extend_from_slice(crate::rules::SECTION_RULES);
    rules.sort_by_key(|rule| rule.code);
    rules
});

/// The rule with this code (any case) or name.
pub fn find_rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.is_named(id))
}

/// The rule name closest to a misspelt `id`.
pub fn suggest_rule(id: &str) -> Option<&'static str> {
    adl_parser::suggest(id, RULES.iter().map(|rule| rule.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        codes.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(codes.len(), RULES.len(), "duplicate rule code");
        assert_eq!(names.len(), RULES.len(), "duplicate rule name");
    }

    #[test]
    fn every_rule_is_documented_and_well_named() {
        for rule in RULES.iter() {
            assert!(
                rule.code.starts_with("ADL") && rule.code.len() == 6,
                "{}",
                rule.code
            );
            assert!(
                rule.code[3..].chars().all(|c| c.is_ascii_digit()),
                "{}",
                rule.code
            );
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{} is not kebab-case",
                rule.name
            );
            assert!(
                !rule.name.starts_with("no-"),
                "{} describes the fix",
                rule.name
            );
            assert!(
                !rule.summary.ends_with('.'),
                "{}: summary ends with a period",
                rule.code
            );
            for section in [
                "## What it does",
                "## Why it matters",
                "## Example",
                "## Use instead",
            ] {
                assert!(
                    rule.docs.contains(section),
                    "{} docs lack `{section}`",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn rules_are_found_by_code_or_name() {
        assert_eq!(find_rule("adl104").map(|r| r.name), Some("duplicate-key"));
        assert_eq!(find_rule("duplicate-key").map(|r| r.code), Some("ADL104"));
        assert_eq!(suggest_rule("duplicate-keys"), Some("duplicate-key"));
    }
}
