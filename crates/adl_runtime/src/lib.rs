//! The adl runtime: compiles a checked agent into a dispatch graph and
//! dispatches events through it on tokio.
//!
//! * [`graph`]: the serializable dispatch graph (`adl compile` output) and the
//!   compiler from a [`adl_checker::CheckReport`].
//! * [`program`]: the graph in executable form (pure; built when loading).
//! * [`exec`]: the tokio executor: dispatch, processing modes, triggers,
//!   handlers, cascades, persistence.

mod event;
mod event_data;
pub mod graph;
mod json_text;
pub mod program;

pub use arcstr::Substr;
pub use event::{Envelope, EnvelopeError, Event, EventInput, MAX_ID_BYTES};
pub use event_data::EventData;
pub use graph::{CompileError, Graph, LoadError, compile};
pub use program::Program;
pub mod exec;

pub use exec::{Runtime, RuntimeBuilder};
