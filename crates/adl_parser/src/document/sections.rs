//! Every section of an agent document outside `events`, as shape tables
//! (the agent-document contract's §1.4 and §2). Versions differ in what they
//! require, not in what they admit: a key of another version is checked the
//! same way everywhere (a v1.5 shape in a v2 file is warned, not refused).

use super::shape::{
    AMOUNT, COUNT, Enum, Field, Format, NATURAL, Object, SHARE, STRING, STRINGS, Shape, Versions,
    field,
};
use crate::rules::{CATEGORY_FORMAT, INVALID_DURATION, INVALID_TOOL_NAME, UNKNOWN_VARIANT};

const fn string(min: u64, max: u64) -> Shape {
    Shape::Str {
        min,
        max,
        format: None,
    }
}

const fn formatted(format: &'static Format) -> Shape {
    Shape::Str {
        min: 0,
        max: u64::MAX,
        format: Some(format),
    }
}

const fn one_of(what: &'static str, values: &'static [&'static str]) -> Enum {
    Enum {
        what,
        values,
        variants: &[],
    }
}

// ---------------------------------------------------------------- formats

/// `N.N.N`.
pub fn is_semver(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `N.N.N` with an optional `-pre.release` part.
fn is_version_string(text: &str) -> bool {
    match text.split_once('-') {
        Some((version, pre)) => {
            is_semver(version)
                && !pre.is_empty()
                && pre.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
        }
        None => is_semver(text),
    }
}

/// A name function-calling APIs accept (decision 10).
pub fn is_tool_name(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `domain.sub[.sub[.sub]]`, lower case and `_`.
pub fn is_category(text: &str) -> bool {
    let segments: Vec<&str> = text.split('.').collect();
    (2..=4).contains(&segments.len())
        && segments
            .iter()
            .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
}

fn is_subcategory(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// `30d`: a count and one of `s m h d w`.
pub fn is_duration(text: &str) -> bool {
    let Some(count) = text.strip_suffix(['s', 'm', 'h', 'd', 'w']) else {
        return false;
    };
    !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit())
}

pub static SEMVER: Format = Format {
    what: "a version `MAJOR.MINOR.PATCH`",
    check: is_semver,
    rule: &UNKNOWN_VARIANT,
    note_in_v1: false,
    pattern: Some(r"^\d+\.\d+\.\d+$"),
};
static VERSION_STRING: Format = Format {
    what: "a semantic version (`1.2.0`, `2.0.0-beta.1`)",
    check: is_version_string,
    rule: &UNKNOWN_VARIANT,
    note_in_v1: false,
    pattern: Some(r"^\d+\.\d+\.\d+(-[A-Za-z0-9.]+)?$"),
};
static TOOL_NAME: Format = Format {
    what: "1 to 64 letters, digits, `_` or `-`",
    check: is_tool_name,
    rule: &INVALID_TOOL_NAME,
    note_in_v1: false,
    pattern: Some("^[A-Za-z0-9_-]{1,64}$"),
};
pub static CATEGORY: Format = Format {
    what: "a taxonomy path (`data_access.database.query`)",
    check: is_category,
    rule: &CATEGORY_FORMAT,
    note_in_v1: true,
    pattern: None,
};
static SUBCATEGORY: Format = Format {
    what: "lower case letters, digits, `_` or `-`",
    check: is_subcategory,
    rule: &UNKNOWN_VARIANT,
    note_in_v1: false,
    pattern: Some("^[a-z0-9_-]+$"),
};
static DURATION: Format = Format {
    what: "a duration (`30d`, `12h`; units s m h d w)",
    check: is_duration,
    rule: &INVALID_DURATION,
    note_in_v1: false,
    pattern: Some(r"^\d+[smhdw]$"),
};

// ---------------------------------------------------------------- identity

static LIFECYCLE: Enum = Enum {
    what: "lifecycle",
    values: &["stable", "beta", "deprecated", "experimental"],
    variants: &[("active", "stable")],
};

pub static COMPATIBILITY: Object = Object {
    what: "`compatibility`",
    fields: &[
        field("adl_spec", STRING).doc("The ADL versions the agent works with (\">=1.0.0\")."),
        field("previous_versions", STRINGS)
            .doc("Earlier versions of the agent this one can replace."),
    ],
};

pub static CHANGE_LOG: Object = Object {
    what: "`change_log`",
    fields: &[
        field(
            "type",
            Shape::Enum(&one_of(
                "change type",
                &["breaking", "non-breaking", "patch"],
            )),
        )
        .required()
        .doc("The kind of change: `breaking`, `non-breaking` or `patch`."),
        field("summary", STRING).doc("One line saying what changed."),
        field("details", STRINGS).doc("The changes, one a line."),
    ],
};

/// One entry; an array of them is warned with the rewrite (decision 13).
static CHANGE_LOGS: Shape = Shape::Either(&[Shape::Object(&CHANGE_LOG), Shape::Array(&Shape::Any)]);

/// Identity keys: at the top level (flat) or in `identity` (grouped).
static IDENTITY_FIELDS: [Field; 8] = [
    field("agent_id", STRING).doc("The agent's id: a UUID or a slug (`support-agent`)."),
    field("id", STRING).doc("Deprecated alias of `agent_id`."),
    field("name", string(1, 100)).doc("The agent's name."),
    field("description", string(1, 5000)).doc("What the agent does."),
    // A semantic version here is warned with the rewrite (decision 13).
    field("version", Shape::Either(&[COUNT, formatted(&SEMVER)]))
        .doc("The agent's revision, an integer."),
    field("version_string", formatted(&VERSION_STRING))
        .doc("The agent's semantic version (`1.2.0`)."),
    // The object some files use is warned with the rewrite (decision 13).
    field(
        "lifecycle",
        Shape::Either(&[Shape::Enum(&LIFECYCLE), Shape::OpenObject]),
    )
    .doc("The agent's stage: `stable`, `beta`, `deprecated` or `experimental`."),
    field("owner", string(1, 100)).doc("Who is responsible for the agent."),
];

pub static IDENTITY: Object = Object {
    what: "`identity`",
    fields: &[
        IDENTITY_FIELDS[0],
        IDENTITY_FIELDS[1],
        IDENTITY_FIELDS[2],
        IDENTITY_FIELDS[3],
        IDENTITY_FIELDS[4],
        IDENTITY_FIELDS[5],
        IDENTITY_FIELDS[6],
        IDENTITY_FIELDS[7],
        field("metadata", Shape::OpenObject)
            .doc("Free-form metadata about the agent; not checked."),
    ],
};

static ROLE_LABEL: Field = field("role", STRING).doc("A free label for the agent's role.");

// ---------------------------------------------------------------- llm

static ROUTING_STRATEGY_V15: Enum = one_of(
    "routing strategy",
    &[
        "round_robin",
        "least_loaded",
        "priority_based",
        "task_based",
    ],
);

static SPECIALIZED_MODEL_V15: Object = Object {
    what: "a specialized model",
    fields: &[
        field("model", STRING)
            .required()
            .doc("The model used for these tasks."),
        field("task_types", STRINGS).doc("The task types routed to this model."),
        field("priority", Shape::Int { min: 1, max: 10 })
            .doc("Priority among the specialized models, 1 to 10."),
    ],
};

static MODEL_ROUTING: Object = Object {
    what: "`model_routing`",
    fields: &[
        field("enabled", Shape::Bool).doc("Whether requests are routed between models."),
        field("primary_model", STRING).doc("The model used unless routing picks another."),
        field("fallback_models", STRINGS).doc("Models tried, in order, when the primary model fails."),
        field(
            "specialized_models",
            Shape::Array(&Shape::Object(&SPECIALIZED_MODEL_V15)),
        ).doc("Models for particular task types."),
        field("routing_strategy", Shape::Enum(&ROUTING_STRATEGY_V15)).doc("How a model is picked: `round_robin`, `least_loaded`, `priority_based` or `task_based`."),
    ],
};

static MODEL_CONSTRAINTS_V15: Object = Object {
    what: "`model_constraints`",
    fields: &[
        field("max_tokens_per_request", COUNT).doc("The most tokens one request may use."),
        field("max_requests_per_minute", COUNT).doc("The most model requests a minute."),
        field("cost_limit_per_hour", AMOUNT)
            .doc("The most the model may cost an hour (a number ≥ 0)."),
        field("timeout_seconds", COUNT).doc("How long a model request may take, in seconds."),
        // `llm_extensions.model_constraints` written here (decision 13).
        field("token_limits", Shape::Object(&TOKEN_LIMITS))
            .replaced_by("move it to `llm_extensions.model_constraints`"),
        field("cost_limits", Shape::Object(&COST_LIMITS))
            .replaced_by("move it to `llm_extensions.model_constraints`"),
        field("rate_limits", Shape::Object(&RATE_LIMITS))
            .replaced_by("move it to `llm_extensions.model_constraints`"),
        field("timeout_limits", Shape::Object(&TIMEOUT_LIMITS))
            .replaced_by("move it to `llm_extensions.model_constraints`"),
    ],
};

pub static LLM_SETTINGS: Object = Object {
    what: "`llm_settings`",
    fields: &[
        field("temperature", Shape::Num { min: 0.0, max: 2.0 })
            .required_in(Versions::LEGACY)
            .doc("Sampling temperature, 0 to 2."),
        field("max_tokens", COUNT)
            .required_in(Versions::LEGACY)
            .doc("The most tokens a response may have."),
        field("top_p", SHARE)
            .doc("Nucleus sampling: the share of probability mass sampled from, 0 to 1."),
        field(
            "frequency_penalty",
            Shape::Num {
                min: -2.0,
                max: 2.0,
            },
        )
        .doc("Penalty for tokens by how often they already appeared, -2 to 2."),
        field(
            "presence_penalty",
            Shape::Num {
                min: -2.0,
                max: 2.0,
            },
        )
        .doc("Penalty for tokens that already appeared, -2 to 2."),
        field("stop", STRINGS).doc("Sequences that end a response."),
        field("model", STRING).doc("The model's name at the provider."),
        field("model_routing", Shape::Object(&MODEL_ROUTING))
            .doc("How requests are routed between models (v1.5)."),
        field("model_constraints", Shape::Object(&MODEL_CONSTRAINTS_V15))
            .doc("Limits on model use (v1.5)."),
        // Extension keys some files put here (decision 13).
        field("primary_model", Shape::Object(&PRIMARY_MODEL))
            .replaced_by("move it to `llm_extensions.primary_model`"),
        field(
            "fallback_models",
            Shape::Array(&Shape::Object(&FALLBACK_MODEL)),
        )
        .replaced_by("move it to `llm_extensions.fallback_models`"),
        field(
            "specialized_models",
            Shape::Array(&Shape::Object(&SPECIALIZED_MODEL)),
        )
        .replaced_by("move it to `llm_extensions.specialized_models`"),
        field("routing", Shape::Object(&ROUTING))
            .replaced_by("move it to `llm_extensions.routing`"),
        field("model_configuration", Shape::OpenObject)
            .replaced_by("move it to `llm_extensions.model_configuration`"),
        field("model_monitoring", Shape::OpenObject)
            .replaced_by("move it to `llm_extensions.model_monitoring`"),
        field("quality_monitoring", Shape::OpenObject)
            .replaced_by("move it to `llm_extensions.quality_monitoring`"),
        field("alerting", Shape::OpenObject).replaced_by("move it to `llm_extensions.alerting`"),
        field("metadata", Shape::OpenObject)
            .doc("Free-form metadata about the model settings; not checked."),
    ],
};

static PRIMARY_MODEL: Object = Object {
    what: "`primary_model`",
    fields: &[
        field("provider", STRING)
            .required()
            .doc("The model provider (`openai`, `anthropic`…)."),
        field("model", STRING)
            .required()
            .doc("The model's name at the provider."),
        field("api_key", STRING).doc("The API key; use `${env.NAME}` rather than the key itself."),
        field("endpoint", STRING).doc("The URL requests go to, when not the provider's default."),
        field("temperature", Shape::Num { min: 0.0, max: 2.0 })
            .doc("Sampling temperature, 0 to 2."),
        field("max_tokens", COUNT).doc("The most tokens a response may have."),
    ],
};

static TRIGGER_CONDITION: Enum = one_of(
    "trigger condition",
    &["timeout", "rate_limit", "error", "unavailable"],
);

static FALLBACK_MODEL: Object = Object {
    what: "a fallback model",
    fields: &[
        field("provider", STRING)
            .required()
            .doc("The model provider (`openai`, `anthropic`…)."),
        field("model", STRING)
            .required()
            .doc("The model's name at the provider."),
        field("priority", COUNT)
            .required()
            .doc("The order fallbacks are tried in: lower first."),
        field(
            "trigger_conditions",
            Shape::Array(&Shape::Enum(&TRIGGER_CONDITION)),
        )
        .doc("What makes this fallback be tried: `timeout`, `rate_limit`, `error`, `unavailable`."),
        field("api_key", STRING).doc("The API key; use `${env.NAME}` rather than the key itself."),
        field("endpoint", STRING).doc("The URL requests go to, when not the provider's default."),
        field("temperature", Shape::Num { min: 0.0, max: 2.0 })
            .doc("Sampling temperature, 0 to 2."),
        field("max_tokens", COUNT).doc("The most tokens a response may have."),
    ],
};

pub static SPECIALIZED_MODEL: Object = Object {
    what: "a specialized model",
    fields: &[
        field("name", STRING)
            .required()
            .doc("The specialized model's name, as routing refers to it."),
        field("provider", STRING)
            .required()
            .doc("The model provider (`openai`, `anthropic`…)."),
        field("model", STRING)
            .required()
            .doc("The model's name at the provider."),
        field("task_types", STRINGS)
            .required()
            .doc("The task types routed to this model."),
        field("cost_multiplier", AMOUNT)
            .doc("The model's cost relative to the primary model (a number ≥ 0)."),
        field("api_key", STRING).doc("The API key; use `${env.NAME}` rather than the key itself."),
        field("endpoint", STRING).doc("The URL requests go to, when not the provider's default."),
        field("temperature", Shape::Num { min: 0.0, max: 2.0 })
            .doc("Sampling temperature, 0 to 2."),
        field("max_tokens", COUNT).doc("The most tokens a response may have."),
    ],
};

static ROUTING_FACTORS: Object = Object {
    what: "`factors`",
    fields: &[
        field("task_complexity", SHARE).doc("Weight of the task's complexity, 0 to 1."),
        field("cost_budget", SHARE).doc("Weight of the cost budget, 0 to 1."),
        field("performance_requirement", SHARE)
            .doc("Weight of the performance requirement, 0 to 1."),
    ],
};

pub static ROUTING: Object = Object {
    what: "`routing`",
    fields: &[
        field(
            "strategy",
            Shape::Enum(&one_of(
                "routing strategy",
                &[
                    "direct",
                    "task_based",
                    "cost_based",
                    "performance_based",
                    "adaptive",
                ],
            )),
        ).doc("How a model is picked: `direct`, `task_based`, `cost_based`, `performance_based` or `adaptive`."),
        field(
            "default_model",
            Shape::Enum(&one_of(
                "default model",
                &["primary", "fallback", "specialized"],
            )),
        ).doc("The model used when no rule picks one: `primary`, `fallback` or `specialized`."),
        field("task_mappings", Shape::Map(&STRING)).doc("Task type → the name of the model it goes to."),
        field("factors", Shape::Object(&ROUTING_FACTORS)).doc("Weights of what routing takes into account."),
        field("learning_enabled", Shape::Bool).doc("Whether routing learns from feedback."),
        field("feedback_interval_hours", COUNT).doc("How often routing takes in feedback, in hours."),
    ],
};

static BACKOFF: Enum = Enum {
    what: "backoff strategy",
    values: &["none", "fixed", "exponential_backoff"],
    variants: &[
        ("exponential", "exponential_backoff"),
        ("linear", "fixed"),
        ("custom", "fixed"),
    ],
};

static TIMEOUT_ACTION: Enum = Enum {
    what: "timeout action",
    values: &["terminate", "continue", "warn"],
    variants: &[
        ("fallback", "continue"),
        ("retry", "continue"),
        ("fail", "terminate"),
        ("custom", "warn"),
    ],
};

static TOKEN_LIMITS: Object = Object {
    what: "`token_limits`",
    fields: &[
        field("max_input_tokens", COUNT).doc("The most tokens a request's input may have."),
        field("max_output_tokens", COUNT).doc("The most tokens a response may have."),
        field("max_total_tokens", COUNT).doc("The most tokens of input and output together."),
        field("enforce_strict", Shape::Bool)
            .doc("Whether a request over a limit is refused rather than cut."),
    ],
};

static COST_LIMITS: Object = Object {
    what: "`cost_limits`",
    fields: &[
        field("max_cost_per_task_usd", AMOUNT).doc("The most one task may cost, in US dollars."),
        field("max_cost_per_hour_usd", AMOUNT).doc("The most an hour may cost, in US dollars."),
        field("max_cost_per_day_usd", AMOUNT).doc("The most a day may cost, in US dollars."),
        field("alert_threshold_usd", AMOUNT)
            .doc("The cost, in US dollars, past which an alert is raised."),
    ],
};

static RATE_LIMITS: Object = Object {
    what: "`rate_limits`",
    fields: &[
        field("max_calls_per_minute", COUNT).doc("The most model calls a minute."),
        field("max_calls_per_hour", COUNT).doc("The most model calls an hour."),
        field("max_concurrent_calls", COUNT).doc("The most model calls at once."),
        field("backoff_strategy", Shape::Enum(&BACKOFF))
            .doc("How calls wait after hitting a limit: `none`, `fixed` or `exponential_backoff`."),
    ],
};

static TIMEOUT_LIMITS: Object = Object {
    what: "`timeout_limits`",
    fields: &[
        field("max_inference_time_ms", COUNT)
            .doc("How long one model call may take, in milliseconds."),
        field("max_total_time_ms", COUNT)
            .doc("How long a task's model calls may take together, in milliseconds."),
        field("timeout_action", Shape::Enum(&TIMEOUT_ACTION))
            .doc("What happens at a timeout: `terminate`, `continue` or `warn`."),
    ],
};

static LLM_MODEL_CONSTRAINTS: Object = Object {
    what: "`model_constraints`",
    fields: &[
        field("token_limits", Shape::Object(&TOKEN_LIMITS)).doc("Limits on tokens per request."),
        field("cost_limits", Shape::Object(&COST_LIMITS)).doc("Limits on cost, in US dollars."),
        field("rate_limits", Shape::Object(&RATE_LIMITS))
            .doc("Limits on how often models are called."),
        field("timeout_limits", Shape::Object(&TIMEOUT_LIMITS))
            .doc("Limits on how long model calls take."),
    ],
};

pub static LLM_EXTENSIONS: Object = Object {
    what: "`llm_extensions`",
    fields: &[
        field("primary_model", Shape::Object(&PRIMARY_MODEL))
            .doc("The model used unless routing picks another."),
        field(
            "fallback_models",
            Shape::Array(&Shape::Object(&FALLBACK_MODEL)),
        )
        .doc("Models tried, lowest `priority` first, when the primary model fails."),
        field(
            "specialized_models",
            Shape::Array(&Shape::Object(&SPECIALIZED_MODEL)),
        )
        .doc("Models for particular task types."),
        field("routing", Shape::Object(&ROUTING))
            .doc("How requests are routed between the models."),
        field("model_constraints", Shape::Object(&LLM_MODEL_CONSTRAINTS))
            .doc("Limits on tokens, cost, call rate and time."),
        // As in the public llm-settings-extensions docs.
        field("model_configuration", Shape::OpenObject)
            .doc("Provider-specific model configuration; free-form."),
        field("model_monitoring", Shape::OpenObject).doc("How model use is monitored; free-form."),
        field("quality_monitoring", Shape::OpenObject)
            .doc("How response quality is monitored; free-form."),
        field("alerting", Shape::OpenObject).doc("Alerts on model use; free-form."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

/// `llm` in the grouped layout.
pub static LLM_GROUP: Object = Object {
    what: "`llm`",
    fields: &[
        field("provider", STRING)
            .required()
            .doc("The model provider (`openai`, `anthropic`…)."),
        field("settings", Shape::Object(&LLM_SETTINGS))
            .doc("The model settings (`llm_settings` in the flat layout)."),
        field("extensions", Shape::Object(&LLM_EXTENSIONS))
            .doc("Models, routing and limits (`llm_extensions` in the flat layout)."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

// ---------------------------------------------------------------- tools

static PARAMETER_TYPE: Enum = one_of(
    "parameter type",
    &[
        "string", "integer", "number", "boolean", "object", "array", "null", "any",
    ],
);

/// A tool parameter: the JSON Schema keywords of its value, flattened.
pub static PARAMETER: Object = Object {
    what: "a tool parameter",
    fields: &[
        field("name", STRING).required().doc("The parameter's name, as the tool receives it."),
        field(
            "type",
            Shape::Either(&[Shape::Enum(&PARAMETER_TYPE), Shape::Array(&STRING)]),
        )
        .required().doc("The JSON type of the value: `string`, `integer`, `number`, `boolean`, `object`, `array`, `null` or `any` (or a list of them)."),
        field("description", STRING).required().doc("What the parameter is, for the model that fills it in."),
        field("required", Shape::Bool).default("false").doc("Whether a call must give the parameter."),
        field("default", Shape::Any).doc("The value used when a call leaves the parameter out."),
        field("format", STRING).doc("A JSON Schema format the string follows (`date-time`, `email`, `uri`…)."),
        field("pattern", STRING).doc("A regular expression (ECMA-262) the string matches."),
        field("minLength", NATURAL).doc("The fewest characters the string may have."),
        field("maxLength", NATURAL).doc("The most characters the string may have."),
        field(
            "minimum",
            Shape::Num {
                min: f64::MIN,
                max: f64::MAX,
            },
        ).doc("The smallest value allowed."),
        field(
            "maximum",
            Shape::Num {
                min: f64::MIN,
                max: f64::MAX,
            },
        ).doc("The largest value allowed."),
        field(
            "exclusiveMinimum",
            Shape::Num {
                min: f64::MIN,
                max: f64::MAX,
            },
        ).doc("The value must be greater than this."),
        field(
            "exclusiveMaximum",
            Shape::Num {
                min: f64::MIN,
                max: f64::MAX,
            },
        ).doc("The value must be less than this."),
        field(
            "multipleOf",
            Shape::Num {
                min: f64::MIN_POSITIVE,
                max: f64::MAX,
            },
        ).doc("The value must be a multiple of this (> 0)."),
        field("enum", Shape::Array(&Shape::Any)).doc("The only values allowed."),
        field("items", Shape::OpenObject).doc("The JSON Schema of an array's elements."),
        field("minItems", NATURAL).doc("The fewest elements the array may have."),
        field("maxItems", NATURAL).doc("The most elements the array may have."),
        field("uniqueItems", Shape::Bool).doc("Whether the array's elements must differ."),
        field("properties", Shape::OpenObject).doc("The JSON Schemas of an object's properties, by name."),
        field("required_properties", STRINGS).doc("The properties an object value must have."),
        field(
            "additionalProperties",
            Shape::Either(&[Shape::Bool, Shape::OpenObject]),
        ).doc("Whether an object may have properties not listed, or their JSON Schema."),
        field("anyOf", Shape::Array(&Shape::OpenObject)).doc("JSON Schemas of which the value matches at least one."),
        field("oneOf", Shape::Array(&Shape::OpenObject)).doc("JSON Schemas of which the value matches exactly one."),
        field("allOf", Shape::Array(&Shape::OpenObject)).doc("JSON Schemas the value matches all of."),
        field("examples", Shape::Array(&Shape::Any)).doc("Example values."),
    ],
};

pub static RETURN_TYPES: &[&str] = &[
    "ObjectResult",
    "EntityResult",
    "OperationStatus",
    "StringValue",
    "NumberValue",
    "BooleanValue",
    "IdentifierValue",
    "ListResult",
    "BatchResult",
    "FileResult",
    "MediaResult",
    "EventStream",
    "ChunkedData",
    "VoidResult",
    "Custom",
];

/// `returns`: typed (v1.5+) or open (v1); the type list is checked by a rule.
static RETURNS: Object = Object {
    what: "`returns`",
    fields: &[
        field("type", STRING).required().doc("The kind of result: `ObjectResult`, `EntityResult`, `OperationStatus`, `StringValue`, `ListResult`… (v1.5+)."),
        field("schema", Shape::Either(&[Shape::OpenObject, STRING])).doc("The result's JSON Schema, or a URI of one."),
        field("description", STRING).doc("What the tool returns."),
        field("examples", Shape::Array(&Shape::Any)).doc("Example results."),
        field("content_type", STRING).default("\"application/json\"").doc("The media type of the result."),
        field("properties", Shape::OpenObject).doc("The JSON Schemas of the result's properties, by name."),
        field("items", Shape::OpenObject).doc("The JSON Schema of the result's elements, when it is a list."),
    ],
};

static KEY_SCHEMA: Object = Object {
    what: "a key schema",
    fields: &[
        field("name", STRING).required().doc("The key's name."),
        field("description", STRING)
            .required()
            .doc("What the key is for."),
        field("key_type", STRING).required().doc("The kind of key."),
    ],
};

static TOOL_PERMISSIONS: Object = Object {
    what: "a tool's `permissions`",
    fields: &[
        field("network", Shape::Bool).doc("Whether the tool may use the network."),
        field("file_read", STRINGS).doc("Paths the tool may read."),
        field("file_write", STRINGS).doc("Paths the tool may write."),
        field("env_vars", STRINGS).doc("Environment variables the tool may read."),
    ],
};

pub static TOOL: Object = Object {
    what: "a tool",
    fields: &[
        field("name", formatted(&TOOL_NAME))
            .required()
            .doc("The name handlers call it by."),
        field("description", STRING)
            .required()
            .doc("What the tool does, for the model that decides to call it."),
        field("parameters", Shape::Array(&Shape::Object(&PARAMETER)))
            .required()
            .doc("The tool's parameters."),
        field("id", STRING).doc("The tool's id (older files; `tool_id` in newer ones)."),
        field("tool_id", STRING).doc("The tool's id."),
        field("version", Shape::Either(&[STRING, COUNT])).doc("The tool's version."),
        field("display_name", STRING).doc("The tool's name as people read it."),
        field("category", formatted(&CATEGORY))
            .doc("The tool's taxonomy path (`data_access.database.query`; free text in v1)."),
        field("subcategory", formatted(&SUBCATEGORY))
            .doc("A finer category: lower case letters, digits, `_` or `-`."),
        field("dependencies", STRINGS).doc("What the tool needs installed or running."),
        field("keys_schema", Shape::Array(&Shape::Object(&KEY_SCHEMA)))
            .doc("The keys (API keys, tokens) the tool needs."),
        field("sources", STRINGS).doc("Where the tool's code or data come from."),
        field("permissions", Shape::Object(&TOOL_PERMISSIONS))
            .doc("What the tool may touch: network, files, environment variables."),
        field(
            "visibility",
            Shape::Enum(&one_of("visibility", &["public", "private", "internal"])),
        )
        .doc("Who may use the tool: `public`, `private` or `internal`."),
        field(
            "status",
            Shape::Enum(&one_of(
                "tool status",
                &["active", "deprecated", "experimental"],
            )),
        )
        .doc("The tool's stage: `active`, `deprecated` or `experimental`."),
        field("code_file", STRING).doc("The file with the tool's code."),
        field("created_by", STRING).doc("Who made the tool."),
        field("created_at", STRING).doc("When the tool was made (date-time)."),
        field(
            "invocation",
            Shape::Object(&Object {
                what: "`invocation`",
                fields: &[
                    field("type", STRING)
                        .required()
                        .doc("How the tool is called."),
                    field("function", STRING).doc("The function called."),
                    field("endpoint", STRING).doc("The URL called."),
                    field("method", STRING).doc("The HTTP method used."),
                ],
            }),
        )
        .doc("How the tool is called."),
        field("returns", Shape::Object(&RETURNS)).doc("What the tool returns."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata about the tool; not checked."),
    ],
};

// ---------------------------------------------------------------- rag

static RAG_LEVEL: Object = Object {
    what: "a hierarchy level",
    fields: &[
        field("level", NATURAL).doc("The level's number in the hierarchy."),
        field("chunk_size", COUNT).doc("The size of a chunk at this level."),
        field("overlap", NATURAL).doc("How much neighbouring chunks overlap."),
        field("parent_index", STRING).doc("The index this level's chunks belong to."),
    ],
};

pub static RAG_INDEX: Object = Object {
    what: "a RAG index",
    fields: &[
        field("index_id", STRING).doc("The index's id (v2; `id` before)."),
        field("id", STRING).doc("The index's id (v1 and v1.5; `index_id` in v2)."),
        field("name", STRING).required().doc("The index's name."),
        field("rag_type", STRING).required().doc("The kind of index (`vector`…)."),
        field("virtual_index_path", STRING).required().doc("The index's path as the agent refers to it."),
        field("location_type", STRING).required().doc("Where the index is kept (`local`…)."),
        field("remote_path", Shape::Either(&[STRING, Shape::Null])).doc("The index's remote location, or `null`."),
        field("metadata", Shape::OpenObject).required().doc("Free-form metadata about the index; not checked."),
        field(
            "hierarchical_config",
            Shape::Object(&Object {
                what: "`hierarchical_config`",
                fields: &[
                    field("enabled", Shape::Bool).doc("Whether chunks are kept in levels."),
                    field("levels", Shape::Array(&Shape::Object(&RAG_LEVEL))).doc("The levels, from the top."),
                ],
            }),
        ).doc("Chunking in levels (v1.5)."),
        field(
            "search_config",
            Shape::Object(&Object {
                what: "`search_config`",
                fields: &[
                    field(
                        "vector_search",
                        Shape::Either(&[Shape::Bool, Shape::OpenObject]),
                    ).doc("Whether (or how) the index is searched by vector similarity."),
                    field(
                        "keyword_search",
                        Shape::Either(&[Shape::Bool, Shape::OpenObject]),
                    ).doc("Whether (or how) the index is searched by keywords."),
                    field(
                        "hybrid_strategy",
                        Shape::Enum(&one_of(
                            "hybrid strategy",
                            &["weighted", "reciprocal_rank_fusion", "rrf"],
                        )),
                    ).doc("How vector and keyword results are merged: `weighted`, `reciprocal_rank_fusion` or `rrf`."),
                    field("fusion_weight", SHARE).doc("The vector results' weight in a weighted merge, 0 to 1."),
                ],
            }),
        ).doc("How the index is searched (v1.5)."),
        field(
            "cross_file_references",
            Shape::Object(&Object {
                what: "`cross_file_references`",
                fields: &[
                    field("enabled", Shape::Bool).doc("Whether references between files are followed."),
                    field("reference_types", STRINGS).doc("The kinds of reference followed."),
                    field("max_depth", COUNT).doc("How many references deep to follow."),
                ],
            }),
        ).doc("Following references between files (v1.5)."),
    ],
};

static SEARCH: Object = Object {
    what: "a search",
    fields: &[
        field("enabled", Shape::Bool).doc("Whether this kind of search is used."),
        field("embedding_model", STRING).doc("The model that makes the embeddings."),
        field(
            "similarity_metric",
            Shape::Enum(&one_of(
                "similarity metric",
                &["cosine", "euclidean", "dot"],
            )),
        )
        .doc("How vectors are compared: `cosine`, `euclidean` or `dot`."),
        field(
            "algorithm",
            Shape::Enum(&one_of("algorithm", &["bm25", "tfidf"])),
        )
        .doc("The keyword ranking: `bm25` or `tfidf`."),
        field("top_k", COUNT).doc("How many results this search returns."),
        field("min_score", SHARE).doc("The lowest score a result may have, 0 to 1."),
    ],
};

pub static RAG_EXTENSIONS: Object = Object {
    what: "`rag_extensions`",
    fields: &[
        field(
            "rag_hierarchy",
            Shape::Object(&Object {
                what: "`rag_hierarchy`",
                fields: &[
                    field("root_index", STRING).doc("The index at the top."),
                    field(
                        "sub_indices",
                        Shape::Array(&Shape::Object(&Object {
                            what: "a sub-index",
                            fields: &[
                                field("name", STRING).required().doc("The sub-index's name."),
                                field("parent", STRING).required().doc("The index this one is under."),
                                field(
                                    "type",
                                    Shape::Enum(&one_of(
                                        "index type",
                                        &["vector", "keyword", "hybrid"],
                                    )),
                                )
                                .required().doc("The kind of index: `vector`, `keyword` or `hybrid`."),
                            ],
                        })),
                    ).doc("The indexes below it."),
                ],
            }),
        ).doc("Indexes arranged under a root."),
        field(
            "hybrid_search",
            Shape::Object(&Object {
                what: "`hybrid_search`",
                fields: &[
                    field("enabled", Shape::Bool).doc("Whether hybrid search is used."),
                    field("vector_search", Shape::Object(&SEARCH)).doc("The vector search."),
                    field("keyword_search", Shape::Object(&SEARCH)).doc("The keyword search."),
                    field(
                        "fusion_method",
                        Shape::Enum(&one_of("fusion method", &["rrf", "weighted", "concat"])),
                    ).doc("How the results are merged: `rrf`, `weighted` or `concat`."),
                    field("vector_weight", SHARE).doc("The vector results' weight, 0 to 1."),
                    field("keyword_weight", SHARE).doc("The keyword results' weight, 0 to 1."),
                    field("top_k", COUNT).doc("How many merged results are returned."),
                ],
            }),
        ).doc("Vector and keyword search together."),
        field(
            "cross_references",
            Shape::Object(&Object {
                what: "`cross_references`",
                fields: &[
                    field("enabled", Shape::Bool).doc("Whether references between indexes are followed."),
                    field("max_depth", COUNT).doc("How many references deep to follow."),
                    field("allowed_indices", STRINGS).doc("The indexes references may lead to."),
                ],
            }),
        ).doc("Following references between indexes."),
        field(
            "rag_pipeline",
            Shape::Object(&Object {
                what: "`rag_pipeline`",
                fields: &[
                    field(
                        "stages",
                        Shape::Array(&Shape::Object(&Object {
                            what: "a pipeline stage",
                            fields: &[
                                field("name", STRING).required().doc("The stage's name."),
                                field(
                                    "type",
                                    Shape::Enum(&one_of(
                                        "stage type",
                                        &["hybrid", "rerank", "deduplicate", "filter"],
                                    )),
                                )
                                .required().doc("What the stage does: `hybrid`, `rerank`, `deduplicate` or `filter`."),
                                field("config", Shape::OpenObject).doc("The stage's settings; free-form."),
                            ],
                        })),
                    ).doc("The stages, in order."),
                    field("parallel_stages", Shape::Bool).doc("Whether stages may run at once."),
                    field("timeout_ms", COUNT).doc("How long the pipeline may take, in milliseconds."),
                ],
            }),
        ).doc("Retrieval as a series of stages."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

// ---------------------------------------------------------------- memory

static MEMORY_BACKEND: Enum = Enum {
    what: "memory backend",
    values: &["vector", "kv", "graph", "external"],
    // Stores the public memory validator names (decision 8).
    variants: &[
        ("sqlite", "external"),
        ("postgresql", "external"),
        ("postgres", "external"),
        ("redis", "kv"),
        ("memory", "kv"),
        ("keyvalue", "kv"),
        ("file", "external"),
        ("pinecone", "vector"),
        ("chroma", "vector"),
        ("weaviate", "vector"),
        ("neo4j", "graph"),
    ],
};

pub static MEMORY: Object = Object {
    what: "`memory`",
    fields: &[
        field(
            "type",
            Shape::Enum(&one_of(
                "memory type",
                &["episodic", "semantic", "working", "hybrid"],
            )),
        )
        .doc("What the agent remembers: `episodic`, `semantic`, `working` or `hybrid`."),
        field(
            "scope",
            Shape::Enum(&one_of(
                "memory scope",
                &["session", "user", "org", "global"],
            )),
        )
        .doc("Who shares the memory: `session`, `user`, `org` or `global`."),
        field("backend", Shape::Enum(&MEMORY_BACKEND))
            .doc("Where memories are kept: `vector`, `kv`, `graph` or `external`."),
        field(
            "retention",
            Shape::Object(&Object {
                what: "`retention`",
                fields: &[
                    field(
                        "policy",
                        Shape::Enum(&Enum {
                            what: "retention policy",
                            values: &["ttl", "versioned", "append-only"],
                            variants: &[("append_only", "append-only")],
                        }),
                    )
                    .required()
                    .doc("`ttl` (kept for `duration`), `versioned` or `append-only`."),
                    field("duration", formatted(&DURATION))
                        .doc("How long a memory is kept (`30d`, `12h`; units s m h d w)."),
                ],
            }),
        )
        .doc("How long memories are kept."),
        field(
            "write_policy",
            Shape::Enum(&one_of("write policy", &["explicit", "implicit"])),
        )
        .doc("When memories are written: `explicit` (when asked) or `implicit`."),
        field(
            "read_policy",
            Shape::Enum(&one_of("read policy", &["on_demand", "always"])),
        )
        .doc("When memories are read: `on_demand` or `always`."),
        field(
            "privacy",
            Shape::Object(&Object {
                what: "`privacy`",
                fields: &[
                    field("pii", Shape::Bool).doc("Whether memories may hold personal data."),
                    field("encryption", Shape::Bool).doc("Whether memories are encrypted."),
                ],
            }),
        )
        .doc("How personal data in memories is treated."),
        field("lifecycle_management", Shape::OpenObject)
            .doc("How memories are created, kept and removed (v1.5); free-form."),
        field(
            "eviction_policy",
            Shape::Object(&Object {
                what: "`eviction_policy`",
                fields: &[
                    field(
                        "policy",
                        Shape::Enum(&one_of(
                            "eviction policy",
                            &["lru", "lfu", "fifo", "random"],
                        )),
                    )
                    .doc("Which memories go first: `lru`, `lfu`, `fifo` or `random`."),
                    field("threshold_percentage", Shape::Int { min: 1, max: 100 })
                        .doc("How full memory gets, in percent, before eviction starts."),
                    field("max_items", COUNT).doc("The most memories kept."),
                    field("max_size_mb", COUNT).doc("The most memory used, in megabytes."),
                ],
            }),
        )
        .doc("How memories are removed when memory is full (v1.5)."),
        field("storage_strategy", Shape::OpenObject)
            .doc("How memories are stored (v1.5); free-form."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

static MEMORY_STORE: Object = Object {
    what: "a memory store",
    fields: &[
        field("enabled", Shape::Bool).doc("Whether this kind of memory is used."),
        field(
            "backend",
            Shape::Enum(&one_of("memory backend", &["vector", "graph", "keyvalue"])),
        ).doc("Where these memories are kept: `vector`, `graph` or `keyvalue`."),
        field("max_episodes", COUNT).doc("The most episodes kept."),
        field("max_concepts", COUNT).doc("The most concepts kept."),
        field("max_items", COUNT).doc("The most items kept."),
        field(
            "retention_policy",
            Shape::Enum(&one_of(
                "retention policy",
                &[
                    "importance_based",
                    "usage_based",
                    "ttl",
                    "session",
                    "task",
                    "indefinite",
                ],
            )),
        ).doc("Which memories are kept: by importance, by use, by age (`ttl`), or for a session or task."),
        field(
            "compression",
            Shape::Either(&[Shape::Bool, Shape::OpenObject]),
        ).doc("Whether (or how) old memories are compressed."),
        field(
            "knowledge_graph",
            Shape::Either(&[Shape::Bool, Shape::OpenObject]),
        ).doc("Whether (or how) concepts are linked in a graph."),
        field("auto_clear", Shape::Bool).doc("Whether working memory is cleared when its session or task ends."),
    ],
};

pub static MEMORY_EXTENSIONS: Object = Object {
    what: "`memory_extensions`",
    fields: &[
        field("episodic", Shape::Object(&MEMORY_STORE)).doc("Memory of past events and interactions."),
        field("semantic", Shape::Object(&MEMORY_STORE)).doc("Memory of facts and concepts."),
        field("working", Shape::Object(&MEMORY_STORE)).doc("Short-term memory for the task at hand."),
        field(
            "lifecycle",
            Shape::Object(&Object {
                what: "`lifecycle`",
                fields: &[
                    field("creation", Shape::OpenObject).doc("When memories are created; free-form."),
                    field(
                        "eviction",
                        Shape::Object(&Object {
                            what: "`eviction`",
                            fields: &[
                                field(
                                    "policy",
                                    Shape::Enum(&one_of(
                                        "eviction policy",
                                        &["lru", "lfu", "importance", "ttl"],
                                    )),
                                ).doc("Which memories go first: `lru`, `lfu`, `importance` or `ttl`."),
                                field("check_interval_ms", COUNT).doc("How often eviction runs, in milliseconds."),
                                field("min_memories", NATURAL).doc("The fewest memories eviction leaves."),
                            ],
                        }),
                    ).doc("How memories are removed."),
                    field(
                        "consolidation",
                        Shape::Object(&Object {
                            what: "`consolidation`",
                            fields: &[
                                field("enabled", Shape::Bool).doc("Whether memories are consolidated."),
                                field(
                                    "strategy",
                                    Shape::Enum(&one_of(
                                        "consolidation strategy",
                                        &["temporal", "semantic", "hierarchical"],
                                    )),
                                ).doc("How memories are grouped: `temporal`, `semantic` or `hierarchical`."),
                                field("interval_hours", COUNT).doc("How often memories are consolidated, in hours."),
                            ],
                        }),
                    ).doc("Merging related memories."),
                ],
            }),
        ).doc("How memories are created, evicted and consolidated."),
        field(
            "privacy",
            Shape::Object(&Object {
                what: "`privacy`",
                fields: &[
                    field(
                        "pii_detection",
                        Shape::Object(&Object {
                            what: "`pii_detection`",
                            fields: &[
                                field("enabled", Shape::Bool).doc("Whether personal data is looked for."),
                                field("auto_redact", Shape::Bool).doc("Whether personal data found is redacted."),
                                field(
                                    "redaction_method",
                                    Shape::Enum(&one_of(
                                        "redaction method",
                                        &["mask", "remove", "hash"],
                                    )),
                                ).doc("How it is redacted: `mask`, `remove` or `hash`."),
                                field("pii_types", STRINGS).doc("The kinds of personal data looked for."),
                            ],
                        }),
                    ).doc("Finding personal data in memories."),
                    field(
                        "encryption",
                        Shape::Object(&Object {
                            what: "`encryption`",
                            fields: &[
                                field("enabled", Shape::Bool).doc("Whether memories are encrypted."),
                                field(
                                    "algorithm",
                                    Shape::Enum(&one_of(
                                        "encryption algorithm",
                                        &["aes-256", "aes-128", "chacha20"],
                                    )),
                                ).doc("The cipher: `aes-256`, `aes-128` or `chacha20`."),
                                field("key_rotation_days", COUNT).doc("How often the key changes, in days."),
                                field("at_rest", Shape::Bool).doc("Whether stored memories are encrypted."),
                                field("in_transit", Shape::Bool).doc("Whether memories are encrypted when sent."),
                            ],
                        }),
                    ).doc("Encrypting memories."),
                ],
            }),
        ).doc("How personal data in memories is treated."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

// ---------------------------------------------------------------- governance

/// Paths, or (as the public v3 examples write it) whether the access is allowed.
static PATHS: Shape = Shape::Either(&[STRINGS, Shape::Bool]);

pub static PERMISSIONS: Object = Object {
    what: "`permissions`",
    fields: &[
        field(
            "file_io",
            Shape::Object(&Object {
                what: "`file_io`",
                fields: &[
                    field("read", PATHS).doc("Paths the agent may read."),
                    field("write", PATHS).doc("Paths the agent may write."),
                    field("delete", PATHS).doc("Paths the agent may delete."),
                    // The v3 examples' shape, warned with its rewrite.
                    field("allowed_paths", STRINGS).doc("Paths the agent may use."),
                ],
            }),
        )
        .doc("The files the agent may use."),
        field(
            "network",
            Shape::Object(&Object {
                what: "`network`",
                fields: &[
                    field("allowed_domains", STRINGS).doc("Domains the agent may reach."),
                    field(
                        "allowed_ports",
                        Shape::Array(&Shape::Int { min: 1, max: 65535 }),
                    )
                    .doc("Ports the agent may connect to, 1 to 65535."),
                    field("enabled", Shape::Bool).doc("Whether the agent may use the network."),
                ],
            }),
        )
        .doc("The network the agent may use."),
        field(
            "environment_variables",
            Shape::Object(&Object {
                what: "`environment_variables`",
                fields: &[
                    field("read", STRINGS).doc("Environment variables the agent may read."),
                    field("write", STRINGS).doc("Environment variables the agent may set."),
                ],
            }),
        )
        .doc("The environment variables the agent may use."),
        field(
            "env_vars",
            Shape::Object(&Object {
                what: "`env_vars`",
                fields: &[
                    field("allowed", STRINGS).doc("Environment variables the agent may read.")
                ],
            }),
        )
        .doc("The environment variables the agent may use (another spelling)."),
    ],
};

pub static GOVERNANCE: Object = Object {
    what: "`governance`",
    fields: &[
        field("permissions", Shape::Object(&PERMISSIONS))
            .doc("What the agent may touch: files, network, environment variables."),
        field("audit", Shape::Either(&[Shape::Bool, Shape::OpenObject]))
            .doc("Whether (or how) the agent's actions are audited."),
        field("compatibility", Shape::Object(&COMPATIBILITY))
            .doc("The ADL versions the agent works with, and the versions it replaces."),
        field("change_log", CHANGE_LOGS).doc("What changed in this version of the agent."),
        field("policy", Shape::Object(&POLICY)).doc("The policy the agent is governed by."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

const V2_CONSTRAINTS: &str = "v2 uses `time_constraints`, `memory_constraints`, `resource_quotas` (milliseconds, not seconds)";

pub static EXECUTION_CONSTRAINTS: Object = Object {
    what: "`execution_constraints`",
    fields: &[
        field(
            "time_constraints",
            Shape::Object(&Object {
                what: "`time_constraints`",
                fields: &[
                    field("max_execution_time_ms", COUNT).doc("How long a task may take, in milliseconds."),
                    field("max_tool_invocation_time_ms", COUNT).doc("How long one tool call may take, in milliseconds."),
                    field("max_llm_inference_time_ms", COUNT).doc("How long one model call may take, in milliseconds."),
                    field("timeout_action", Shape::Enum(&TIMEOUT_ACTION)).doc("What happens at a timeout: `terminate`, `continue` or `warn`."),
                ],
            }),
        ).doc("How long things may take."),
        field(
            "memory_constraints",
            Shape::Object(&Object {
                what: "`memory_constraints`",
                fields: &[
                    field("max_memory_mb", COUNT).doc("The most memory the agent may use, in megabytes."),
                    field("max_context_tokens", COUNT).doc("The most tokens of context the agent may hold."),
                    field("max_tool_output_size_mb", COUNT).doc("The largest tool output taken, in megabytes."),
                    field(
                        "memory_eviction_policy",
                        Shape::Enum(&one_of("eviction policy", &["lru", "fifo", "random"])),
                    ).doc("What is dropped first when memory is full: `lru`, `fifo` or `random`."),
                ],
            }),
        ).doc("How much memory may be used."),
        field(
            "resource_quotas",
            Shape::Object(&Object {
                what: "`resource_quotas`",
                fields: &[
                    field("max_llm_calls_per_hour", COUNT).doc("The most model calls an hour."),
                    field("max_tool_invocations_per_task", COUNT).doc("The most tool calls in one task."),
                    field("max_network_requests_per_minute", COUNT).doc("The most network requests a minute."),
                    field("max_file_operations_per_task", COUNT).doc("The most file operations in one task."),
                    // v1.5's quota names.
                    field("max_api_calls_per_hour", COUNT).doc("The most API calls an hour (v1.5)."),
                    field("max_tokens_per_request", COUNT).doc("The most tokens one request may use (v1.5)."),
                    field("max_tool_calls_per_task", COUNT).doc("The most tool calls in one task (v1.5)."),
                    field("max_concurrent_tasks", COUNT).doc("The most tasks at once (v1.5)."),
                ],
            }),
        ).doc("How many calls and operations are allowed."),
        field(
            "cost_constraints",
            Shape::Object(&Object {
                what: "`cost_constraints`",
                fields: &[
                    field("max_cost_per_task_usd", AMOUNT).doc("The most one task may cost, in US dollars."),
                    field("max_cost_per_hour_usd", AMOUNT).doc("The most an hour may cost, in US dollars."),
                    field("cost_alert_threshold_usd", AMOUNT).doc("The cost, in US dollars, past which an alert is raised."),
                    field("cost_tracking_enabled", Shape::Bool).doc("Whether costs are tracked."),
                ],
            }),
        ).doc("How much the agent may cost."),
        field(
            "security_constraints",
            Shape::Object(&Object {
                what: "`security_constraints`",
                fields: &[
                    field("allowed_domains", STRINGS).doc("Domains the agent may reach."),
                    field("blocked_domains", STRINGS).doc("Domains the agent may not reach."),
                    field("allowed_file_types", STRINGS).doc("File types the agent may handle."),
                    field("max_file_size_mb", COUNT).doc("The largest file the agent may handle, in megabytes."),
                    field("require_encryption", Shape::Bool).doc("Whether connections must be encrypted."),
                ],
            }),
        ).doc("What the agent may reach and handle."),
        field(
            "capability_negotiation",
            Shape::Object(&Object {
                what: "`capability_negotiation`",
                fields: &[
                    field("enabled", Shape::Bool).doc("Whether capabilities are negotiated."),
                    field(
                        "protocol",
                        Shape::Enum(&one_of(
                            "protocol",
                            &["handshake", "discovery", "declaration"],
                        )),
                    ).doc("How: `handshake`, `discovery` or `declaration`."),
                    field("timeout_ms", COUNT).doc("How long negotiation may take, in milliseconds."),
                    field(
                        "fallback_strategy",
                        Shape::Enum(&one_of("fallback strategy", &["degrade", "fail", "warn"])),
                    ).doc("What happens when it fails: `degrade`, `fail` or `warn`."),
                    // v1.5's negotiation keys.
                    field("allowed_capabilities", STRINGS).doc("Capabilities the agent may be given (v1.5)."),
                    field("forbidden_capabilities", STRINGS).doc("Capabilities the agent may not be given (v1.5)."),
                    field(
                        "escalation_policy",
                        Shape::Enum(&one_of(
                            "escalation policy",
                            &["none", "manual", "automatic"],
                        )),
                    ).doc("How a request for more is handled: `none`, `manual` or `automatic` (v1.5)."),
                ],
            }),
        ).doc("Agreeing on capabilities with the host."),
        field(
            "capability_requirements",
            Shape::Object(&Object {
                what: "`capability_requirements`",
                fields: &[
                    field(
                        "required",
                        Shape::Array(&Shape::Object(&Object {
                            what: "a required capability",
                            fields: &[
                                field("name", STRING).required().doc("The capability's name."),
                                field("version", STRING).doc("The version needed."),
                                field("provider", STRING).doc("Who provides it."),
                            ],
                        })),
                    ).doc("Capabilities the agent cannot run without."),
                    field(
                        "optional",
                        Shape::Array(&Shape::Object(&Object {
                            what: "an optional capability",
                            fields: &[field("name", STRING).required().doc("The capability's name."), field("version", STRING).doc("The version wanted.")],
                        })),
                    ).doc("Capabilities the agent uses when they are there."),
                ],
            }),
        ).doc("The capabilities the agent needs or can use."),
        field(
            "enforcement",
            Shape::Object(&Object {
                what: "`enforcement`",
                fields: &[
                    field(
                        "level",
                        Shape::Enum(&one_of(
                            "enforcement level",
                            &["strict", "moderate", "lenient"],
                        )),
                    ).doc("How strictly: `strict`, `moderate` or `lenient`."),
                    field(
                        "violation_action",
                        Shape::Enum(&one_of(
                            "violation action",
                            &["terminate", "continue", "degrade"],
                        )),
                    ).doc("What a violation leads to: `terminate`, `continue` or `degrade`."),
                    field("logging_enabled", Shape::Bool).doc("Whether violations are logged."),
                    field("alert_on_violation", Shape::Bool).doc("Whether a violation raises an alert."),
                ],
            }),
        ).doc("How the constraints are enforced."),
        // v1.5.
        field(
            "time_limits",
            Shape::Object(&Object {
                what: "`time_limits`",
                fields: &[
                    field("max_execution_time_seconds", COUNT).doc("How long a task may take, in seconds."),
                    field("timeout_seconds", COUNT).doc("How long one operation may take, in seconds."),
                    field("idle_timeout_seconds", COUNT).doc("How long the agent may be idle, in seconds."),
                ],
            }),
        )
        .replaced_by(V2_CONSTRAINTS).doc("How long things may take (v1.5)."),
        field(
            "memory_limits",
            Shape::Object(&Object {
                what: "`memory_limits`",
                fields: &[
                    field("max_memory_mb", COUNT).doc("The most memory the agent may use, in megabytes."),
                    field("memory_quota_mb", COUNT).doc("The memory set aside for the agent, in megabytes."),
                    field("max_context_tokens", COUNT).doc("The most tokens of context the agent may hold."),
                ],
            }),
        )
        .replaced_by(V2_CONSTRAINTS).doc("How much memory may be used (v1.5)."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

// ---------------------------------------------------------------- orchestration

static ROLE_V2: Enum = one_of("role", &["coordinator", "worker", "supervisor", "critic"]);

static AGENT_ROLES_V2: Object = Object {
    what: "`agent_roles`",
    fields: &[
        field("primary_role", Shape::Enum(&ROLE_V2)).required().doc("The agent's role: `coordinator`, `worker`, `supervisor` or `critic`."),
        field("secondary_roles", Shape::Array(&Shape::Enum(&ROLE_V2))).doc("Up to two more roles, of the same values."),
        field(
            "capabilities",
            Shape::Array(&Shape::Object(&Object {
                what: "a role capability",
                fields: &[
                    field("name", STRING).required().doc("The capability's name."),
                    field(
                        "type",
                        Shape::Enum(&one_of(
                            "capability type",
                            &[
                                "management",
                                "coordination",
                                "execution",
                                "validation",
                                "advisory",
                            ],
                        )),
                    )
                    .required().doc("The kind: `management`, `coordination`, `execution`, `validation` or `advisory`."),
                    // The public v2 examples list several scopes.
                    field("scope", Shape::Either(&[STRING, STRINGS])).doc("What the capability covers."),
                    field("targets", Shape::Array(&Shape::Enum(&ROLE_V2))).doc("The roles it acts on."),
                ],
            })),
        ).doc("What the agent can do in its roles."),
        field(
            "constraints",
            Shape::Object(&Object {
                what: "role `constraints`",
                fields: &[
                    field("max_coordinators", COUNT).doc("The most coordinators the agent works under."),
                    field("can_execute_tasks", Shape::Bool).doc("Whether the agent carries out tasks itself."),
                    field("can_modify_configuration", Shape::Bool).doc("Whether the agent may change configuration."),
                    field("must_report_to", Shape::Array(&Shape::Enum(&ROLE_V2))).doc("The roles the agent reports to."),
                    field(
                        "communication_channels",
                        Shape::Array(&Shape::Enum(&one_of(
                            "channel",
                            &["direct", "broadcast", "pubsub"],
                        ))),
                    ).doc("How the agent talks to others: `direct`, `broadcast`, `pubsub`."),
                ],
            }),
        ).doc("Limits on what the agent does in its roles."),
        field(
            "communication_protocols",
            Shape::Object(&Object {
                what: "`communication_protocols`",
                fields: &[
                    field(
                        "message_format",
                        Shape::Enum(&one_of("message format", &["json", "protobuf", "avro"])),
                    ).doc("The format: `json`, `protobuf` or `avro`."),
                    field("channels", Shape::Array(&Shape::Any)).doc("The channels messages go on."),
                    field(
                        "latency_requirements",
                        Shape::Object(&Object {
                            what: "`latency_requirements`",
                            fields: &[
                                field("max_latency_ms", NATURAL).doc("The longest a message may take, in milliseconds."),
                                field(
                                    "priority",
                                    Shape::Enum(&one_of(
                                        "priority",
                                        &["low", "medium", "high", "critical"],
                                    )),
                                ).doc("The messages' priority: `low`, `medium`, `high` or `critical`."),
                            ],
                        }),
                    ).doc("How fast messages must arrive."),
                    field(
                        "reliability",
                        Shape::Object(&Object {
                            what: "`reliability`",
                            fields: &[
                                field("ack_required", Shape::Bool).doc("Whether messages must be acknowledged."),
                                field("retry_policy", Shape::Enum(&BACKOFF)).doc("How sending is retried: `none`, `fixed` or `exponential_backoff`."),
                            ],
                        }),
                    ).doc("How sure delivery must be."),
                ],
            }),
        ).doc("How messages between agents are sent."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

pub static ROLE_V1_5: Object = Object {
    what: "an agent role",
    fields: &[
        field("role_id", STRING).doc("The role's id."),
        field(
            "role_type",
            Shape::Enum(&Enum {
                what: "role type",
                values: &["Coordinator", "Worker", "Supervisor", "Critic"],
                variants: &[
                    ("coordinator", "Coordinator"),
                    ("worker", "Worker"),
                    ("supervisor", "Supervisor"),
                    ("critic", "Critic"),
                ],
            }),
        )
        .doc("The role: `Coordinator`, `Worker`, `Supervisor` or `Critic`."),
        field("capabilities", STRINGS).doc("What the agent can do in this role."),
        field(
            "constraints",
            Shape::Object(&Object {
                what: "role `constraints`",
                fields: &[
                    field("max_concurrent_tasks", COUNT).doc("The most tasks at once."),
                    field("allowed_tools", STRINGS).doc("Tools the role may use."),
                    field("forbidden_tools", STRINGS).doc("Tools the role may not use."),
                ],
            }),
        )
        .doc("Limits on what the agent does in this role."),
        field(
            "communication",
            Shape::Object(&Object {
                what: "`communication`",
                fields: &[
                    field("can_receive_from", STRINGS).doc("Roles it takes messages from."),
                    field("can_send_to", STRINGS).doc("Roles it sends messages to."),
                ],
            }),
        )
        .doc("Whom the role talks to."),
        field("description", STRING).doc("What the role does."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

pub static NODE_TYPE: Enum = Enum {
    what: "node type",
    values: &[
        "trigger",
        "input",
        "transform",
        "action",
        "condition",
        "loop",
        "output",
        "sub_workflow",
        "annotation",
        // The schema's own vocabulary (decision 8).
        "process",
        "decision",
    ],
    variants: &[("sub-workflow", "sub_workflow")],
};

static NODE: Object = Object {
    what: "a workflow node",
    fields: &[
        field("id", STRING).doc("The node's id."),
        field("type", Shape::Enum(&NODE_TYPE)).required().doc("What the node does: `trigger`, `input`, `transform`, `action`, `condition`, `loop`, `output`, `sub_workflow` or `annotation`."),
        field("label", STRING).doc("The node's label as people read it."),
        field("name", STRING).doc("The node's name."),
        field("description", STRING).doc("What the node does."),
        field("config", Shape::OpenObject).doc("The node's settings; free-form."),
        field(
            "position",
            Shape::Object(&Object {
                what: "`position`",
                fields: &[
                    field(
                        "x",
                        Shape::Num {
                            min: f64::MIN,
                            max: f64::MAX,
                        },
                    ).doc("Horizontal position."),
                    field(
                        "y",
                        Shape::Num {
                            min: f64::MIN,
                            max: f64::MAX,
                        },
                    ).doc("Vertical position."),
                ],
            }),
        ).doc("Where the node is drawn."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

static RELATION: Enum = Enum {
    what: "edge relation",
    values: &[
        "data_flow",
        "control_flow",
        "error_flow",
        "ai_languageModel",
        "ai_tool",
        "dependency",
    ],
    variants: &[
        ("data-flow", "data_flow"),
        ("control-flow", "control_flow"),
        ("error-flow", "error_flow"),
    ],
};

static EDGE: Object = Object {
    what: "a workflow edge",
    fields: &[
        field("edge_id", STRING).doc("The edge's id."),
        field("id", STRING).doc("Deprecated alias of `edge_id`."),
        field("source", STRING).required().doc("The id of the node the edge leaves."),
        field("target", STRING).required().doc("The id of the node the edge reaches."),
        field("relation", Shape::Enum(&RELATION)).default("\"data_flow\"").doc("What flows along it: `data_flow`, `control_flow`, `error_flow`, `ai_languageModel`, `ai_tool` or `dependency`."),
        field("condition", Shape::Either(&[STRING, Shape::OpenObject])).doc("When the edge is taken (an expression or an object)."),
        field("label", STRING).doc("The edge's label as people read it."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

pub static WORKFLOW: Object = Object {
    what: "`workflow`",
    fields: &[
        field("workflow_id", STRING).doc("The workflow's id."),
        field("id", STRING).doc("Deprecated alias of `workflow_id`."),
        field("name", STRING).required().doc("The workflow's name."),
        field("version", formatted(&SEMVER))
            .required()
            .doc("The workflow's version, `MAJOR.MINOR.PATCH`."),
        field("description", STRING).doc("What the workflow does."),
        field("schedule", STRING).doc("When the workflow runs: a cron expression."),
        field("nodes", Shape::Map(&Shape::Object(&NODE)))
            .required()
            .doc("The workflow's nodes, by id."),
        field("edges", Shape::Array(&Shape::Object(&EDGE)))
            .required()
            .doc("The connections between nodes."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

pub static POLICY: Object = Object {
    what: "`policy`",
    fields: &[
        field("policy_id", STRING).doc("The policy's id."),
        field("id", STRING).doc("Deprecated alias of `policy_id`."),
        field("name", STRING).required().doc("The policy's name."),
        field("version", formatted(&SEMVER)).required().doc("The policy's version, `MAJOR.MINOR.PATCH`."),
        field("rego", STRING)
            .required()
            .doc("The Rego module OPA evaluates."),
        field("description", STRING).doc("What the policy enforces."),
        field(
            "enforcement",
            Shape::Object(&Object {
                what: "`enforcement`",
                fields: &[
                    field(
                        "mode",
                        Shape::Enum(&one_of(
                            "enforcement mode",
                            &["strict", "moderate", "lenient", "permissive", "conditional"],
                        )),
                    ).doc("How strictly: `strict`, `moderate`, `lenient`, `permissive` or `conditional`."),
                    field(
                        "action",
                        Shape::Enum(&one_of(
                            "enforcement action",
                            &["deny", "warn", "log", "allow"],
                        )),
                    ).doc("What a violation leads to: `deny`, `warn`, `log` or `allow`."),
                    field("audit_log", Shape::Bool).doc("Whether decisions are logged for audit."),
                ],
            }),
        ).doc("How the policy is enforced."),
        field("data", Shape::OpenObject).doc("Data the Rego module reads (roles, resources); free-form."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

/// `agent_roles`: an object (v2) or an array of roles (v1.5).
static AGENT_ROLES: Shape = Shape::Either(&[
    Shape::Object(&AGENT_ROLES_V2),
    Shape::Array(&Shape::Object(&ROLE_V1_5)),
]);

pub static ORCHESTRATION: Object = Object {
    what: "`orchestration`",
    fields: &[
        field("workflow", Shape::Object(&WORKFLOW))
            .doc("The agent's workflow: nodes and the edges between them (v3)."),
        ROLE_LABEL,
        field("agent_roles", AGENT_ROLES).doc("The agent's roles among other agents."),
        field("policy", Shape::Object(&POLICY)).doc("The policy the agent is governed by (v3)."),
        field("metadata", Shape::OpenObject).doc("Free-form metadata; not checked."),
    ],
};

pub static CAPABILITIES: Object = Object {
    what: "`capabilities`",
    fields: &CAPABILITY_FIELDS,
};

static CAPABILITY_FIELDS: [Field; 9] = [
    field("tools", Shape::Array(&Shape::Object(&TOOL))).doc("The tools the agent can call."),
    field("rag", Shape::Array(&Shape::Object(&RAG_INDEX)))
        .doc("The document indexes the agent retrieves from."),
    field("memory", Shape::Object(&MEMORY))
        .doc("What the agent remembers: type, scope, backend, retention, privacy."),
    field("document_index_id", STRING).doc("The id of the index the agent uses by default."),
    field(
        "execution_constraints",
        Shape::Object(&EXECUTION_CONSTRAINTS),
    )
    .doc("Limits on time, memory, resources and cost, and how they are enforced."),
    field("events", Shape::Elsewhere).doc("The events block (see the events schema)."),
    field("rag_extensions", Shape::Object(&RAG_EXTENSIONS))
        .doc("Index hierarchy, hybrid search, cross references and the retrieval pipeline."),
    field("memory_extensions", Shape::Object(&MEMORY_EXTENSIONS))
        .doc("Episodic, semantic and working memory, their lifecycle and privacy."),
    field("metadata", Shape::OpenObject).doc("Free-form data about the agent."),
];

/// The document root: the flat layout's keys beside the groups.
pub static ROOT: Object = Object {
    what: "the agent definition",
    fields: &[
        field("schema_version", formatted(&SEMVER))
            .default("\"2.0.0\"")
            .doc("The ADL schema version (`2.0.0`): decides which checks apply."),
        field("$schema", STRING).doc("The JSON Schema editors validate against."),
        IDENTITY_FIELDS[0],
        IDENTITY_FIELDS[1],
        IDENTITY_FIELDS[2],
        IDENTITY_FIELDS[3],
        IDENTITY_FIELDS[4],
        IDENTITY_FIELDS[5],
        IDENTITY_FIELDS[6],
        IDENTITY_FIELDS[7],
        ROLE_LABEL,
        field("compatibility", Shape::Object(&COMPATIBILITY))
            .doc("The versions of ADL and of runtimes the agent works with."),
        field("change_log", CHANGE_LOGS).doc("The agent's changes, version by version."),
        field("metadata", Shape::OpenObject).doc("Free-form data about the agent."),
        field("llm", Shape::Either(&[STRING, Shape::Object(&LLM_GROUP)]))
            .doc("The model provider (flat), or the `llm` group."),
        field("llm_settings", Shape::Object(&LLM_SETTINGS))
            .doc("Temperature and token limits; in v1.5, model routing and constraints."),
        field("llm_extensions", Shape::Object(&LLM_EXTENSIONS))
            .doc("Primary, fallback and specialized models, routing between them, and limits."),
        CAPABILITY_FIELDS[0],
        CAPABILITY_FIELDS[1],
        CAPABILITY_FIELDS[2],
        CAPABILITY_FIELDS[3],
        CAPABILITY_FIELDS[4],
        CAPABILITY_FIELDS[5],
        CAPABILITY_FIELDS[6],
        CAPABILITY_FIELDS[7],
        field("permissions", Shape::Object(&PERMISSIONS))
            .doc("Files, network and environment variables the agent may use."),
        field("audit", Shape::Either(&[Shape::Bool, Shape::OpenObject]))
            .doc("Whether (and how) the agent's actions are audited."),
        field("policy", Shape::Object(&POLICY))
            .doc("A Rego policy OPA evaluates for the agent, and how it is enforced."),
        field("workflow", Shape::Object(&WORKFLOW))
            .doc("A graph of nodes and edges the agent runs (v3)."),
        field("agent_roles", AGENT_ROLES)
            .doc("The agent's roles among agents (coordinator, worker, supervisor, critic)."),
        field("identity", Shape::Object(&IDENTITY))
            .doc("Grouped layout: the agent's id, name, version and owner."),
        field("capabilities", Shape::Object(&CAPABILITIES))
            .doc("Grouped layout: tools, RAG, memory, events and constraints."),
        field("governance", Shape::Object(&GOVERNANCE))
            .doc("Grouped layout: permissions, audit, compatibility, change log, policy."),
        field("orchestration", Shape::Object(&ORCHESTRATION))
            .doc("Grouped layout: roles and workflow."),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_accept_their_examples_and_refuse_near_misses() {
        assert!(is_duration("30d") && is_duration("12h"));
        for bad in ["30", "d", "30 days", "3.5h", "30é", "é", ""] {
            assert!(!is_duration(bad), "{bad}");
        }
        assert!(is_semver("2.0.0") && !is_semver("2.0") && !is_semver("2.0.x"));
        assert!(is_version_string("2.0.0-beta.1") && !is_version_string("2.0.0-"));
        assert!(is_tool_name("search_web-2") && !is_tool_name("search web"));
        assert!(!is_tool_name(&"a".repeat(65)));
        assert!(is_category("data_access.database.query") && !is_category("Database"));
        assert!(!is_category("a.b.c.d.e"));
    }
}
