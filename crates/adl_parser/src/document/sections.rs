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
        field("previous_versions", STRINGS),
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
        .required(),
        field("summary", STRING),
        field("details", STRINGS),
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
        field("metadata", Shape::OpenObject),
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
        field("model", STRING).required(),
        field("task_types", STRINGS),
        field("priority", Shape::Int { min: 1, max: 10 }),
    ],
};

static MODEL_ROUTING: Object = Object {
    what: "`model_routing`",
    fields: &[
        field("enabled", Shape::Bool),
        field("primary_model", STRING),
        field("fallback_models", STRINGS),
        field(
            "specialized_models",
            Shape::Array(&Shape::Object(&SPECIALIZED_MODEL_V15)),
        ),
        field("routing_strategy", Shape::Enum(&ROUTING_STRATEGY_V15)),
    ],
};

static MODEL_CONSTRAINTS_V15: Object = Object {
    what: "`model_constraints`",
    fields: &[
        field("max_tokens_per_request", COUNT),
        field("max_requests_per_minute", COUNT),
        field("cost_limit_per_hour", AMOUNT),
        field("timeout_seconds", COUNT),
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
        field("max_tokens", COUNT).required_in(Versions::LEGACY),
        field("top_p", SHARE),
        field(
            "frequency_penalty",
            Shape::Num {
                min: -2.0,
                max: 2.0,
            },
        ),
        field(
            "presence_penalty",
            Shape::Num {
                min: -2.0,
                max: 2.0,
            },
        ),
        field("stop", STRINGS),
        field("model", STRING),
        field("model_routing", Shape::Object(&MODEL_ROUTING)),
        field("model_constraints", Shape::Object(&MODEL_CONSTRAINTS_V15)),
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
        field("metadata", Shape::OpenObject),
    ],
};

static PRIMARY_MODEL: Object = Object {
    what: "`primary_model`",
    fields: &[
        field("provider", STRING).required(),
        field("model", STRING).required(),
        field("api_key", STRING),
        field("endpoint", STRING),
        field("temperature", Shape::Num { min: 0.0, max: 2.0 }),
        field("max_tokens", COUNT),
    ],
};

static TRIGGER_CONDITION: Enum = one_of(
    "trigger condition",
    &["timeout", "rate_limit", "error", "unavailable"],
);

static FALLBACK_MODEL: Object = Object {
    what: "a fallback model",
    fields: &[
        field("provider", STRING).required(),
        field("model", STRING).required(),
        field("priority", COUNT).required(),
        field(
            "trigger_conditions",
            Shape::Array(&Shape::Enum(&TRIGGER_CONDITION)),
        ),
        field("api_key", STRING),
        field("endpoint", STRING),
        field("temperature", Shape::Num { min: 0.0, max: 2.0 }),
        field("max_tokens", COUNT),
    ],
};

pub static SPECIALIZED_MODEL: Object = Object {
    what: "a specialized model",
    fields: &[
        field("name", STRING).required(),
        field("provider", STRING).required(),
        field("model", STRING).required(),
        field("task_types", STRINGS).required(),
        field("cost_multiplier", AMOUNT),
        field("api_key", STRING),
        field("endpoint", STRING),
        field("temperature", Shape::Num { min: 0.0, max: 2.0 }),
        field("max_tokens", COUNT),
    ],
};

static ROUTING_FACTORS: Object = Object {
    what: "`factors`",
    fields: &[
        field("task_complexity", SHARE),
        field("cost_budget", SHARE),
        field("performance_requirement", SHARE),
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
        ),
        field(
            "default_model",
            Shape::Enum(&one_of(
                "default model",
                &["primary", "fallback", "specialized"],
            )),
        ),
        field("task_mappings", Shape::Map(&STRING)),
        field("factors", Shape::Object(&ROUTING_FACTORS)),
        field("learning_enabled", Shape::Bool),
        field("feedback_interval_hours", COUNT),
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
        field("max_input_tokens", COUNT),
        field("max_output_tokens", COUNT),
        field("max_total_tokens", COUNT),
        field("enforce_strict", Shape::Bool),
    ],
};

static COST_LIMITS: Object = Object {
    what: "`cost_limits`",
    fields: &[
        field("max_cost_per_task_usd", AMOUNT),
        field("max_cost_per_hour_usd", AMOUNT),
        field("max_cost_per_day_usd", AMOUNT),
        field("alert_threshold_usd", AMOUNT),
    ],
};

static RATE_LIMITS: Object = Object {
    what: "`rate_limits`",
    fields: &[
        field("max_calls_per_minute", COUNT),
        field("max_calls_per_hour", COUNT),
        field("max_concurrent_calls", COUNT),
        field("backoff_strategy", Shape::Enum(&BACKOFF)),
    ],
};

static TIMEOUT_LIMITS: Object = Object {
    what: "`timeout_limits`",
    fields: &[
        field("max_inference_time_ms", COUNT),
        field("max_total_time_ms", COUNT),
        field("timeout_action", Shape::Enum(&TIMEOUT_ACTION)),
    ],
};

static LLM_MODEL_CONSTRAINTS: Object = Object {
    what: "`model_constraints`",
    fields: &[
        field("token_limits", Shape::Object(&TOKEN_LIMITS)),
        field("cost_limits", Shape::Object(&COST_LIMITS)),
        field("rate_limits", Shape::Object(&RATE_LIMITS)),
        field("timeout_limits", Shape::Object(&TIMEOUT_LIMITS)),
    ],
};

pub static LLM_EXTENSIONS: Object = Object {
    what: "`llm_extensions`",
    fields: &[
        field("primary_model", Shape::Object(&PRIMARY_MODEL)),
        field(
            "fallback_models",
            Shape::Array(&Shape::Object(&FALLBACK_MODEL)),
        ),
        field(
            "specialized_models",
            Shape::Array(&Shape::Object(&SPECIALIZED_MODEL)),
        ),
        field("routing", Shape::Object(&ROUTING)),
        field("model_constraints", Shape::Object(&LLM_MODEL_CONSTRAINTS)),
        // As in the public llm-settings-extensions docs.
        field("model_configuration", Shape::OpenObject),
        field("model_monitoring", Shape::OpenObject),
        field("quality_monitoring", Shape::OpenObject),
        field("alerting", Shape::OpenObject),
        field("metadata", Shape::OpenObject),
    ],
};

/// `llm` in the grouped layout.
pub static LLM_GROUP: Object = Object {
    what: "`llm`",
    fields: &[
        field("provider", STRING)
            .required()
            .doc("The model provider (`openai`, `anthropic`…)."),
        field("settings", Shape::Object(&LLM_SETTINGS)),
        field("extensions", Shape::Object(&LLM_EXTENSIONS)),
        field("metadata", Shape::OpenObject),
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
        field("name", STRING).required(),
        field(
            "type",
            Shape::Either(&[Shape::Enum(&PARAMETER_TYPE), Shape::Array(&STRING)]),
        )
        .required(),
        field("description", STRING).required(),
        field("required", Shape::Bool).default("false"),
        field("default", Shape::Any),
        field("format", STRING),
        field("pattern", STRING),
        field("minLength", NATURAL),
        field("maxLength", NATURAL),
        field(
            "minimum",
            Shape::Num {
                min: f64::MIN,
                max: f64::MAX,
            },
        ),
        field(
            "maximum",
            Shape::Num {
                min: f64::MIN,
                max: f64::MAX,
            },
        ),
        field(
            "exclusiveMinimum",
            Shape::Num {
                min: f64::MIN,
                max: f64::MAX,
            },
        ),
        field(
            "exclusiveMaximum",
            Shape::Num {
                min: f64::MIN,
                max: f64::MAX,
            },
        ),
        field(
            "multipleOf",
            Shape::Num {
                min: f64::MIN_POSITIVE,
                max: f64::MAX,
            },
        ),
        field("enum", Shape::Array(&Shape::Any)),
        field("items", Shape::OpenObject),
        field("minItems", NATURAL),
        field("maxItems", NATURAL),
        field("uniqueItems", Shape::Bool),
        field("properties", Shape::OpenObject),
        field("required_properties", STRINGS),
        field(
            "additionalProperties",
            Shape::Either(&[Shape::Bool, Shape::OpenObject]),
        ),
        field("anyOf", Shape::Array(&Shape::OpenObject)),
        field("oneOf", Shape::Array(&Shape::OpenObject)),
        field("allOf", Shape::Array(&Shape::OpenObject)),
        field("examples", Shape::Array(&Shape::Any)),
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
        field("type", STRING).required(),
        field("schema", Shape::Either(&[Shape::OpenObject, STRING])),
        field("description", STRING),
        field("examples", Shape::Array(&Shape::Any)),
        field("content_type", STRING).default("\"application/json\""),
        field("properties", Shape::OpenObject),
        field("items", Shape::OpenObject),
    ],
};

static KEY_SCHEMA: Object = Object {
    what: "a key schema",
    fields: &[
        field("name", STRING).required(),
        field("description", STRING).required(),
        field("key_type", STRING).required(),
    ],
};

static TOOL_PERMISSIONS: Object = Object {
    what: "a tool's `permissions`",
    fields: &[
        field("network", Shape::Bool),
        field("file_read", STRINGS),
        field("file_write", STRINGS),
        field("env_vars", STRINGS),
    ],
};

pub static TOOL: Object = Object {
    what: "a tool",
    fields: &[
        field("name", formatted(&TOOL_NAME))
            .required()
            .doc("The name handlers call it by."),
        field("description", STRING).required(),
        field("parameters", Shape::Array(&Shape::Object(&PARAMETER))).required(),
        field("id", STRING),
        field("tool_id", STRING),
        field("version", Shape::Either(&[STRING, COUNT])),
        field("display_name", STRING),
        field("category", formatted(&CATEGORY)),
        field("subcategory", formatted(&SUBCATEGORY)),
        field("dependencies", STRINGS),
        field("keys_schema", Shape::Array(&Shape::Object(&KEY_SCHEMA))),
        field("sources", STRINGS),
        field("permissions", Shape::Object(&TOOL_PERMISSIONS)),
        field(
            "visibility",
            Shape::Enum(&one_of("visibility", &["public", "private", "internal"])),
        ),
        field(
            "status",
            Shape::Enum(&one_of(
                "tool status",
                &["active", "deprecated", "experimental"],
            )),
        ),
        field("code_file", STRING),
        field("created_by", STRING),
        field("created_at", STRING),
        field(
            "invocation",
            Shape::Object(&Object {
                what: "`invocation`",
                fields: &[
                    field("type", STRING).required(),
                    field("function", STRING),
                    field("endpoint", STRING),
                    field("method", STRING),
                ],
            }),
        ),
        field("returns", Shape::Object(&RETURNS)),
        field("metadata", Shape::OpenObject),
    ],
};

// ---------------------------------------------------------------- rag

static RAG_LEVEL: Object = Object {
    what: "a hierarchy level",
    fields: &[
        field("level", NATURAL),
        field("chunk_size", COUNT),
        field("overlap", NATURAL),
        field("parent_index", STRING),
    ],
};

pub static RAG_INDEX: Object = Object {
    what: "a RAG index",
    fields: &[
        field("index_id", STRING).doc("The index's id (v2; `id` before)."),
        field("id", STRING),
        field("name", STRING).required(),
        field("rag_type", STRING).required(),
        field("virtual_index_path", STRING).required(),
        field("location_type", STRING).required(),
        field("remote_path", Shape::Either(&[STRING, Shape::Null])),
        field("metadata", Shape::OpenObject).required(),
        field(
            "hierarchical_config",
            Shape::Object(&Object {
                what: "`hierarchical_config`",
                fields: &[
                    field("enabled", Shape::Bool),
                    field("levels", Shape::Array(&Shape::Object(&RAG_LEVEL))),
                ],
            }),
        ),
        field(
            "search_config",
            Shape::Object(&Object {
                what: "`search_config`",
                fields: &[
                    field(
                        "vector_search",
                        Shape::Either(&[Shape::Bool, Shape::OpenObject]),
                    ),
                    field(
                        "keyword_search",
                        Shape::Either(&[Shape::Bool, Shape::OpenObject]),
                    ),
                    field(
                        "hybrid_strategy",
                        Shape::Enum(&one_of(
                            "hybrid strategy",
                            &["weighted", "reciprocal_rank_fusion", "rrf"],
                        )),
                    ),
                    field("fusion_weight", SHARE),
                ],
            }),
        ),
        field(
            "cross_file_references",
            Shape::Object(&Object {
                what: "`cross_file_references`",
                fields: &[
                    field("enabled", Shape::Bool),
                    field("reference_types", STRINGS),
                    field("max_depth", COUNT),
                ],
            }),
        ),
    ],
};

static SEARCH: Object = Object {
    what: "a search",
    fields: &[
        field("enabled", Shape::Bool),
        field("embedding_model", STRING),
        field(
            "similarity_metric",
            Shape::Enum(&one_of(
                "similarity metric",
                &["cosine", "euclidean", "dot"],
            )),
        ),
        field(
            "algorithm",
            Shape::Enum(&one_of("algorithm", &["bm25", "tfidf"])),
        ),
        field("top_k", COUNT),
        field("min_score", SHARE),
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
                    field("root_index", STRING),
                    field(
                        "sub_indices",
                        Shape::Array(&Shape::Object(&Object {
                            what: "a sub-index",
                            fields: &[
                                field("name", STRING).required(),
                                field("parent", STRING).required(),
                                field(
                                    "type",
                                    Shape::Enum(&one_of(
                                        "index type",
                                        &["vector", "keyword", "hybrid"],
                                    )),
                                )
                                .required(),
                            ],
                        })),
                    ),
                ],
            }),
        ),
        field(
            "hybrid_search",
            Shape::Object(&Object {
                what: "`hybrid_search`",
                fields: &[
                    field("enabled", Shape::Bool),
                    field("vector_search", Shape::Object(&SEARCH)),
                    field("keyword_search", Shape::Object(&SEARCH)),
                    field(
                        "fusion_method",
                        Shape::Enum(&one_of("fusion method", &["rrf", "weighted", "concat"])),
                    ),
                    field("vector_weight", SHARE),
                    field("keyword_weight", SHARE),
                    field("top_k", COUNT),
                ],
            }),
        ),
        field(
            "cross_references",
            Shape::Object(&Object {
                what: "`cross_references`",
                fields: &[
                    field("enabled", Shape::Bool),
                    field("max_depth", COUNT),
                    field("allowed_indices", STRINGS),
                ],
            }),
        ),
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
                                field("name", STRING).required(),
                                field(
                                    "type",
                                    Shape::Enum(&one_of(
                                        "stage type",
                                        &["hybrid", "rerank", "deduplicate", "filter"],
                                    )),
                                )
                                .required(),
                                field("config", Shape::OpenObject),
                            ],
                        })),
                    ),
                    field("parallel_stages", Shape::Bool),
                    field("timeout_ms", COUNT),
                ],
            }),
        ),
        field("metadata", Shape::OpenObject),
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
        ),
        field(
            "scope",
            Shape::Enum(&one_of(
                "memory scope",
                &["session", "user", "org", "global"],
            )),
        ),
        field("backend", Shape::Enum(&MEMORY_BACKEND)),
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
                    .required(),
                    field("duration", formatted(&DURATION)),
                ],
            }),
        ),
        field(
            "write_policy",
            Shape::Enum(&one_of("write policy", &["explicit", "implicit"])),
        ),
        field(
            "read_policy",
            Shape::Enum(&one_of("read policy", &["on_demand", "always"])),
        ),
        field(
            "privacy",
            Shape::Object(&Object {
                what: "`privacy`",
                fields: &[field("pii", Shape::Bool), field("encryption", Shape::Bool)],
            }),
        ),
        field("lifecycle_management", Shape::OpenObject),
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
                    ),
                    field("threshold_percentage", Shape::Int { min: 1, max: 100 }),
                    field("max_items", COUNT),
                    field("max_size_mb", COUNT),
                ],
            }),
        ),
        field("storage_strategy", Shape::OpenObject),
        field("metadata", Shape::OpenObject),
    ],
};

static MEMORY_STORE: Object = Object {
    what: "a memory store",
    fields: &[
        field("enabled", Shape::Bool),
        field(
            "backend",
            Shape::Enum(&one_of("memory backend", &["vector", "graph", "keyvalue"])),
        ),
        field("max_episodes", COUNT),
        field("max_concepts", COUNT),
        field("max_items", COUNT),
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
        ),
        field(
            "compression",
            Shape::Either(&[Shape::Bool, Shape::OpenObject]),
        ),
        field(
            "knowledge_graph",
            Shape::Either(&[Shape::Bool, Shape::OpenObject]),
        ),
        field("auto_clear", Shape::Bool),
    ],
};

pub static MEMORY_EXTENSIONS: Object = Object {
    what: "`memory_extensions`",
    fields: &[
        field("episodic", Shape::Object(&MEMORY_STORE)),
        field("semantic", Shape::Object(&MEMORY_STORE)),
        field("working", Shape::Object(&MEMORY_STORE)),
        field(
            "lifecycle",
            Shape::Object(&Object {
                what: "`lifecycle`",
                fields: &[
                    field("creation", Shape::OpenObject),
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
                                ),
                                field("check_interval_ms", COUNT),
                                field("min_memories", NATURAL),
                            ],
                        }),
                    ),
                    field(
                        "consolidation",
                        Shape::Object(&Object {
                            what: "`consolidation`",
                            fields: &[
                                field("enabled", Shape::Bool),
                                field(
                                    "strategy",
                                    Shape::Enum(&one_of(
                                        "consolidation strategy",
                                        &["temporal", "semantic", "hierarchical"],
                                    )),
                                ),
                                field("interval_hours", COUNT),
                            ],
                        }),
                    ),
                ],
            }),
        ),
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
                                field("enabled", Shape::Bool),
                                field("auto_redact", Shape::Bool),
                                field(
                                    "redaction_method",
                                    Shape::Enum(&one_of(
                                        "redaction method",
                                        &["mask", "remove", "hash"],
                                    )),
                                ),
                                field("pii_types", STRINGS),
                            ],
                        }),
                    ),
                    field(
                        "encryption",
                        Shape::Object(&Object {
                            what: "`encryption`",
                            fields: &[
                                field("enabled", Shape::Bool),
                                field(
                                    "algorithm",
                                    Shape::Enum(&one_of(
                                        "encryption algorithm",
                                        &["aes-256", "aes-128", "chacha20"],
                                    )),
                                ),
                                field("key_rotation_days", COUNT),
                                field("at_rest", Shape::Bool),
                                field("in_transit", Shape::Bool),
                            ],
                        }),
                    ),
                ],
            }),
        ),
        field("metadata", Shape::OpenObject),
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
                    field("read", PATHS),
                    field("write", PATHS),
                    field("delete", PATHS),
                    // The v3 examples' shape, warned with its rewrite.
                    field("allowed_paths", STRINGS),
                ],
            }),
        ),
        field(
            "network",
            Shape::Object(&Object {
                what: "`network`",
                fields: &[
                    field("allowed_domains", STRINGS),
                    field(
                        "allowed_ports",
                        Shape::Array(&Shape::Int { min: 1, max: 65535 }),
                    ),
                    field("enabled", Shape::Bool),
                ],
            }),
        ),
        field(
            "environment_variables",
            Shape::Object(&Object {
                what: "`environment_variables`",
                fields: &[field("read", STRINGS), field("write", STRINGS)],
            }),
        ),
        field(
            "env_vars",
            Shape::Object(&Object {
                what: "`env_vars`",
                fields: &[field("allowed", STRINGS)],
            }),
        ),
    ],
};

pub static GOVERNANCE: Object = Object {
    what: "`governance`",
    fields: &[
        field("permissions", Shape::Object(&PERMISSIONS)),
        field("audit", Shape::Either(&[Shape::Bool, Shape::OpenObject])),
        field("compatibility", Shape::Object(&COMPATIBILITY)),
        field("change_log", CHANGE_LOGS),
        field("policy", Shape::Object(&POLICY)),
        field("metadata", Shape::OpenObject),
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
                    field("max_execution_time_ms", COUNT),
                    field("max_tool_invocation_time_ms", COUNT),
                    field("max_llm_inference_time_ms", COUNT),
                    field("timeout_action", Shape::Enum(&TIMEOUT_ACTION)),
                ],
            }),
        ),
        field(
            "memory_constraints",
            Shape::Object(&Object {
                what: "`memory_constraints`",
                fields: &[
                    field("max_memory_mb", COUNT),
                    field("max_context_tokens", COUNT),
                    field("max_tool_output_size_mb", COUNT),
                    field(
                        "memory_eviction_policy",
                        Shape::Enum(&one_of("eviction policy", &["lru", "fifo", "random"])),
                    ),
                ],
            }),
        ),
        field(
            "resource_quotas",
            Shape::Object(&Object {
                what: "`resource_quotas`",
                fields: &[
                    field("max_llm_calls_per_hour", COUNT),
                    field("max_tool_invocations_per_task", COUNT),
                    field("max_network_requests_per_minute", COUNT),
                    field("max_file_operations_per_task", COUNT),
                    // v1.5's quota names.
                    field("max_api_calls_per_hour", COUNT),
                    field("max_tokens_per_request", COUNT),
                    field("max_tool_calls_per_task", COUNT),
                    field("max_concurrent_tasks", COUNT),
                ],
            }),
        ),
        field(
            "cost_constraints",
            Shape::Object(&Object {
                what: "`cost_constraints`",
                fields: &[
                    field("max_cost_per_task_usd", AMOUNT),
                    field("max_cost_per_hour_usd", AMOUNT),
                    field("cost_alert_threshold_usd", AMOUNT),
                    field("cost_tracking_enabled", Shape::Bool),
                ],
            }),
        ),
        field(
            "security_constraints",
            Shape::Object(&Object {
                what: "`security_constraints`",
                fields: &[
                    field("allowed_domains", STRINGS),
                    field("blocked_domains", STRINGS),
                    field("allowed_file_types", STRINGS),
                    field("max_file_size_mb", COUNT),
                    field("require_encryption", Shape::Bool),
                ],
            }),
        ),
        field(
            "capability_negotiation",
            Shape::Object(&Object {
                what: "`capability_negotiation`",
                fields: &[
                    field("enabled", Shape::Bool),
                    field(
                        "protocol",
                        Shape::Enum(&one_of(
                            "protocol",
                            &["handshake", "discovery", "declaration"],
                        )),
                    ),
                    field("timeout_ms", COUNT),
                    field(
                        "fallback_strategy",
                        Shape::Enum(&one_of("fallback strategy", &["degrade", "fail", "warn"])),
                    ),
                    // v1.5's negotiation keys.
                    field("allowed_capabilities", STRINGS),
                    field("forbidden_capabilities", STRINGS),
                    field(
                        "escalation_policy",
                        Shape::Enum(&one_of(
                            "escalation policy",
                            &["none", "manual", "automatic"],
                        )),
                    ),
                ],
            }),
        ),
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
                                field("name", STRING).required(),
                                field("version", STRING),
                                field("provider", STRING),
                            ],
                        })),
                    ),
                    field(
                        "optional",
                        Shape::Array(&Shape::Object(&Object {
                            what: "an optional capability",
                            fields: &[field("name", STRING).required(), field("version", STRING)],
                        })),
                    ),
                ],
            }),
        ),
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
                    ),
                    field(
                        "violation_action",
                        Shape::Enum(&one_of(
                            "violation action",
                            &["terminate", "continue", "degrade"],
                        )),
                    ),
                    field("logging_enabled", Shape::Bool),
                    field("alert_on_violation", Shape::Bool),
                ],
            }),
        ),
        // v1.5.
        field(
            "time_limits",
            Shape::Object(&Object {
                what: "`time_limits`",
                fields: &[
                    field("max_execution_time_seconds", COUNT),
                    field("timeout_seconds", COUNT),
                    field("idle_timeout_seconds", COUNT),
                ],
            }),
        )
        .replaced_by(V2_CONSTRAINTS),
        field(
            "memory_limits",
            Shape::Object(&Object {
                what: "`memory_limits`",
                fields: &[
                    field("max_memory_mb", COUNT),
                    field("memory_quota_mb", COUNT),
                    field("max_context_tokens", COUNT),
                ],
            }),
        )
        .replaced_by(V2_CONSTRAINTS),
        field("metadata", Shape::OpenObject),
    ],
};

// ---------------------------------------------------------------- orchestration

static ROLE_V2: Enum = one_of("role", &["coordinator", "worker", "supervisor", "critic"]);

static AGENT_ROLES_V2: Object = Object {
    what: "`agent_roles`",
    fields: &[
        field("primary_role", Shape::Enum(&ROLE_V2)).required(),
        field("secondary_roles", Shape::Array(&Shape::Enum(&ROLE_V2))),
        field(
            "capabilities",
            Shape::Array(&Shape::Object(&Object {
                what: "a role capability",
                fields: &[
                    field("name", STRING).required(),
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
                    .required(),
                    // The public v2 examples list several scopes.
                    field("scope", Shape::Either(&[STRING, STRINGS])),
                    field("targets", Shape::Array(&Shape::Enum(&ROLE_V2))),
                ],
            })),
        ),
        field(
            "constraints",
            Shape::Object(&Object {
                what: "role `constraints`",
                fields: &[
                    field("max_coordinators", COUNT),
                    field("can_execute_tasks", Shape::Bool),
                    field("can_modify_configuration", Shape::Bool),
                    field("must_report_to", Shape::Array(&Shape::Enum(&ROLE_V2))),
                    field(
                        "communication_channels",
                        Shape::Array(&Shape::Enum(&one_of(
                            "channel",
                            &["direct", "broadcast", "pubsub"],
                        ))),
                    ),
                ],
            }),
        ),
        field(
            "communication_protocols",
            Shape::Object(&Object {
                what: "`communication_protocols`",
                fields: &[
                    field(
                        "message_format",
                        Shape::Enum(&one_of("message format", &["json", "protobuf", "avro"])),
                    ),
                    field("channels", Shape::Array(&Shape::Any)),
                    field(
                        "latency_requirements",
                        Shape::Object(&Object {
                            what: "`latency_requirements`",
                            fields: &[
                                field("max_latency_ms", NATURAL),
                                field(
                                    "priority",
                                    Shape::Enum(&one_of(
                                        "priority",
                                        &["low", "medium", "high", "critical"],
                                    )),
                                ),
                            ],
                        }),
                    ),
                    field(
                        "reliability",
                        Shape::Object(&Object {
                            what: "`reliability`",
                            fields: &[
                                field("ack_required", Shape::Bool),
                                field("retry_policy", Shape::Enum(&BACKOFF)),
                            ],
                        }),
                    ),
                ],
            }),
        ),
        field("metadata", Shape::OpenObject),
    ],
};

pub static ROLE_V1_5: Object = Object {
    what: "an agent role",
    fields: &[
        field("role_id", STRING),
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
        ),
        field("capabilities", STRINGS),
        field(
            "constraints",
            Shape::Object(&Object {
                what: "role `constraints`",
                fields: &[
                    field("max_concurrent_tasks", COUNT),
                    field("allowed_tools", STRINGS),
                    field("forbidden_tools", STRINGS),
                ],
            }),
        ),
        field(
            "communication",
            Shape::Object(&Object {
                what: "`communication`",
                fields: &[
                    field("can_receive_from", STRINGS),
                    field("can_send_to", STRINGS),
                ],
            }),
        ),
        field("description", STRING),
        field("metadata", Shape::OpenObject),
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
        field("id", STRING),
        field("type", Shape::Enum(&NODE_TYPE)).required(),
        field("label", STRING),
        field("name", STRING),
        field("description", STRING),
        field("config", Shape::OpenObject),
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
                    ),
                    field(
                        "y",
                        Shape::Num {
                            min: f64::MIN,
                            max: f64::MAX,
                        },
                    ),
                ],
            }),
        ),
        field("metadata", Shape::OpenObject),
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
        field("edge_id", STRING),
        field("id", STRING),
        field("source", STRING).required(),
        field("target", STRING).required(),
        field("relation", Shape::Enum(&RELATION)).default("\"data_flow\""),
        field("condition", Shape::Either(&[STRING, Shape::OpenObject])),
        field("label", STRING),
        field("metadata", Shape::OpenObject),
    ],
};

pub static WORKFLOW: Object = Object {
    what: "`workflow`",
    fields: &[
        field("workflow_id", STRING),
        field("id", STRING),
        field("name", STRING).required(),
        field("version", formatted(&SEMVER)).required(),
        field("description", STRING),
        field("schedule", STRING),
        field("nodes", Shape::Map(&Shape::Object(&NODE))).required(),
        field("edges", Shape::Array(&Shape::Object(&EDGE))).required(),
        field("metadata", Shape::OpenObject),
    ],
};

pub static POLICY: Object = Object {
    what: "`policy`",
    fields: &[
        field("policy_id", STRING),
        field("id", STRING),
        field("name", STRING).required(),
        field("version", formatted(&SEMVER)).required(),
        field("rego", STRING)
            .required()
            .doc("The Rego module OPA evaluates."),
        field("description", STRING),
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
                    ),
                    field(
                        "action",
                        Shape::Enum(&one_of(
                            "enforcement action",
                            &["deny", "warn", "log", "allow"],
                        )),
                    ),
                    field("audit_log", Shape::Bool),
                ],
            }),
        ),
        field("data", Shape::OpenObject),
        field("metadata", Shape::OpenObject),
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
        field("workflow", Shape::Object(&WORKFLOW)),
        ROLE_LABEL,
        field("agent_roles", AGENT_ROLES),
        field("policy", Shape::Object(&POLICY)),
        field("metadata", Shape::OpenObject),
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
