//! Field paths and `${…}` templates (spec §3, §7), parsed with nom.
//!
//! A path is dotted with optional indexes: `event.data.items[0].id`. A template
//! string mixes text with `${ PATH }` or `${ PATH ?? VALUE }` (a fallback: any
//! JSON value, `[]` and `{}` included); `$${` is a literal `${`. Ranges are byte offsets into the decoded
//! string: [`crate::Document::string_subspan`] maps them back to the source.

use std::fmt::Write as _;
use std::ops::Range;

use nom::branch::alt;
use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{char, digit1, multispace0};
use nom::combinator::{all_consuming, map, map_res, recognize};
use nom::multi::many0;
use nom::sequence::{delimited, pair, preceded};
use nom::{IResult, Parser};

/// The envelope fields a template may name after `event.` (`name` and
/// `value` are aliases of `event_type` and `data`); any other name is a
/// field of `event.data`.
pub const EVENT_FIELDS: &[&str] = &[
    "id",
    "event_type",
    "source",
    "timestamp",
    "data",
    "name",
    "value",
];

/// One step of a path after its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Field(String),
    Index(usize),
}

/// `root(.field|[index])*`, e.g. `event.data.items[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub root: String,
    pub segments: Vec<PathSegment>,
    /// Byte range of the whole path in the string it was parsed from.
    pub range: Range<usize>,
}

impl Path {
    /// The field names after the root, with their positions (indexes skipped).
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Field(f) => Some(f.as_str()),
            PathSegment::Index(_) => None,
        })
    }

    /// Dotted form: `event.data.items[0]`.
    pub fn dotted(&self) -> String {
        let mut out = self.root.clone();
        for segment in &self.segments {
            match segment {
                PathSegment::Field(f) => {
                    out.push('.');
                    out.push_str(f);
                }
                PathSegment::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }
}

/// A piece of a template string.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Text(String),
    Template {
        path: Path,
        fallback: Option<serde_json::Value>,
        /// Byte range of `${ … }`.
        range: Range<usize>,
    },
}

/// A syntax error with the byte range at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub range: Range<usize>,
    pub help: String,
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn identifier(input: &str) -> IResult<&str, &str> {
    recognize(pair(take_while1(is_ident_start), take_while(is_ident_char))).parse(input)
}

fn segment(input: &str) -> IResult<&str, PathSegment> {
    alt((
        map(preceded(char('.'), identifier), |f: &str| {
            PathSegment::Field(f.to_owned())
        }),
        map(
            delimited(char('['), map_res(digit1, str::parse::<usize>), char(']')),
            PathSegment::Index,
        ),
    ))
    .parse(input)
}

fn path_parts(input: &str) -> IResult<&str, (&str, Vec<PathSegment>)> {
    pair(identifier, many0(segment)).parse(input)
}

/// The keys of a `state_field` (`orders.last_id` → `orders`, `last_id`): names
/// joined by `.`, none empty. The error's range is the empty name's place (the
/// `.` that has nothing on one side).
pub fn state_field_keys(field: &str) -> Result<Vec<&str>, SyntaxError> {
    let help = "a state field is names joined by `.`: `orders.last_id`".to_owned();
    if field.is_empty() {
        return Err(SyntaxError {
            message: "empty state field".to_owned(),
            range: 0..0,
            help,
        });
    }
    let mut at = 0;
    let mut keys = Vec::new();
    for key in field.split('.') {
        if key.is_empty() {
            let dot = at.min(field.len() - 1);
            return Err(SyntaxError {
                message: format!("`{field}` has an empty name"),
                range: dot..dot + 1,
                help,
            });
        }
        keys.push(key);
        at += key.len() + 1;
    }
    Ok(keys)
}

/// Parses a whole field path (`parameters.query`, `items[0].id`).
pub fn parse_path(text: &str) -> Result<Path, SyntaxError> {
    if let Ok((_, (root, segments))) = all_consuming(path_parts).parse(text) {
        return Ok(Path {
            root: root.to_owned(),
            segments,
            range: 0..text.len(),
        });
    }
    // Where the longest valid prefix stops is where the problem is.
    let at = path_parts(text)
        .map_or(0, |(rest, _)| text.len() - rest.len())
        .min(text.len());
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let message = if text.is_empty() {
        "empty field path".to_owned()
    } else if at == text.len() {
        "the field path ends too early".to_owned()
    } else {
        format!("unexpected `{}` in field path", &text[at..end])
    };
    Err(SyntaxError {
        message,
        range: at..end,
        help: "a path is names joined by `.`, with optional `[index]`: `data.items[0].id`"
            .to_owned(),
    })
}

const FALLBACK_HELP: &str =
    "a fallback is a JSON value: `?? \"n/a\"`, `?? 0`, `?? false`, `?? null`, `?? []`, `?? {}`";

/// The JSON value after `??` (`text` starts right after it, at `at` in the
/// string), read with the document's own JSON parser so that a duplicate key in
/// an object fallback is an error, not a silent choice.
fn parse_fallback(text: &str, at: usize) -> Result<serde_json::Value, SyntaxError> {
    let leading = text.len() - text.trim_start().len();
    let literal = text.trim();
    if literal.is_empty() {
        return Err(SyntaxError {
            message: "missing fallback after `??`".to_owned(),
            range: at.saturating_sub(2)..at + text.len(),
            help: FALLBACK_HELP.to_owned(),
        });
    }
    let (document, diagnostics) = crate::json::parse_json(literal.as_bytes());
    if let Some(error) = diagnostics.iter().find(|d| d.is_error()) {
        let span = error.primary.span.range();
        let start = span.start.min(literal.len());
        let end = span.end.clamp(start, literal.len());
        // An error at the end (a value cut short) points at the whole literal.
        let (start, end) = if start == end {
            (0, literal.len())
        } else {
            (start, end)
        };
        return Err(SyntaxError {
            message: format!("invalid fallback `{literal}`: {}", error.message),
            range: at + leading + start..at + leading + end,
            help: FALLBACK_HELP.to_owned(),
        });
    }
    Ok(document
        .root()
        .map_or(serde_json::Value::Null, |root| document.to_value(root)))
}

/// The path inside `${ … }`, with optional white space around it.
fn template_path(input: &str) -> IResult<&str, (&str, Vec<PathSegment>)> {
    delimited(multispace0, path_parts, multispace0).parse(input)
}

/// Splits a string into text and templates. `Ok` with one `Text` when there is no template.
pub fn parse_template_string(text: &str) -> Result<Vec<Segment>, SyntaxError> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut rest_start = 0;
    while let Some(found) = text[rest_start..].find('$').map(|i| rest_start + i) {
        literal.push_str(&text[rest_start..found]);
        let after = &text[found..];
        if after.starts_with("$${") {
            literal.push_str("${");
            rest_start = found + 3;
            continue;
        }
        if !after.starts_with("${") {
            literal.push('$');
            rest_start = found + 1;
            continue;
        }
        let body_start = found + 2;
        let Some(close) = closing_brace(&text[body_start..]).map(|i| body_start + i) else {
            return Err(SyntaxError {
                message: "unterminated template: `${` is never closed".to_owned(),
                range: found..text.len(),
                help: "close it with `}`, or write `$${` for a literal `${`".to_owned(),
            });
        };
        let body = &text[body_start..close];
        // A path holds no `?`, so the first `??` starts the fallback.
        let (path_text, fallback) = match body.find("??") {
            Some(at) => (
                &body[..at],
                Some(parse_fallback(&body[at + 2..], body_start + at + 2)?),
            ),
            None => (body, None),
        };
        let Ok((_, (root, path_segments))) = all_consuming(template_path).parse(path_text) else {
            return Err(body_error(path_text, body_start, fallback.is_some()));
        };
        let path_start = body_start + (body.len() - body.trim_start().len());
        let path_len = root.len() + path_segments.iter().map(segment_len).sum::<usize>();
        if !literal.is_empty() {
            segments.push(Segment::Text(std::mem::take(&mut literal)));
        }
        segments.push(Segment::Template {
            path: Path {
                root: root.to_owned(),
                segments: path_segments,
                range: path_start..path_start + path_len,
            },
            fallback,
            range: found..close + 1,
        });
        rest_start = close + 1;
    }
    literal.push_str(&text[rest_start..]);
    if !literal.is_empty() || segments.is_empty() {
        segments.push(Segment::Text(literal));
    }
    Ok(segments)
}

fn segment_len(segment: &PathSegment) -> usize {
    match segment {
        PathSegment::Field(f) => f.len() + 1,
        PathSegment::Index(i) => i.to_string().len() + 2,
    }
}

/// The `}` that closes a template body, skipping strings and the arrays and
/// objects of a fallback (`${x ?? {"a": [1]}}`).
fn closing_brace(body: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    // Only open objects count: a `}` with no `{` open closes the template even
    // inside an unclosed array, so `${x ?? [1,}` is a bad fallback, not unterminated.
    let mut open_objects = 0_usize;
    for (i, c) in body.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => open_objects += 1,
            '}' if open_objects == 0 => return Some(i),
            '}' => open_objects -= 1,
            _ => {}
        }
    }
    None
}

/// Explains why a template's path does not parse, pointing at the first bad
/// character. `body` is the text before any `??`.
fn body_error(body: &str, body_start: usize, has_fallback: bool) -> SyntaxError {
    let leading = body.len() - body.trim_start().len();
    let trimmed = body.trim();
    if trimmed.is_empty() && has_fallback {
        return SyntaxError {
            message: "expected a name before `??`".to_owned(),
            range: body_start..body_start + body.len().max(1),
            help: "a fallback follows a path: `${event.data.tags ?? []}`".to_owned(),
        };
    }
    if trimmed.is_empty() {
        return SyntaxError {
            message: "empty template `${}`".to_owned(),
            range: body_start.saturating_sub(2)..body_start + body.len() + 1,
            help: "name a value: `${event.data.field}` or `${state.field}`".to_owned(),
        };
    }
    let consumed =
        path_parts(&body[leading..]).map_or(0, |(rest, _)| body.len() - leading - rest.len());
    let at = leading + consumed;
    let end = body[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let message = if consumed == 0 {
        format!("expected a name, found `{}`", &body[at..end])
    } else {
        format!("unexpected `{}` in template", &body[at..end])
    };
    SyntaxError {
        message,
        range: body_start + at..body_start + end,
        help: "a template is `${path}` or `${path ?? fallback}`, the path names joined by `.` with optional `[index]`".to_owned(),
    }
}

/// Whether any string inside a JSON value holds a template (its value is then
/// known only at run time).
pub fn value_has_template(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => has_template(s),
        serde_json::Value::Array(items) => items.iter().any(value_has_template),
        serde_json::Value::Object(map) => map.values().any(value_has_template),
        _ => false,
    }
}

/// Whether a string holds a template at all (fast pre-check).
pub fn has_template(text: &str) -> bool {
    text.contains("${")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template_paths(text: &str) -> Vec<String> {
        parse_template_string(text)
            .expect("valid")
            .into_iter()
            .filter_map(|s| match s {
                Segment::Template { path, .. } => Some(path.dotted()),
                Segment::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn paths_with_indexes() {
        let path = parse_path("items[0].id").expect("valid");
        assert_eq!(path.root, "items");
        assert_eq!(
            path.segments,
            [PathSegment::Index(0), PathSegment::Field("id".into())]
        );
        let error = parse_path("items..id").expect_err("invalid");
        assert_eq!(error.range, 5..6);
        assert!(parse_path("a[x]").is_err());
    }

    #[test]
    fn state_fields_are_dotted_names() {
        assert_eq!(
            state_field_keys("a.b_c.1").expect("valid"),
            ["a", "b_c", "1"]
        );
        for (field, at) in [("", 0..0), (".a", 0..1), ("a.", 1..2), ("a..b", 2..3)] {
            assert_eq!(
                state_field_keys(field).expect_err(field).range,
                at,
                "{field}"
            );
        }
    }

    #[test]
    fn templates_text_and_escapes() {
        let segments = parse_template_string("Failed: ${event.data.error_message} ($${literal})")
            .expect("valid");
        assert_eq!(segments.len(), 3);
        assert_eq!(segments[2], Segment::Text(" (${literal})".into()));
        assert_eq!(
            template_paths("${ event.data.x ?? \"n/a\" }"),
            ["event.data.x"]
        );
        assert_eq!(template_paths("price: $5 ${state.total}"), ["state.total"]);
    }

    #[test]
    fn fallbacks_are_json_values() {
        let segments = parse_template_string("${event.data.x ?? 3}").expect("valid");
        let Segment::Template {
            fallback,
            range,
            path,
        } = &segments[0]
        else {
            panic!("a template")
        };
        assert_eq!(fallback, &Some(serde_json::json!(3)));
        assert_eq!(range, &(0..20));
        assert_eq!(path.range, 2..14);
        assert!(
            parse_template_string("${x ?? \"a}b\"}").is_ok(),
            "a brace inside a string fallback"
        );
        for (text, expected) in [
            ("${event.data.tags ?? []}", serde_json::json!([])),
            ("${event.data.meta ?? {}}", serde_json::json!({})),
            (
                "${ x ?? {\"a\": [1, {\"b}\": null}]} }",
                serde_json::json!({"a": [1, {"b}": null}]}),
            ),
            ("${x??\"??\"}", serde_json::json!("??")),
        ] {
            let segments = parse_template_string(text).expect(text);
            let [Segment::Template { fallback, .. }] = segments.as_slice() else {
                panic!("one template in {text}")
            };
            assert_eq!(fallback.as_ref(), Some(&expected), "{text}");
        }
        let text = "items: ${x ?? [1, 2]}!";
        let segments = parse_template_string(text).expect("embedded");
        assert_eq!(segments.len(), 3, "{segments:?}");
    }

    #[test]
    fn bad_fallbacks_point_inside_the_literal() {
        let text = "${x ?? {\"a\": 1, \"a\": 2}}";
        let error = parse_template_string(text).expect_err("duplicate key");
        assert_eq!(&text[error.range.clone()], "\"a\"", "{error:?}");
        assert!(error.message.contains("duplicate"), "{}", error.message);
        let text = "${x ?? [1,}";
        let error = parse_template_string(text).expect_err("cut short");
        assert!(
            error.message.starts_with("invalid fallback"),
            "{}",
            error.message
        );
        let text = "${x ?? }";
        let error = parse_template_string(text).expect_err("missing");
        assert_eq!(error.message, "missing fallback after `??`");
        let text = "${ ?? 1}";
        let error = parse_template_string(text).expect_err("no path");
        assert_eq!(error.message, "expected a name before `??`");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let text = "Hello ${event.data.name";
        assert_eq!(
            parse_template_string(text).expect_err("unterminated").range,
            6..text.len()
        );
        let text = "${event.data..x}";
        let error = parse_template_string(text).expect_err("bad path");
        assert_eq!(&text[error.range], ".");
        let text = "${ }";
        assert!(
            parse_template_string(text)
                .expect_err("empty")
                .message
                .contains("empty")
        );
        let text = "${x ?? nope}";
        assert_eq!(
            &text[parse_template_string(text).expect_err("fallback").range],
            "nope"
        );
    }
}
