//! The parser's rules: syntax (`ADL1xx`) and structure (`ADL2xx`).
//!
//! Adding a rule: a file here, one line in [`RULES`], fixtures under
//! `fixtures/invalid/<CODE>-<name>/`.

mod category_format;
mod conflicting_id;
mod conflicting_layouts;
mod cron_in_schedule;
mod default_applied;
mod deprecated_id;
mod duplicate_key;
mod empty_document;
mod events_array_dialect;
mod file_too_large;
mod invalid_duration;
mod invalid_json;
mod invalid_tool_name;
mod invalid_utf8;
mod missing_agent_id;
mod missing_field;
mod missing_schema_version;
mod missing_tools;
mod nesting_too_deep;
mod nonstandard_shape;
mod nonstandard_value;
mod schema_version_mismatch;
mod unknown_agent_key;
mod unknown_key;
mod unknown_variant;
mod unsupported_format;
mod unsupported_schema_version;
mod unused_option;
mod value_out_of_range;
mod wrong_type;
mod yaml;

use adl_diagnostics::Rule;

pub use category_format::CATEGORY_FORMAT;
pub use conflicting_id::CONFLICTING_ID;
pub use conflicting_layouts::CONFLICTING_LAYOUTS;
pub use cron_in_schedule::CRON_IN_SCHEDULE;
pub use default_applied::DEFAULT_APPLIED;
pub use deprecated_id::DEPRECATED_ID;
pub use duplicate_key::DUPLICATE_KEY;
pub use empty_document::EMPTY_DOCUMENT;
pub use events_array_dialect::EVENTS_ARRAY_DIALECT;
pub use file_too_large::FILE_TOO_LARGE;
pub use invalid_duration::INVALID_DURATION;
pub use invalid_json::INVALID_JSON;
pub use invalid_tool_name::INVALID_TOOL_NAME;
pub use invalid_utf8::INVALID_UTF8;
pub use missing_agent_id::MISSING_AGENT_ID;
pub use missing_field::MISSING_FIELD;
pub use missing_schema_version::MISSING_SCHEMA_VERSION;
pub use missing_tools::MISSING_TOOLS;
pub use nesting_too_deep::NESTING_TOO_DEEP;
pub use nonstandard_shape::NONSTANDARD_SHAPE;
pub use nonstandard_value::NONSTANDARD_VALUE;
pub use schema_version_mismatch::SCHEMA_VERSION_MISMATCH;
pub use unknown_agent_key::UNKNOWN_AGENT_KEY;
pub use unknown_key::UNKNOWN_KEY;
pub use unknown_variant::UNKNOWN_VARIANT;
pub use unsupported_format::UNSUPPORTED_FORMAT;
pub use unsupported_schema_version::UNSUPPORTED_SCHEMA_VERSION;
pub use unused_option::UNUSED_OPTION;
pub use value_out_of_range::VALUE_OUT_OF_RANGE;
pub use wrong_type::WRONG_TYPE;
pub use yaml::{INVALID_YAML, YAML_AMBIGUOUS_SCALAR, YAML_MULTIPLE_DOCUMENTS, YAML_UNSUPPORTED};

/// Whether `rule` is about the text itself (the `ADL1xx` codes: JSON or YAML
/// syntax, encoding, size, nesting, format). After one of them the tree is a
/// repair, and nothing read from it can be trusted whole; nor can a user turn
/// one off.
pub fn is_syntax_rule(rule: &Rule) -> bool {
    rule.code.starts_with("ADL1")
}

/// Every rule the parser can emit, in code order.
pub static RULES: &[&Rule] = &[
    &INVALID_JSON,
    &INVALID_UTF8,
    &EMPTY_DOCUMENT,
    &DUPLICATE_KEY,
    &NESTING_TOO_DEEP,
    &FILE_TOO_LARGE,
    &UNSUPPORTED_FORMAT,
    &INVALID_YAML,
    &YAML_MULTIPLE_DOCUMENTS,
    &YAML_UNSUPPORTED,
    &YAML_AMBIGUOUS_SCALAR,
    &CONFLICTING_LAYOUTS,
    &WRONG_TYPE,
    &UNKNOWN_KEY,
    &MISSING_FIELD,
    &UNKNOWN_VARIANT,
    &UNUSED_OPTION,
    &CRON_IN_SCHEDULE,
    &VALUE_OUT_OF_RANGE,
    &DEFAULT_APPLIED,
    &UNKNOWN_AGENT_KEY,
    &NONSTANDARD_VALUE,
    &NONSTANDARD_SHAPE,
    &UNSUPPORTED_SCHEMA_VERSION,
    &MISSING_SCHEMA_VERSION,
    &SCHEMA_VERSION_MISMATCH,
    &MISSING_TOOLS,
    &EVENTS_ARRAY_DIALECT,
    &DEPRECATED_ID,
    &CONFLICTING_ID,
    &MISSING_AGENT_ID,
    &CATEGORY_FORMAT,
    &INVALID_DURATION,
    &INVALID_TOOL_NAME,
];
