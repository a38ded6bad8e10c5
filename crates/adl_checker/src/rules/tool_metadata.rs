use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::document::Version;
use adl_parser::document::sections::RETURN_TYPES;

use crate::sections::{Sections, Unresolved};

declare_rule! {
    /// ## What it does
    /// Reports, from v1.5 on, a tool whose `returns.type` is not one of the fifteen
    /// return types (`ObjectResult`, `ListResult`, `StringValue`… `Custom`), with the
    /// closest one as a suggestion, or `Custom` when none is close.
    ///
    /// ## Why it matters
    /// Hosts choose how to read a tool's result by its type; one they do not know is
    /// read as an opaque value.
    ///
    /// ## Example
    /// ```json
    /// { "returns": { "type": "object", "schema": { "type": "object" } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "returns": { "type": "ObjectResult", "schema": { "type": "object" } } }
    /// ```
    pub static UNKNOWN_RETURN_TYPE = ("ADL322", "unknown-return-type", Severity::Warning, "a tool's return type is not one of the fifteen");
}

declare_rule! {
    /// ## What it does
    /// Reports, from v1.5 on, a typed `returns` without a `schema` (opt-in).
    ///
    /// ## Why it matters
    /// Without the schema, a host cannot check or describe the result beyond its
    /// type name.
    ///
    /// ## Example
    /// ```json
    /// { "returns": { "type": "ObjectResult" } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "returns": { "type": "ObjectResult", "schema": { "type": "object", "properties": { "id": { "type": "string" } } } } }
    /// ```
    pub static RETURNS_MISSING_SCHEMA = ("ADL323", "returns-missing-schema", Severity::Warning, "a tool's typed result has no schema", opt_in);
}

declare_rule! {
    /// ## What it does
    /// Notes a tool `category` (a well-formed taxonomy path) whose first segment
    /// is not one of the fifteen taxonomy domains (`data_access`, `computation`,
    /// `communication`… `custom`) (opt-in).
    ///
    /// ## Why it matters
    /// Tool catalogues group tools by domain; an unknown one falls out of every
    /// group.
    ///
    /// ## Example
    /// ```json
    /// { "category": "database.query" }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "category": "data_access.database.query" }
    /// ```
    pub static UNKNOWN_CATEGORY_DOMAIN = ("ADL324", "unknown-category-domain", Severity::Note, "a tool category outside the fifteen domains", opt_in);
}

/// The taxonomy's first segments.
const DOMAINS: &[&str] = &[
    "data_access",
    "data_manipulation",
    "computation",
    "communication",
    "file_operations",
    "system",
    "ai_ml",
    "security",
    "monitoring",
    "testing",
    "integration",
    "ui_ux",
    "workflow",
    "content",
    "custom",
];

pub(crate) fn check(cx: &mut Sections<'_>) {
    let Some(tools) = cx.section("tools") else {
        return;
    };
    let typed = cx.info.version >= Version::V1_5;
    for &tool in cx.items(tools) {
        if let Some((category, node)) = cx.text_of(tool, "category")
            && cx.reports(&UNKNOWN_CATEGORY_DOMAIN)
        {
            category_domain(cx, category, node);
        }
        let Some(returns) = cx.member(tool, "returns") else {
            continue;
        };
        if !typed || cx.doc.members(returns).is_none() {
            continue;
        }
        if let Some((kind, node)) = cx.text_of(returns, "type")
            && !RETURN_TYPES.contains(&kind)
        {
            let closest = adl_parser::suggest(kind, RETURN_TYPES.iter().copied())
                .or_else(|| for_json_type(kind));
            let diagnostic = Diagnostic::new(
                &UNKNOWN_RETURN_TYPE,
                format!("`{kind}` is not a return type"),
                cx.span(node),
                cx.pointer(node),
            )
            .with_note(format!(
                "the return types are {}",
                adl_parser::quoted_list(RETURN_TYPES.iter().copied())
            ));
            cx.report(match closest {
                Some(closest) => diagnostic
                    .with_primary_label(format!("did you mean `{closest}`?"))
                    .with_help(format!("did you mean `{closest}`?")),
                None => diagnostic
                    .with_primary_label("not one of the fifteen")
                    .with_help("use `Custom` and describe the result in `schema`"),
            });
        }
        if cx.member(returns, "schema").is_none() && cx.reports(&RETURNS_MISSING_SCHEMA) {
            cx.report(
                Diagnostic::new(
                    &RETURNS_MISSING_SCHEMA,
                    "the tool's result has a type but no schema",
                    cx.anchor(returns),
                    cx.pointer(returns),
                )
                .with_primary_label("no `schema`")
                .with_help("describe the result with a JSON Schema in `schema` (or a URI to one)"),
            );
        }
    }
}

/// The return type for a JSON Schema type name written in its place.
fn for_json_type(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "object" => "ObjectResult",
        "array" => "ListResult",
        "string" => "StringValue",
        "number" | "integer" => "NumberValue",
        "boolean" => "BooleanValue",
        "null" | "void" => "VoidResult",
        _ => return None,
    })
}

fn category_domain(cx: &mut Sections<'_>, category: &str, node: adl_parser::NodeId) {
    // A category that is no taxonomy path at all is `category-format`'s.
    if !(adl_parser::document::sections::CATEGORY.check)(category) {
        return;
    }
    let domain = category.split('.').next().unwrap_or(category);
    if DOMAINS.contains(&domain) {
        return;
    }
    let span = cx.doc.string_subspan(node, 0, domain.len());
    let diagnostic = Diagnostic::new(
        &UNKNOWN_CATEGORY_DOMAIN,
        format!("`{domain}` is not a taxonomy domain"),
        span,
        cx.pointer(node),
    );
    let help = format!("start the category with its domain, `custom.{category}` when none fits");
    let unresolved = Unresolved {
        known: DOMAINS,
        known_as: "the domains",
        label: "not a domain",
        help: Some(&help),
    };
    cx.report(unresolved.explain(diagnostic, domain));
}
