//! The parser's rules: syntax (`ADL1xx`) and structure (`ADL2xx`).
//!
//! Adding a rule: a file here, one line in [`RULES`], fixtures under
//! `fixtures/invalid/<CODE>-<name>/`.

mod conflicting_layouts;
mod cron_in_schedule;
mod default_applied;
mod duplicate_key;
mod empty_document;
mod file_too_large;
mod invalid_json;
mod invalid_utf8;
mod missing_field;
mod nesting_too_deep;
mod unknown_key;
mod unknown_variant;
mod unused_option;
mod value_out_of_range;
mod wrong_type;

use adl_diagnostics::Rule;

pub use conflicting_layouts::CONFLICTING_LAYOUTS;
pub use cron_in_schedule::CRON_IN_SCHEDULE;
pub use default_applied::DEFAULT_APPLIED;
pub use duplicate_key::DUPLICATE_KEY;
pub use empty_document::EMPTY_DOCUMENT;
pub use file_too_large::FILE_TOO_LARGE;
pub use invalid_json::INVALID_JSON;
pub use invalid_utf8::INVALID_UTF8;
pub use missing_field::MISSING_FIELD;
pub use nesting_too_deep::NESTING_TOO_DEEP;
pub use unknown_key::UNKNOWN_KEY;
pub use unknown_variant::UNKNOWN_VARIANT;
pub use unused_option::UNUSED_OPTION;
pub use value_out_of_range::VALUE_OUT_OF_RANGE;
pub use wrong_type::WRONG_TYPE;

/// Every rule the parser can emit, in code order.
pub static RULES: &[&Rule] = &[
    &INVALID_JSON,
    &INVALID_UTF8,
    &EMPTY_DOCUMENT,
    &DUPLICATE_KEY,
    &NESTING_TOO_DEEP,
    &FILE_TOO_LARGE,
    &CONFLICTING_LAYOUTS,
    &WRONG_TYPE,
    &UNKNOWN_KEY,
    &MISSING_FIELD,
    &UNKNOWN_VARIANT,
    &UNUSED_OPTION,
    &CRON_IN_SCHEDULE,
    &VALUE_OUT_OF_RANGE,
    &DEFAULT_APPLIED,
];
