//! The adl runtime: compiles a checked agent into a dispatch graph (`graph`,
//! pure and serializable) and dispatches events through it on tokio (`exec`).
//!
//! Not built yet: this crate holds the place in the pipeline
//! (text → tree → model → checked model → **graph → runtime**) so that the
//! crate map in `docs/ARCHITECTURE.md` is complete from the start.
