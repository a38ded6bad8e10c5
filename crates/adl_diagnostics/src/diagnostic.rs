use crate::{Rule, Span};

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a short fragment saying what is there ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Option<String>,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: Some(message.into()),
        }
    }
}

/// One finding about one place in one document.
///
/// The message says **what** is wrong (one line, no trailing period); notes say
/// **why** it matters; help says **what to do**.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    /// RFC 6901 pointer to the offending value; for a missing field, the object
    /// that lacks it; `""` for the whole document.
    pub pointer: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// The edit that certainly corrects the mistake, when there is one
    /// (`adl check --fix` applies it; editors offer it).
    pub fix: Option<Fix>,
}

/// An edit of the source: the bytes of `span` replaced by `replacement`.
/// Only certain corrections are fixes: a single close candidate, never a
/// guess between two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

impl Diagnostic {
    /// A diagnostic of `rule` at its default severity.
    pub fn new(
        rule: &'static Rule,
        message: impl Into<String>,
        span: Span,
        pointer: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity: rule.default_severity,
            message: message.into(),
            primary: Label {
                span,
                message: None,
            },
            pointer: pointer.into(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    /// The certain correction: `span`'s bytes replaced by `replacement`.
    #[must_use]
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            span,
            replacement: replacement.into(),
        });
        self
    }

    /// A short fragment under the primary span.
    #[must_use]
    pub fn with_primary_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = Some(message.into());
        self
    }

    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label::new(span, message));
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Help only when there is some.
    #[must_use]
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
