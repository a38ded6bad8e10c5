//! The v1.5 defaults (spec §1, §9, §10, §13.1): the one place they are written.

use super::{Overflow, ProcessingMode, Rotation, RoutingStrategy};

pub const ROUTING_STRATEGY: RoutingStrategy = RoutingStrategy::Direct;
pub const PROCESSING_MODE: ProcessingMode = ProcessingMode::Synchronous;
pub const TIMEOUT_MS: u64 = 5000;
pub const QUEUE_SIZE: u64 = 100;
pub const WORKER_COUNT: u64 = 5;
pub const OVERFLOW: Overflow = Overflow::Block;
pub const BATCH_SIZE: u64 = 10;
pub const BATCH_TIMEOUT_MS: u64 = 1000;
pub const MAX_CASCADE_DEPTH: u64 = 8;
pub const MAX_CASCADE_DEPTH_LIMIT: u64 = 64;
pub const MAX_CASCADE_EVENTS: u64 = 1_000;
pub const MAX_CASCADE_EVENTS_LIMIT: u64 = 1_000_000;
pub const MAX_EVENTS: u64 = 100;
pub const ROTATION: Rotation = Rotation::None;
