//! `cargo bench -p adl_bench --bench persistence`: dispatch throughput in batch
//! mode with each store, as events/s and as a ratio to the in-memory ring in the
//! same run. PostgreSQL is measured when `ADL_TEST_POSTGRES_URL` is set.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::sync::Arc;
use std::time::Duration;

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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let events: Vec<Value> = (0..EVENTS)
        .map(|n| json!({"id": format!("job-{n}-{}", std::process::id()), "event_type": "job", "data": {"n": n}}))
        .collect();
    let dir = std::env::temp_dir().join(format!("adl-bench-persistence-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let memory = run(Arc::new(MemoryStore::new(100)), &events).await;
    let rate = |d: Duration| EVENTS as f64 / d.as_secs_f64();
    println!(
        "batch mode (batch_size 100), {EVENTS} events dispatched concurrently, until shutdown:"
    );
    println!(
        "  memory ring   {memory:>10.2?}  {:>9.0} events/s  1.00× the memory ring's time",
        rate(memory)
    );
    let mut stores: Vec<(&str, Arc<dyn EventStore>)> = vec![
        (
            "file",
            Arc::new(FileStore::open(dir.join("events.jsonl"), Rotation::None).unwrap()),
        ),
        (
            "sqlite",
            Arc::new(
                DatabaseStore::open(
                    &format!("sqlite://{}", dir.join("events.db").display()),
                    "events",
                )
                .await
                .unwrap(),
            ),
        ),
    ];
    if let Ok(url) = std::env::var("ADL_TEST_POSTGRES_URL") {
        let table = format!("adl_bench_{}", std::process::id());
        stores.push((
            "postgresql",
            Arc::new(DatabaseStore::open(&url, &table).await.unwrap()),
        ));
    } else {
        println!("  postgresql    skipped (set ADL_TEST_POSTGRES_URL)");
    }
    for (name, store) in stores {
        let time = run(store, &events).await;
        println!(
            "  {name:<12}  {time:>10.2?}  {:>9.0} events/s  {:.2}× the memory ring's time",
            rate(time),
            time.as_secs_f64() / memory.as_secs_f64()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
