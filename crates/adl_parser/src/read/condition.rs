use super::Reader;
use crate::json::NodeId;
use crate::model::{Condition, Operator};

const KEYS: &[&str] = &["field", "operator", "value"];

impl Reader<'_> {
    /// `{ "field", "operator", "value" }`; `value` may be left out with `exists` (default `true`).
    pub fn condition(&mut self, node: NodeId) -> Option<Condition> {
        let mut fields = self.object(node, "a condition")?;
        self.unknown_keys(&mut fields, KEYS, &[]);
        let allow = self.suppressions(&fields);
        let field = self.required(&fields, "field").and_then(|n| self.string(n));
        let operator = self
            .required(&fields, "operator")
            .and_then(|n| self.keyword::<Operator>(n));
        let value = fields.get("value").map(|n| self.json_value(n));
        if value.is_none() {
            match &operator {
                Some(op) if op.value == Operator::Exists => {
                    let pointer = self.doc.pointer(node);
                    self.record_default(node, &pointer, "value", serde_json::Value::Bool(true));
                }
                Some(_) => self.missing(
                    &fields,
                    "value",
                    Some("only `exists` may leave out `value` (it defaults to `true`)".to_owned()),
                ),
                None => {}
            }
        }
        Some(Condition {
            field: field?,
            operator: operator?,
            value,
            allow,
            node,
        })
    }
}
