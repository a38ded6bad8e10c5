//! Crash recovery, for real: `adl run` is killed with SIGKILL in the middle of a
//! stream, restarted on the same configuration, and every event the first run
//! acknowledged must have been processed at least once across the two runs,
//! with the stored data intact.
//!
//! "Processed" is what the tool did: it appends the event's id to a log. The
//! action records on standard output are not the evidence: output is written
//! in batches, so a killed run can lose the records of its last moments while
//! the store already knows those events finished (and rightly does not
//! replay them).

#![allow(clippy::unwrap_used, reason = "a broken test setup should fail loudly")]
#![allow(
    clippy::print_stderr,
    reason = "the test reports what it measured (visible with --nocapture)"
)]

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const EVENTS: usize = 5_000;
/// Kill once this many events were acknowledged.
const KILL_AFTER: usize = 1_500;

fn json(line: &str) -> serde_json::Value {
    #[allow(clippy::disallowed_methods, reason = "reading adl's own JSON lines")]
    serde_json::from_str(line).unwrap()
}

/// The processing modes, each with settings that keep several groups of
/// input in flight towards the store when the kill comes.
const MODES: [&str; 3] = ["asynchronous", "batch", "synchronous"];

fn agent(dir: &Path, mode: &str, persistence: &serde_json::Value) -> std::path::PathBuf {
    let mut agent = serde_json::json!({
        "tools": [{"name": "work", "parameters": [{"name": "n", "type": "integer"}]}],
        "events": {
            "subscriptions": [
                {"subscription_type": "direct", "event_name": "job",
                 "handler": {"name": "do_work", "handler_type": "tool_invocation", "tool_name": "work",
                             "parameters": {"n": "${event.data.n}"}}},
                {"subscription_type": "direct", "event_name": "error",
                 "handler": {"handler_type": "notification", "notification_type": "error", "message": "${event.data.error_message}"}}
            ],
            "processing_mode": mode, "timeout_ms": 10000,
            "persistence": persistence
        }
    });
    let settings = match mode {
        "asynchronous" => serde_json::json!({"queue_size": 64, "worker_count": 2}),
        "batch" => serde_json::json!({"batch_size": 50, "batch_timeout_ms": 20}),
        _ => serde_json::json!({}),
    };
    for (key, value) in settings.as_object().unwrap() {
        agent["events"][key] = value.clone();
    }
    let path = dir.join("agent.json");
    std::fs::write(&path, serde_json::to_string_pretty(&agent).unwrap()).unwrap();
    path
}

/// The tool: logs the id of the event it runs for, answers its parameters.
fn tool_command(log: &Path) -> String {
    format!("work=echo \"$ADL_EVENT_ID\" >> '{}'; cat", log.display())
}

/// The ids the tool logged.
fn logged(log: &Path) -> HashSet<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Runs `adl run` on `stdin`, killing it after `kill_after` acknowledgements.
/// Returns (acknowledged ids, ids with an action record, stderr).
fn run(
    agent: &Path,
    log: &Path,
    stdin_lines: Option<usize>,
    kill_after: Option<usize>,
) -> (Vec<String>, HashSet<String>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_adl"))
        .args(["run", agent.to_str().unwrap(), "--events", "-"])
        .args(["--tool-command", &tool_command(log)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        for n in 0..stdin_lines.unwrap_or(0) {
            let line = format!(
                "{{\"id\": \"job-{n}\", \"event_type\": \"job\", \"data\": {{\"n\": {n}}}}}\n"
            );
            if stdin.write_all(line.as_bytes()).is_err() {
                return; // killed: the pipe is closed
            }
        }
    });
    let mut accepted = Vec::new();
    let mut processed = HashSet::new();
    let mut killed = false;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let Ok(line) = line else { break };
        let record = json(&line);
        match record["kind"].as_str() {
            Some("accepted") => accepted.push(record["event_id"].as_str().unwrap().to_owned()),
            Some("action") if record["handler"] == "do_work" => {
                assert_eq!(record["outcome"], "ok", "{line}");
                // Only a restarted run replays, and it says so on every action.
                assert_eq!(record["replayed"] == true, kill_after.is_none(), "{line}");
                processed.insert(record["event_id"].as_str().unwrap().to_owned());
            }
            _ => {}
        }
        if !killed && kill_after.is_some_and(|k| accepted.len() >= k) {
            child.kill().unwrap(); // SIGKILL
            killed = true;
        }
    }
    let _ = feeder.join();
    let output = child.wait_with_output().unwrap();
    if kill_after.is_some() {
        assert!(killed, "the run ended before it could be killed");
    } else {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    (
        accepted,
        processed,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Kills a run of `mode` mid-stream, restarts it, and checks that nothing
/// acknowledged was lost and nothing is acknowledged twice. The feeder
/// writes as fast as the pipe takes it, so groups of input are being written
/// to the store, and others wait behind them, when the kill comes.
fn killed_and_resumed(name: &str, mode: &str, persistence: &serde_json::Value, dir: &Path) {
    let name = format!("{name}, {mode}");
    let agent = agent(dir, mode, persistence);
    let log = dir.join("processed.log");
    let (accepted, first, _) = run(&agent, &log, Some(EVENTS), Some(KILL_AFTER));
    assert!(accepted.len() >= KILL_AFTER);
    let (again, second, stderr) = run(&agent, &log, None, None);
    assert!(again.is_empty());
    let processed = logged(&log);
    // Every action record stands for a tool run.
    assert!(first.is_subset(&processed) && second.is_subset(&processed));
    let lost: Vec<_> = accepted
        .iter()
        .filter(|id| !processed.contains(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "{name}: {} acknowledged events never processed: {lost:?}",
        lost.len()
    );
    assert!(
        !second.is_empty(),
        "{name}: nothing was left to replay, the kill came too late to test recovery ({stderr})"
    );
    // Ids are idempotency keys, across the crash: sending the stream again,
    // no event the first run acknowledged is acknowledged a second time.
    let (resent, _, _) = run(&agent, &log, Some(accepted.len()), None);
    let first: HashSet<&String> = accepted.iter().collect();
    let twice: Vec<_> = resent.iter().filter(|id| first.contains(id)).collect();
    assert!(
        twice.is_empty(),
        "{name}: {} events acknowledged again after the crash: {twice:?}",
        twice.len()
    );
    eprintln!(
        "{name}: {} acknowledged before the kill, {} processed then, {} replayed after restart",
        accepted.len(),
        first.len(),
        second.len()
    );
}

/// A fresh directory for one store and mode.
fn scratch(name: &str, mode: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("adl-kill-{name}-{mode}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn file_persistence_survives_sigkill() {
    for mode in MODES {
        let dir = scratch("file", mode);
        let store = dir.join("events.jsonl");
        killed_and_resumed(
            "file",
            mode,
            &serde_json::json!({"type": "file", "file_path": store.to_str().unwrap(), "rotation": "none"}),
            &dir,
        );
        // The data is intact: every line is a record (a torn tail was cut off on restart).
        let text = std::fs::read_to_string(&store).unwrap();
        assert!(text.ends_with('\n'));
        let mut inputs = HashSet::new();
        for line in text.lines() {
            let record = json(line);
            if record["origin"] == "input" {
                inputs.insert(record["id"].as_str().unwrap().to_owned());
            }
        }
        assert!(inputs.len() >= KILL_AFTER);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn sqlite_persistence_survives_sigkill() {
    for mode in MODES {
        let dir = scratch("sqlite", mode);
        let database = dir.join("events.db");
        killed_and_resumed(
            "sqlite",
            mode,
            &serde_json::json!({"type": "database",
                                "connection_string": format!("sqlite://{}", database.display()),
                                "table_name": "agent_events"}),
            &dir,
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
#[cfg_attr(
    not(adl_postgres),
    ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
)]
fn postgresql_persistence_survives_sigkill() {
    let url = std::env::var("ADL_TEST_POSTGRES_URL")
        .expect("ADL_TEST_POSTGRES_URL is not set: CI must test against a real PostgreSQL server");
    for mode in MODES {
        let dir = scratch("postgres", mode);
        let schema = format!("adl_kill_{}_{}", std::process::id(), &mode[..4]);
        killed_and_resumed(
            "postgresql",
            mode,
            // The URL comes from the environment, as a user's would.
            &serde_json::json!({"type": "database",
                                "connection_string": "${env.ADL_TEST_POSTGRES_URL}",
                                "table_name": format!("{schema}.events")}),
            &dir,
        );
        let _ = Command::new("psql")
            .args([
                url.as_str(),
                "-q",
                "-c",
                &format!("DROP SCHEMA \"{schema}\" CASCADE"),
            ])
            .env("PGOPTIONS", "--client-min-messages=warning")
            .stdout(Stdio::null())
            .status();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
