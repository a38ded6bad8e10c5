use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Keyword, Spanned, Suppressions};
use crate::json::NodeId;

/// Where events are stored.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Persistence {
    Memory(MemoryPersistence),
    File(FilePersistence),
    Database(DatabasePersistence),
}

/// The persistence `type` discriminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersistenceType {
    Memory,
    File,
    Database,
}

impl Keyword for PersistenceType {
    const WHAT: &'static str = "persistence type";
    const ALL: &'static [(&'static str, Self)] = &[
        ("memory", Self::Memory),
        ("file", Self::File),
        ("database", Self::Database),
    ];
}

/// A ring of the latest `max_events` events.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemoryPersistence {
    /// At least 1; default 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_events: Option<Spanned<u64>>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

/// JSON Lines, appended, rotated by period.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FilePersistence {
    /// The JSON Lines file events are appended to.
    pub file_path: Spanned<String>,
    /// Default `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Spanned<Rotation>>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rotation {
    Daily,
    Weekly,
    Monthly,
    None,
}

impl Keyword for Rotation {
    const WHAT: &'static str = "rotation";
    const ALL: &'static [(&'static str, Self)] = &[
        ("daily", Self::Daily),
        ("weekly", Self::Weekly),
        ("monthly", Self::Monthly),
        ("none", Self::None),
    ];
}

/// PostgreSQL (`postgresql://…`) or SQLite (`sqlite://PATH`, `sqlite::memory:`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatabasePersistence {
    /// May use `${env.NAME}`; an inline password is redacted in every output.
    pub connection_string: Spanned<String>,
    /// A plain or schema-qualified SQL identifier.
    pub table_name: Spanned<String>,
    #[serde(rename = "x-adl-allow", skip_serializing_if = "Option::is_none")]
    pub allow: Option<Suppressions>,
    #[serde(skip)]
    #[schemars(skip)]
    pub node: NodeId,
}
