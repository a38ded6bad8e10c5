use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::NodeId;

use crate::sections::{Sections, Unresolved};

declare_rule! {
    /// ## What it does
    /// Reports a `routing.task_mappings` value that names no model: it must be
    /// `primary`, `fallback` or the `name` of a specialized model.
    ///
    /// ## Why it matters
    /// Tasks of that kind are routed nowhere, or silently to the default model.
    ///
    /// ## Example
    /// ```json
    /// { "llm_extensions": { "specialized_models": [{ "name": "coder", "provider": "openai", "model": "gpt-4o", "task_types": ["code"] }], "routing": { "task_mappings": { "code": "codr" } } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "routing": { "task_mappings": { "code": "coder" } } }
    /// ```
    pub static UNKNOWN_MODEL_REFERENCE = ("ADL321", "unknown-model-reference", Severity::Error, "a task mapping names no model");
}

declare_rule! {
    /// ## What it does
    /// Reports weights meant to share a whole that do not add up to 1 (±0.01):
    /// `routing.factors`, and `vector_weight` with `keyword_weight` in hybrid search.
    ///
    /// ## Why it matters
    /// Scores computed from them are scaled: thresholds tuned for a sum of 1 pass
    /// or fail the wrong results.
    ///
    /// ## Example
    /// ```json
    /// { "hybrid_search": { "vector_weight": 0.7, "keyword_weight": 0.7 } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "hybrid_search": { "vector_weight": 0.7, "keyword_weight": 0.3 } }
    /// ```
    pub static WEIGHTS_SUM = ("ADL423", "weights-sum", Severity::Warning, "weights that should add up to 1 do not");
}

declare_rule! {
    /// ## What it does
    /// Reports model routing that is hard to predict (opt-in): two fallback models
    /// with the same `priority`, and a v1.5 `model_routing` with more than three
    /// fallback or specialized models.
    ///
    /// ## Why it matters
    /// Equal priorities leave the order to the host; long chains of fallbacks
    /// multiply latency and cost before a request fails.
    ///
    /// ## Example
    /// ```json
    /// { "fallback_models": [{ "provider": "openai", "model": "gpt-4o-mini", "priority": 1 }, { "provider": "anthropic", "model": "claude-haiku", "priority": 1 }] }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "fallback_models": [{ "provider": "openai", "model": "gpt-4o-mini", "priority": 1 }, { "provider": "anthropic", "model": "claude-haiku", "priority": 2 }] }
    /// ```
    pub static ROUTING_GUARDRAIL = ("ADL424", "routing-guardrail", Severity::Warning, "model routing whose order or length is hard to predict", opt_in);
}

/// Most fallback or specialized models a v1.5 `model_routing` should list.
const MAX_ROUTES: usize = 3;

/// The places llm extensions live: `llm_extensions`, or (decision 13)
/// `llm_settings`.
fn extension_sections(cx: &Sections<'_>) -> Vec<NodeId> {
    ["llm_extensions", "llm_settings"]
        .iter()
        .filter_map(|s| cx.section(s))
        .collect()
}

pub(crate) fn check(cx: &mut Sections<'_>) {
    let places = extension_sections(cx);
    task_mappings(cx, &places);
    for &place in &places {
        if let Some(factors) = cx.path(place, &["routing", "factors"]) {
            let members: Vec<NodeId> = cx.members(factors).iter().map(|m| m.value).collect();
            weights(cx, factors, &members, "the routing factors");
        }
    }
    if let Some(hybrid) = cx
        .section("rag_extensions")
        .and_then(|r| cx.member(r, "hybrid_search"))
        && let (Some(vector), Some(keyword)) = (
            cx.member(hybrid, "vector_weight"),
            cx.member(hybrid, "keyword_weight"),
        )
    {
        weights(
            cx,
            hybrid,
            &[vector, keyword],
            "`vector_weight` and `keyword_weight`",
        );
    }
    if !cx.reports(&ROUTING_GUARDRAIL) {
        return;
    }
    for &place in &places {
        if let Some(fallbacks) = cx.member(place, "fallback_models") {
            shared_priorities(cx, fallbacks);
        }
    }
    if let Some(routing) = cx
        .section("llm_settings")
        .and_then(|s| cx.member(s, "model_routing"))
    {
        for key in ["fallback_models", "specialized_models"] {
            let Some(list) = cx.member(routing, key) else {
                continue;
            };
            let count = cx.items(list).len();
            if count > MAX_ROUTES {
                cx.report(
                    Diagnostic::new(
                        &ROUTING_GUARDRAIL,
                        format!("`{key}` lists {count} models"),
                        cx.anchor(list),
                        cx.pointer(list),
                    )
                    .with_primary_label(format!("more than {MAX_ROUTES}"))
                    .with_help(format!(
                        "keep at most {MAX_ROUTES}: each one adds latency and cost before a request fails"
                    )),
                );
            }
        }
    }
}

fn task_mappings(cx: &mut Sections<'_>, places: &[NodeId]) {
    let mut known: Vec<&str> = vec!["primary", "fallback"];
    for &place in places {
        if let Some(models) = cx.member(place, "specialized_models") {
            for &model in cx.items(models) {
                if let Some((name, _)) = cx.text_of(model, "name") {
                    known.push(name);
                }
            }
        }
    }
    for &place in places {
        let Some(mappings) = cx.path(place, &["routing", "task_mappings"]) else {
            continue;
        };
        let targets: Vec<(String, &str, NodeId)> = cx
            .members(mappings)
            .iter()
            .filter_map(|m| Some((m.key.to_string(), cx.text(m.value)?, m.value)))
            .collect();
        for (task, model, node) in targets {
            if known.contains(&model) {
                continue;
            }
            let diagnostic = Diagnostic::new(
                &UNKNOWN_MODEL_REFERENCE,
                format!("the task `{task}` is mapped to `{model}`, which names no model"),
                cx.span(node),
                cx.pointer(node),
            );
            let unresolved = Unresolved {
                known: &known,
                known_as: "models",
                label: "no model has this name",
                help: Some("map the task to `primary`, `fallback` or a specialized model's `name`"),
            };
            cx.report(unresolved.explain(diagnostic, model));
        }
    }
}

fn weights(cx: &mut Sections<'_>, owner: NodeId, members: &[NodeId], what: &str) {
    let values: Vec<f64> = members.iter().filter_map(|&m| cx.number(m)).collect();
    if values.is_empty() || values.len() != members.len() {
        return;
    }
    let sum: f64 = values.iter().sum();
    if (sum - 1.0).abs() <= 0.01 {
        return;
    }
    let sum = (sum * 1000.0).round() / 1000.0;
    let mut diagnostic = Diagnostic::new(
        &WEIGHTS_SUM,
        format!("{what} add up to {sum}, not 1"),
        cx.anchor(owner),
        cx.pointer(owner),
    )
    .with_primary_label(format!("sum {sum}"))
    .with_help("scale the weights so that they add up to 1");
    for &member in members {
        diagnostic = diagnostic.with_label(cx.span(member), "a weight");
    }
    cx.report(diagnostic);
}

fn shared_priorities(cx: &mut Sections<'_>, fallbacks: NodeId) {
    let mut seen: Vec<(f64, NodeId)> = Vec::new();
    for &model in cx.items(fallbacks) {
        let Some(node) = cx.member(model, "priority") else {
            continue;
        };
        let Some(priority) = cx.number(node) else {
            continue;
        };
        if let Some(&(_, first)) = seen
            .iter()
            .find(|(p, _)| (*p - priority).abs() < f64::EPSILON)
        {
            cx.report(
                Diagnostic::new(
                    &ROUTING_GUARDRAIL,
                    format!("two fallback models share the priority {priority}"),
                    cx.span(node),
                    cx.pointer(node),
                )
                .with_primary_label("same priority")
                .with_label(cx.span(first), "first given here")
                .with_help("give each fallback its own priority (lower first)"),
            );
        } else {
            seen.push((priority, node));
        }
    }
}
