//! Section shapes as data. The tables in `sections` describe every key of an
//! agent document outside `events`; the walker checks a node against one, and
//! the JSON Schema is generated from the same tables, so the two cannot drift.

use adl_diagnostics::{Diagnostic, Rule, Severity};

use super::Version;
use crate::json::{Document, NodeId, NodeKind};
use crate::model::SUPPRESSION_KEY;
use crate::rules::{
    MISSING_FIELD, NONSTANDARD_SHAPE, NONSTANDARD_VALUE, UNKNOWN_AGENT_KEY, UNKNOWN_VARIANT,
    VALUE_OUT_OF_RANGE, WRONG_TYPE,
};
use crate::suggest::{quoted_list, suggest};

/// A set of document versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versions(u8);

impl Versions {
    pub const NONE: Self = Self(0);
    pub const V1: Self = Self(1);
    pub const V1_5: Self = Self(2);
    pub const V2: Self = Self(4);
    pub const V3: Self = Self(8);
    /// v1 and v1.5: the closed schemas.
    pub const LEGACY: Self = Self(1 | 2);
    pub const ALL: Self = Self(15);

    pub const fn contains(self, version: Version) -> bool {
        self.0 & version.bit() != 0
    }
}

/// What a value must be.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// Any JSON value.
    Any,
    Null,
    /// Any object (`metadata`, `config`, `data`): its keys are the author's.
    OpenObject,
    /// A string, `min..=max` characters long, of a format when one is given.
    Str {
        min: u64,
        max: u64,
        format: Option<&'static Format>,
    },
    Int {
        min: i64,
        max: i64,
    },
    Num {
        min: f64,
        max: f64,
    },
    Bool,
    Enum(&'static Enum),
    Array(&'static Shape),
    Object(&'static Object),
    /// An object whose keys are names and whose values have one shape.
    Map(&'static Shape),
    /// One of these, chosen by the value's JSON type.
    Either(&'static [Shape]),
    /// Read elsewhere (the events block has its own reader and rules).
    Elsewhere,
}

/// Any string.
pub const STRING: Shape = Shape::Str {
    min: 0,
    max: u64::MAX,
    format: None,
};
/// An integer ≥ 1.
pub const COUNT: Shape = Shape::Int {
    min: 1,
    max: i64::MAX,
};
/// An integer ≥ 0.
pub const NATURAL: Shape = Shape::Int {
    min: 0,
    max: i64::MAX,
};
/// A number ≥ 0.
pub const AMOUNT: Shape = Shape::Num {
    min: 0.0,
    max: f64::MAX,
};
/// A number from 0 to 1.
pub const SHARE: Shape = Shape::Num { min: 0.0, max: 1.0 };
pub const STRINGS: Shape = Shape::Array(&STRING);

/// A string format checked beyond its type ("a semantic version").
#[derive(Debug)]
pub struct Format {
    /// What the string must be, for messages: "a semantic version (`1.2.3`)".
    pub what: &'static str,
    pub check: fn(&str) -> bool,
    /// The rule a mismatch reports (`unknown-variant` unless the format has its own).
    pub rule: &'static Rule,
    /// Whether v1 documents, which had no such format, get a note instead.
    pub note_in_v1: bool,
    /// The ECMA-262 pattern the JSON Schema gives, for a format whose mismatch
    /// is an error (a warning-only format is no schema constraint).
    pub pattern: Option<&'static str>,
}

/// A closed set of strings; `variants` are spellings some public file uses
/// for a standard value (warned, not refused).
#[derive(Debug)]
pub struct Enum {
    pub what: &'static str,
    pub values: &'static [&'static str],
    /// `(variant, standard value)`.
    pub variants: &'static [(&'static str, &'static str)],
}

/// An object with named fields; other keys get `unknown-agent-key` (a
/// warning), `x-` keys never.
#[derive(Debug)]
pub struct Object {
    /// What it is, for messages: "a tool".
    pub what: &'static str,
    pub fields: &'static [Field],
}

/// One key of an [`Object`].
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub shape: Shape,
    /// The versions in which a document must have it.
    pub required: Versions,
    /// One line for the schema's `description`.
    pub doc: &'static str,
    /// For a key that v2 moved or replaced: the v2 way, warned in v2+ files.
    pub replaced_by: Option<&'static str>,
    /// The value a reader assumes when the key is absent, as JSON text.
    pub default: Option<&'static str>,
}

/// A field: optional, undocumented until [`Field::doc`] says otherwise.
pub const fn field(key: &'static str, shape: Shape) -> Field {
    Field {
        key,
        shape,
        required: Versions::NONE,
        doc: "",
        replaced_by: None,
        default: None,
    }
}

impl Field {
    /// Required in every version.
    #[must_use]
    pub const fn required(self) -> Self {
        self.required_in(Versions::ALL)
    }

    #[must_use]
    pub const fn required_in(mut self, versions: Versions) -> Self {
        self.required = versions;
        self
    }

    #[must_use]
    pub const fn doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self
    }

    /// What a reader assumes when the key is absent (JSON text).
    #[must_use]
    pub const fn default(mut self, json: &'static str) -> Self {
        self.default = Some(json);
        self
    }

    /// A key that v2 moved or replaced, `replacement` saying how.
    #[must_use]
    pub const fn replaced_by(mut self, replacement: &'static str) -> Self {
        self.replaced_by = Some(replacement);
        self
    }
}

impl Shape {
    /// The value as messages name it: "an integer", "a lifecycle (string)".
    pub fn expected(&self) -> String {
        match self {
            Shape::Any | Shape::Elsewhere => "any value".to_owned(),
            Shape::OpenObject | Shape::Object(_) | Shape::Map(_) => "an object".to_owned(),
            Shape::Str { .. } => "a string".to_owned(),
            Shape::Int { .. } => "an integer".to_owned(),
            Shape::Num { .. } => "a number".to_owned(),
            Shape::Bool => "a boolean".to_owned(),
            Shape::Null => "null".to_owned(),
            Shape::Enum(e) => format!("a {} (string)", e.what),
            Shape::Array(_) => "an array".to_owned(),
            Shape::Either(shapes) => {
                let names: Vec<String> = shapes.iter().map(Shape::expected).collect();
                names.join(" or ")
            }
        }
    }

    /// Whether a value of `kind` is of this shape's JSON type.
    fn admits(&self, kind: &NodeKind) -> bool {
        match (self, kind) {
            (Shape::Any | Shape::Elsewhere, _)
            | (Shape::OpenObject | Shape::Object(_) | Shape::Map(_), NodeKind::Object(_))
            | (Shape::Str { .. } | Shape::Enum(_), NodeKind::String(_))
            | (Shape::Num { .. }, NodeKind::Number(_))
            | (Shape::Bool, NodeKind::Bool(_))
            | (Shape::Null, NodeKind::Null)
            | (Shape::Array(_), NodeKind::Array(_)) => true,
            (Shape::Int { .. }, NodeKind::Number(n)) => n.as_integer().is_some(),
            (Shape::Either(shapes), kind) => shapes.iter().any(|s| s.admits(kind)),
            _ => false,
        }
    }
}

/// Checks nodes against shapes, for one document of one version.
pub(crate) struct Walker<'d> {
    pub doc: &'d Document,
    pub version: Version,
    pub diagnostics: Vec<Diagnostic>,
}

impl Walker<'_> {
    pub fn check(&mut self, node: NodeId, shape: &Shape) {
        let kind = self.doc.kind(node);
        if !shape.admits(kind) {
            self.wrong_type(node, shape);
            return;
        }
        match shape {
            Shape::Any | Shape::Elsewhere | Shape::OpenObject | Shape::Bool | Shape::Null => {}
            Shape::Str { min, max, format } => {
                let NodeKind::String(text) = kind else { return };
                self.length(node, text.chars().count() as u64, *min, *max);
                if let Some(format) = format
                    && !(format.check)(text)
                {
                    self.format(node, text, format);
                }
            }
            Shape::Int { min, max } => {
                if let NodeKind::Number(n) = kind
                    && let Some(value) = n.as_integer()
                    && !(*min..=*max).contains(&value)
                {
                    self.out_of_range(node, &value.to_string(), &range_text(*min, *max));
                }
            }
            Shape::Num { min, max } => {
                if let NodeKind::Number(n) = kind {
                    let value = n.as_f64();
                    if !(*min..=*max).contains(&value) {
                        let range = if *max >= f64::MAX {
                            format!("at least {min}")
                        } else {
                            format!("from {min} to {max}")
                        };
                        self.out_of_range(node, &value.to_string(), &range);
                    }
                }
            }
            Shape::Enum(e) => {
                if let NodeKind::String(text) = kind {
                    self.keyword(node, text, e);
                }
            }
            Shape::Array(item) => {
                if let NodeKind::Array(items) = kind {
                    for &element in items {
                        self.check(element, item);
                    }
                }
            }
            Shape::Object(object) => self.object(node, object),
            Shape::Map(value) => {
                for member in self.doc.members(node).unwrap_or_default() {
                    if !member.key.starts_with("x-") {
                        self.check(member.value, value);
                    }
                }
            }
            Shape::Either(shapes) => {
                if let Some(chosen) = shapes.iter().find(|s| s.admits(kind)) {
                    self.check(node, chosen);
                }
            }
        }
    }

    /// Checks an object's keys and the fields its version requires.
    pub fn object(&mut self, node: NodeId, object: &Object) {
        let doc = self.doc;
        let Some(members) = doc.members(node) else {
            return;
        };
        for member in members {
            let key = &*member.key;
            if key.starts_with("x-") || key == SUPPRESSION_KEY {
                continue;
            }
            match object.fields.iter().find(|f| f.key == key) {
                Some(field) => {
                    if let Some(replacement) = field.replaced_by
                        && self.version >= Version::V2
                    {
                        self.push(
                            Diagnostic::new(
                                &NONSTANDARD_SHAPE,
                                format!(
                                    "`{key}` is not written here in a {} document",
                                    self.version
                                ),
                                member.key_span,
                                doc.pointer(member.value),
                            )
                            .with_primary_label("another version's place for it")
                            .with_help(replacement.to_owned()),
                        );
                    }
                    self.check(member.value, &field.shape);
                }
                None => self.unknown_key(member, object),
            }
        }
        for field in object.fields {
            if field.required.contains(self.version)
                && !members.iter().any(|m| &*m.key == field.key)
            {
                self.missing(node, field.key, object.what);
            }
        }
    }

    pub fn missing(&mut self, node: NodeId, key: &str, what: &str) {
        let span = anchor(self.doc, node);
        self.push(
            Diagnostic::new(
                &MISSING_FIELD,
                format!("missing field `{key}` in {what}"),
                span,
                self.doc.pointer(node),
            )
            .with_primary_label(format!("this object has no `{key}`"))
            .with_note(format!("required in {} documents", self.version)),
        );
    }

    fn unknown_key(&mut self, member: &crate::json::Member, object: &Object) {
        let key = &*member.key;
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_AGENT_KEY,
            format!("unknown key `{key}` in {}", object.what),
            member.key_span,
            self.doc.pointer(member.value),
        );
        let keys = object.fields.iter().map(|f| f.key);
        if let Some(candidate) = suggest(key, keys.clone()) {
            diagnostic = diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `{candidate}`?"));
        } else {
            diagnostic = diagnostic
                .with_primary_label("not a key of this object")
                .with_help("prefix keys of your own with `x-` (or keep them under `metadata`)");
        }
        let mut sorted: Vec<&str> = keys.collect();
        sorted.sort_unstable();
        self.push(diagnostic.with_note(format!("valid keys here: {}", quoted_list(sorted))));
    }

    fn wrong_type(&mut self, node: NodeId, shape: &Shape) {
        let found = self.doc.kind(node).type_name();
        self.push(Diagnostic::new(
            &WRONG_TYPE,
            format!("expected {}, found {found}", shape.expected()),
            self.doc.span(node),
            self.doc.pointer(node),
        ));
    }

    fn keyword(&mut self, node: NodeId, text: &str, e: &Enum) {
        if e.values.contains(&text) {
            return;
        }
        if let Some((_, standard)) = e.variants.iter().find(|(v, _)| *v == text) {
            self.push(
                Diagnostic::new(
                    &NONSTANDARD_VALUE,
                    format!("`{text}` is not a standard {}", e.what),
                    self.doc.span(node),
                    self.doc.pointer(node),
                )
                .with_primary_label(format!("the schema's value is `{standard}`"))
                .with_help(format!("write `{standard}`"))
                .with_note(format!(
                    "standard values: {}",
                    quoted_list(e.values.iter().copied())
                )),
            );
            return;
        }
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_VARIANT,
            format!("unknown {} `{text}`", e.what),
            self.doc.span(node),
            self.doc.pointer(node),
        );
        if let Some(candidate) = suggest(text, e.values.iter().copied()) {
            diagnostic = diagnostic
                .with_primary_label(format!("did you mean `{candidate}`?"))
                .with_help(format!("did you mean `{candidate}`?"));
        }
        self.push(diagnostic.with_note(format!(
            "expected one of {}",
            quoted_list(e.values.iter().copied())
        )));
    }

    fn format(&mut self, node: NodeId, text: &str, format: &Format) {
        let key = self.doc.member_of(node).map_or("the value", |m| &m.key);
        let diagnostic = Diagnostic::new(
            format.rule,
            format!("`{key}` must be {}, found `{text}`", format.what),
            self.doc.span(node),
            self.doc.pointer(node),
        )
        .with_primary_label(format!("not {}", format.what));
        if format.note_in_v1 && self.version == Version::V1 {
            self.push_as(diagnostic, Severity::Note);
        } else {
            self.push(diagnostic);
        }
    }

    fn length(&mut self, node: NodeId, length: u64, min: u64, max: u64) {
        if (min..=max).contains(&length) {
            return;
        }
        let key = self.doc.member_of(node).map_or("the value", |m| &m.key);
        let range = if max == u64::MAX {
            format!("at least {min} characters long")
        } else {
            format!("{min} to {max} characters long")
        };
        self.push(
            Diagnostic::new(
                &VALUE_OUT_OF_RANGE,
                format!("`{key}` must be {range}, found {length}"),
                self.doc.span(node),
                self.doc.pointer(node),
            )
            .with_primary_label(format!("must be {range}")),
        );
    }

    fn out_of_range(&mut self, node: NodeId, value: &str, range: &str) {
        let key = self.doc.member_of(node).map_or("the value", |m| &m.key);
        self.push(
            Diagnostic::new(
                &VALUE_OUT_OF_RANGE,
                format!("`{key}` must be {range}, found {value}"),
                self.doc.span(node),
                self.doc.pointer(node),
            )
            .with_primary_label(format!("must be {range}")),
        );
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// `diagnostic` at `severity` instead of its rule's default.
    pub fn push_as(&mut self, diagnostic: Diagnostic, severity: Severity) {
        self.diagnostics.push(diagnostic.with_severity(severity));
    }
}

fn range_text(min: i64, max: i64) -> String {
    if max == i64::MAX {
        format!("at least {min}")
    } else {
        format!("from {min} to {max}")
    }
}

/// A short span that stands for a whole node: its key, or an object's `{`.
pub(crate) fn anchor(doc: &Document, node: NodeId) -> adl_diagnostics::Span {
    doc.anchor(node)
}
