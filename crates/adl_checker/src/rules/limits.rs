use adl_diagnostics::{Diagnostic, Severity, declare_rule};
use adl_parser::NodeId;

use crate::sections::Sections;

declare_rule! {
    /// ## What it does
    /// Reports an `llm_settings.max_tokens` above a token limit declared elsewhere
    /// in the document: `max_output_tokens`, `max_tokens_per_request` or
    /// `max_context_tokens`.
    ///
    /// ## Why it matters
    /// Every request asks for more than the agent allows itself: the host refuses
    /// it, or truncates answers the author expects whole.
    ///
    /// ## Example
    /// ```json
    /// { "llm_settings": { "temperature": 0.2, "max_tokens": 8000 }, "execution_constraints": { "memory_constraints": { "max_context_tokens": 4000 } } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "llm_settings": { "temperature": 0.2, "max_tokens": 2000 }, "execution_constraints": { "memory_constraints": { "max_context_tokens": 4000 } } }
    /// ```
    pub static MAX_TOKENS_EXCEEDS_LIMIT = ("ADL422", "max-tokens-exceeds-limit", Severity::Warning, "`max_tokens` above a token limit of the same agent");
}

declare_rule! {
    /// ## What it does
    /// Reports limits that contradict each other: a per-call timeout (tool, model
    /// inference, capability negotiation) longer than the whole execution's, and a
    /// cost alert threshold above the hourly cost limit.
    ///
    /// ## Why it matters
    /// The smaller limit always wins: the larger one never takes effect, and the
    /// alert never fires before the limit stops the agent.
    ///
    /// ## Example
    /// ```json
    /// { "time_constraints": { "max_execution_time_ms": 30000, "max_tool_invocation_time_ms": 60000 } }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// { "time_constraints": { "max_execution_time_ms": 60000, "max_tool_invocation_time_ms": 30000 } }
    /// ```
    pub static INCONSISTENT_LIMITS = ("ADL427", "inconsistent-limits", Severity::Warning, "a part's limit above the whole's");
}

/// Token limits `max_tokens` must not exceed: (section, path).
const TOKEN_LIMITS: &[(&str, &[&str])] = &[
    (
        "llm_extensions",
        &["model_constraints", "token_limits", "max_output_tokens"],
    ),
    (
        "llm_settings",
        &["model_constraints", "max_tokens_per_request"],
    ),
    (
        "execution_constraints",
        &["resource_quotas", "max_tokens_per_request"],
    ),
    (
        "execution_constraints",
        &["memory_constraints", "max_context_tokens"],
    ),
    (
        "execution_constraints",
        &["memory_limits", "max_context_tokens"],
    ),
];

/// (section, part's path, whole's path, what the part is).
const PART_AND_WHOLE: &[(&str, &[&str], &[&str], &str)] = &[
    (
        "execution_constraints",
        &["time_constraints", "max_tool_invocation_time_ms"],
        &["time_constraints", "max_execution_time_ms"],
        "a tool invocation's time limit",
    ),
    (
        "execution_constraints",
        &["time_constraints", "max_llm_inference_time_ms"],
        &["time_constraints", "max_execution_time_ms"],
        "a model inference's time limit",
    ),
    (
        "execution_constraints",
        &["capability_negotiation", "timeout_ms"],
        &["time_constraints", "max_execution_time_ms"],
        "the capability negotiation's timeout",
    ),
    (
        "execution_constraints",
        &["time_limits", "timeout_seconds"],
        &["time_limits", "max_execution_time_seconds"],
        "the timeout",
    ),
    (
        "execution_constraints",
        &["cost_constraints", "cost_alert_threshold_usd"],
        &["cost_constraints", "max_cost_per_hour_usd"],
        "the cost alert threshold",
    ),
    (
        "llm_extensions",
        &["model_constraints", "cost_limits", "alert_threshold_usd"],
        &["model_constraints", "cost_limits", "max_cost_per_hour_usd"],
        "the cost alert threshold",
    ),
    (
        "llm_extensions",
        &[
            "model_constraints",
            "timeout_limits",
            "max_inference_time_ms",
        ],
        &["model_constraints", "timeout_limits", "max_total_time_ms"],
        "a model inference's time limit",
    ),
];

pub(crate) fn check(cx: &mut Sections<'_>) {
    if let Some((max_tokens, node)) = cx.number_at("llm_settings", &["max_tokens"]) {
        for &(section, path) in TOKEN_LIMITS {
            if let Some((limit, limit_node)) = cx.number_at(section, path)
                && max_tokens > limit
            {
                report_tokens(cx, (max_tokens, node), (limit, limit_node), path);
            }
        }
    }
    for &(section, part, whole, what) in PART_AND_WHOLE {
        let (Some((part_value, part_node)), Some((whole_value, whole_node))) =
            (cx.number_at(section, part), cx.number_at(section, whole))
        else {
            continue;
        };
        if part_value <= whole_value {
            continue;
        }
        let part_key = part.last().copied().unwrap_or_default();
        let whole_key = whole.last().copied().unwrap_or_default();
        cx.report(
            Diagnostic::new(
                &INCONSISTENT_LIMITS,
                format!(
                    "{what} (`{part_key}`: {part_value}) is above `{whole_key}` ({whole_value})"
                ),
                cx.span(part_node),
                cx.pointer(part_node),
            )
            .with_primary_label(format!("above `{whole_key}`"))
            .with_label(cx.span(whole_node), "the whole's limit")
            .with_help(format!(
                "lower `{part_key}` to at most {whole_value}, or raise `{whole_key}`"
            )),
        );
    }
}

fn report_tokens(
    cx: &mut Sections<'_>,
    (max_tokens, node): (f64, NodeId),
    (limit, limit_node): (f64, NodeId),
    path: &[&str],
) {
    let key = path.last().copied().unwrap_or_default();
    cx.report(
        Diagnostic::new(
            &MAX_TOKENS_EXCEEDS_LIMIT,
            format!("`max_tokens` ({max_tokens}) is above `{key}` ({limit})"),
            cx.span(node),
            cx.pointer(node),
        )
        .with_primary_label(format!("above `{key}`"))
        .with_label(cx.span(limit_node), "the limit")
        .with_help(format!("lower `max_tokens` to at most {limit}")),
    );
}
