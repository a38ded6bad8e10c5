//! Diagnostics as data.
//!
//! Every problem adl finds in an agent definition is a [`Diagnostic`]: a registered
//! [`Rule`], a [`Severity`], a one-line message, a primary [`Label`] on a byte
//! [`Span`] with the [JSON pointer](https://www.rfc-editor.org/rfc/rfc6901) of the
//! offending value, optional secondary labels, help and notes. Diagnostics are built
//! once, here, and rendered at the edge (the `adl` CLI) in as many formats as needed.
//!
//! ```
//! use adl_diagnostics::{declare_rule, Diagnostic, LineIndex, Severity, Span};
//!
//! declare_rule! {
//!     /// ## What it does
//!     /// Flags examples.
//!     pub static EXAMPLE_RULE = ("ADL999", "example-rule", Severity::Warning, "an example");
//! }
//!
//! let source = "{\"a\": 1}";
//! let diagnostic = Diagnostic::new(&EXAMPLE_RULE, "example found", Span::new(1, 4), "/a")
//!     .with_help("remove it");
//! assert_eq!(diagnostic.severity, Severity::Warning);
//! let index = LineIndex::new(source);
//! assert_eq!(index.position(source, diagnostic.primary.span.start).column, 2);
//! ```

mod diagnostic;
mod line_index;
mod pointer;
mod rule;
mod span;

pub use diagnostic::{Diagnostic, Fix, Label, Severity};
pub use line_index::{LineIndex, Position};
pub use pointer::{escape_pointer_token, push_pointer_token};
pub use rule::Rule;
pub use span::Span;
