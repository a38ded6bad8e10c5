//! Where accepted and emitted events are kept. This store is the
//! in-memory ring; durable stores implement the same trait.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::host::BoxFuture;
use crate::Event;

/// Processing status of a stored event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Accepted, not yet fully processed.
    Pending,
    /// Processed (every handler ran, emitted events dispatched).
    Done,
    /// Recorded but never dispatched (see [`super::Emitted::dispatched`]).
    Logged,
}

/// An event as stored, with its status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredEvent {
    #[serde(flatten)]
    pub event: Arc<Event>,
    pub status: Status,
}

/// A failure of the store itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event store: {0}")]
pub struct StoreError(pub String);

/// Keeps events. `append` must have made the events durable (for durable
/// stores) when it returns: dispatch acknowledges only after it.
pub trait EventStore: Send + Sync + std::fmt::Debug + 'static {
    fn append(&self, events: Vec<StoredEvent>) -> BoxFuture<'_, Result<(), StoreError>>;
    fn mark_done(&self, ids: Vec<String>) -> BoxFuture<'_, Result<(), StoreError>>;
    /// The latest `limit` events, oldest first.
    fn recent(&self, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>, StoreError>>;
    fn flush(&self) -> BoxFuture<'_, Result<(), StoreError>>;
}

/// A ring of the latest `max_events` events (`persistence.type: memory`).
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    ring: Mutex<VecDeque<StoredEvent>>,
}

impl MemoryStore {
    pub fn new(max_events: u64) -> Self {
        let capacity = usize::try_from(max_events).unwrap_or(usize::MAX).max(1);
        Self {
            capacity,
            ring: Mutex::new(VecDeque::with_capacity(capacity.min(4096))),
        }
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, VecDeque<StoredEvent>> {
        // A panic while holding the lock cannot leave the ring half-updated
        // (every update is a single push/pop/assignment), so poisoning is ignored.
        self.ring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl EventStore for MemoryStore {
    fn append(&self, events: Vec<StoredEvent>) -> BoxFuture<'_, Result<(), StoreError>> {
        let mut ring = self.ring();
        for event in events {
            if ring.len() == self.capacity {
                ring.pop_front();
            }
            ring.push_back(event);
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn mark_done(&self, ids: Vec<String>) -> BoxFuture<'_, Result<(), StoreError>> {
        let mut ring = self.ring();
        for id in ids {
            // Recent events are the ones being finished: search from the back.
            if let Some(stored) = ring
                .iter_mut()
                .rev()
                .find(|s| s.event.id == id && s.status == Status::Pending)
            {
                stored.status = Status::Done;
            }
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn recent(&self, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>, StoreError>> {
        let ring = self.ring();
        let skip = ring.len().saturating_sub(limit);
        let events = ring.iter().skip(skip).cloned().collect();
        Box::pin(std::future::ready(Ok(events)))
    }

    fn flush(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str) -> StoredEvent {
        StoredEvent {
            event: Arc::new(Event::new(
                id.into(),
                "t",
                "2026-01-01T00:00:00Z".into(),
                serde_json::json!({}),
            )),
            status: Status::Pending,
        }
    }

    #[tokio::test]
    async fn the_ring_keeps_the_latest_events() {
        let store = MemoryStore::new(2);
        store
            .append(vec![stored("a"), stored("b"), stored("c")])
            .await
            .expect("append");
        store.mark_done(vec!["c".into()]).await.expect("mark");
        let recent = store.recent(10).await.expect("recent");
        let ids: Vec<_> = recent
            .iter()
            .map(|s| (s.event.id.as_str(), s.status))
            .collect();
        assert_eq!(ids, [("b", Status::Pending), ("c", Status::Done)]);
    }
}
