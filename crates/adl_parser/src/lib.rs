//! Reads ADL agent definitions.
//!
//! Text → spanned JSON tree ([`json`]) → typed model ([`model`]) with every
//! syntax and structural diagnostic. Parsing never fails and never panics: it
//! returns what it could build plus everything it found, so that a user sees all
//! problems in one run.
//!
//! ```
//! let parsed = adl_parser::parse(br#"{ "events": { "routing_strategy": "brodcast" } }"#);
//! let diagnostic = &parsed.diagnostics[0];
//! assert_eq!(diagnostic.rule.name, "unknown-variant");
//! assert_eq!(diagnostic.pointer, "/events/routing_strategy");
//! assert_eq!(diagnostic.help.as_deref(), Some("did you mean `broadcast`?"));
//! ```

pub mod document;
pub mod json;
pub mod model;
mod read;
pub mod rules;
pub mod schema;
mod suggest;
pub mod template;
pub mod yaml;

use adl_diagnostics::Diagnostic;

pub use json::{Document, NodeId};
pub use model::Agent;
pub use suggest::{quoted_like, quoted_list, suggest, suggest_certain};

use crate::rules::DEFAULT_APPLIED;

/// A parsed agent definition: the document, the model (when the text is JSON and
/// its root an object) and every syntax and structural diagnostic, in source order.
#[derive(Debug, Clone)]
pub struct ParsedAgent {
    pub document: Document,
    pub agent: Option<Agent>,
    /// The document's version, layout and sections (when its root is an object).
    pub info: Option<document::DocumentInfo>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the model holds everything the events block and tools say:
    /// the reader recovered from every structural error it reported (an
    /// unknown key, a keyword read as the one it surely means), so checks of
    /// the whole model can run in the same round.
    pub model_whole: bool,
}

/// Parses an agent definition from raw bytes (UTF-8 JSON, a leading BOM tolerated).
pub fn parse(bytes: &[u8]) -> ParsedAgent {
    parse_as(bytes, Syntax::Json)
}

/// The syntax a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Syntax {
    #[default]
    Json,
    /// YAML 1.2, read into the same tree as JSON.
    Yaml,
    /// The ADL DSL, which adl does not read (`unsupported-format`).
    AdlDsl,
}

impl Syntax {
    /// The syntax a file name implies: `*.yaml`/`*.yml` are YAML, `*.adl` the
    /// DSL, anything else JSON.
    pub fn of_path(path: &std::path::Path) -> Syntax {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("yaml" | "yml") => Syntax::Yaml,
            Some("adl") => Syntax::AdlDsl,
            _ => Syntax::Json,
        }
    }
}

/// Parses a document written in `syntax`.
pub fn parse_as(bytes: &[u8], syntax: Syntax) -> ParsedAgent {
    if syntax == Syntax::AdlDsl {
        // The text is shown (its first line underlined) when it is readable.
        let text = std::str::from_utf8(bytes)
            .ok()
            .filter(|_| bytes.len() <= json::MAX_FILE_SIZE)
            .unwrap_or_default();
        let first_line = text.lines().next().unwrap_or_default().trim_end();
        let length = u32::try_from(first_line.len()).unwrap_or(0);
        let diagnostic = Diagnostic::new(
            &rules::UNSUPPORTED_FORMAT,
            "this is ADL DSL source, which adl does not read",
            adl_diagnostics::Span::new(0, length),
            "",
        )
        .with_primary_label("ADL DSL")
        .with_note("adl checks, compiles and runs the JSON form of an agent definition")
        .with_help("compile the DSL to JSON with its own tool, then check the JSON file");
        return ParsedAgent {
            document: Document::unparsed(text.to_owned()),
            agent: None,
            info: None,
            diagnostics: vec![diagnostic],
            model_whole: false,
        };
    }
    let (document, mut diagnostics) = match syntax {
        Syntax::Yaml => yaml::parse_yaml(bytes),
        _ => json::parse_json(bytes),
    };
    // Sections are checked only in well-formed text: a tree rebuilt around a
    // syntax error would report fields the author did write.
    let well_formed = !diagnostics.iter().any(Diagnostic::is_error);
    let mut info = None;
    let mut model_whole = false;
    let agent = document.root().and_then(|root| {
        let (agent, structural, whole) = read::read_agent(&document, root);
        model_whole = whole;
        diagnostics.extend(structural);
        if agent.is_some() && well_formed {
            let (read, sections) = document::read_document(&document, root);
            diagnostics.extend(sections);
            info = Some(read);
        }
        agent
    });
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    // The events reader and the section checks both look at `tools`: one
    // finding per rule and place.
    diagnostics.dedup_by(|a, b| a.rule.code == b.rule.code && a.primary.span == b.primary.span);
    ParsedAgent {
        document,
        agent,
        info,
        diagnostics,
        model_whole,
    }
}

impl ParsedAgent {
    /// One `default-applied` note per default the reader applied (for
    /// `adl check --explain-defaults`).
    pub fn default_notes(&self) -> Vec<Diagnostic> {
        let Some(agent) = &self.agent else {
            return Vec::new();
        };
        agent
            .defaults
            .iter()
            .map(|default| {
                let container = default.container;
                let span = self.document.member_of(container).map_or_else(
                    || {
                        let s = self.document.span(container);
                        adl_diagnostics::Span::new(s.start, s.start + 1)
                    },
                    |m| m.key_span,
                );
                let field = default.pointer.rsplit('/').next().unwrap_or_default();
                let context = if agent.layout == model::EventsLayout::Absent {
                    " (no `events` block: a v1.5 agent)"
                } else {
                    ""
                };
                let note = Diagnostic::new(
                    &DEFAULT_APPLIED,
                    format!("`{field}` defaults to `{}`{context}", default.value),
                    span,
                    default.pointer.clone(),
                )
                .with_primary_label(format!("`{field}` is not written here"));
                match default.used_with {
                Some(mode) => note.with_note(format!(
                    "used only with `processing_mode: {mode}`; the compiled graph records it anyway"
                )),
                None => note,
            }
            })
            .collect()
    }

    /// How the document was read: its kind, version and layout (for
    /// `--explain-defaults`, beside [`ParsedAgent::default_notes`]).
    pub fn document_note(&self) -> Option<Diagnostic> {
        use document::{DocumentKind, Layout, VersionSource};
        let info = self.info.as_ref()?;
        let root = self.document.root()?;
        let span = self.document.span(root);
        let span =
            adl_diagnostics::Span::new(span.start, span.start.saturating_add(1).min(span.end));
        let message = match info.kind {
            DocumentKind::NotAnAgent => "not an agent definition: only its syntax is checked".to_owned(),
            DocumentKind::EventsFragment => {
                "an events fragment (only `events` and `tools`): the rest of an agent file is not required".to_owned()
            }
            DocumentKind::Agent => {
                let layout = match info.layout {
                    Layout::Flat => "flat",
                    Layout::Grouped => "grouped",
                };
                let why = match &info.source {
                    VersionSource::Declared(_) => "declared by `schema_version`".to_owned(),
                    VersionSource::Marker { node, why } => {
                        format!("inferred: {why} (at `{}`)", self.document.pointer(*node))
                    }
                    VersionSource::Default => "inferred: nothing newer than v1 was found".to_owned(),
                };
                format!("read as a {} agent document ({why}), {layout} layout", info.version)
            }
        };
        Some(
            Diagnostic::new(
                &DEFAULT_APPLIED,
                message,
                span,
                "/schema_version".to_owned(),
            )
            .with_primary_label("the document"),
        )
    }
}
