//! Conditions compiled for evaluation: path resolved to a root, regexes and
//! timestamp operands parsed once at load.

use std::cmp::Ordering;

use regex::Regex;
use serde_json::Value;

use super::path::{BareRoot, FieldPath, Scope};
use crate::graph::{ConditionNode, Operator};

/// A condition ready to evaluate. A missing field makes it false (except
/// `exists: false`), never an error.
#[derive(Debug, Clone)]
pub struct Condition {
    path: FieldPath,
    operator: Operator,
    value: Value,
    /// `matches`: the compiled regex (linear-time engine).
    regex: Option<Regex>,
    /// Ordering operators: the operand as a timestamp, when it is one.
    timestamp: Option<jiff::Timestamp>,
}

impl Condition {
    pub(crate) fn compile(node: &ConditionNode, bare: BareRoot) -> Result<Self, String> {
        let path = FieldPath::condition(&node.field, bare)?;
        let regex = match (node.operator, &node.value) {
            (Operator::Matches, Value::String(pattern)) => {
                Some(Regex::new(pattern).map_err(|e| format!("invalid regex: {e}"))?)
            }
            (Operator::Matches, _) => return Err("`matches` needs a string".to_owned()),
            _ => None,
        };
        if matches!(node.operator, Operator::In | Operator::NotIn) && !node.value.is_array() {
            return Err(format!("`{}` needs an array", keyword(node.operator)));
        }
        let timestamp = node.value.as_str().and_then(|s| s.parse().ok());
        Ok(Self {
            path,
            operator: node.operator,
            value: node.value.clone(),
            regex,
            timestamp,
        })
    }

    /// Whether the condition reads the event (it cannot hold without one).
    pub fn reads_event(&self) -> bool {
        self.path.reads_event()
    }

    pub fn holds(&self, scope: Scope<'_>) -> bool {
        let field = self.path.resolve(scope);
        if self.operator == Operator::Exists {
            return field.is_some() == self.value.as_bool().unwrap_or(true);
        }
        let Some(field) = field else {
            return false;
        };
        let field = field.as_ref();
        let value = &self.value;
        match self.operator {
            Operator::Equals => json_equal(field, value),
            Operator::NotEquals => !json_equal(field, value),
            Operator::GreaterThan => self.order(field) == Some(Ordering::Greater),
            Operator::GreaterThanOrEqual => {
                matches!(self.order(field), Some(Ordering::Greater | Ordering::Equal))
            }
            Operator::LessThan => self.order(field) == Some(Ordering::Less),
            Operator::LessThanOrEqual => {
                matches!(self.order(field), Some(Ordering::Less | Ordering::Equal))
            }
            Operator::Contains => match (field, value) {
                (Value::String(text), Value::String(part)) => text.contains(part.as_str()),
                (Value::Array(items), _) => items.iter().any(|item| json_equal(item, value)),
                _ => false,
            },
            Operator::In => value
                .as_array()
                .is_some_and(|options| options.iter().any(|o| json_equal(field, o))),
            Operator::NotIn => value
                .as_array()
                .is_some_and(|options| !options.iter().any(|o| json_equal(field, o))),
            Operator::StartsWith => match (field, value) {
                (Value::String(text), Value::String(prefix)) => text.starts_with(prefix.as_str()),
                _ => false,
            },
            Operator::EndsWith => match (field, value) {
                (Value::String(text), Value::String(suffix)) => text.ends_with(suffix.as_str()),
                _ => false,
            },
            Operator::Matches => match (field, &self.regex) {
                (Value::String(text), Some(regex)) => regex.is_match(text),
                _ => false,
            },
            Operator::Exists => unreachable!("handled above"),
        }
    }

    /// Numbers compare as numbers; two RFC 3339 strings as instants; anything
    /// else does not compare.
    fn order(&self, field: &Value) -> Option<Ordering> {
        match (field, &self.value) {
            (Value::Number(a), Value::Number(b)) => compare_numbers(a, b),
            (Value::String(text), Value::String(_)) => {
                let field: jiff::Timestamp = text.parse().ok()?;
                Some(field.cmp(self.timestamp.as_ref()?))
            }
            _ => None,
        }
    }
}

fn compare_numbers(a: &serde_json::Number, b: &serde_json::Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// JSON equality where numbers compare by value (`5 == 5.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => compare_numbers(a, b) == Some(Ordering::Equal),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| json_equal(a, b)))
        }
        _ => a == b,
    }
}

fn keyword(operator: Operator) -> String {
    serde_json::to_value(operator)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, json};

    use super::*;
    use crate::Event;

    fn holds(field: &str, operator: Operator, value: Value, data: Value) -> bool {
        let node = ConditionNode {
            field: field.to_owned(),
            operator,
            value,
        };
        let condition = Condition::compile(&node, BareRoot::Data).expect("compiles");
        let event = Event::new("e", "t", "2026-01-01T00:00:00Z", data);
        let state = Map::new();
        condition.holds(Scope {
            event: Some(&event),
            state: &state,
        })
    }

    #[test]
    fn every_operator() {
        use Operator::*;
        let data =
            json!({"n": 5, "s": "search_web", "tags": ["a", "b"], "at": "2026-02-01T00:00:00Z"});
        let cases = [
            ("n", Equals, json!(5.0), true),
            ("n", NotEquals, json!(5), false),
            ("n", GreaterThan, json!(4), true),
            ("n", GreaterThanOrEqual, json!(5), true),
            ("n", LessThan, json!(5), false),
            ("n", LessThanOrEqual, json!(5.5), true),
            ("s", Contains, json!("arch"), true),
            ("tags", Contains, json!("b"), true),
            ("s", In, json!(["x", "search_web"]), true),
            ("s", NotIn, json!(["search_web"]), false),
            ("s", StartsWith, json!("search"), true),
            ("s", EndsWith, json!("web"), true),
            ("s", Matches, json!("^search_(web|news)$"), true),
            ("s", Exists, json!(true), true),
            ("missing", Exists, json!(false), true),
            ("at", GreaterThan, json!("2026-01-15T00:00:00+01:00"), true),
            ("at", LessThan, json!("not a time"), false),
            ("s", GreaterThan, json!(1), false),
        ];
        for (field, operator, value, expected) in cases {
            assert_eq!(
                holds(field, operator, value.clone(), data.clone()),
                expected,
                "{field} {operator:?} {value}"
            );
        }
    }

    #[test]
    fn a_missing_field_makes_every_comparison_false() {
        use Operator::*;
        for operator in [
            Equals,
            NotEquals,
            GreaterThan,
            Contains,
            In,
            NotIn,
            StartsWith,
            Matches,
        ] {
            let value = if matches!(operator, In | NotIn) {
                json!(["x"])
            } else {
                json!("x")
            };
            assert!(
                !holds("missing", operator, value, json!({})),
                "{operator:?}"
            );
        }
    }
}
