use adl_diagnostics::{Diagnostic, Severity, declare_rule};

use crate::sections::Sections;

declare_rule! {
    /// ## What it does
    /// Reports a tool parameter whose `minimum` exceeds `maximum`, `minLength`
    /// exceeds `maxLength`, `minItems` exceeds `maxItems`, or `exclusiveMinimum` is
    /// not below `exclusiveMaximum`; and a RAG hierarchy level whose `overlap` is not
    /// smaller than its `chunk_size`.
    ///
    /// ## Why it matters
    /// No value satisfies the constraints: every call would be refused.
    ///
    /// ## Example
    /// ```json
    /// { "name": "limit", "type": "integer", "description": "d", "minimum": 10, "maximum": 1 }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "name": "limit", "type": "integer", "description": "d", "minimum": 1, "maximum": 10 }
    /// ```
    pub static INCONSISTENT_CONSTRAINTS = ("ADL420", "inconsistent-constraints", Severity::Error, "a minimum above its maximum, or an overlap as large as its chunk");
}

declare_rule! {
    /// ## What it does
    /// Reports a `temperature` above 1 when the provider is `anthropic`, whose API
    /// accepts 0 to 1 (others accept up to 2).
    ///
    /// ## Why it matters
    /// The provider refuses the request, or clamps the value silently.
    ///
    /// ## Example
    /// ```json
    /// { "llm": "anthropic", "llm_settings": { "temperature": 1.5, "max_tokens": 1000 } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "llm": "anthropic", "llm_settings": { "temperature": 0.7, "max_tokens": 1000 } }
    /// ```
    pub static PROVIDER_TEMPERATURE = ("ADL421", "provider-temperature", Severity::Warning, "a temperature above the provider's maximum");
}

pub(crate) fn check(cx: &mut Sections<'_>) {
    if let Some(tools) = cx.section("tools") {
        for &tool in cx.items(tools) {
            let Some(parameters) = cx.member(tool, "parameters") else {
                continue;
            };
            for &parameter in cx.items(parameters) {
                for (low, high, strict) in [
                    ("minimum", "maximum", false),
                    ("minLength", "maxLength", false),
                    ("minItems", "maxItems", false),
                    ("exclusiveMinimum", "exclusiveMaximum", true),
                ] {
                    bounds(cx, parameter, low, high, strict);
                }
            }
        }
    }
    if let Some(rag) = cx.section("rag") {
        for &index in cx.items(rag) {
            let Some(levels) = cx
                .member(index, "hierarchical_config")
                .and_then(|h| cx.member(h, "levels"))
            else {
                continue;
            };
            for &level in cx.items(levels) {
                bounds(cx, level, "overlap", "chunk_size", true);
            }
        }
    }
    temperature(cx);
}

/// Reports `low` above `high` (or equal to it, when `strict`).
fn bounds(cx: &mut Sections<'_>, object: adl_parser::NodeId, low: &str, high: &str, strict: bool) {
    let (Some(low_node), Some(high_node)) = (cx.member(object, low), cx.member(object, high))
    else {
        return;
    };
    let (Some(a), Some(b)) = (cx.number(low_node), cx.number(high_node)) else {
        return;
    };
    if a < b || (!strict && a <= b) {
        return;
    }
    let relation = if strict { "not below" } else { "above" };
    cx.report(
        Diagnostic::new(
            &INCONSISTENT_CONSTRAINTS,
            format!("`{low}` ({a}) is {relation} `{high}` ({b})"),
            cx.span(low_node),
            cx.pointer(low_node),
        )
        .with_primary_label(format!("{relation} `{high}`"))
        .with_label(cx.span(high_node), format!("`{high}` here"))
        .with_help("no value can satisfy both: swap them or correct one"),
    );
}

fn temperature(cx: &mut Sections<'_>) {
    let provider = cx.section("llm").and_then(|llm| {
        cx.text(llm)
            .or_else(|| cx.text_of(llm, "provider").map(|(p, _)| p))
    });
    if !provider.is_some_and(|p| p.eq_ignore_ascii_case("anthropic")) {
        return;
    }
    let Some(node) = cx
        .section("llm_settings")
        .and_then(|s| cx.member(s, "temperature"))
    else {
        return;
    };
    if cx.number(node).is_some_and(|t| t > 1.0) {
        cx.report(
            Diagnostic::new(
                &PROVIDER_TEMPERATURE,
                "Anthropic accepts temperatures from 0 to 1",
                cx.span(node),
                cx.pointer(node),
            )
            .with_primary_label("above 1")
            .with_help("use a temperature from 0 to 1"),
        );
    }
}
