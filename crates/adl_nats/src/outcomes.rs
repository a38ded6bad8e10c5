//! Outcome records published on a NATS subject: one message per record, the
//! same JSON line `adl run` prints, so other services can follow an agent.

use std::sync::{Arc, Mutex, PoisonError};

use adl_runtime::exec::{Outcome, OutcomeSink, SourceError, Summary};
use tokio::sync::{mpsc, oneshot};

use crate::address::OutcomeAddress;

/// Publishes records in the order they are made, from a task of its own
/// (the runtime records without waiting on the network).
#[derive(Debug)]
pub struct OutcomePublisher {
    records: mpsc::UnboundedSender<Publish>,
    publisher: tokio::task::JoinHandle<()>,
    failure: Arc<Mutex<Option<String>>>,
}

enum Publish {
    Record(Vec<u8>),
    /// Answered once everything before it is on the server.
    Flush(oneshot::Sender<()>),
}

/// The [`OutcomeSink`] of an [`OutcomePublisher`], for the runtime builder.
#[derive(Debug, Clone)]
pub struct PublishingSink(mpsc::UnboundedSender<Publish>);

impl std::fmt::Debug for Publish {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Publish::Record(_) => "Record",
            Publish::Flush(_) => "Flush",
        })
    }
}

impl OutcomeSink for PublishingSink {
    fn record(&self, outcome: Outcome) {
        let mut line = Vec::new();
        outcome.write_json_line(&mut line);
        let _ = self.0.send(Publish::Record(line));
    }
}

impl OutcomePublisher {
    /// Connects to the server; records go to the address's subject.
    pub async fn connect(address: &OutcomeAddress) -> Result<(Self, PublishingSink), SourceError> {
        let client = crate::connect_to(&address.server).await?;
        let (records, requests) = mpsc::unbounded_channel();
        let failure = Arc::new(Mutex::new(None));
        let publisher = tokio::spawn(publish(
            client,
            address.subject.clone(),
            requests,
            Arc::clone(&failure),
        ));
        Ok((
            Self {
                records: records.clone(),
                publisher,
                failure,
            },
            PublishingSink(records),
        ))
    }

    /// Publishes the summary, last, and waits until every record is on the
    /// server; the first failure to publish, if any.
    pub async fn finish(self, summary: &Summary) -> Result<(), SourceError> {
        let mut line = Vec::new();
        summary.write_json_line(&mut line);
        let _ = self.records.send(Publish::Record(line));
        let (done, flushed) = oneshot::channel();
        if self.records.send(Publish::Flush(done)).is_ok() {
            let _ = flushed.await;
        }
        self.publisher.abort();
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
    subject: String,
    mut requests: mpsc::UnboundedReceiver<Publish>,
    failure: Arc<Mutex<Option<String>>>,
) {
    while let Some(request) = requests.recv().await {
        let error = match request {
            Publish::Record(mut line) => {
                // A message is the record, without the line's newline.
                if line.last() == Some(&b'\n') {
                    line.pop();
                }
                client
                    .publish(subject.clone(), line.into())
                    .await
                    .err()
                    .map(|e| e.to_string())
            }
            Publish::Flush(done) => {
                let flushed = client.flush().await.err().map(|e| e.to_string());
                let _ = done.send(());
                flushed
            }
        };
        if let Some(error) = error {
            failure
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert(format!("cannot publish a record on `{subject}`: {error}"));
        }
    }
}
