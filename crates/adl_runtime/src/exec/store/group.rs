//! Group commit: appends that arrive while a write is in flight are written,
//! and synced, together by the next write: one `fsync` (or one transaction)
//! serves all of them, as a database's log flush serves its concurrent
//! commits. Each durable store hands its writes to a [`Committer`], which
//! owns the store's writer on a thread of its own (or, for a database
//! server, two tasks on two connections: one for what is waited for, one
//! for what is not).
//!
//! What is promised is unchanged by grouping: an append that holds input
//! events is answered only once they are durable; a failed write fails
//! exactly the appends it held, each with the reason, and stores nothing of
//! them. Requests are taken in the order they are made (when `append` is
//! called, not when its future is first polled), so the store's order is the
//! callers' order. Appends of emitted events and ticks, and `done` marks,
//! need not be durable on their own (replaying their input regenerates them)
//! and are answered at once; they go into the next write. When that write
//! fails, the failure is kept and returned by the next call answered at once,
//! or else by the next flush: it is never dropped.

use arcstr::Substr;

use tokio::sync::{mpsc, oneshot};

use super::{Appended, Origin, Status, StoreError, StoredEvent};
use crate::exec::BoxFuture;

/// One write holds at most this many events: a write's buffer stays bounded
/// however many appends wait. Appends are never split between writes.
const MAX_GROUP_EVENTS: usize = 4096;

/// A store's writer, driven by the committer's thread.
pub(super) trait GroupWrite: Send + 'static {
    /// Writes `events` (ids already stored are skipped, input ones listed as
    /// duplicates) and `done` marks as one unit: all of it, or nothing.
    /// When `durable` (the group holds input events), it is durable on return.
    fn write(
        &mut self,
        events: &[StoredEvent],
        done: &[Substr],
        durable: bool,
    ) -> Result<Appended, StoreError>;

    /// Makes everything written so far durable.
    fn flush(&mut self) -> Result<(), StoreError>;
}

/// [`GroupWrite`] for a writer that is asynchronous itself (a network client),
/// driven by a task.
pub(super) trait AsyncGroupWrite: Send + Sync + 'static {
    fn write<'a>(
        &'a self,
        events: &'a [StoredEvent],
        done: &'a [Substr],
        durable: bool,
    ) -> BoxFuture<'a, Result<Appended, StoreError>>;
}

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

enum Request {
    /// Events to store; `reply` is there when they hold input events.
    Append {
        events: Vec<StoredEvent>,
        reply: Option<Reply<Appended>>,
    },
    Done(Vec<Substr>),
    /// Answered once everything requested before it is written and durable.
    Flush(Reply<()>),
    /// Answered once everything requested before it is written.
    Written(Reply<()>),
}

/// The requests one write serves.
#[derive(Default)]
struct Group {
    events: Vec<StoredEvent>,
    /// Each waiting append: where its events start in `events`, how many, its reply.
    appends: Vec<(usize, usize, Reply<Appended>)>,
    done: Vec<Substr>,
    flushes: Vec<Reply<()>>,
    written: Vec<Reply<()>>,
    durable: bool,
}

impl Group {
    fn add(&mut self, request: Request) {
        match request {
            Request::Append { events, reply } => {
                let start = self.events.len();
                self.durable |= reply.is_some();
                if let Some(reply) = reply {
                    self.appends.push((start, events.len(), reply));
                }
                self.events.extend(events);
            }
            Request::Done(ids) => self.done.extend(ids),
            Request::Flush(reply) => self.flushes.push(reply),
            Request::Written(reply) => self.written.push(reply),
        }
    }

    /// `first`, and every request waiting behind it, up to the group's bound.
    fn gather(first: Request, requests: &mut mpsc::UnboundedReceiver<Request>) -> Self {
        let mut group = Group::default();
        group.add(first);
        while group.events.len() < MAX_GROUP_EVENTS {
            match requests.try_recv() {
                Ok(request) => group.add(request),
                Err(_) => break,
            }
        }
        group.fold_done_marks();
        group
    }

    /// Answers each append with its share of `written`: its own positions.
    fn answer(self, written: Result<Appended, StoreError>) -> Vec<Reply<()>> {
        match written {
            Ok(appended) => {
                for (start, count, reply) in self.appends {
                    let own = |position: usize| {
                        (start..start + count)
                            .contains(&position)
                            .then(|| position - start)
                    };
                    let share = Appended {
                        duplicates: appended.duplicates.iter().filter_map(|&p| own(p)).collect(),
                        refused: appended
                            .refused
                            .iter()
                            .filter_map(|(p, reason)| Some((own(*p)?, reason.clone())))
                            .collect(),
                    };
                    let _ = reply.send(Ok(share));
                }
            }
            Err(failure) => {
                for (_, _, reply) in self.appends {
                    let _ = reply.send(Err(failure.clone()));
                }
            }
        }
        for reply in self.written {
            let _ = reply.send(Ok(()));
        }
        self.flushes
    }

    /// Events finished before they were written are written done: their
    /// `done` marks need no write of their own.
    fn fold_done_marks(&mut self) {
        if self.done.is_empty() || self.events.is_empty() {
            return;
        }
        let marks: std::collections::HashMap<&str, usize> = self
            .done
            .iter()
            .enumerate()
            .map(|(position, id)| (id.as_str(), position))
            .collect();
        let mut folded = vec![false; self.done.len()];
        for stored in &mut self.events {
            if stored.status != Status::Pending {
                continue;
            }
            if let Some(&position) = marks.get(stored.event.id.as_str()) {
                stored.status = Status::Done;
                folded[position] = true;
            }
        }
        let mut position = 0;
        self.done.retain(|_| {
            position += 1;
            !folded[position - 1]
        });
    }

    /// Whether the group holds writes no caller waits for (emitted events,
    /// ticks, `done` marks): their failure has no one to answer.
    fn holds_unattended(&self) -> bool {
        let waited: usize = self.appends.iter().map(|(_, count, _)| count).sum();
        !self.done.is_empty() || self.events.len() > waited
    }

    fn is_write_needed(&self) -> bool {
        !self.events.is_empty() || !self.done.is_empty()
    }
}

/// The first failure of a write no caller waited for, until it is reported:
/// by the next call that is answered at once, or by the next flush. Nothing
/// a store fails to write goes unsaid.
type Unreported = std::sync::Arc<std::sync::Mutex<Option<StoreError>>>;

/// Remembers `failure` of a write that held unattended events or marks.
fn remember(unreported: &Unreported, failure: &StoreError) {
    let mut slot = unreported
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if slot.is_none() {
        *slot = Some(failure.clone().context(|reason| {
            format!(
                "a write of emitted events or done marks failed ({reason}); their inputs are replayed after a restart"
            )
        }));
    }
}

/// The failure remembered, once.
fn take_unreported(unreported: &Unreported) -> Option<StoreError> {
    unreported
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
}

/// Takes a store's requests and hands them to its writer in groups.
#[derive(Debug)]
pub(super) struct Committer {
    requests: Option<mpsc::UnboundedSender<Request>>,
    /// Where what is not waited for goes, when it has a writer of its own.
    lazy: Option<mpsc::UnboundedSender<Request>>,
    /// The writer's thread: joined when the committer is dropped, so that a
    /// store dropped is a store written (and can be opened again at once).
    thread: Option<std::thread::JoinHandle<()>>,
    unreported: Unreported,
}

impl Committer {
    /// Starts `writer` on a thread named `name`.
    pub(super) fn on_thread(name: &str, mut writer: impl GroupWrite) -> Result<Self, StoreError> {
        let (sender, mut requests) = mpsc::unbounded_channel();
        let unreported = Unreported::default();
        let failures = std::sync::Arc::clone(&unreported);
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                while let Some(first) = requests.blocking_recv() {
                    let group = Group::gather(first, &mut requests);
                    let written = if group.is_write_needed() {
                        writer.write(&group.events, &group.done, group.durable)
                    } else {
                        Ok(Appended::default())
                    };
                    if let Err(failure) = &written
                        && group.holds_unattended()
                    {
                        remember(&failures, failure);
                    }
                    let waiting = group.answer(written);
                    if !waiting.is_empty() {
                        let durable = writer.flush();
                        for reply in waiting {
                            let _ = reply.send(durable.clone());
                        }
                    }
                }
            })
            .map_err(|e| {
                StoreError::caused_by(format!("cannot start the store's writer: {e}"), e)
            })?;
        Ok(Self {
            requests: Some(sender),
            lazy: None,
            thread: Some(thread),
            unreported,
        })
    }

    /// Starts `durable` on a task for appends that are waited for, and
    /// `lazy` on a second task for what is not (emitted events, ticks,
    /// `done` marks): a server that works on each writer's statements on its
    /// own core does both at once (a tokio runtime must be running). A `done` mark never overtakes its event's write: an
    /// input's record is durable before it is acknowledged, and an emitted
    /// event goes the same way as its mark.
    pub(super) fn on_tasks(durable: impl AsyncGroupWrite, lazy: impl AsyncGroupWrite) -> Self {
        let unreported = Unreported::default();
        Self {
            requests: Some(spawn_task(durable, std::sync::Arc::clone(&unreported))),
            lazy: Some(spawn_task(lazy, std::sync::Arc::clone(&unreported))),
            thread: None,
            unreported,
        }
    }

    fn send(&self, request: Request) -> Result<(), StoreError> {
        self.requests
            .as_ref()
            .and_then(|requests| requests.send(request).ok())
            .ok_or_else(|| StoreError::new("the store's writer has stopped"))
    }

    /// Sends what is not waited for: to the second writer, if there is one.
    fn send_lazy(&self, request: Request) -> Result<(), StoreError> {
        match &self.lazy {
            Some(lazy) => lazy
                .send(request)
                .map_err(|_| StoreError::new("the store's writer has stopped")),
            None => self.send(request),
        }
    }

    /// Takes `events` now; the future answers once input events among them
    /// are durable (at once when there are none).
    pub(super) fn append(
        &self,
        events: Vec<StoredEvent>,
    ) -> BoxFuture<'static, Result<Appended, StoreError>> {
        if events.is_empty() {
            return Box::pin(std::future::ready(Ok(Appended::default())));
        }
        if !events.iter().any(|e| e.origin == Origin::Input) {
            // Taken first: what is reported is an earlier write's failure.
            let earlier = take_unreported(&self.unreported);
            let sent = self.send_lazy(Request::Append {
                events,
                reply: None,
            });
            let answer = match earlier {
                Some(earlier) => Err(earlier),
                None => sent.map(|()| Appended::default()),
            };
            return Box::pin(std::future::ready(answer));
        }
        let (reply, answer) = oneshot::channel();
        let sent = self.send(Request::Append {
            events,
            reply: Some(reply),
        });
        Box::pin(async move {
            sent?;
            answer
                .await
                .map_err(|_| StoreError::new("the store's writer has stopped"))?
        })
    }

    /// Takes `done` marks now, for the next write.
    pub(super) fn mark_done(&self, ids: &[Substr]) -> BoxFuture<'static, Result<(), StoreError>> {
        let earlier = take_unreported(&self.unreported);
        let sent = self.send_lazy(Request::Done(ids.to_vec()));
        let answer = match earlier {
            Some(earlier) => Err(earlier),
            None => sent,
        };
        Box::pin(std::future::ready(answer))
    }

    /// Answers once everything taken before is written and durable.
    pub(super) fn flush(&self) -> BoxFuture<'static, Result<(), StoreError>> {
        self.after(Request::Flush)
    }

    /// Answers once everything taken before is written (for reading it back).
    pub(super) fn written(&self) -> BoxFuture<'static, Result<(), StoreError>> {
        self.after(Request::Written)
    }

    fn after(
        &self,
        request: fn(Reply<()>) -> Request,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        let stopped = || StoreError::new("the store's writer has stopped");
        let (reply, answer) = oneshot::channel();
        let sent = self.send(request(reply));
        let lazy = self.lazy.as_ref().map(|lazy| {
            let (reply, answer) = oneshot::channel();
            lazy.send(request(reply))
                .map(|()| answer)
                .map_err(|_| stopped())
        });
        let unreported = std::sync::Arc::clone(&self.unreported);
        Box::pin(async move {
            sent?;
            answer.await.map_err(|_| stopped())??;
            if let Some(lazy) = lazy {
                lazy?.await.map_err(|_| stopped())??;
            }
            take_unreported(&unreported).map_or(Ok(()), Err)
        })
    }
}

/// Runs `writer` on a task; returns where its requests go.
fn spawn_task(
    writer: impl AsyncGroupWrite,
    unreported: Unreported,
) -> mpsc::UnboundedSender<Request> {
    let (sender, mut requests) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(first) = requests.recv().await {
            let group = Group::gather(first, &mut requests);
            let written = if group.is_write_needed() {
                writer
                    .write(&group.events, &group.done, group.durable)
                    .await
            } else {
                Ok(Appended::default())
            };
            if let Err(failure) = &written
                && group.holds_unattended()
            {
                remember(&unreported, failure);
            }
            // A task's writer commits what it writes: a flush has nothing left to do.
            for reply in group.answer(written.clone()) {
                let _ = reply.send(written.clone().map(|_| ()));
            }
        }
    });
    sender
}

impl Drop for Committer {
    fn drop(&mut self) {
        // Closing the channel lets the writer write what is left, then stop.
        drop(self.requests.take());
        drop(self.lazy.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::exec::store::testing::input;

    /// A writer that records each write's ids, holds the first write until
    /// told to go on, calls ids starting with `old` stored already, and
    /// fails any write holding `bad`.
    struct Recorder {
        writes: Arc<Mutex<Vec<Vec<String>>>>,
        started: std::sync::mpsc::Sender<()>,
        go_on: Option<std::sync::mpsc::Receiver<()>>,
    }

    impl GroupWrite for Recorder {
        fn write(
            &mut self,
            events: &[StoredEvent],
            _: &[Substr],
            _: bool,
        ) -> Result<Appended, StoreError> {
            if let Some(go_on) = self.go_on.take() {
                let _ = self.started.send(());
                go_on.recv().expect("the test lets the first write go on");
            }
            let ids: Vec<String> = events.iter().map(|e| e.event.id.to_string()).collect();
            self.writes.lock().expect("writes").push(ids.clone());
            if ids.iter().any(|id| id == "bad") {
                return Err(StoreError::new("the disk is full"));
            }
            let duplicates = (0..ids.len())
                .filter(|&p| ids[p].starts_with("old"))
                .collect();
            Ok(Appended {
                duplicates,
                refused: Vec::new(),
            })
        }

        fn flush(&mut self) -> Result<(), StoreError> {
            Ok(())
        }
    }

    /// A committer whose first write waits for `go_on`, once it has begun.
    fn held_committer(
        writes: &Arc<Mutex<Vec<Vec<String>>>>,
    ) -> (
        Committer,
        std::sync::mpsc::Sender<()>,
        std::sync::mpsc::Receiver<()>,
    ) {
        let (go_on, held) = std::sync::mpsc::channel();
        let (started, begun) = std::sync::mpsc::channel();
        let recorder = Recorder {
            writes: Arc::clone(writes),
            started,
            go_on: Some(held),
        };
        let committer = Committer::on_thread("test-writer", recorder).expect("starts");
        (committer, go_on, begun)
    }

    /// A committer whose writes go on at once.
    fn committer_without_pause() -> (Committer, Arc<Mutex<Vec<Vec<String>>>>) {
        let writes = Arc::new(Mutex::new(Vec::new()));
        let (started, _) = std::sync::mpsc::channel();
        let recorder = Recorder {
            writes: Arc::clone(&writes),
            started,
            go_on: None,
        };
        let committer = Committer::on_thread("test-writer", recorder).expect("starts");
        (committer, writes)
    }

    /// An emitted event: appended without waiting.
    fn emitted(id: &str) -> StoredEvent {
        let mut event = input(id);
        event.origin = Origin::Emitted;
        event
    }

    fn inputs(prefix: &str, count: usize) -> Vec<StoredEvent> {
        (0..count).map(|n| input(&format!("{prefix}{n}"))).collect()
    }

    /// Appends of mixed sizes made while a write is in flight go into the
    /// next write together; each is answered with its own positions.
    #[tokio::test]
    async fn appends_taken_during_a_write_share_the_next_one() {
        let writes = Arc::new(Mutex::new(Vec::new()));
        let (committer, go_on, begun) = held_committer(&writes);
        let first = committer.append(inputs("a", 1));
        begun.recv().expect("the first write begins");
        // Taken when called: these wait behind the first write.
        let mut second = inputs("b", 7);
        second[3] = input("old-b");
        let second = committer.append(second);
        let mut third = inputs("c", 300);
        third[0] = input("old-c");
        third[299] = input("old-c2");
        let third = committer.append(third);
        let fourth = committer.append(inputs("d", 5000));
        let later = committer.append(inputs("e", 2));
        go_on.send(()).expect("the writer waits");
        assert_eq!(first.await.expect("stored"), Appended::default());
        assert_eq!(second.await.expect("stored").duplicates, [3]);
        assert_eq!(third.await.expect("stored").duplicates, [0, 299]);
        assert_eq!(fourth.await.expect("stored"), Appended::default());
        assert_eq!(later.await.expect("stored"), Appended::default());
        let sizes: Vec<usize> = writes
            .lock()
            .expect("writes")
            .iter()
            .map(Vec::len)
            .collect();
        assert_eq!(
            sizes,
            [1, 7 + 300 + 5000, 2],
            "one write for all that waited, up to the bound; never an append split"
        );
        let second_write = &writes.lock().expect("writes")[1];
        assert_eq!(second_write[0], "b0", "in the order the appends were made");
        assert_eq!(second_write[7], "old-c");
    }

    /// A failed write of what no caller waited for (an emitted event, a done
    /// mark) is reported once: by the next call answered at once.
    #[tokio::test]
    async fn a_failed_unattended_write_is_reported_by_the_next_call() {
        let (committer, writes) = committer_without_pause();
        committer
            .append(vec![emitted("bad")])
            .await
            .expect("answered at once");
        committer.flush().await.expect_err("the write failed");
        // Reported once: the next calls are answered as usual.
        committer
            .mark_done(&["a".into()])
            .await
            .expect("no failure left");
        committer.flush().await.expect("written");

        committer
            .append(vec![emitted("bad")])
            .await
            .expect("answered at once");
        committer.written().await.expect_err("the write failed");
        committer
            .append(vec![emitted("bad")])
            .await
            .expect("answered at once");
        // Once that write has failed, the next call answered at once says so.
        while writes.lock().expect("writes").len() < 4 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        let error = committer
            .mark_done(&["i0".into()])
            .await
            .expect_err("the earlier failure");
        assert!(error.message().contains("the disk is full"), "{error}");
    }

    /// A write that fails fails exactly the appends it held, each with the
    /// reason; the writes before and after it are not touched.
    #[tokio::test]
    async fn a_failed_write_fails_exactly_its_appends() {
        let writes = Arc::new(Mutex::new(Vec::new()));
        let (committer, go_on, begun) = held_committer(&writes);
        let before = committer.append(inputs("a", 3));
        begun.recv().expect("the first write begins");
        let mut failing = inputs("b", 5);
        failing[2] = input("bad");
        let failing = committer.append(failing);
        let alongside = committer.append(inputs("c", 4));
        go_on.send(()).expect("the writer waits");
        assert!(before.await.is_ok());
        for answer in [failing.await, alongside.await] {
            assert_eq!(
                answer.expect_err("the group's write failed"),
                StoreError::new("the disk is full")
            );
        }
        let after = committer.append(inputs("d", 2)).await;
        assert!(after.is_ok(), "{after:?}");
        let sizes: Vec<usize> = writes
            .lock()
            .expect("writes")
            .iter()
            .map(Vec::len)
            .collect();
        assert_eq!(sizes, [3, 9, 2]);
    }

    /// Emitted events' appends and done marks are answered at once and go
    /// into the next write; a done mark for an event written with it is
    /// folded into the event's record.
    #[test]
    fn done_marks_fold_into_records_written_with_them() {
        let mut group = Group::default();
        let emitted = StoredEvent::new(input("x-1").event, Status::Pending, Origin::Emitted);
        group.add(Request::Append {
            events: vec![emitted],
            reply: None,
        });
        group.add(Request::Done(vec!["a".into(), "x-1".into(), "b".into()]));
        group.fold_done_marks();
        assert_eq!(group.events[0].status, Status::Done);
        assert_eq!(group.done, ["a", "b"]);
        assert!(!group.durable, "nothing in it waits for durability");
    }
}
