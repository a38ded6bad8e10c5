//! The v1.5 defaults (spec §1, §9, §10, §13.1): the one place they are written.

use super::{Keyword, Overflow, ProcessingMode, Rotation, RoutingStrategy};

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

/// What each absent key of an events block means, in documentation order,
/// with the processing mode that uses it when only one does: the one table
/// the reader records defaults from (`--explain-defaults`, the compiled
/// graph) and the JSON Schema's `default`s come from.
pub fn events_block() -> Vec<(&'static str, serde_json::Value, Option<ProcessingMode>)> {
    use serde_json::json;
    vec![
        ("subscriptions", json!([]), None),
        ("triggers", json!([]), None),
        ("handlers", json!([]), None),
        ("routing_strategy", json!(ROUTING_STRATEGY.keyword()), None),
        ("processing_mode", json!(PROCESSING_MODE.keyword()), None),
        ("timeout_ms", json!(TIMEOUT_MS), None),
        ("max_cascade_depth", json!(MAX_CASCADE_DEPTH), None),
        ("max_cascade_events", json!(MAX_CASCADE_EVENTS), None),
        (
            "persistence",
            json!({"type": "memory", "max_events": MAX_EVENTS}),
            None,
        ),
        (
            "queue_size",
            json!(QUEUE_SIZE),
            Some(ProcessingMode::Asynchronous),
        ),
        (
            "worker_count",
            json!(WORKER_COUNT),
            Some(ProcessingMode::Asynchronous),
        ),
        (
            "overflow",
            json!(OVERFLOW.keyword()),
            Some(ProcessingMode::Asynchronous),
        ),
        ("batch_size", json!(BATCH_SIZE), Some(ProcessingMode::Batch)),
        (
            "batch_timeout_ms",
            json!(BATCH_TIMEOUT_MS),
            Some(ProcessingMode::Batch),
        ),
    ]
}
