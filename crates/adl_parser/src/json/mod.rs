//! A span-preserving JSON tree.
//!
//! Unlike `serde_json::Value`, this tree keeps every duplicate key, the byte span
//! of every key and value, and each node's parent, so that any node can name its
//! JSON pointer and any diagnostic can point at the exact place.

mod parser;

use adl_diagnostics::{Span, push_pointer_token};

pub(crate) use parser::report_duplicate_keys;
pub use parser::{MAX_DEPTH, MAX_FILE_SIZE, parse_json};

/// Index of a node in its [`Document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "documents are at most 16 MiB"
    )]
    pub(crate) const fn new(index: usize) -> Self {
        NodeId(index as u32)
    }

    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// A JSON number as written: integers that fit `i64` stay exact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Integer(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            #[allow(clippy::cast_precision_loss)]
            Number::Integer(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// The integer value, also for floats with no fractional part (`5.0`), as in JSON Schema.
    #[allow(clippy::float_cmp, clippy::cast_precision_loss)]
    pub fn as_integer(self) -> Option<i64> {
        match self {
            Number::Integer(i) => Some(i),
            Number::Float(f) if f.fract() == 0.0 && f.abs() < i64::MAX as f64 => Some(f as i64),
            Number::Float(_) => None,
        }
    }
}

/// One `"key": value` pair of an object, in source order.
#[derive(Debug, Clone)]
pub struct Member {
    pub key: Box<str>,
    pub key_span: Span,
    pub value: NodeId,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Number(Number),
    String(Box<str>),
    Array(Vec<NodeId>),
    Object(Vec<Member>),
}

impl NodeKind {
    /// The JSON type name, as used in "expected an array, found a string".
    pub const fn type_name(&self) -> &'static str {
        match self {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Number(_) => "a number",
            NodeKind::String(_) => "a string",
            NodeKind::Array(_) => "an array",
            NodeKind::Object(_) => "an object",
        }
    }
}

/// Where a node sits in its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Root,
    /// Element `n` of an array.
    Index(u32),
    /// Member `n` of an object (an index into its members, so duplicates stay distinct).
    Member(u32),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    pub parent: Option<NodeId>,
    pub slot: Slot,
}

/// The source text and its tree. `root` is `None` when the text is not JSON.
#[derive(Debug, Clone, Default)]
pub struct Document {
    text: String,
    nodes: Vec<Node>,
    root: Option<NodeId>,
}

impl Document {
    /// The source text (with invalid UTF-8 replaced, for display).
    /// A document built by another syntax's reader: its text, nodes (each
    /// parent before its children) and root.
    pub(crate) fn from_parts(text: String, nodes: Vec<Node>, root: Option<NodeId>) -> Document {
        Document { text, nodes, root }
    }

    /// A document of text that was not parsed (a syntax adl does not read): no
    /// tree, but the text for showing where diagnostics point.
    pub fn unparsed(text: String) -> Document {
        Document {
            text,
            ..Document::default()
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn kind(&self, id: NodeId) -> &NodeKind {
        &self.nodes[id.index()].kind
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.nodes[id.index()].span
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Every node, in document order (a parent before its children).
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + use<> {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    /// The members of an object node, or `None` for any other kind.
    pub fn members(&self, id: NodeId) -> Option<&[Member]> {
        match &self.nodes[id.index()].kind {
            NodeKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The first member named `key` of an object node.
    pub fn member(&self, id: NodeId, key: &str) -> Option<&Member> {
        self.members(id)?.iter().find(|m| &*m.key == key)
    }

    /// A short span that stands for a whole node in messages: its member's
    /// key, or the opening bracket of a root container.
    pub fn anchor(&self, id: NodeId) -> Span {
        if let Some(member) = self.member_of(id) {
            return member.key_span;
        }
        let span = self.span(id);
        match self.kind(id) {
            NodeKind::Object(_) | NodeKind::Array(_) => Span::new(span.start, span.start + 1),
            _ => span,
        }
    }

    /// The member (key and value) that holds `id`, when its parent is an object.
    pub fn member_of(&self, id: NodeId) -> Option<&Member> {
        let node = self.node(id);
        match (node.parent, node.slot) {
            (Some(parent), Slot::Member(i)) => self.members(parent)?.get(i as usize),
            _ => None,
        }
    }

    /// The RFC 6901 pointer of a node: `""` for the root, `/events/triggers/0`…
    pub fn pointer(&self, id: NodeId) -> String {
        let mut chain = Vec::new();
        let mut current = id;
        while let Some(parent) = self.node(current).parent {
            chain.push(current);
            current = parent;
        }
        let mut pointer = String::new();
        for &node in chain.iter().rev() {
            match self.node(node).slot {
                Slot::Root => {}
                Slot::Index(i) => push_pointer_token(&mut pointer, &i.to_string()),
                Slot::Member(_) => {
                    let key = self.member_of(node).map_or("", |m| &m.key);
                    push_pointer_token(&mut pointer, key);
                }
            }
        }
        pointer
    }

    /// For a string node: the source byte offset of every byte of the decoded
    /// string, plus one entry for its end (the closing quote). Bytes decoded from
    /// an escape (`\n`, `\u00e9`, a surrogate pair) all map to the escape's start,
    /// so a column inside a string points at the right place in the file.
    pub fn string_source_offsets(&self, id: NodeId) -> Option<Vec<u32>> {
        let node = self.node(id);
        let NodeKind::String(decoded) = &node.kind else {
            return None;
        };
        let source = self
            .text
            .get(node.span.start as usize..node.span.end as usize)?;
        // Only a double-quoted literal maps byte by byte (YAML's other styles do not).
        if !(source.len() >= 2 && source.starts_with('"') && source.ends_with('"')) {
            return None;
        }
        let raw = &source[1..source.len() - 1];
        let base = node.span.start + 1;
        let mut offsets = Vec::with_capacity(decoded.len() + 1);
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let at = base + i as u32;
            if bytes[i] != b'\\' {
                let len = raw[i..].chars().next().map_or(1, char::len_utf8);
                offsets.extend((0..len).map(|k| at + k as u32));
                i += len;
                continue;
            }
            let (escape_len, decoded_len) = match bytes.get(i + 1) {
                Some(b'u') => {
                    let code = raw
                        .get(i + 2..i + 6)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .unwrap_or(0);
                    if (0xD800..0xDC00).contains(&code) {
                        (12, 4)
                    } else {
                        (6, char::from_u32(code).map_or(3, char::len_utf8))
                    }
                }
                _ => (2, 1),
            };
            offsets.extend(std::iter::repeat_n(at, decoded_len));
            i += escape_len;
        }
        offsets.push(node.span.end - 1);
        (offsets.len() == decoded.len() + 1).then_some(offsets)
    }

    /// The source span of bytes `start..end` of a string node's decoded value.
    pub fn string_subspan(&self, id: NodeId, start: usize, end: usize) -> Span {
        match self.string_source_offsets(id) {
            Some(offsets) if end < offsets.len() && start <= end => {
                // The end maps past the last byte of the escape or character it ends in.
                let end_offset = if end > start {
                    let last = offsets[end - 1];
                    let next = offsets[end];
                    if next > last { next } else { last + 1 }
                } else {
                    offsets[start]
                };
                Span::new(offsets[start], end_offset)
            }
            _ => self.span(id),
        }
    }

    /// Converts a subtree to a `serde_json::Value` (duplicate keys: the first wins,
    /// matching the diagnostic that reports the second).
    pub fn to_value(&self, id: NodeId) -> serde_json::Value {
        use serde_json::Value;
        match &self.node(id).kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(Number::Integer(i)) => Value::from(*i),
            NodeKind::Number(Number::Float(f)) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            NodeKind::String(s) => Value::String(s.to_string()),
            NodeKind::Array(items) => {
                Value::Array(items.iter().map(|&i| self.to_value(i)).collect())
            }
            NodeKind::Object(members) => {
                let mut map = serde_json::Map::new();
                for member in members {
                    if !map.contains_key(&*member.key) {
                        map.insert(member.key.to_string(), self.to_value(member.value));
                    }
                }
                Value::Object(map)
            }
        }
    }
}

/// "a string", "an array", … for messages about JSON values.
pub fn json_type_name(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
