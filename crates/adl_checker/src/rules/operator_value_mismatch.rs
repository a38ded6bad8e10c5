use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{Keyword, Operator};
use serde_json::Value;

use crate::conditions::is_timestamp;
use crate::context::{Context, json_type_name};

declare_rule! {
    /// ## What it does
    /// Reports a condition `value` whose JSON type cannot work with its operator:
    /// ordering operators (`greater_than`, …) need a number or an RFC 3339
    /// timestamp; `in` and `not_in` need an array; `exists` needs a boolean;
    /// `matches`, `starts_with` and `ends_with` need a string.
    ///
    /// ## Why it matters
    /// The comparison is meaningless, so the condition would never (or always) hold.
    ///
    /// ## Example
    /// ```json
    /// { "field": "priority", "operator": "in", "value": "high" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "field": "priority", "operator": "in", "value": ["high", "urgent"] }
    /// ```
    pub static OPERATOR_VALUE_MISMATCH = ("ADL412", "operator-value-mismatch", Severity::Error, "a condition value does not fit its operator");
}

/// What `operator` needs, when `value` does not provide it.
fn needs(operator: Operator, value: &Value) -> Option<(&'static str, String)> {
    let number_or_time = value.is_number() || is_timestamp(value);
    let (fits, expected, example) = match operator {
        Operator::GreaterThan
        | Operator::GreaterThanOrEqual
        | Operator::LessThan
        | Operator::LessThanOrEqual => (
            number_or_time,
            "a number or an RFC 3339 timestamp",
            "`0.9` or `\"2026-01-01T00:00:00Z\"`".to_owned(),
        ),
        Operator::In | Operator::NotIn => (value.is_array(), "an array", format!("`[{value}]`")),
        Operator::Exists => (value.is_boolean(), "`true` or `false`", "`true`".to_owned()),
        Operator::Matches | Operator::StartsWith | Operator::EndsWith => (
            value.is_string(),
            "a string",
            format!("`\"{}\"`", value.to_string().trim_matches('"')),
        ),
        Operator::Equals | Operator::NotEquals | Operator::Contains => (true, "", String::new()),
    };
    (!fits).then_some((expected, example))
}

pub(crate) fn check(cx: &mut Context<'_>) {
    for site in cx.condition_sites() {
        let condition = site.condition;
        let Some(value) = &condition.value else {
            continue;
        };
        let operator = condition.operator.value;
        let Some((expected, example)) = needs(operator, &value.value) else {
            continue;
        };
        let diagnostic = Diagnostic::new(
            &OPERATOR_VALUE_MISMATCH,
            format!(
                "`{}` needs {expected}, found {}",
                operator.keyword(),
                json_type_name(&value.value)
            ),
            cx.span(value.node),
            cx.pointer(value.node),
        )
        .with_label(cx.span(condition.operator.node), "this operator")
        .with_help(format!(
            "write the value as {example}, or use another operator"
        ));
        cx.report(diagnostic);
    }
}
