use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::model::{Keyword, Operator};
use serde_json::Value;

use crate::conditions::is_timestamp;
use crate::context::Context;
use crate::reach::FieldType;

declare_rule! {
    /// ## What it does
    /// Reports a condition whose field has a known type (a built-in event field, a
    /// field declared in `event_types`, an initial `state` value or a literal a
    /// handler writes) that its value or operator cannot match: `status equals 5`
    /// (`status` is a string), `greater_than` on a string field, an `in` list with
    /// elements of another type.
    ///
    /// ## Why it matters
    /// The condition can never hold, so the trigger never fires or the filter drops
    /// every event.
    ///
    /// ## Example
    /// ```json
    /// { "subscription_type": "filtered", "event_name": "tool_invocation",
    ///   "filter": { "field": "status", "operator": "equals", "value": 500 }, "handler": "h" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "filter": { "field": "status", "operator": "equals", "value": "error" }
    /// ```
    pub static FIELD_VALUE_MISMATCH = ("ADL414", "field-value-mismatch", Severity::Error, "a condition compares a field with a value of another type");
}

fn mismatch(kind: FieldType, operator: Operator, value: &Value) -> bool {
    match operator {
        Operator::Equals | Operator::NotEquals => !kind.admits(value),
        Operator::In | Operator::NotIn => value
            .as_array()
            .is_some_and(|items| items.iter().any(|item| !kind.admits(item))),
        Operator::GreaterThan
        | Operator::GreaterThanOrEqual
        | Operator::LessThan
        | Operator::LessThanOrEqual => match kind {
            FieldType::Number | FieldType::Integer => !value.is_number(),
            FieldType::Timestamp => !is_timestamp(value),
            _ => true,
        },
        Operator::StartsWith | Operator::EndsWith | Operator::Matches => {
            !matches!(kind, FieldType::String | FieldType::Timestamp)
        }
        Operator::Contains => !matches!(
            kind,
            FieldType::String | FieldType::Timestamp | FieldType::Array
        ),
        Operator::Exists => false,
    }
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let state_fields = cx.state_fields();
    for site in cx.condition_sites() {
        let condition = site.condition;
        let Some(value) = &condition.value else {
            continue;
        };
        let Some(kind) = cx.subject_type(&site, &state_fields) else {
            continue;
        };
        let operator = condition.operator.value;
        if !mismatch(kind, operator, &value.value) {
            continue;
        }
        let field = &condition.field.value;
        let diagnostic = Diagnostic::new(
            &FIELD_VALUE_MISMATCH,
            format!(
                "`{field}` is {}, so `{}` {} can never hold",
                kind.describe(),
                operator.keyword(),
                value.value
            ),
            cx.span(value.node),
            cx.pointer(value.node),
        )
        .with_label(cx.span(condition.field.node), kind.describe())
        .with_help(format!("compare `{field}` with {}", kind.describe()));
        cx.report(diagnostic);
    }
}
