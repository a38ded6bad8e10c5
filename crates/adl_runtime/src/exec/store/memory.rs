//! `persistence.type: memory`.

use arcstr::Substr;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::hash::BuildHasherDefault;
use std::sync::Mutex;

use super::{Appended, EventStore, Origin, Status, StoreError, StoredEvent};
use crate::exec::BoxFuture;

/// A ring of the latest `max_events` events (`persistence.type: memory`).
/// An input's id is in the ring at most once: a duplicate input is refused
/// while its first occurrence is still in the ring.
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    ring: Mutex<Ring>,
    hasher: foldhash::fast::FixedState,
}

/// Each event with a hash of its id: finding the one to mark done compares
/// numbers, not strings (with a queue in front, it may be far from the back).
#[derive(Debug, Default)]
struct Ring {
    events: VecDeque<(u64, StoredEvent)>,
    /// How many input events in the ring have each id hash: an id is looked
    /// for (compared whole) only when its hash is there.
    hashes: HashMap<u64, u32, BuildHasherDefault<AlreadyHashed>>,
    /// Events that have left the ring at the front: what turns an index
    /// into a position that stays put.
    popped: u64,
    /// The position of the last input marked done. Inputs finish about in
    /// the order they came, a group at a time: the next one is usually just
    /// after it, however many events were stored behind it since.
    last_input_done: u64,
}

/// How far around the last input marked done the next one is looked for
/// before the whole ring is searched from the back.
const NEAR_LAST_DONE: std::ops::Range<usize> = 0..16;

/// The hasher of a key that is a hash already: the key as it is.
#[derive(Debug, Default)]
struct AlreadyHashed(u64);

impl std::hash::Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

impl MemoryStore {
    pub fn new(max_events: u64) -> Self {
        let capacity = usize::try_from(max_events).unwrap_or(usize::MAX).max(1);
        Self {
            capacity,
            ring: Mutex::new(Ring {
                events: VecDeque::with_capacity(capacity.min(4096)),
                hashes: HashMap::default(),
                popped: 0,
                last_input_done: 0,
            }),
            hasher: foldhash::fast::FixedState::default(),
        }
    }

    /// Adds an event at the back, the oldest going when the ring is full;
    /// `false` (nothing added) for an input whose id is in the ring already.
    /// Only inputs' ids are kept for that: the ids of emitted events and
    /// ticks are made from their cause's and never repeat in one run (the
    /// ring is not replayed).
    fn push(&self, ring: &mut Ring, event: StoredEvent) -> bool {
        let hash = self.hasher.hash_one(&event.event.id);
        let Ring {
            events,
            hashes,
            popped,
            ..
        } = ring;
        if event.origin == Origin::Input {
            match hashes.entry(hash) {
                Entry::Occupied(mut count) => {
                    let id = &event.event.id;
                    let held = events
                        .iter()
                        .rev()
                        .any(|(h, s)| *h == hash && s.origin == Origin::Input && s.event.id == *id);
                    if held {
                        return false;
                    }
                    *count.get_mut() += 1;
                }
                Entry::Vacant(slot) => {
                    slot.insert(1);
                }
            }
        }
        if events.len() == self.capacity {
            *popped += 1;
            if let Some((gone, stored)) = events.pop_front() {
                if stored.origin == Origin::Input {
                    if let Entry::Occupied(mut count) = hashes.entry(gone) {
                        if *count.get() == 1 {
                            count.remove();
                        } else {
                            *count.get_mut() -= 1;
                        }
                    }
                }
            }
        }
        events.push_back((hash, event));
        true
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, Ring> {
        // A panic while holding the lock cannot leave the ring half-updated
        // (every update is a single push/pop/assignment), so poisoning is ignored.
        self.ring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl EventStore for MemoryStore {
    fn append(&self, events: Vec<StoredEvent>) -> BoxFuture<'static, Result<Appended, StoreError>> {
        let mut ring = self.ring();
        let mut appended = Appended::default();
        for (position, event) in events.into_iter().enumerate() {
            let input = event.origin == Origin::Input;
            if !self.push(&mut ring, event) && input {
                appended.duplicates.push(position);
            }
        }
        Box::pin(std::future::ready(Ok(appended)))
    }

    fn append_one(&self, event: StoredEvent) -> BoxFuture<'static, Result<Appended, StoreError>> {
        let input = event.origin == Origin::Input;
        if self.push(&mut self.ring(), event) || !input {
            Box::pin(super::AppendedAtOnce::<false>)
        } else {
            Box::pin(super::AppendedAtOnce::<true>)
        }
    }

    fn mark_done(&self, ids: &[Substr]) -> BoxFuture<'static, Result<(), StoreError>> {
        let mut ring = self.ring();
        for id in ids {
            let hash = self.hasher.hash_one(id);
            let ring = &mut *ring;
            let is_it = |(h, s): &(u64, StoredEvent)| {
                *h == hash && s.status == Status::Pending && s.event.id == *id
            };
            // Just after the last input done, then the recent events (the
            // ones being finished) from the back.
            let after_last = usize::try_from(ring.last_input_done.saturating_sub(ring.popped))
                .unwrap_or(usize::MAX);
            let near = NEAR_LAST_DONE.filter_map(|ahead| after_last.checked_add(ahead));
            let found = near
                .take_while(|&index| index < ring.events.len())
                .find(|&index| is_it(&ring.events[index]))
                .or_else(|| {
                    (0..ring.events.len())
                        .rev()
                        .find(|&i| is_it(&ring.events[i]))
                });
            if let Some(index) = found {
                let stored = &mut ring.events[index].1;
                stored.status = Status::Done;
                if stored.origin == Origin::Input {
                    ring.last_input_done = ring.popped + index as u64;
                }
            }
        }
        Box::pin(super::Stored)
    }

    fn recent(&self, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>, StoreError>> {
        let ring = self.ring();
        let skip = ring.events.len().saturating_sub(limit);
        let events = ring
            .events
            .iter()
            .skip(skip)
            .map(|(_, s)| s.clone())
            .collect();
        Box::pin(std::future::ready(Ok(events)))
    }

    fn flush(&self) -> BoxFuture<'static, Result<(), StoreError>> {
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

    /// An id is in the ring once: a repeated input is a duplicate while its
    /// first occurrence is there, and new again once it has left the ring.
    #[tokio::test]
    async fn a_repeated_id_is_a_duplicate_while_in_the_ring() {
        let store = MemoryStore::new(2);
        let appended = store
            .append(vec![stored("a"), stored("b"), stored("a")])
            .await
            .expect("append");
        assert_eq!(appended.duplicates, [2]);
        let again = store.append_one(stored("b")).await.expect("append");
        assert_eq!(again.duplicates, [0]);
        store.append_one(stored("c")).await.expect("append");
        // `a` has left the ring: it is new again.
        let later = store.append_one(stored("a")).await.expect("append");
        assert!(later.duplicates.is_empty());
        let recent = store.recent(10).await.expect("recent");
        let ids: Vec<_> = recent.iter().map(|s| s.event.id.as_str()).collect();
        assert_eq!(ids, ["c", "a"]);
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
