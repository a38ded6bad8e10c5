//! Outcome records published on a NATS subject: one message per record, the
//! same JSON line `adl run` prints, so other services can follow an agent.

use adl_runtime::exec::{Outcome, OutcomeSink, SourceError, Summary};

use crate::address::OutcomeAddress;
use crate::outbox::{Outbox, Publishing};

/// Publishes records in the order they are made, from a task of its own
/// (the runtime records without waiting on the network).
#[derive(Debug)]
pub struct OutcomePublisher {
    sink: PublishingSink,
    publishing: Publishing,
}

/// The [`OutcomeSink`] of an [`OutcomePublisher`], for the runtime builder.
#[derive(Debug, Clone)]
pub struct PublishingSink {
    outbox: Outbox,
    subject: async_nats::Subject,
}

impl PublishingSink {
    fn publish(&self, mut line: Vec<u8>) {
        // A message is the record, without the line's newline.
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        self.outbox.publish(self.subject.clone(), line.into());
    }
}

impl OutcomeSink for PublishingSink {
    fn record(&self, outcome: Outcome) {
        let mut line = Vec::new();
        outcome.write_json_line(&mut line);
        self.publish(line);
    }
}

impl OutcomePublisher {
    /// Connects to the server; records go to the address's subject.
    pub async fn connect(address: &OutcomeAddress) -> Result<(Self, PublishingSink), SourceError> {
        let client = crate::connect_to(&address.server).await?;
        let (outbox, publishing) =
            Outbox::start(client, format!("publish a record on `{}`", address.subject));
        let sink = PublishingSink {
            outbox,
            subject: address.subject.clone().into(),
        };
        Ok((
            Self {
                sink: sink.clone(),
                publishing,
            },
            sink,
        ))
    }

    /// Publishes the summary, last, and waits until every record is on the
    /// server; the first failure to publish, if any.
    pub async fn finish(self, summary: &Summary) -> Result<(), SourceError> {
        let mut line = Vec::new();
        summary.write_json_line(&mut line);
        self.sink.publish(line);
        self.publishing.finish().await
    }
}
