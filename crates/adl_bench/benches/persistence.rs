//! `cargo bench -p adl_bench --bench persistence`: dispatch throughput in batch
//! mode with each store, as events/s and as a ratio to the in-memory ring in the
//! same run. PostgreSQL is measured when `ADL_TEST_POSTGRES_URL` is set.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::sync::Arc;
use std::time::Duration;

use adl_bench::median_of;
use adl_runtime::exec::{DatabaseStore, EventStore, FileStore, MemoryStore};
use adl_runtime::graph::Rotation;
use adl_runtime::{Program, Runtime};
use serde_json::{Value, json};

const EVENTS: usize = 20_000;

fn program() -> Program {
    let agent = json!({"events": {
        "subscriptions": [{"subscription_type": "direct", "event_name": "job",
            "handler": {"handler_type": "notification", "notification_type": "info", "message": "${event.data.n}"}},
            {"subscription_type": "direct", "event_name": "error",
            "handler": {"handler_type": "notification", "notification_type": "error", "message": "${event.data.error_message}"}}],
        "processing_mode": "batch", "batch_size": 100, "batch_timeout_ms": 20, "timeout_ms": 1000}});
    let report = adl_checker::check(
        agent.to_string().as_bytes(),
        &adl_checker::CheckOptions::default(),
    );
    Program::new(adl_runtime::compile(&report).unwrap()).unwrap()
}

async fn run(store: Arc<dyn EventStore>, events: &[Value]) -> Duration {
    let runtime = Runtime::builder(program()).store(store).start().unwrap();
    let start = std::time::Instant::now();
    let report = runtime.dispatch_many(events.to_vec()).await;
    assert_eq!(report.accepted(), events.len());
    runtime.shutdown().await.unwrap();
    start.elapsed()
}

/// Rounds of one run per store; each round's stores are new (empty).
const ROUNDS: usize = 5;

/// The stores of one round, the in-memory ring first.
async fn stores(
    round: usize,
    dir: &std::path::Path,
    postgres: Option<&(String, String)>,
) -> Vec<(&'static str, Arc<dyn EventStore>)> {
    let mut stores: Vec<(&str, Arc<dyn EventStore>)> = vec![
        ("memory ring", Arc::new(MemoryStore::new(100))),
        (
            "file",
            Arc::new(
                FileStore::open(dir.join(format!("events-{round}.jsonl")), Rotation::None).unwrap(),
            ),
        ),
        (
            "sqlite",
            Arc::new(
                DatabaseStore::open(
                    &format!(
                        "sqlite://{}",
                        dir.join(format!("events-{round}.db")).display()
                    ),
                    "events",
                )
                .await
                .unwrap(),
            ),
        ),
    ];
    if let Some((url, schema)) = postgres {
        let table = format!("{schema}.events_{round}");
        stores.push((
            "postgresql",
            Arc::new(DatabaseStore::open(url, &table).await.unwrap()),
        ));
    }
    stores
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let events: Vec<Value> = (0..EVENTS)
        .map(|n| json!({"id": format!("job-{n}"), "event_type": "job", "data": {"n": n}}))
        .collect();
    let dir = std::env::temp_dir().join(format!("adl-bench-persistence-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // PostgreSQL tables go in a schema of this run's own, dropped at the end.
    let postgres = std::env::var("ADL_TEST_POSTGRES_URL")
        .ok()
        .map(|url| (url, format!("adl_bench_{}", std::process::id())));
    // Round by round, so that a busy spell of the machine weighs on every
    // store of the rounds it falls in; ratios are medians of the rounds' ratios.
    let mut rounds: Vec<Vec<(&str, Duration)>> = Vec::new();
    for round in 0..=ROUNDS {
        let mut times = Vec::new();
        for (name, store) in stores(round, &dir, postgres.as_ref()).await {
            times.push((name, run(store, &events).await));
        }
        // The first round warms up (files, connections, the server's caches).
        if round > 0 {
            rounds.push(times);
        }
    }
    println!(
        "batch mode (batch_size 100), {EVENTS} events dispatched concurrently, until shutdown, median of {ROUNDS} rounds:"
    );
    for (position, (name, _)) in rounds[0].iter().enumerate() {
        let seconds = median_of(rounds.iter().map(|r| r[position].1.as_secs_f64()));
        let ratio = median_of(
            rounds
                .iter()
                .map(|r| r[position].1.as_secs_f64() / r[0].1.as_secs_f64()),
        );
        println!(
            "  {name:<12}  {:>8.1} ms  {:>9.0} events/s  {ratio:.2}× the memory ring's time",
            seconds * 1e3,
            EVENTS as f64 / seconds
        );
    }
    if let Some((url, schema)) = &postgres {
        drop_schema(url, schema).await;
    } else {
        println!("  postgresql    skipped (set ADL_TEST_POSTGRES_URL)");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Leaves the database as it was.
async fn drop_schema(url: &str, schema: &str) {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .await
        .unwrap();
}
