use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::NodeId;
use adl_parser::json::NodeKind;
use serde_json::Value;

use crate::rules::INVALID_REGEX;
use crate::sections::{Sections, Unresolved};

declare_rule! {
    /// ## What it does
    /// Reports a tool parameter whose `default` does not satisfy the parameter's own
    /// constraints: a value of another `type`, outside `enum`, `minimum`/`maximum`
    /// or the length bounds, or not matching `pattern`. `null` means "no default"
    /// and is never reported.
    ///
    /// ## Why it matters
    /// A call that leaves the parameter out gets a value the tool refuses: the
    /// failure appears only when the default is first used.
    ///
    /// ## Example
    /// ```json
    /// { "name": "limit", "type": "integer", "description": "d", "minimum": 1, "maximum": 100, "default": 500 }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "limit", "type": "integer", "description": "d", "minimum": 1, "maximum": 100, "default": 50 }
    /// ```
    pub static DEFAULT_VIOLATES_CONSTRAINTS = ("ADL425", "default-violates-constraints", Severity::Error, "a parameter's default breaks its own constraints");
}

declare_rule! {
    /// ## What it does
    /// Reports parameter declarations that are allowed but almost certainly not what
    /// was meant: a constraint for another type (`minLength` on an integer,
    /// `minimum` on a string), a `format` JSON Schema does not define, and a
    /// parameter both `required` and given a `default` (the default is never used).
    ///
    /// ## Why it matters
    /// Validators ignore constraints of another type and unknown formats: the
    /// author believes a value is checked when it is not.
    ///
    /// ## Example
    /// ```json
    /// { "name": "count", "type": "integer", "description": "d", "minLength": 1 }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "count", "type": "integer", "description": "d", "minimum": 1 }
    /// ```
    pub static PARAMETER_STYLE = ("ADL426", "parameter-style", Severity::Warning, "a parameter constraint that does nothing");
}

/// The keywords that constrain values of one JSON type, with that type.
const TYPED_KEYWORDS: &[(&str, &[&str])] = &[
    ("minLength", &["string"]),
    ("maxLength", &["string"]),
    ("pattern", &["string"]),
    ("format", &["string"]),
    ("minimum", &["number", "integer"]),
    ("maximum", &["number", "integer"]),
    ("exclusiveMinimum", &["number", "integer"]),
    ("exclusiveMaximum", &["number", "integer"]),
    ("multipleOf", &["number", "integer"]),
    ("items", &["array"]),
    ("minItems", &["array"]),
    ("maxItems", &["array"]),
    ("uniqueItems", &["array"]),
    ("properties", &["object"]),
    ("required_properties", &["object"]),
    ("additionalProperties", &["object"]),
];

/// The formats JSON Schema (draft 2020-12) defines.
const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Members of a parameter that are not JSON Schema keywords of its value.
const NOT_SCHEMA: &[&str] = &[
    "name",
    "description",
    "required",
    "default",
    "examples",
    "required_properties",
];

pub(crate) fn check(cx: &mut Sections<'_>) {
    let Some(tools) = cx.section("tools") else {
        return;
    };
    for &tool in cx.items(tools) {
        let Some(parameters) = cx.member(tool, "parameters") else {
            continue;
        };
        for &parameter in cx.items(parameters) {
            let pattern_ok = pattern(cx, parameter);
            style(cx, parameter);
            if pattern_ok {
                default(cx, parameter);
            }
        }
    }
}

/// The parameter's declared types (empty: any type).
fn types<'a>(cx: &Sections<'a>, parameter: NodeId) -> Vec<&'a str> {
    match cx.member(parameter, "type") {
        Some(node) => match cx.doc.kind(node) {
            NodeKind::String(t) if &**t == "any" => Vec::new(),
            NodeKind::String(t) => vec![&**t],
            NodeKind::Array(_) => cx.items(node).iter().filter_map(|&t| cx.text(t)).collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// Reports a `pattern` the JSON Schema validator cannot compile; whether it compiles.
fn pattern(cx: &mut Sections<'_>, parameter: NodeId) -> bool {
    let Some((text, node)) = cx.text_of(parameter, "pattern") else {
        return true;
    };
    if jsonschema::validator_for(&serde_json::json!({ "pattern": text })).is_ok() {
        return true;
    }
    // The validator only says "not a regex"; the syntax parser says where and why.
    let (start, end, why) = match regex_syntax::Parser::new().parse(text) {
        Err(regex_syntax::Error::Parse(e)) => {
            let start = e.span().start.offset;
            let end = e.span().end.offset.max(start + 1).min(text.len());
            (start.min(end), end, e.kind().to_string())
        }
        _ => (0, text.len(), "it does not compile".to_owned()),
    };
    cx.report(
        Diagnostic::new(
            &INVALID_REGEX,
            format!("the parameter's `pattern` is not a valid ECMA-262 regular expression: {why}"),
            cx.doc.string_subspan(node, start, end),
            cx.pointer(node),
        )
        .with_note(
            "JSON Schema validators compile `pattern` and refuse the whole schema when it fails",
        )
        .with_help("fix the pattern; escape literal characters like `(` `.` `?` with `\\\\`"),
    );
    false
}

fn style(cx: &mut Sections<'_>, parameter: NodeId) {
    let declared = types(cx, parameter);
    if !declared.is_empty() {
        for &(keyword, applies_to) in TYPED_KEYWORDS {
            let Some(member) = cx.doc.member(parameter, keyword) else {
                continue;
            };
            if declared.iter().any(|t| applies_to.contains(t)) {
                continue;
            }
            let span = member.key_span;
            cx.report(
                Diagnostic::new(
                    &PARAMETER_STYLE,
                    format!(
                        "`{keyword}` constrains {} values, but the parameter is {}",
                        applies_to.join(" or "),
                        adl_parser::quoted_list(declared.iter().copied())
                    ),
                    span,
                    cx.pointer(member.value),
                )
                .with_primary_label("ignored for this type")
                .with_help(format!(
                    "remove `{keyword}`, or use the constraint for {}",
                    adl_parser::quoted_list(declared.iter().copied())
                )),
            );
        }
    }
    if let Some((format, node)) = cx.text_of(parameter, "format")
        && !FORMATS.contains(&format)
    {
        let diagnostic = Diagnostic::new(
            &PARAMETER_STYLE,
            format!("`{format}` is not a format JSON Schema defines"),
            cx.span(node),
            cx.pointer(node),
        );
        let unresolved = Unresolved {
            known: FORMATS,
            known_as: "the formats",
            label: "validators ignore it",
            help: Some("use a `pattern` for a custom shape"),
        };
        let diagnostic = unresolved.explain(diagnostic, format);
        cx.report(diagnostic);
    }
    let required = cx
        .member(parameter, "required")
        .is_some_and(|r| matches!(cx.doc.kind(r), NodeKind::Bool(true)));
    if let Some(default) = cx.member(parameter, "default")
        && required
        && !matches!(cx.doc.kind(default), NodeKind::Null)
    {
        let required_node = cx.member(parameter, "required").unwrap_or(default);
        cx.report(
            Diagnostic::new(
                &PARAMETER_STYLE,
                "a required parameter's default is never used",
                cx.span(default),
                cx.pointer(default),
            )
            .with_primary_label("never used")
            .with_label(cx.span(required_node), "every call must give a value")
            .with_help(
                "remove the default, or make the parameter optional (`\"required\": false`)",
            ),
        );
    }
}

fn default(cx: &mut Sections<'_>, parameter: NodeId) {
    let Some(default) = cx.member(parameter, "default") else {
        return;
    };
    if matches!(cx.doc.kind(default), NodeKind::Null) {
        return;
    }
    let Value::Object(mut schema) = cx.doc.to_value(parameter) else {
        return;
    };
    schema.retain(|key, _| !NOT_SCHEMA.contains(&key.as_str()));
    if schema.get("type").and_then(Value::as_str) == Some("any") {
        schema.remove("type");
    }
    // A schema the validator cannot compile is reported by other rules.
    let Ok(validator) = jsonschema::validator_for(&Value::Object(schema)) else {
        return;
    };
    let value = cx.doc.to_value(default);
    let Some(error) = validator.iter_errors(&value).next() else {
        return;
    };
    let reason = error.masked().to_string();
    let name = cx
        .text_of(parameter, "name")
        .map_or("the parameter", |(n, _)| n);
    cx.report(
        Diagnostic::new(
            &DEFAULT_VIOLATES_CONSTRAINTS,
            format!("the default of `{name}` breaks its constraints: {reason}"),
            cx.span(default),
            cx.pointer(default),
        )
        .with_primary_label("not allowed by the parameter's constraints")
        .with_help("change the default to a value the constraints allow, or remove it"),
    );
}
