//! The checker's rules: references and tools (`ADL3xx`), templates and
//! conditions (`ADL4xx`), triggers (`ADL5xx`), cascades (`ADL6xx`), best practices
//! (`ADL8xx`), persistence (`ADL7xx`), suppressions (`ADL9xx`).
//!
//! Adding a rule: a file here with its `declare_rule!` and its `check`, one line
//! in [`RULES`] (and in [`CHECKS`] when it has a check of its own), fixtures under
//! `fixtures/invalid/<CODE>-<name>/`.

mod ambiguous_direct_routing;
mod bracket_in_pattern;
mod composite_not_arity;
mod dead_handler;
mod duplicate_handler_name;
mod empty_composite;
mod event_in_state_condition;
mod field_value_mismatch;
mod implicit_timeout;
mod inline_password;
mod invalid_connection_string;
mod invalid_cron;
mod invalid_field_path;
mod invalid_handler_name;
mod invalid_regex;
mod invalid_table_name;
mod invalid_template;
mod literal_pattern;
mod missing_tool_parameter;
mod operator_value_mismatch;
mod possible_cascade;
mod single_member_composite;
mod suppression_without_reason;
mod template_not_allowed;
mod tool_parameter_type_mismatch;
mod unbounded_cascade;
mod undeclared_tools;
mod unhandled_errors;
mod unknown_data_field;
mod unknown_event_field;
mod unknown_handler;
mod unknown_rule;
mod unknown_state_field;
mod unknown_template_root;
mod unknown_time_zone;
mod unknown_tool;
mod unknown_tool_parameter;
mod unsatisfiable_composite;
mod unused_suppression;

use adl_diagnostics::Rule;

pub use ambiguous_direct_routing::AMBIGUOUS_DIRECT_ROUTING;
pub use bracket_in_pattern::BRACKET_IN_PATTERN;
pub use composite_not_arity::COMPOSITE_NOT_ARITY;
pub use dead_handler::DEAD_HANDLER;
pub use duplicate_handler_name::DUPLICATE_HANDLER_NAME;
pub use empty_composite::EMPTY_COMPOSITE;
pub use event_in_state_condition::EVENT_IN_STATE_CONDITION;
pub use field_value_mismatch::FIELD_VALUE_MISMATCH;
pub use implicit_timeout::IMPLICIT_TIMEOUT;
pub use inline_password::INLINE_PASSWORD;
pub use invalid_connection_string::INVALID_CONNECTION_STRING;
pub use invalid_cron::INVALID_CRON;
pub use invalid_field_path::INVALID_FIELD_PATH;
pub use invalid_handler_name::INVALID_HANDLER_NAME;
pub use invalid_regex::INVALID_REGEX;
pub use invalid_table_name::INVALID_TABLE_NAME;
pub use invalid_template::INVALID_TEMPLATE;
pub use literal_pattern::LITERAL_PATTERN;
pub use missing_tool_parameter::MISSING_TOOL_PARAMETER;
pub use operator_value_mismatch::OPERATOR_VALUE_MISMATCH;
pub use possible_cascade::POSSIBLE_CASCADE;
pub use single_member_composite::SINGLE_MEMBER_COMPOSITE;
pub use suppression_without_reason::SUPPRESSION_WITHOUT_REASON;
pub use template_not_allowed::TEMPLATE_NOT_ALLOWED;
pub use tool_parameter_type_mismatch::TOOL_PARAMETER_TYPE_MISMATCH;
pub use unbounded_cascade::UNBOUNDED_CASCADE;
pub use undeclared_tools::UNDECLARED_TOOLS;
pub use unhandled_errors::UNHANDLED_ERRORS;
pub use unknown_data_field::UNKNOWN_DATA_FIELD;
pub use unknown_event_field::UNKNOWN_EVENT_FIELD;
pub use unknown_handler::UNKNOWN_HANDLER;
pub use unknown_rule::UNKNOWN_RULE;
pub use unknown_state_field::UNKNOWN_STATE_FIELD;
pub use unknown_template_root::UNKNOWN_TEMPLATE_ROOT;
pub use unknown_time_zone::UNKNOWN_TIME_ZONE;
pub use unknown_tool::UNKNOWN_TOOL;
pub use unknown_tool_parameter::UNKNOWN_TOOL_PARAMETER;
pub use unsatisfiable_composite::UNSATISFIABLE_COMPOSITE;
pub use unused_suppression::UNUSED_SUPPRESSION;

use crate::context::Context;

/// Every rule the checker can emit.
pub static RULES: &[&Rule] = &[
    &DUPLICATE_HANDLER_NAME,
    &INVALID_HANDLER_NAME,
    &UNKNOWN_HANDLER,
    &AMBIGUOUS_DIRECT_ROUTING,
    &DEAD_HANDLER,
    &UNKNOWN_TOOL,
    &UNKNOWN_TOOL_PARAMETER,
    &MISSING_TOOL_PARAMETER,
    &TOOL_PARAMETER_TYPE_MISMATCH,
    &UNDECLARED_TOOLS,
    &UNHANDLED_ERRORS,
    &IMPLICIT_TIMEOUT,
    &LITERAL_PATTERN,
    &BRACKET_IN_PATTERN,
    &INVALID_TABLE_NAME,
    &INVALID_CONNECTION_STRING,
    &INLINE_PASSWORD,
    &INVALID_CRON,
    &UNKNOWN_TIME_ZONE,
    &EMPTY_COMPOSITE,
    &SINGLE_MEMBER_COMPOSITE,
    &COMPOSITE_NOT_ARITY,
    &UNSATISFIABLE_COMPOSITE,
    &INVALID_TEMPLATE,
    &UNKNOWN_TEMPLATE_ROOT,
    &UNKNOWN_EVENT_FIELD,
    &UNKNOWN_DATA_FIELD,
    &TEMPLATE_NOT_ALLOWED,
    &INVALID_FIELD_PATH,
    &OPERATOR_VALUE_MISMATCH,
    &INVALID_REGEX,
    &FIELD_VALUE_MISMATCH,
    &EVENT_IN_STATE_CONDITION,
    &UNKNOWN_STATE_FIELD,
    &UNBOUNDED_CASCADE,
    &POSSIBLE_CASCADE,
    &UNUSED_SUPPRESSION,
    &SUPPRESSION_WITHOUT_REASON,
    &UNKNOWN_RULE,
];

/// The semantic checks, run in this order over a structurally valid model.
pub(crate) static CHECKS: &[fn(&mut Context<'_>)] = &[
    duplicate_handler_name::check,
    invalid_handler_name::check,
    unknown_handler::check,
    ambiguous_direct_routing::check,
    dead_handler::check,
    unknown_tool::check,
    unknown_tool_parameter::check,
    missing_tool_parameter::check,
    tool_parameter_type_mismatch::check,
    undeclared_tools::check,
    crate::cascade::check,
    unknown_state_field::check,
    event_in_state_condition::check,
    field_value_mismatch::check,
    invalid_regex::check,
    operator_value_mismatch::check,
    invalid_field_path::check,
    template_not_allowed::check,
    unknown_data_field::check,
    unknown_data_field::check_conditions,
    unknown_event_field::check,
    unknown_template_root::check,
    invalid_template::check,
    unsatisfiable_composite::check,
    composite_not_arity::check,
    single_member_composite::check,
    empty_composite::check,
    unknown_time_zone::check,
    invalid_cron::check,
    inline_password::check,
    invalid_connection_string::check,
    invalid_table_name::check,
    bracket_in_pattern::check,
    literal_pattern::check,
    implicit_timeout::check,
    unhandled_errors::check,
];
