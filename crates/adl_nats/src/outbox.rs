//! Messages published in order from a task of their own, so that the
//! runtime's threads never wait on the network: acknowledgements and outcome
//! records. What is handed over while the task is busy goes out together (one
//! write for many messages); the first failure is kept for the end.

use std::sync::{Arc, Mutex, PoisonError};

use adl_runtime::exec::SourceError;
use tokio::sync::{mpsc, oneshot};

enum Request {
    Publish(async_nats::Subject, bytes::Bytes),
    /// Answered once everything before it is on the server.
    Flush(oneshot::Sender<()>),
}

/// Hands messages to the publishing task.
#[derive(Clone)]
pub(crate) struct Outbox(mpsc::UnboundedSender<Request>);

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").finish_non_exhaustive()
    }
}

/// The publishing task, for waiting on it at the end.
#[derive(Debug)]
pub(crate) struct Publishing {
    outbox: Outbox,
    task: tokio::task::JoinHandle<()>,
    failure: Arc<Mutex<Option<String>>>,
}

impl Outbox {
    /// Starts publishing on `client`; a failure reads "cannot {what}: …".
    pub(crate) fn start(client: async_nats::Client, what: String) -> (Outbox, Publishing) {
        let (sender, requests) = mpsc::unbounded_channel();
        let failure = Arc::new(Mutex::new(None));
        let task = tokio::spawn(publish(client, requests, what, Arc::clone(&failure)));
        let outbox = Outbox(sender);
        (
            outbox.clone(),
            Publishing {
                outbox,
                task,
                failure,
            },
        )
    }

    pub(crate) fn publish(&self, subject: async_nats::Subject, payload: bytes::Bytes) {
        // The task ends only after `finish`: nothing is sent after that.
        let _ = self.0.send(Request::Publish(subject, payload));
    }
}

impl Publishing {
    /// Waits until everything handed over is on the server; the first
    /// failure, if any.
    pub(crate) async fn finish(self) -> Result<(), SourceError> {
        let (done, flushed) = oneshot::channel();
        if self.outbox.0.send(Request::Flush(done)).is_ok() {
            let _ = flushed.await;
        }
        self.task.abort();
        let failure = self
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        failure.map_or(Ok(()), |reason| Err(SourceError::new(reason)))
    }
}

async fn publish(
    client: async_nats::Client,
    mut requests: mpsc::UnboundedReceiver<Request>,
    what: String,
    failure: Arc<Mutex<Option<String>>>,
) {
    let mut batch = Vec::new();
    while let Some(first) = requests.recv().await {
        // Whatever is handed over meanwhile goes out with it: the connection
        // then writes many messages in one system call.
        tokio::task::yield_now().await;
        batch.push(first);
        while let Ok(request) = requests.try_recv() {
            batch.push(request);
        }
        for request in batch.drain(..) {
            let error = match request {
                Request::Publish(subject, payload) => client
                    .publish(subject, payload)
                    .await
                    .err()
                    .map(|e| e.to_string()),
                Request::Flush(done) => {
                    let flushed = client.flush().await.err().map(|e| e.to_string());
                    let _ = done.send(());
                    flushed
                }
            };
            if let Some(error) = error {
                failure
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get_or_insert(format!("cannot {what}: {error}"));
            }
        }
    }
}
