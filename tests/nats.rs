//! `adl run --events nats://…` against a real NATS server with JetStream
//! (`ADL_TEST_NATS_URL`, e.g. `nats://127.0.0.1:4222`): every event published
//! is processed at least once, no message is acknowledged before its cascade
//! is done, a consumer killed mid-stream loses nothing (the other picks its
//! messages up), a poison message is terminated with its reason, arrays are
//! batches, and records can be published on a subject.
//!
//! "Processed" is what the tool did: it appends the event's id to a log.
//! Each test uses streams of its own, deleted at the end.

#![allow(clippy::unwrap_used, reason = "a broken test setup should fail loudly")]

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use async_nats::jetstream;
use futures_util::StreamExt;
use serde_json::{Value, json};

/// The server. The tests that need it are ignored unless one is configured
/// or CI is set (`build.rs`), so here it must be there.
fn server() -> String {
    std::env::var("ADL_TEST_NATS_URL")
        .expect("ADL_TEST_NATS_URL is not set: CI must test against a real NATS server")
}

fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// A stream of the test's own: created by `adl run` (or by `publish`), and
/// deleted when the test ends, however it ends.
struct TestStream {
    name: String,
}

impl TestStream {
    fn new(test: &str) -> Self {
        let name = format!("ADLTEST_{}_{test}", std::process::id());
        let stream = Self { name };
        stream.delete();
        stream
    }

    fn subject(&self) -> String {
        format!("{}.events", self.name.to_lowercase())
    }

    /// `adl run`'s address for this stream and `consumer`.
    fn address(&self, consumer: &str, settings: &str) -> String {
        format!(
            "{}/{}?subject={}&consumer={consumer}{settings}",
            server(),
            self.name,
            self.subject()
        )
    }

    /// Publishes each payload as one message, each stored before this returns.
    fn publish(&self, payloads: &[String]) {
        block_on(async {
            let client = async_nats::connect(server().trim_start_matches("nats://"))
                .await
                .unwrap();
            let context = jetstream::new(client);
            context
                .get_or_create_stream(jetstream::stream::Config {
                    name: self.name.clone(),
                    subjects: vec![self.subject()],
                    ..Default::default()
                })
                .await
                .unwrap();
            let mut acks = Vec::new();
            for payload in payloads {
                acks.push(
                    context
                        .publish(self.subject(), payload.clone().into())
                        .await
                        .unwrap(),
                );
                if acks.len() == 256 {
                    for ack in acks.drain(..) {
                        ack.await.unwrap();
                    }
                }
            }
            for ack in acks {
                ack.await.unwrap();
            }
        });
    }

    /// (messages not yet delivered, delivered and not acknowledged) on `consumer`.
    fn pending(&self, consumer: &str) -> (u64, usize) {
        block_on(async {
            let client = async_nats::connect(server().trim_start_matches("nats://"))
                .await
                .unwrap();
            let stream = jetstream::new(client).get_stream(&self.name).await.unwrap();
            let consumer: jetstream::consumer::PullConsumer =
                stream.get_consumer(consumer).await.unwrap();
            let info = consumer.get_info().await.unwrap();
            (info.num_pending, info.num_ack_pending)
        })
    }

    fn delete(&self) {
        block_on(async {
            if let Ok(client) = async_nats::connect(server().trim_start_matches("nats://")).await {
                let _ = jetstream::new(client).delete_stream(&self.name).await;
            }
        });
    }
}

impl Drop for TestStream {
    fn drop(&mut self) {
        self.delete();
    }
}

/// Subscribes to `subject` (ready when this returns) and collects the JSON
/// messages on it until `enough` says so, or 10 s pass without one.
fn listen(
    subject: String,
    enough: impl Fn(&[Value]) -> bool + Send + 'static,
) -> std::thread::JoinHandle<Vec<Value>> {
    let (ready, is_ready) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        block_on(async {
            let client = async_nats::connect(server().trim_start_matches("nats://"))
                .await
                .unwrap();
            let mut messages = client.subscribe(subject).await.unwrap();
            client.flush().await.unwrap();
            ready.send(()).unwrap();
            let mut received = Vec::new();
            while let Ok(Some(message)) =
                tokio::time::timeout(Duration::from_secs(10), messages.next()).await
            {
                #[allow(clippy::disallowed_methods, reason = "JSON from the server or adl")]
                received.push(serde_json::from_slice(&message.payload).unwrap());
                if enough(&received) {
                    break;
                }
            }
            received
        })
    });
    is_ready.recv().unwrap();
    handle
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("adl-nats-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An agent whose `job` events run the tool `work`; in `chained` agents the
/// tool's `tool_invocation` event runs a second tool, `after`.
fn agent(dir: &Path, chained: bool) -> PathBuf {
    let mut subscriptions = vec![json!({
        "subscription_type": "direct", "event_name": "job",
        "handler": {"name": "do_work", "handler_type": "tool_invocation", "tool_name": "work",
                    "parameters": {"n": "${event.data.n}"}}
    })];
    let mut tools = vec![json!({"name": "work", "parameters": [{"name": "n", "type": "integer"}]})];
    if chained {
        subscriptions.push(json!({
            "subscription_type": "filtered", "event_name": "tool_invocation",
            "filter": {"field": "tool_name", "operator": "equals", "value": "work"},
            "handler": {"name": "then", "handler_type": "tool_invocation", "tool_name": "after",
                        "parameters": {}}
        }));
        tools.push(json!({"name": "after", "parameters": []}));
    }
    let agent = json!({
        "tools": tools,
        "events": {
            "subscriptions": subscriptions,
            "processing_mode": "asynchronous",
            "event_types": {"job": {"type": "object", "required": ["n"],
                                "properties": {"n": {"type": "integer"}}}},
            "persistence": {"type": "memory", "max_events": 100_000}
        }
    });
    let path = dir.join("agent.json");
    std::fs::write(&path, serde_json::to_string_pretty(&agent).unwrap()).unwrap();
    path
}

/// The tool `work` logs the id of the event it runs for.
fn work(log: &Path) -> String {
    format!("work=echo \"$ADL_EVENT_ID\" >> '{}'; cat", log.display())
}

fn logged(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn adl_run(agent: &Path, events: &str, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_adl"));
    command
        .args(["run", agent.to_str().unwrap(), "--events", events])
        .args(["--format", "json"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn records(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            #[allow(clippy::disallowed_methods, reason = "reading adl's own JSON lines")]
            serde_json::from_str(line).unwrap()
        })
        .collect()
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "adl run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn job(n: usize) -> Value {
    json!({"event_type": "job", "data": {"n": n}})
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn every_event_published_is_processed_and_acknowledged_and_arrays_are_batches() {
    let stream = TestStream::new("every");
    let dir = scratch("every");
    let log = dir.join("log");
    // 300 messages: single events, and every tenth an array of three.
    let mut payloads = Vec::new();
    let mut expected = HashSet::new();
    for n in 0..300 {
        if n % 10 == 0 {
            payloads.push(json!([job(n), job(n + 1000), job(n + 2000)]).to_string());
            for position in 0..3 {
                expected.insert(format!("{}-{}-{position}", stream.name, n + 1));
            }
        } else {
            payloads.push(job(n).to_string());
            expected.insert(format!("{}-{}", stream.name, n + 1));
        }
    }
    stream.publish(&payloads);
    let output = adl_run(
        &agent(&dir, false),
        &stream.address("workers", ""),
        &["--until-idle", "2s", "--tool-command", &work(&log)],
    )
    .output()
    .unwrap();
    succeeded(&output);
    let processed: HashSet<String> = logged(&log).into_iter().collect();
    assert_eq!(processed, expected, "each event once, ids from the stream");
    let summary = records(&output).pop().unwrap();
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["accepted"], 360);
    // An array's events are one group: accepted together, before their actions.
    let records = records(&output);
    let position = |id: &str, kind: &str| {
        records
            .iter()
            .position(|r| r["kind"] == kind && r["event_id"] == id)
            .unwrap()
    };
    let first = format!("{}-1", stream.name);
    assert!(
        position(&format!("{first}-2"), "accepted") < position(&format!("{first}-0"), "action")
    );
    assert_eq!(stream.pending("workers"), (0, 0), "everything acknowledged");
    // A second run finds nothing left.
    let again = adl_run(
        &agent(&dir, false),
        &stream.address("workers", ""),
        &["--until-idle", "1s", "--tool-command", &work(&log)],
    )
    .output()
    .unwrap();
    succeeded(&again);
    assert_eq!(logged(&log).len(), 360);
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn no_message_is_acknowledged_before_its_cascade_is_done() {
    let stream = TestStream::new("cascade");
    let dir = scratch("cascade");
    let log = dir.join("log");
    let started = dir.join("started");
    let release = dir.join("release");
    stream.publish(&[job(1).to_string()]);
    // The second tool of the cascade waits for the test's word.
    let after = format!(
        "after=touch '{}'; while [ ! -e '{}' ]; do sleep 0.05; done; echo null",
        started.display(),
        release.display()
    );
    let child = adl_run(
        &agent(&dir, true),
        &stream.address("workers", ""),
        &[
            "--until-idle",
            "2s",
            "--tool-command",
            &work(&log),
            "--tool-command",
            &after,
        ],
    )
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !started.exists() {
        assert!(
            Instant::now() < deadline,
            "the cascade never reached its second tool"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(logged(&log).len(), 1, "the first tool ran");
    // Give an early acknowledgement every chance to arrive.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        stream.pending("workers"),
        (0, 1),
        "delivered, and not acknowledged while the cascade runs"
    );
    std::fs::write(&release, "").unwrap();
    let output = child.wait_with_output().unwrap();
    succeeded(&output);
    assert_eq!(stream.pending("workers"), (0, 0), "acknowledged once done");
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn a_cascade_longer_than_ack_wait_is_not_delivered_again() {
    let stream = TestStream::new("slow");
    let dir = scratch("slow");
    let log = dir.join("log");
    stream.publish(&[job(1).to_string()]);
    // The tool takes 2.5 s; the server would deliver the message again after 1 s.
    let slow = format!(
        "work=sleep 2.5; echo \"$ADL_EVENT_ID\" >> '{}'; cat",
        log.display()
    );
    let output = adl_run(
        &agent(&dir, false),
        &stream.address("workers", "&ack_wait=1s"),
        &["--until-idle", "2s", "--tool-command", &slow],
    )
    .output()
    .unwrap();
    succeeded(&output);
    assert_eq!(logged(&log).len(), 1);
    let summary = records(&output).pop().unwrap();
    assert_eq!(
        (summary["accepted"].as_u64(), summary["duplicates"].as_u64()),
        (Some(1), Some(0)),
        "no second delivery: {summary}"
    );
    assert_eq!(stream.pending("workers"), (0, 0));
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn a_consumer_killed_mid_stream_loses_nothing() {
    const EVENTS: usize = 3_000;
    let stream = TestStream::new("kill");
    let dir = scratch("kill");
    let agent = agent(&dir, false);
    let (log_a, log_b) = (dir.join("log-a"), dir.join("log-b"));
    stream.publish(&(0..EVENTS).map(|n| job(n).to_string()).collect::<Vec<_>>());
    // A short acknowledgement wait, so the survivor gets the victim's
    // messages back soon; each event takes a tool process, so both are busy.
    let address = stream.address("workers", "&ack_wait=2s");
    let start = |log: &Path| -> Child {
        adl_run(
            &agent,
            &address,
            &["--until-idle", "4s", "--tool-command", &work(log)],
        )
        .spawn()
        .unwrap()
    };
    let mut victim = start(&log_a);
    let survivor = start(&log_b);
    let stdout = victim.stdout.take().unwrap();
    let mut acted = 0;
    for line in BufReader::new(stdout).lines() {
        if line.unwrap().contains("\"kind\":\"action\"") {
            acted += 1;
        }
        if acted == 200 {
            victim.kill().unwrap(); // SIGKILL, with messages in flight
            break;
        }
    }
    assert_eq!(acted, 200, "the victim ended before it could be killed");
    let _ = victim.wait();
    let output = survivor.wait_with_output().unwrap();
    succeeded(&output);
    let processed: HashSet<String> = logged(&log_a).into_iter().chain(logged(&log_b)).collect();
    let missing: Vec<usize> = (0..EVENTS)
        .filter(|n| !processed.contains(&format!("{}-{}", stream.name, n + 1)))
        .collect();
    assert!(missing.is_empty(), "never processed: {missing:?}");
    assert!(
        !logged(&log_b).is_empty() && logged(&log_a).len() >= 200,
        "both shared the work"
    );
    assert_eq!(stream.pending("workers"), (0, 0));
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn a_poison_message_is_terminated_with_its_reason() {
    let stream = TestStream::new("poison");
    let dir = scratch("poison");
    let log = dir.join("log");
    stream.publish(&[
        "not json".to_owned(),
        json!({"event_type": "job", "data": {"n": "seven"}}).to_string(),
        json!({"data": {}}).to_string(),
        job(4).to_string(),
    ]);
    // The server says what it terminated in advisories.
    let listener = listen(
        format!(
            "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.{}.workers",
            stream.name
        ),
        |advisories| advisories.len() == 3,
    );
    let output = adl_run(
        &agent(&dir, false),
        &stream.address("workers", ""),
        &["--until-idle", "2s", "--tool-command", &work(&log)],
    )
    .output()
    .unwrap();
    succeeded(&output);
    let advisories = listener.join().unwrap();
    let reasons: Vec<String> = records(&output)
        .iter()
        .filter(|r| r["kind"] == "rejected")
        .map(|r| r["reason"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].starts_with("not JSON"), "{reasons:?}");
    assert!(
        reasons[1].contains("seven") || reasons[1].contains("integer"),
        "{reasons:?}"
    );
    assert!(reasons[2].contains("event_type"), "{reasons:?}");
    let mut sequences: Vec<u64> = advisories
        .iter()
        .map(|advisory| advisory["stream_seq"].as_u64().unwrap())
        .collect();
    sequences.sort_unstable();
    assert_eq!(sequences, [1, 2, 3], "terminated, not redelivered");
    assert_eq!(logged(&log), [format!("{}-4", stream.name)]);
    assert_eq!(stream.pending("workers"), (0, 0));
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn records_are_published_on_a_subject() {
    let stream = TestStream::new("outcomes");
    let dir = scratch("outcomes");
    let log = dir.join("log");
    stream.publish(&[job(1).to_string(), job(2).to_string()]);
    let subject = format!("{}.outcomes", stream.name.to_lowercase());
    let listener = listen(subject.clone(), |records| {
        records.last().is_some_and(|r| r["kind"] == "summary")
    });
    let outcomes = format!("{}/{subject}", server());
    let output = adl_run(
        &agent(&dir, false),
        &stream.address("workers", ""),
        &[
            "--until-idle",
            "1s",
            "--tool-command",
            &work(&log),
            "--outcomes",
            &outcomes,
        ],
    )
    .output()
    .unwrap();
    succeeded(&output);
    let published = listener.join().unwrap();
    let kinds: Vec<&str> = published
        .iter()
        .map(|record| record["kind"].as_str().unwrap())
        .collect();
    let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
    assert_eq!(
        (
            count("accepted"),
            count("action"),
            count("event"),
            count("summary")
        ),
        (2, 2, 2, 1),
        "{kinds:?}"
    );
    assert_eq!(kinds.last(), Some(&"summary"));
    // Standard output has the summary alone.
    let printed = records(&output);
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0]["kind"], "summary");
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn partitions_each_go_to_their_own_process() {
    let stream = TestStream::new("partitions");
    let dir = scratch("partitions");
    let agent = agent(&dir, false);
    // The stream takes `…events.>`; each partition is a subject under it.
    block_on(async {
        let client = async_nats::connect(server().trim_start_matches("nats://"))
            .await
            .unwrap();
        let context = jetstream::new(client);
        context
            .create_stream(jetstream::stream::Config {
                name: stream.name.clone(),
                subjects: vec![format!("{}.>", stream.subject())],
                ..Default::default()
            })
            .await
            .unwrap();
        for n in 0..40 {
            context
                .publish(
                    format!("{}.{}", stream.subject(), n % 2),
                    job(n).to_string().into(),
                )
                .await
                .unwrap()
                .await
                .unwrap();
        }
    });
    let mut logs = Vec::new();
    let children: Vec<Child> = (0..2)
        .map(|partition| {
            let log = dir.join(format!("log-{partition}"));
            let address = format!(
                "{}/{}?subject={}.{partition}&consumer=part-{partition}&mode=single",
                server(),
                stream.name,
                stream.subject()
            );
            let child = adl_run(
                &agent,
                &address,
                &["--until-idle", "2s", "--tool-command", &work(&log)],
            )
            .spawn()
            .unwrap();
            logs.push(log);
            child
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    let sequence = |id: &str| -> usize { id.rsplit('-').next().unwrap().parse().unwrap() };
    for (partition, (log, output)) in logs.iter().zip(&outputs).enumerate() {
        succeeded(output);
        let processed: Vec<usize> = logged(log).iter().map(|id| sequence(id)).collect();
        assert_eq!(processed.len(), 20, "partition {partition}");
        // Stream sequences are 1-based: partition 0 holds the odd ones.
        assert!(
            processed.iter().all(|s| (s - 1) % 2 == partition),
            "partition {partition}: {processed:?}"
        );
        // One process a partition, dispatching in stream order (its tool
        // calls may overlap: the agent has several workers).
        let dispatched: Vec<usize> = records(output)
            .iter()
            .filter(|r| r["kind"] == "accepted")
            .map(|r| sequence(r["event_id"].as_str().unwrap()))
            .collect();
        assert!(
            dispatched.is_sorted(),
            "partition {partition}: {dispatched:?}"
        );
    }
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn an_unreachable_server_is_named_without_its_password() {
    let dir = scratch("unreachable");
    let output = adl_run(
        &agent(&dir, false),
        "nats://app:hunter2@127.0.0.1:1/ORDERS",
        &["--until-idle", "1s"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot connect to `nats://app:***@127.0.0.1:1`"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
#[cfg_attr(not(adl_nats), ignore = "needs NATS: set ADL_TEST_NATS_URL")]
fn single_mode_refuses_a_second_process() {
    let stream = TestStream::new("single");
    let dir = scratch("single");
    let agent = agent(&dir, false);
    stream.publish(&[job(1).to_string()]);
    let address = stream.address("alone", "&mode=single");
    let mut first = adl_run(&agent, &address, &["--until-idle", "3s"])
        .spawn()
        .unwrap();
    // The first process is pulling once it has processed the message.
    let stdout = first.stdout.take().unwrap();
    let acted = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("\"kind\":\"action\""));
    assert!(acted, "the first process never processed the message");
    let second = adl_run(&agent, &address, &["--until-idle", "1s"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("another process is pulling from the consumer `alone`"),
        "{stderr}"
    );
    assert!(first.wait().unwrap().success());
}
