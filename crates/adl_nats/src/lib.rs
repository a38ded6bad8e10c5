//! NATS JetStream for the ADL runtime: a durable pull consumer as an
//! [`adl_runtime::exec::EventSource`], so that several processes share an
//! agent's work, and a publisher of the runtime's outcome records.
//!
//! ```no_run
//! # async fn example(runtime: adl_runtime::Runtime) -> Result<(), Box<dyn std::error::Error>> {
//! let address: adl_nats::SourceAddress = "nats://127.0.0.1:4222/ORDERS?consumer=billing".parse()?;
//! let (source, control) = adl_nats::connect(&address, None).await?;
//! // Elsewhere, on SIGTERM: `control.stop()`.
//! runtime
//!     .run_source(source, adl_runtime::exec::InFlightLimit::default())
//!     .await?;
//! runtime.shutdown().await?;
//! control.finish().await?;
//! # Ok(())
//! # }
//! ```
//!
//! What is promised (docs/runtime.md, "Scaling out"): a message is
//! acknowledged only once every event in it is done, its whole cascade
//! processed; a message with an event that can never be accepted is
//! terminated (the reason is in the run's `rejected` record); one refused
//! for a passing reason comes back after a second; a message whose process
//! dies is delivered again after the consumer's `ack_wait`: at least once.

mod address;
mod outbox;
mod outcomes;
mod source;

pub use address::{AddressError, ConsumerMode, OutcomeAddress, SourceAddress, is_nats_address};
pub use outcomes::{OutcomePublisher, PublishingSink};
pub use source::{JetStreamControl, JetStreamSource, StopHandle, connect};

use adl_runtime::exec::SourceError;

/// Connects to a server as `adl`, waiting at most a few seconds: a server
/// that is not there is an error naming it (without the password).
async fn connect_to(server: &address::Server) -> Result<async_nats::Client, SourceError> {
    let mut options = async_nats::ConnectOptions::new()
        .name("adl")
        .connection_timeout(std::time::Duration::from_secs(5));
    if let Some((user, password)) = &server.user {
        options = options.user_and_password(user.clone(), password.clone());
    }
    options
        .connect(server.host_port.as_str())
        .await
        .map_err(|error| {
            SourceError::caused_by(
                format!("cannot connect to `{}`: {error}", server.shown()),
                error,
            )
        })
}
