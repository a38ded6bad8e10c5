//! `nats://` addresses: where a JetStream source reads and where outcome
//! records are published, with their settings in the query string.

use std::time::Duration;

/// How the processes on one durable consumer share its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsumerMode {
    /// Every process on the consumer takes messages as it has room: the
    /// work is shared, and each process's state sees only its share.
    Shared,
    /// One process takes every message, in stream order (redeliveries
    /// first): for agents whose state must see every event. Refused at
    /// start when another process is pulling from the consumer.
    Single,
}

/// A JetStream source: `nats://[USER[:PASSWORD]@]HOST[:PORT]/STREAM` with
/// `subject`, `consumer`, `mode`, `ack_wait` and `max_deliver` in the query.
#[derive(Clone, PartialEq, Eq)]
pub struct SourceAddress {
    pub(crate) server: Server,
    /// The stream's name (created if missing).
    pub stream: String,
    /// The consumer's filter, and the stream's subject when it is created
    /// (default: every subject of the stream; `STREAM.>` for a new one).
    pub subject: Option<String>,
    /// The durable consumer's name (default `adl`).
    pub consumer: String,
    pub mode: ConsumerMode,
    /// How long the server waits for a message's acknowledgement before it
    /// delivers it again (default 30 s).
    pub ack_wait: Duration,
    /// Deliveries of a message at most; after the last the server gives up
    /// on it and says so in a `MAX_DELIVERIES` advisory (default 5).
    pub max_deliver: i64,
}

/// Where outcome records are published: `nats://[USER[:PASSWORD]@]HOST[:PORT]/SUBJECT`.
#[derive(Clone, PartialEq, Eq)]
pub struct OutcomeAddress {
    pub(crate) server: Server,
    pub subject: String,
}

/// A server and the credentials to use on it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Server {
    /// `HOST:PORT`.
    pub(crate) host_port: String,
    pub(crate) user: Option<(String, String)>,
}

impl Server {
    /// The address as users may see it: never the password.
    pub(crate) fn shown(&self) -> String {
        match &self.user {
            Some((user, _)) if !user.is_empty() => format!("nats://{user}:***@{}", self.host_port),
            _ => format!("nats://{}", self.host_port),
        }
    }
}

/// What is wrong with a `nats://` address (shown without its password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{shown}`: {reason}")]
pub struct AddressError {
    shown: String,
    reason: String,
}

const DEFAULT_PORT: u16 = 4222;

impl std::fmt::Debug for SourceAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl std::fmt::Debug for OutcomeAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string())
    }
}

/// The address without its password.
impl std::fmt::Display for SourceAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.server.shown(), self.stream)
    }
}

/// The address without its password.
impl std::fmt::Display for OutcomeAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.server.shown(), self.subject)
    }
}

/// Whether `text` is a `nats://` address (rather than a file name).
pub fn is_nats_address(text: &str) -> bool {
    text.get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("nats://"))
}

/// Reads the server part and the path of an address.
fn server_and_path(text: &str) -> Result<(Server, String, url::Url), AddressError> {
    let fail = |shown: String, reason: String| AddressError { shown, reason };
    let parsed = url::Url::parse(text).map_err(|e| {
        // The text may hold a password: show only what precedes an `@`.
        let shown = text
            .rsplit_once('@')
            .map_or_else(|| text.to_owned(), |(_, host)| format!("nats://***@{host}"));
        fail(shown, format!("not a valid address ({e})"))
    })?;
    let user = (!parsed.username().is_empty() || parsed.password().is_some()).then(|| {
        let decode = |part: &str| {
            url::form_urlencoded::parse(format!("x={part}").as_bytes())
                .next()
                .map_or_else(String::new, |(_, value)| value.into_owned())
        };
        (
            decode(parsed.username()),
            decode(parsed.password().unwrap_or_default()),
        )
    });
    let Some(host) = parsed.host_str().filter(|host| !host.is_empty()) else {
        return Err(fail(text.to_owned(), "no server is named".to_owned()));
    };
    let server = Server {
        host_port: format!("{host}:{}", parsed.port().unwrap_or(DEFAULT_PORT)),
        user,
    };
    if parsed.scheme() != "nats" {
        return Err(fail(
            server.shown(),
            format!("the scheme is `{}`, not `nats`", parsed.scheme()),
        ));
    }
    let path = parsed.path().trim_start_matches('/').to_owned();
    Ok((server, path, parsed))
}

impl std::str::FromStr for SourceAddress {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Self, AddressError> {
        let (server, stream, parsed) = server_and_path(text)?;
        let fail = |reason: String| AddressError {
            shown: format!("{}/{stream}", server.shown()),
            reason,
        };
        if stream.is_empty() {
            return Err(fail(
                "no stream is named: write `nats://HOST:PORT/STREAM`".to_owned(),
            ));
        }
        // JetStream's own rule for stream names.
        if stream
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '.' | '*' | '>' | '/' | '\\'))
        {
            return Err(fail(format!(
                "`{stream}` is not a stream name (no spaces, `.`, `*`, `>`, `/` or `\\`)"
            )));
        }
        let mut address = SourceAddress {
            server: server.clone(),
            stream: stream.clone(),
            subject: None,
            consumer: "adl".to_owned(),
            mode: ConsumerMode::Shared,
            ack_wait: Duration::from_secs(30),
            max_deliver: 5,
        };
        for (key, value) in parsed.query_pairs() {
            match &*key {
                "subject" if !value.is_empty() => address.subject = Some(value.into_owned()),
                "consumer" if is_consumer_name(&value) => address.consumer = value.into_owned(),
                "consumer" => {
                    return Err(fail(format!(
                        "`{value}` is not a consumer name (letters, digits, `-` and `_`)"
                    )));
                }
                "mode" => {
                    address.mode = match &*value {
                        "shared" => ConsumerMode::Shared,
                        "single" => ConsumerMode::Single,
                        other => {
                            return Err(fail(format!(
                                "`mode={other}`: expected `shared` or `single`"
                            )));
                        }
                    };
                }
                "ack_wait" => {
                    address.ack_wait = duration(&value)
                        .filter(|wait| *wait >= Duration::from_secs(1))
                        .ok_or_else(|| {
                            fail(format!(
                                "`ack_wait={value}`: expected a duration of at least a second, like `30s` or `2m`"
                            ))
                        })?;
                }
                "max_deliver" => {
                    address.max_deliver = value
                        .parse::<i64>()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| {
                            fail(format!(
                                "`max_deliver={value}`: expected a whole number ≥ 1"
                            ))
                        })?;
                }
                other => {
                    let hint = adl_parser::suggest(
                        other,
                        ["subject", "consumer", "mode", "ack_wait", "max_deliver"],
                    )
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                    return Err(fail(format!("unknown setting `{other}`{hint}")));
                }
            }
        }
        Ok(address)
    }
}

impl std::str::FromStr for OutcomeAddress {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Self, AddressError> {
        let (server, subject, parsed) = server_and_path(text)?;
        let fail = |reason: &str| AddressError {
            shown: format!("{}/{subject}", server.shown()),
            reason: reason.to_owned(),
        };
        if subject.is_empty() {
            return Err(fail(
                "no subject is named: write `nats://HOST:PORT/SUBJECT`",
            ));
        }
        if subject.contains(['*', '>', '/']) || subject.chars().any(char::is_whitespace) {
            return Err(fail(
                "records are published on one subject: no wildcards, `/` or spaces",
            ));
        }
        if parsed.query().is_some() {
            return Err(fail("an outcome address takes no settings"));
        }
        Ok(OutcomeAddress { server, subject })
    }
}

fn is_consumer_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `30s`, `500ms`, `2m`, `1h`.
fn duration(text: &str) -> Option<Duration> {
    let parsed: jiff::SignedDuration = text.parse().ok()?;
    Duration::try_from(parsed).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Result<SourceAddress, String> {
        text.parse().map_err(|e: AddressError| e.to_string())
    }

    #[test]
    fn a_source_address_with_every_setting() {
        let address = source(
            "nats://app:s%40cret@broker:4333/ORDERS?subject=orders.%3E&consumer=billing&mode=single&ack_wait=2m&max_deliver=3",
        )
        .expect("valid");
        assert_eq!(address.server.host_port, "broker:4333");
        assert_eq!(
            address.server.user,
            Some(("app".to_owned(), "s@cret".to_owned()))
        );
        assert_eq!(address.stream, "ORDERS");
        assert_eq!(address.subject.as_deref(), Some("orders.>"));
        assert_eq!(address.consumer, "billing");
        assert_eq!(address.mode, ConsumerMode::Single);
        assert_eq!(address.ack_wait, Duration::from_secs(120));
        assert_eq!(address.max_deliver, 3);
        assert_eq!(address.to_string(), "nats://app:***@broker:4333/ORDERS");
        assert!(!format!("{address:?}").contains("cret"));
    }

    #[test]
    fn defaults() {
        let address = source("nats://localhost/EVENTS").expect("valid");
        assert_eq!(address.server.host_port, "localhost:4222");
        assert_eq!(address.subject, None);
        assert_eq!(address.consumer, "adl");
        assert_eq!(address.mode, ConsumerMode::Shared);
        assert_eq!(address.ack_wait, Duration::from_secs(30));
        assert_eq!(address.max_deliver, 5);
    }

    #[test]
    fn mistakes_are_named_without_the_password() {
        for (text, expected) in [
            (
                "nats://u:pw@h:1",
                "`nats://u:***@h:1/`: no stream is named: write `nats://HOST:PORT/STREAM`",
            ),
            (
                "nats://h/A.B",
                "`nats://h:4222/A.B`: `A.B` is not a stream name (no spaces, `.`, `*`, `>`, `/` or `\\`)",
            ),
            (
                "nats://u:pw@h/S?mdoe=single",
                "`nats://u:***@h:4222/S`: unknown setting `mdoe`; did you mean `mode`?",
            ),
            (
                "nats://h/S?mode=ordered",
                "`nats://h:4222/S`: `mode=ordered`: expected `shared` or `single`",
            ),
            (
                "nats://h/S?ack_wait=10ms",
                "`nats://h:4222/S`: `ack_wait=10ms`: expected a duration of at least a second, like `30s` or `2m`",
            ),
            (
                "nats://h/S?max_deliver=0",
                "`nats://h:4222/S`: `max_deliver=0`: expected a whole number ≥ 1",
            ),
            (
                "nats://h/S?consumer=a.b",
                "`nats://h:4222/S`: `a.b` is not a consumer name (letters, digits, `-` and `_`)",
            ),
            (
                "http://u:pw@h/S",
                "`nats://u:***@h:4222`: the scheme is `http`, not `nats`",
            ),
            (
                "nats://u:pw@h:99999/S",
                "`nats://***@h:99999/S`: not a valid address (invalid port number)",
            ),
        ] {
            assert_eq!(source(text).expect_err(text), expected, "{text}");
        }
    }

    #[test]
    fn outcome_addresses() {
        let address: OutcomeAddress = "nats://h:5000/agent.outcomes".parse().expect("valid");
        assert_eq!(address.subject, "agent.outcomes");
        assert_eq!(address.to_string(), "nats://h:5000/agent.outcomes");
        for text in ["nats://h/", "nats://h/a.*", "nats://h/a?x=1"] {
            assert!(text.parse::<OutcomeAddress>().is_err(), "{text}");
        }
    }

    #[test]
    fn recognises_nats_addresses() {
        assert!(is_nats_address("NATS://h/S"));
        assert!(!is_nats_address("events.ndjson"));
        assert!(!is_nats_address("nats:/x"));
    }
}
