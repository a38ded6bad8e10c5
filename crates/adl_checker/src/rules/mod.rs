//! The checker's rules: references and tools (`ADL3xx`), templates and
//! conditions (`ADL4xx`), triggers (`ADL5xx`), cascades (`ADL6xx`), persistence
//! (`ADL7xx`), best practices (`ADL8xx`), suppressions (`ADL9xx`).
//!
//! Adding a rule: a file here with its `declare_rule!` and its `check`, one line
//! in the list below, fixtures under `fixtures/invalid/<CODE>-<name>/`.

use adl_diagnostics::Rule;

use crate::context::Context;

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

// Rules over a whole document's other sections.
mod constraints;
mod duplicate_name;
mod ids;
mod limits;
mod parameters;
mod policy;
mod role_tools;
mod roles;
mod routing;
pub(crate) mod secrets;
mod tool_metadata;
mod unknown_index_reference;
mod workflow;

pub use constraints::{INCONSISTENT_CONSTRAINTS, PROVIDER_TEMPERATURE};
pub use duplicate_name::DUPLICATE_NAME;
pub use ids::{AGENT_ID_FORMAT, DEPRECATED_FIELD, ID_PREFIX_MISMATCH, ID_WHITESPACE};
pub use limits::{INCONSISTENT_LIMITS, MAX_TOKENS_EXCEEDS_LIMIT};
pub use parameters::{DEFAULT_VIOLATES_CONSTRAINTS, PARAMETER_STYLE};
pub use policy::{POLICY_ENFORCEMENT, REGO_MISSING_PACKAGE, REGO_NO_DEFAULT, REGO_UNKNOWN_DATA};
pub use role_tools::{ALLOWED_AND_FORBIDDEN, UNKNOWN_FORBIDDEN_TOOL};
pub use roles::{INCOMPATIBLE_ROLES, ROLE_CONSTRAINT_CONFLICT};
pub use routing::{ROUTING_GUARDRAIL, UNKNOWN_MODEL_REFERENCE, WEIGHTS_SUM};
pub use secrets::{ENCRYPTION_CONFLICT, INLINE_SECRET, UNDECLARED_ENV_VAR};
pub use tool_metadata::{RETURNS_MISSING_SCHEMA, UNKNOWN_CATEGORY_DOMAIN, UNKNOWN_RETURN_TYPE};
pub use unknown_index_reference::UNKNOWN_INDEX_REFERENCE;
pub use workflow::{
    EMPTY_WORKFLOW, REDUNDANT_NODE_ID, TRIGGER_HAS_INCOMING, UNKNOWN_NODE, WORKFLOW_CYCLE,
    WORKFLOW_SHAPE,
};

/// Every rule over a whole document's other sections.
pub static SECTION_RULES: &[&Rule] = &[
    &UNKNOWN_FORBIDDEN_TOOL,
    &ALLOWED_AND_FORBIDDEN,
    &DUPLICATE_NAME,
    &UNKNOWN_INDEX_REFERENCE,
    &DEPRECATED_FIELD,
    &ID_PREFIX_MISMATCH,
    &AGENT_ID_FORMAT,
    &ID_WHITESPACE,
    &UNKNOWN_MODEL_REFERENCE,
    &UNKNOWN_RETURN_TYPE,
    &RETURNS_MISSING_SCHEMA,
    &UNKNOWN_CATEGORY_DOMAIN,
    &INCOMPATIBLE_ROLES,
    &ROLE_CONSTRAINT_CONFLICT,
    &INCONSISTENT_CONSTRAINTS,
    &PROVIDER_TEMPERATURE,
    &MAX_TOKENS_EXCEEDS_LIMIT,
    &WEIGHTS_SUM,
    &ROUTING_GUARDRAIL,
    &DEFAULT_VIOLATES_CONSTRAINTS,
    &PARAMETER_STYLE,
    &INCONSISTENT_LIMITS,
    &UNKNOWN_NODE,
    &WORKFLOW_CYCLE,
    &EMPTY_WORKFLOW,
    &TRIGGER_HAS_INCOMING,
    &WORKFLOW_SHAPE,
    &REDUNDANT_NODE_ID,
    &REGO_MISSING_PACKAGE,
    &POLICY_ENFORCEMENT,
    &REGO_NO_DEFAULT,
    &REGO_UNKNOWN_DATA,
    &INLINE_SECRET,
    &UNDECLARED_ENV_VAR,
    &ENCRYPTION_CONFLICT,
];

/// The checks over a whole document's other sections (run whatever the events
/// block holds: they read only their own sections).
pub(crate) static SECTION_CHECKS: &[fn(&mut crate::sections::Sections<'_>)] = &[
    role_tools::check,
    duplicate_name::check,
    unknown_index_reference::check,
    constraints::check,
    workflow::check,
    policy::check,
    ids::check,
    limits::check,
    parameters::check,
    roles::check,
    routing::check,
    secrets::check,
    tool_metadata::check,
];
