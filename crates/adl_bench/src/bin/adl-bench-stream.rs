//! Times `adl run` on a stream with each event store, against the same run
//! with the in-memory ring, the way users run it: one process per run,
//! 20,000 NDJSON events read from a file, an agent of 10,000 subscriptions,
//! in each processing mode. Runs alternate (memory, store, memory, store…)
//! and each store run starts on a new store (and is followed by an untimed
//! pause, so that a server's work after it does not slow the memory run next
//! to it); the figure is the median of the pairs' ratios.
//!
//! ```sh
//! cargo build --profile perf -p adl -p adl_bench
//! target/perf/adl-bench-stream 7 target/perf/adl
//! ```
//!
//! With `ADL_TEST_POSTGRES_URL` set, PostgreSQL is measured too, in the
//! schema `adl_bench_stream` (dropped at the end with `psql` when it is there).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool reports its figures and usage errors"
)]

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use serde_json::{Value, json};

const USAGE: &str = "usage: adl-bench-stream RUNS ADL";
const SUBSCRIPTIONS: usize = 10_000;
const EVENTS: usize = 20_000;
const MODES: [&str; 3] = ["asynchronous", "synchronous", "batch"];
const SCHEMA: &str = "adl_bench_stream";
/// The pause after each store run: PostgreSQL goes on writing its log and
/// statistics after a run returns, and would slow the memory run next to it.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(500);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [runs, adl] = &args[..] else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(runs) = runs.parse::<usize>() else {
        eprintln!("adl-bench-stream: RUNS must be a number, found `{runs}`\n{USAGE}");
        return ExitCode::from(2);
    };
    let dir = std::env::temp_dir().join(format!("adl-bench-stream-{}", std::process::id()));
    let result = measure(runs, adl, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    if let Ok(url) = std::env::var("ADL_TEST_POSTGRES_URL") {
        let _ = Command::new("psql")
            .args([
                &url,
                "-q",
                "-c",
                &format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"),
            ])
            .env("PGOPTIONS", "--client-min-messages=warning")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("adl-bench-stream: {reason}");
            ExitCode::FAILURE
        }
    }
}

fn measure(runs: usize, adl: &str, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text)
            .map(|()| path.clone())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
    };
    #[allow(clippy::disallowed_methods, reason = "the generator's own output")]
    let agent: Value = serde_json::from_str(&adl_bench::agent_file(SUBSCRIPTIONS, 42))
        .map_err(|e| format!("generated agent: {e}"))?;
    let events = write("events.ndjson", &adl_bench::ndjson_events(EVENTS, 0.5, 11))?;
    let mut stores = vec!["file", "sqlite"];
    if std::env::var_os("ADL_TEST_POSTGRES_URL").is_some() {
        stores.push("postgresql");
    }
    println!(
        "adl run, {EVENTS} events, {SUBSCRIPTIONS} subscriptions; median of {} pairs",
        runs.max(1)
    );
    println!(
        "{:<13} {:<11} {:>11} {:>11} {:>9}",
        "mode", "store", "memory ms", "store ms", "÷ memory"
    );
    let failure = RefCell::new(None);
    let number = Cell::new(0);
    for mode in MODES {
        let memory = write(
            &format!("agent-{mode}-memory.json"),
            &with(&agent, mode, &json!({"type": "memory", "max_events": 1000})),
        )?;
        for store in &stores {
            let run = |agent: &Path| {
                if failure.borrow().is_none() {
                    if let Err(reason) =
                        adl_bench::run_adl(adl, agent, &events, &dir.join("output.jsonl"))
                    {
                        *failure.borrow_mut() = Some(reason);
                    }
                }
            };
            // Each store run gets a new store, written beforehand: the
            // timed run is `adl run` alone.
            let next_agent = || {
                number.set(number.get() + 1);
                let n = number.get();
                let persistence = match *store {
                    "file" => json!({"type": "file", "rotation": "none",
                                     "file_path": dir.join(format!("store-{n}.jsonl"))}),
                    "sqlite" => json!({"type": "database", "table_name": "events",
                                       "connection_string": format!("sqlite://{}", dir.join(format!("store-{n}.db")).display())}),
                    _ => {
                        json!({"type": "database", "connection_string": "${env.ADL_TEST_POSTGRES_URL}",
                                "table_name": format!("{SCHEMA}.events_{}_{n}", std::process::id())})
                    }
                };
                write(
                    &format!("agent-{n}.json"),
                    &with(&agent, mode, &persistence),
                )
            };
            let agents: Vec<PathBuf> = (0..=runs.max(1))
                .map(|_| next_agent())
                .collect::<Result<_, _>>()?;
            let next = Cell::new(0);
            let paired = adl_bench::paired_apart(
                runs,
                SETTLE,
                || run(&memory),
                || {
                    run(&agents[next.get().min(agents.len() - 1)]);
                    next.set(next.get() + 1);
                },
            );
            if let Some(reason) = failure.borrow_mut().take() {
                return Err(reason);
            }
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            println!(
                "{mode:<13} {store:<11} {:>11.1} {:>11.1} {:>9.2}",
                ms(paired.baseline.median),
                ms(paired.subject.median),
                paired.ratio
            );
        }
    }
    Ok(())
}

/// The agent with its processing mode and persistence set.
fn with(agent: &Value, mode: &str, persistence: &Value) -> String {
    let mut agent = agent.clone();
    agent["events"]["processing_mode"] = json!(mode);
    agent["events"]["persistence"] = persistence.clone();
    agent.to_string()
}
