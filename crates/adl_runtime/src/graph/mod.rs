//! The dispatch graph: what `adl compile` writes and the runtime loads.
//!
//! Pure data, index-based (`HandlerId(u32)`), serializable both ways. Every
//! setting is explicit (defaults filled in and listed in `defaults_applied`), so
//! a reader of the file never has to know the defaults. Templates and conditions
//! are kept as written; [`crate::Program`] turns them into their executable form
//! when the graph is loaded.

mod compile;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use adl_parser::model::{
    CompositeOperator, Keyword, NotificationType, Operator, Overflow, ProcessingMode, Rotation,
};
pub use compile::{CompileError, compile};

/// The `format` marker of a compiled graph file.
pub const FORMAT: &str = "adl-graph";
/// Bumped on every incompatible change of the graph's shape.
pub const FORMAT_VERSION: u32 = 2;

/// A compiled agent: handler table, subscriptions, triggers and routing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Graph {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`] for graphs this build writes.
    pub format_version: u32,
    pub source: Source,
    pub settings: Settings,
    pub persistence: PersistenceConfig,
    /// Pointers of the fields whose values above are defaults, not written.
    pub defaults_applied: Vec<String>,
    pub handlers: Vec<HandlerNode>,
    pub subscriptions: Vec<SubscriptionNode>,
    pub triggers: Vec<TriggerNode>,
    pub routing: Routing,
    /// Custom event name → JSON Schema of its `data`.
    pub event_types: BTreeMap<String, Value>,
    pub initial_state: Map<String, Value>,
    /// Declared tool → its typed parameters: tool calls are checked against
    /// them once their templates are rendered. Only tools with a parameter
    /// list are here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tools: BTreeMap<String, Vec<ToolParameterNode>>,
    /// The agent document's other sections, validated, as data (absent for an
    /// events fragment). The runtime does not execute them; a host reads its
    /// agent's identity, model settings and tools from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentSections>,
}

/// The sections of an agent document the runtime carries but does not execute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSections {
    /// How the document was read.
    pub document: DocumentRead,
    pub identity: Identity,
    /// The model provider and its settings, when declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<LlmSection>,
    /// The declared tools as written (secrets redacted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Value>,
    /// Every other section by its flat name (`rag`, `memory`, `workflow`,
    /// `policy`, `agent_roles`…), as written, secrets redacted.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sections: BTreeMap<String, Value>,
}

/// The version and layout the document was read as, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRead {
    /// `1.0.0`, `1.5.0`, `2.0.0` or `3.0.0`.
    pub version: String,
    /// `declared` (by `schema_version`), `inferred` (from a section only that
    /// version has) or `default`.
    pub version_source: String,
    /// `flat` or `grouped`.
    pub layout: String,
}

/// Who the agent is. Absent fields were not written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// `agent_id`, or the deprecated `id` when only that is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `version` as written (an integer, or a string in older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_string: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// The model: provider, settings and extensions as written (secrets redacted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LlmSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Value>,
}

/// One declared parameter of a tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolParameterNode {
    pub name: String,
    /// The declared type; absent when not declared.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub parameter_type: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
}

/// Where the graph came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Hex SHA-256 of the source file's bytes.
    pub sha256: String,
    pub bytes: u64,
}

/// Processing options, all explicit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub processing_mode: ProcessingMode,
    pub timeout_ms: u64,
    pub queue_size: u64,
    pub worker_count: u64,
    pub overflow: Overflow,
    pub batch_size: u64,
    pub batch_timeout_ms: u64,
    pub max_cascade_depth: u64,
    /// Most events one input may cause, all generations together.
    #[serde(default = "default_max_cascade_events")]
    pub max_cascade_events: u64,
}

fn default_max_cascade_events() -> u64 {
    adl_parser::model::defaults::MAX_CASCADE_EVENTS
}

/// Where events are stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PersistenceConfig {
    Memory {
        max_events: u64,
    },
    File {
        file_path: String,
        rotation: Rotation,
    },
    Database {
        connection_string: ConnectionString,
        table_name: String,
    },
}

/// A database URL. Serializes with any inline password replaced by `***`: a
/// compiled file never holds a secret (use `${env.NAME}`, kept as written).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct ConnectionString(pub String);

impl ConnectionString {
    /// The string with every inline secret replaced by `***`.
    pub fn redacted(&self) -> String {
        let mut redacted = String::with_capacity(self.0.len());
        let mut from = 0;
        for range in adl_checker::connection::secret_ranges(&self.0) {
            redacted.push_str(&self.0[from..range.start]);
            redacted.push_str("***");
            from = range.end;
        }
        redacted.push_str(&self.0[from..]);
        redacted
    }
}

impl std::fmt::Debug for ConnectionString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Serialize for ConnectionString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.redacted())
    }
}

/// Index into [`Graph::handlers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HandlerId(pub u32);

impl HandlerId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One handler: listed ones first, then the inline handlers of subscriptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandlerNode {
    /// The reference name (`name`, or a custom handler's `handler_name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Pointer of the handler object in the source.
    pub pointer: String,
    pub action: HandlerAction,
}

impl HandlerNode {
    /// How action lines name the handler: its reference name, else its pointer.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.pointer)
    }
}

/// What a handler does. Strings may hold `${…}` templates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "handler_type", rename_all = "snake_case", deny_unknown_fields)]
pub enum HandlerAction {
    ToolInvocation {
        tool_name: String,
        parameters: Map<String, Value>,
    },
    StateUpdate {
        state_field: String,
        value: Value,
    },
    Notification {
        notification_type: NotificationType,
        message: String,
    },
    Custom {
        handler_name: String,
        parameters: Map<String, Value>,
    },
}

impl HandlerAction {
    /// The `handler_type` keyword.
    pub fn handler_type(&self) -> &'static str {
        match self {
            HandlerAction::ToolInvocation { .. } => "tool_invocation",
            HandlerAction::StateUpdate { .. } => "state_update",
            HandlerAction::Notification { .. } => "notification",
            HandlerAction::Custom { .. } => "custom",
        }
    }
}

/// A subscription: which event names it takes, its filter and its handler.
// No `deny_unknown_fields`: serde does not support it with `flatten`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionNode {
    pub pointer: String,
    #[serde(flatten)]
    pub name: NameMatch,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<ConditionNode>,
    pub handler: HandlerId,
}

/// An exact event name or a glob (`*` and `?`; a pattern without either is
/// compiled as an exact name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    EventName(String),
    EventPattern(String),
}

/// `{field, operator, value}` as written (`value` filled in for `exists`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionNode {
    pub field: String,
    pub operator: Operator,
    pub value: Value,
}

/// A trigger, with composites nesting their members.
// No `deny_unknown_fields`: serde does not support it with `flatten`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriggerNode {
    pub pointer: String,
    #[serde(flatten)]
    pub kind: TriggerKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "trigger_type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TriggerKind {
    Event {
        event_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        condition: Option<ConditionNode>,
    },
    Time {
        expression: String,
        timezone: String,
    },
    Condition {
        condition: ConditionNode,
    },
    Composite {
        operator: CompositeOperator,
        triggers: Vec<TriggerNode>,
    },
}

/// How trigger activations reach handlers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "strategy", rename_all = "snake_case", deny_unknown_fields)]
pub enum Routing {
    /// `None` when the agent lists no handler: activations are dropped and counted.
    Direct {
        target: Option<HandlerId>,
    },
    Broadcast {
        targets: Vec<HandlerId>,
    },
    Conditional {
        routes: Vec<RouteNode>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default_handler: Option<HandlerId>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteNode {
    pub condition: ConditionNode,
    pub target: HandlerId,
    #[serde(rename = "continue")]
    pub continue_: bool,
}

impl Graph {
    /// The graph as pretty JSON (what `adl compile` writes).
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialization cannot fail.
        serde_json::to_string_pretty(self).expect("a graph always serializes")
    }

    /// Reads a compiled graph. [`LoadError::NotAGraph`] when the text is not
    /// JSON or has no `"format": "adl-graph"` (it may be an agent definition).
    pub fn from_json(text: &str) -> Result<Self, LoadError> {
        /// The format marker alone: sniffing it skips every other value
        /// without building it, so an agent definition costs one scan.
        #[derive(Deserialize)]
        struct Marker {
            format: Option<Value>,
            format_version: Option<Value>,
        }
        #[allow(
            clippy::disallowed_methods,
            reason = "only sniffing for the format marker; the agent parser reads definitions"
        )]
        let Ok(marker) = serde_json::from_str::<Marker>(text) else {
            return Err(LoadError::NotAGraph);
        };
        if marker.format.as_ref().and_then(Value::as_str) != Some(FORMAT) {
            return Err(LoadError::NotAGraph);
        }
        let version = marker.format_version.as_ref().and_then(Value::as_u64);
        if version != Some(u64::from(FORMAT_VERSION)) {
            return Err(LoadError::Version(version));
        }
        #[allow(
            clippy::disallowed_methods,
            reason = "a compiled graph is machine-written; its errors name the line and column"
        )]
        serde_json::from_str(text).map_err(|e| LoadError::Json(e.to_string()))
    }
}

/// Why a compiled graph could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("not a compiled adl graph (no `\"format\": \"{FORMAT}\"`)")]
    NotAGraph,
    #[error("compiled graph format version {} is not supported (this build reads version {FORMAT_VERSION}); recompile the agent", .0.map_or_else(|| "(missing)".to_owned(), |v| v.to_string()))]
    Version(Option<u64>),
    #[error("invalid compiled graph: {0}")]
    Json(String),
    #[error("invalid compiled graph at {pointer}: {message}")]
    Invalid { pointer: String, message: String },
}
