//! Templates pre-parsed at load (spec §7): a value tree whose strings are
//! either literal, exactly one template (type-preserving), or text with
//! templates inside (stringified).

use adl_parser::template::{Segment, parse_template_string};
use serde_json::{Map, Value};

use super::path::{FieldPath, Scope};

/// A JSON value whose strings may hold templates.
#[derive(Debug, Clone)]
pub enum Template {
    Literal(Value),
    /// The whole string is one template: yields the value itself.
    Whole {
        path: FieldPath,
        fallback: Option<Value>,
    },
    /// Text with templates inside: yields a string.
    Text(Vec<Piece>),
    Array(Vec<Template>),
    Object(Vec<(String, Template)>),
}

#[derive(Debug, Clone)]
pub enum Piece {
    Text(String),
    Path {
        path: FieldPath,
        fallback: Option<Value>,
    },
}

impl Template {
    /// Parses every string of `value`. Values without templates stay literal.
    pub(crate) fn compile(value: &Value) -> Result<Self, String> {
        Ok(match value {
            Value::String(text) => Self::string(text)?,
            Value::Array(items) => {
                let items = items
                    .iter()
                    .map(Self::compile)
                    .collect::<Result<Vec<_>, _>>()?;
                if items.iter().all(|t| matches!(t, Template::Literal(_))) {
                    Template::Literal(value.clone())
                } else {
                    Template::Array(items)
                }
            }
            Value::Object(members) => {
                let members = members
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), Self::compile(v)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                if members
                    .iter()
                    .all(|(_, t)| matches!(t, Template::Literal(_)))
                {
                    Template::Literal(value.clone())
                } else {
                    Template::Object(members)
                }
            }
            other => Template::Literal(other.clone()),
        })
    }

    /// Parses a string that may hold templates.
    pub(crate) fn string(text: &str) -> Result<Self, String> {
        if !text.contains("${") {
            return Ok(Template::Literal(Value::String(text.to_owned())));
        }
        let segments = parse_template_string(text).map_err(|e| e.message)?;
        let mut pieces = Vec::with_capacity(segments.len());
        for segment in segments {
            pieces.push(match segment {
                Segment::Text(text) => Piece::Text(text),
                Segment::Template { path, fallback, .. } => Piece::Path {
                    path: FieldPath::template(&path.dotted())?,
                    fallback,
                },
            });
        }
        Ok(match pieces.as_slice() {
            [Piece::Path { path, fallback }] => Template::Whole {
                path: path.clone(),
                fallback: fallback.clone(),
            },
            _ if pieces.iter().all(|p| matches!(p, Piece::Text(_))) => {
                let text = pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Text(t) => t.as_str(),
                        Piece::Path { .. } => "",
                    })
                    .collect();
                Template::Literal(Value::String(text))
            }
            _ => Template::Text(pieces),
        })
    }

    /// The value with every template substituted. Values are only ever
    /// substituted: never evaluated, never expanded again.
    pub fn render(&self, scope: Scope<'_>) -> Value {
        match self {
            Template::Literal(value) => value.clone(),
            Template::Whole { path, fallback } => match path.resolve(scope) {
                Some(value) => value.into_owned(),
                None => fallback.clone().unwrap_or(Value::Null),
            },
            Template::Text(pieces) => {
                let mut out = String::new();
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => out.push_str(text),
                        Piece::Path { path, fallback } => match path.resolve(scope) {
                            Some(value) => push_stringified(&mut out, &value),
                            None => {
                                if let Some(fallback) = fallback {
                                    push_stringified(&mut out, fallback);
                                }
                            }
                        },
                    }
                }
                Value::String(out)
            }
            Template::Array(items) => Value::Array(items.iter().map(|t| t.render(scope)).collect()),
            Template::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, t)| (k.clone(), t.render(scope)))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

/// Strings as they are; everything else as compact JSON.
fn push_stringified(out: &mut String, value: &Value) {
    match value {
        Value::String(text) => out.push_str(text),
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Event;

    #[allow(clippy::needless_pass_by_value, reason = "tests pass json! literals")]
    fn render(template: Value, data: Value) -> Value {
        let event = Event::new("e1", "ping", "2026-01-01T00:00:00Z", data);
        let state = json!({"count": 2}).as_object().cloned().expect("object");
        Template::compile(&template)
            .expect("compiles")
            .render(Scope {
                event: Some(&event),
                state: &state,
            })
    }

    #[test]
    fn whole_string_templates_keep_the_type() {
        assert_eq!(
            render(json!("${event.data.obj}"), json!({"obj": {"a": [1]}})),
            json!({"a": [1]})
        );
        assert_eq!(render(json!("${state.count}"), json!({})), json!(2));
        assert_eq!(
            render(json!("${event.data.missing}"), json!({})),
            Value::Null
        );
        assert_eq!(
            render(json!("${event.data.missing ?? \"n/a\"}"), json!({})),
            json!("n/a")
        );
    }

    #[test]
    fn embedded_templates_are_stringified() {
        assert_eq!(
            render(
                json!({"q": "id=${event.id} obj=${event.data.obj} x=${event.data.x}!"}),
                json!({"obj": {"a": 1}})
            ),
            json!({"q": "id=e1 obj={\"a\":1} x=!"})
        );
        assert_eq!(
            render(json!("n=${event.data.n ?? 0}"), json!({})),
            json!("n=0")
        );
    }

    #[test]
    fn escaped_and_substituted_text_is_never_expanded_again() {
        assert_eq!(
            render(json!("$${event.id}"), json!({})),
            json!("${event.id}")
        );
        assert_eq!(
            render(json!("${event.data.t}"), json!({"t": "${event.id}"})),
            json!("${event.id}")
        );
    }
}
