//! `persistence.type: memory`.

use arcstr::Substr;
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::sync::Mutex;

use super::{EventStore, Status, StoreError, StoredEvent};
use crate::exec::BoxFuture;

/// A ring of the latest `max_events` events (`persistence.type: memory`).
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    /// Each event with a hash of its id: finding the one to mark done compares
    /// numbers, not strings (with a queue in front, it may be far from the back).
    ring: Mutex<VecDeque<(u64, StoredEvent)>>,
    hasher: foldhash::fast::FixedState,
}

impl MemoryStore {
    pub fn new(max_events: u64) -> Self {
        let capacity = usize::try_from(max_events).unwrap_or(usize::MAX).max(1);
        Self {
            capacity,
            ring: Mutex::new(VecDeque::with_capacity(capacity.min(4096))),
            hasher: foldhash::fast::FixedState::default(),
        }
    }

    /// Adds an event at the back, the oldest going when the ring is full.
    fn push(&self, ring: &mut VecDeque<(u64, StoredEvent)>, event: StoredEvent) {
        if ring.len() == self.capacity {
            ring.pop_front();
        }
        ring.push_back((self.hasher.hash_one(&event.event.id), event));
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, VecDeque<(u64, StoredEvent)>> {
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
            self.push(&mut ring, event);
        }
        Box::pin(super::Stored)
    }

    fn append_one(&self, event: StoredEvent) -> BoxFuture<'_, Result<(), StoreError>> {
        self.push(&mut self.ring(), event);
        Box::pin(super::Stored)
    }

    fn mark_done<'a>(&'a self, ids: &'a [Substr]) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut ring = self.ring();
        for id in ids {
            let hash = self.hasher.hash_one(id);
            // Recent events are the ones being finished: search from the back.
            if let Some((_, stored)) = ring
                .iter_mut()
                .rev()
                .find(|(h, s)| *h == hash && s.status == Status::Pending && s.event.id == *id)
            {
                stored.status = Status::Done;
            }
        }
        Box::pin(super::Stored)
    }

    fn recent(&self, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>, StoreError>> {
        let ring = self.ring();
        let skip = ring.len().saturating_sub(limit);
        let events = ring.iter().skip(skip).map(|(_, s)| s.clone()).collect();
        Box::pin(std::future::ready(Ok(events)))
    }

    fn flush(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(super::Stored)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::Event;
    use crate::exec::store::Origin;

    fn stored(id: &str) -> StoredEvent {
        StoredEvent {
            event: Arc::new(Event::new(
                id,
                "t",
                "2026-01-01T00:00:00Z",
                serde_json::json!({}),
            )),
            status: Status::Pending,
            origin: Origin::Input,
        }
    }

    #[tokio::test]
    async fn the_ring_keeps_the_latest_events() {
        let store = MemoryStore::new(2);
        store
            .append(vec![stored("a"), stored("b"), stored("c")])
            .await
            .expect("append");
        store.mark_done(&["c".into()]).await.expect("mark");
        let recent = store.recent(10).await.expect("recent");
        let ids: Vec<_> = recent
            .iter()
            .map(|s| (s.event.id.as_str(), s.status))
            .collect();
        assert_eq!(ids, [("b", Status::Pending), ("c", Status::Done)]);
    }

    /// One at a time or in a batch, the ring ends up the same.
    #[tokio::test]
    async fn appending_one_by_one_is_appending_a_batch() {
        let store = MemoryStore::new(2);
        for id in ["a", "b", "c"] {
            store.append_one(stored(id)).await.expect("append");
        }
        let recent = store.recent(10).await.expect("recent");
        let ids: Vec<_> = recent.iter().map(|s| s.event.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
    }
}
