//! `adl check --fix`: the certain fixes diagnostics carry, applied to the
//! bytes of their spans only (the file's formatting is kept), and shown as a
//! diff with `--diff`.

use std::fmt::Write as _;

use adl_diagnostics::{Diagnostic, Fix};

/// `text` with every fix of `diagnostics` applied, and the diagnostics
/// whose fix was applied. A fix that overlaps one before it, reaches past
/// the text, or would add a line is left out (it comes up again on the next
/// check).
pub fn apply<'d>(text: &str, diagnostics: &'d [Diagnostic]) -> (String, Vec<&'d Diagnostic>) {
    let mut fixable: Vec<(&Fix, &Diagnostic)> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|fix| (fix, d)))
        .collect();
    fixable.sort_by_key(|(fix, _)| (fix.span.start, fix.span.end));
    let mut fixed = String::with_capacity(text.len());
    let mut applied = Vec::new();
    let mut copied = 0;
    for (fix, diagnostic) in fixable {
        let (start, end) = (fix.span.start as usize, fix.span.end as usize);
        let fits = start >= copied
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
            && start <= end
            && end <= text.len()
            && !fix.replacement.contains('\n');
        if !fits {
            continue;
        }
        fixed.push_str(&text[copied..start]);
        fixed.push_str(&fix.replacement);
        copied = end;
        applied.push(diagnostic);
    }
    fixed.push_str(&text[copied..]);
    (fixed, applied)
}

/// A unified diff of `before` → `after` (fixes change lines, never add or
/// remove them): one hunk per changed line, without context.
pub fn diff(name: &str, before: &str, after: &str) -> String {
    let mut out = String::new();
    let mut changed = before
        .split_inclusive('\n')
        .zip(after.split_inclusive('\n'))
        .enumerate()
        .filter(|(_, (old, new))| old != new)
        .peekable();
    if changed.peek().is_none() {
        return out;
    }
    let _ = writeln!(out, "--- a/{name}\n+++ b/{name}");
    for (index, (old, new)) in changed {
        let line = index + 1;
        let _ = writeln!(out, "@@ -{line},1 +{line},1 @@");
        for (sign, text) in [('-', old), ('+', new)] {
            out.push(sign);
            out.push_str(text);
            if !text.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use adl_diagnostics::{Severity, Span, declare_rule};

    declare_rule! {
        /// A rule for these tests.
        pub static TEST_RULE = ("ADL999", "test-rule", Severity::Error, "a test rule");
    }

    fn fixing(start: u32, end: u32, replacement: &str) -> Diagnostic {
        Diagnostic::new(&TEST_RULE, "m", Span::new(start, end), "")
            .with_fix(Span::new(start, end), replacement)
    }

    #[test]
    fn fixes_replace_their_bytes_only_in_any_order() {
        let text = "{\"filtr\": 1, \"hanlder\": 2}\n";
        let diagnostics = [fixing(13, 22, "\"handler\""), fixing(1, 8, "\"filter\"")];
        let (fixed, applied) = apply(text, &diagnostics);
        assert_eq!(fixed, "{\"filter\": 1, \"handler\": 2}\n");
        assert_eq!(applied.len(), 2);
    }

    #[test]
    fn overlapping_and_out_of_range_fixes_are_left_out() {
        let text = "abcdef";
        let diagnostics = [
            fixing(0, 3, "X"),
            fixing(2, 4, "Y"),
            fixing(5, 99, "Z"),
            fixing(4, 5, "a\nb"),
        ];
        let (fixed, applied) = apply(text, &diagnostics);
        assert_eq!(fixed, "Xdef");
        assert_eq!(applied.len(), 1);
    }

    #[test]
    fn the_diff_shows_each_changed_line() {
        let diff = diff(
            "a.json",
            "{\n  \"filtr\": 1\n}\n",
            "{\n  \"filter\": 1\n}\n",
        );
        assert_eq!(
            diff,
            "--- a/a.json\n+++ b/a.json\n@@ -2,1 +2,1 @@\n-  \"filtr\": 1\n+  \"filter\": 1\n"
        );
        assert_eq!(super::diff("a.json", "same\n", "same\n"), "");
    }
}
