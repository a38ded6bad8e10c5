//! The checker's rules: references and tools (`ADL3xx`), templates, conditions
//! and limits (`ADL4xx`), triggers and workflows (`ADL5xx`), cascades
//! (`ADL6xx`), persistence, policy and secrets (`ADL7xx`), best practices
//! (`ADL8xx`), suppressions (`ADL9xx`).
//!
//! Adding a rule over the events model: a file here with its `declare_rule!`
//! and its `check`, one line in `rule_list!`, fixtures under
//! `fixtures/invalid/<CODE>-<name>/`. A rule over the document's other
//! sections goes in its section's module (one `check` reports the module's
//! rules from one pass over the section) and on that module's line in
//! `section_rule_list!`.

use adl_diagnostics::Rule;

use crate::context::Context;

/// Every place that names a handler (for editors' find-references, and the
/// rules that judge those names).
pub(crate) use unknown_handler::references as handler_references;

/// Declares the rule modules, re-exports their rules, and builds [`RULES`] and
/// [`CHECKS`] from one line per rule: `module::RULE => its checks;`.
macro_rules! rule_list {
    ($($module:ident :: $rule:ident $(=> $($check:path),+)?;)*) => {
        $(mod $module; pub use $module::$rule;)*

        /// Every rule the checker can emit, in code order.
        pub static RULES: &[&Rule] = &[$(&$rule),*];

        /// The semantic checks, run over a structurally valid model. Their order
        /// does not matter: findings are sorted by position afterwards.
        pub(crate) static CHECKS: &[fn(&mut Context<'_>)] = &[$($($($check),+,)?)*];
    };
}

rule_list! {
    duplicate_handler_name::DUPLICATE_HANDLER_NAME => duplicate_handler_name::check;
    invalid_handler_name::INVALID_HANDLER_NAME => invalid_handler_name::check;
    unknown_handler::UNKNOWN_HANDLER => unknown_handler::check;
    ambiguous_direct_routing::AMBIGUOUS_DIRECT_ROUTING => ambiguous_direct_routing::check;
    dead_handler::DEAD_HANDLER => dead_handler::check;
    unknown_tool::UNKNOWN_TOOL => unknown_tool::check;
    unknown_tool_parameter::UNKNOWN_TOOL_PARAMETER => unknown_tool_parameter::check;
    missing_tool_parameter::MISSING_TOOL_PARAMETER => missing_tool_parameter::check;
    tool_parameter_type_mismatch::TOOL_PARAMETER_TYPE_MISMATCH => tool_parameter_type_mismatch::check;
    undeclared_tools::UNDECLARED_TOOLS => undeclared_tools::check;
    ambiguous_handler_reference::AMBIGUOUS_HANDLER_REFERENCE => ambiguous_handler_reference::check;
    invalid_template::INVALID_TEMPLATE => invalid_template::check;
    unknown_template_root::UNKNOWN_TEMPLATE_ROOT => unknown_template_root::check;
    unknown_event_field::UNKNOWN_EVENT_FIELD => unknown_event_field::check;
    unknown_data_field::UNKNOWN_DATA_FIELD => unknown_data_field::check, unknown_data_field::check_conditions;
    template_not_allowed::TEMPLATE_NOT_ALLOWED => template_not_allowed::check;
    invalid_field_path::INVALID_FIELD_PATH => invalid_field_path::check;
    operator_value_mismatch::OPERATOR_VALUE_MISMATCH => operator_value_mismatch::check;
    invalid_regex::INVALID_REGEX => invalid_regex::check;
    field_value_mismatch::FIELD_VALUE_MISMATCH => field_value_mismatch::check;
    event_in_state_condition::EVENT_IN_STATE_CONDITION => event_in_state_condition::check;
    unknown_state_field::UNKNOWN_STATE_FIELD => unknown_state_field::check;
    invalid_event_schema::INVALID_EVENT_SCHEMA => invalid_event_schema::check;
    invalid_state_field::INVALID_STATE_FIELD => invalid_state_field::check;
    invalid_cron::INVALID_CRON => invalid_cron::check;
    unknown_time_zone::UNKNOWN_TIME_ZONE => unknown_time_zone::check;
    empty_composite::EMPTY_COMPOSITE => empty_composite::check;
    single_member_composite::SINGLE_MEMBER_COMPOSITE => single_member_composite::check;
    composite_not_arity::COMPOSITE_NOT_ARITY => composite_not_arity::check;
    unsatisfiable_composite::UNSATISFIABLE_COMPOSITE => unsatisfiable_composite::check;
    unbounded_cascade::UNBOUNDED_CASCADE => crate::cascade::check;
    possible_cascade::POSSIBLE_CASCADE;
    invalid_table_name::INVALID_TABLE_NAME => invalid_table_name::check;
    invalid_connection_string::INVALID_CONNECTION_STRING => invalid_connection_string::check;
    inline_password::INLINE_PASSWORD => inline_password::check;
    unhandled_errors::UNHANDLED_ERRORS => unhandled_errors::check;
    implicit_timeout::IMPLICIT_TIMEOUT => implicit_timeout::check;
    literal_pattern::LITERAL_PATTERN => literal_pattern::check;
    bracket_in_pattern::BRACKET_IN_PATTERN => bracket_in_pattern::check;
    unused_suppression::UNUSED_SUPPRESSION;
    suppression_without_reason::SUPPRESSION_WITHOUT_REASON;
    unknown_rule::UNKNOWN_RULE;
}

/// Declares the modules of the rules over a whole document's other sections
/// and builds [`SECTION_RULES`] and [`SECTION_CHECKS`] from one line per
/// module: `module => ITS_RULES;` (the module's `check` reports them all).
macro_rules! section_rule_list {
    ($($module:ident => $($rule:ident),+;)*) => {
        $(pub(crate) mod $module; pub use $module::{$($rule),+};)*

        /// Every rule over a whole document's other sections.
        pub static SECTION_RULES: &[&Rule] = &[$($(&$rule),+),*];

        /// The checks over a whole document's other sections (run whatever the
        /// events block holds: they read only their own sections).
        pub(crate) static SECTION_CHECKS: &[fn(&mut crate::sections::Sections<'_>)] =
            &[$($module::check),*];
    };
}

section_rule_list! {
    role_tools => UNKNOWN_FORBIDDEN_TOOL, ALLOWED_AND_FORBIDDEN;
    duplicate_name => DUPLICATE_NAME;
    unknown_index_reference => UNKNOWN_INDEX_REFERENCE;
    ids => DEPRECATED_FIELD, ID_PREFIX_MISMATCH, AGENT_ID_FORMAT, ID_WHITESPACE;
    routing => UNKNOWN_MODEL_REFERENCE, WEIGHTS_SUM, ROUTING_GUARDRAIL;
    tool_metadata => UNKNOWN_RETURN_TYPE, RETURNS_MISSING_SCHEMA, UNKNOWN_CATEGORY_DOMAIN;
    roles => INCOMPATIBLE_ROLES, ROLE_CONSTRAINT_CONFLICT;
    constraints => INCONSISTENT_CONSTRAINTS, PROVIDER_TEMPERATURE;
    limits => MAX_TOKENS_EXCEEDS_LIMIT, INCONSISTENT_LIMITS;
    parameters => DEFAULT_VIOLATES_CONSTRAINTS, PARAMETER_STYLE;
    workflow => UNKNOWN_NODE, WORKFLOW_CYCLE, EMPTY_WORKFLOW, TRIGGER_HAS_INCOMING, WORKFLOW_SHAPE, REDUNDANT_NODE_ID;
    policy => REGO_MISSING_PACKAGE, POLICY_ENFORCEMENT, REGO_NO_DEFAULT, REGO_UNKNOWN_DATA;
    secrets => INLINE_SECRET, UNDECLARED_ENV_VAR, ENCRYPTION_CONFLICT;
}
