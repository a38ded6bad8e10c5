use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::Operator;

use crate::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports a `matches` condition whose value is not a valid regular expression
    /// for the linear-time engine adl uses (Rust `regex` syntax: no look-around,
    /// no back-references), pointing at the part at fault; or one whose compiled
    /// form exceeds the engine's size limit (`\\w{1000}{1000}`), which the
    /// runtime would refuse to load. The pattern is compiled by the same engine
    /// the runtime uses. Also reports a tool parameter's `pattern` that is not a
    /// valid ECMA-262 regular expression (the JSON Schema dialect, look-around
    /// allowed).
    ///
    /// ## Why it matters
    /// The condition could not be compiled. Linear-time matching means no event
    /// can make a filter take exponential time.
    ///
    /// ## Example
    /// ```json
    /// { "field": "tool_name", "operator": "matches", "value": "^(search|fetch" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "field": "tool_name", "operator": "matches", "value": "^(search|fetch)" }
    /// ```
    pub static INVALID_REGEX = ("ADL413", "invalid-regex", Severity::Error, "a `matches` or parameter pattern is not a valid regular expression");
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for site in cx.condition_sites() {
        let condition = site.condition;
        if condition.operator.value != Operator::Matches {
            continue;
        }
        let Some(value) = &condition.value else {
            continue;
        };
        let serde_json::Value::String(pattern) = &value.value else {
            continue;
        };
        let Err(error) = regex_syntax::Parser::new().parse(pattern) else {
            if let Err(regex::Error::CompiledTooBig(limit)) = regex::Regex::new(pattern) {
                let diagnostic = Diagnostic::new(
                    &INVALID_REGEX,
                    format!("regular expression too large: compiled, it exceeds the {limit}-byte limit"),
                    cx.span(value.node),
                    cx.pointer(value.node),
                )
                .with_note("nested repetitions multiply: `\\w{1000}{1000}` is a million `\\w`s")
                .with_help("use smaller repetition counts, or `+`/`*` instead of large counts");
                cx.report(diagnostic);
            }
            continue;
        };
        let (span, kind) = match &error {
            regex_syntax::Error::Parse(e) => (e.span(), e.kind().to_string()),
            regex_syntax::Error::Translate(e) => (e.span(), e.kind().to_string()),
            _ => (
                &regex_syntax::ast::Span::splat(regex_syntax::ast::Position::new(0, 1, 1)),
                error.to_string(),
            ),
        };
        let (start, end) = (
            span.start.offset,
            span.end
                .offset
                .max(span.start.offset + 1)
                .min(pattern.len()),
        );
        let diagnostic = Diagnostic::new(
            &INVALID_REGEX,
            format!("invalid regular expression: {kind}"),
            cx.doc.string_subspan(value.node, start.min(end), end),
            cx.pointer(value.node),
        )
        .with_note("patterns use the linear-time `regex` syntax: no look-around or back-references")
        .with_help("fix the pattern; escape literal characters like `(` `.` `?` with `\\\\`");
        cx.report(diagnostic);
    }
}
