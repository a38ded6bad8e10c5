//! Hostile input, faults and limits, for real: `adl run` as a process on
//! torn and oversized input, repeated ids, a disk that fills up, store files
//! that are not stores, a PostgreSQL server that drops the connection, and
//! tools that misbehave. Each test states the promise it holds
//! (docs/runtime.md, "Guarantees and limits").

#![allow(clippy::unwrap_used, reason = "a broken test setup should fail loudly")]
#![allow(clippy::print_stderr, reason = "skipped tests say why")]

mod support;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn parse(line: &str) -> Value {
    #[allow(clippy::disallowed_methods, reason = "reading adl's own JSON lines")]
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("adl-faults-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An agent: `job` events invoke the tool `work` with the whole data.
fn agent(dir: &Path, mode: &str, persistence: &Value) -> PathBuf {
    let agent = json!({
        "tools": [{"name": "work", "parameters": [{"name": "data", "type": "object"}]}],
        "events": {
            "subscriptions": [
                {"subscription_type": "direct", "event_name": "job",
                 "handler": {"name": "do_work", "handler_type": "tool_invocation", "tool_name": "work",
                             "parameters": {"data": "${event.data}"}}}
            ],
            "processing_mode": mode, "timeout_ms": 500,
            "persistence": persistence
        }
    });
    let path = dir.join("agent.json");
    std::fs::write(&path, serde_json::to_string_pretty(&agent).unwrap()).unwrap();
    path
}

/// What one `adl run` printed.
struct Run {
    status: Option<i32>,
    records: Vec<Value>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(kind: &str, records: &[Value]) -> Vec<Value> {
        records
            .iter()
            .filter(|r| r["kind"] == kind)
            .cloned()
            .collect()
    }

    fn kind(&self, kind: &str) -> Vec<Value> {
        Self::of(kind, &self.records)
    }

    fn summary(&self) -> Value {
        self.kind("summary").pop().unwrap_or_else(|| {
            panic!(
                "no summary (exit {:?}):\n{}\n{}",
                self.status, self.stdout, self.stderr
            )
        })
    }

    fn ids(&self, kind: &str) -> Vec<String> {
        self.kind(kind)
            .iter()
            .map(|r| r["event_id"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

fn finish(output: &Output) -> Run {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    Run {
        status: output.status.code(),
        records: stdout.lines().map(parse).collect(),
        stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `adl run AGENT --events - ARGS` with `input` on standard input.
fn run(agent: &Path, input: &[u8], args: &[&str]) -> Run {
    run_in(Command::new(env!("CARGO_BIN_EXE_adl")), agent, input, args)
}

fn run_in(mut command: Command, agent: &Path, input: &[u8], args: &[&str]) -> Run {
    let mut child = command
        .args(["run", agent.to_str().unwrap(), "--events", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    finish(&output)
}

/// `record[field]` is a text that says `words`.
fn assert_says(record: &Value, field: &str, words: &str) {
    let text = record[field].as_str().unwrap_or_default();
    assert!(
        text.contains(words),
        "`{field}` does not say `{words}`: {record}"
    );
}

fn job(id: &str, n: usize) -> String {
    format!("{{\"id\": \"{id}\", \"event_type\": \"job\", \"data\": {{\"n\": {n}}}}}\n")
}

fn jobs(prefix: &str, count: usize) -> String {
    (0..count)
        .map(|n| job(&format!("{prefix}{n}"), n))
        .collect()
}

const MEMORY: &str = r#"{"type": "memory", "max_events": 10000}"#;

fn memory() -> Value {
    parse(MEMORY)
}

// 1. Input framing -----------------------------------------------------------

/// One unterminated line is one rejection: reading goes on at the next line.
#[test]
fn a_torn_line_is_one_rejection_and_the_stream_goes_on() {
    let dir = scratch("torn");
    let agent = agent(&dir, "synchronous", &memory());
    let torn = "{\"id\":\"a\",\"event_type\":\"job\",\"data\":{\"n\":1\n";
    for (place, input) in [
        ("first", format!("{torn}{}", jobs("j", 3000))),
        (
            "middle",
            format!("{}{torn}{}", jobs("x", 10), jobs("j", 3000)),
        ),
    ] {
        let run = run(&agent, input.as_bytes(), &[]);
        let summary = run.summary();
        let before = if place == "first" { 0 } else { 10 };
        assert_eq!(
            summary["accepted"],
            3000 + before,
            "{place}: {}",
            run.stderr
        );
        assert_eq!(summary["rejected"], 1, "{place}");
        let rejected = run.kind("rejected");
        assert_eq!(rejected[0]["index"], before, "{place}");
        assert_says(&rejected[0], "reason", "not JSON");
    }
}

/// Pretty-printed input is recognised at the start; a value cut short
/// inside it costs that value only.
#[test]
fn pretty_printed_input_with_a_value_cut_short() {
    let dir = scratch("pretty");
    let agent = agent(&dir, "synchronous", &memory());
    let pretty = |n: usize| {
        serde_json::to_string_pretty(
            &json!({"id": format!("p{n}"), "event_type": "job", "data": {"n": n}}),
        )
        .unwrap()
            + "\n"
    };
    let input = format!(
        "{}{}{{\n  \"id\": \"torn\",\n  \"data\": {{\"n\": 1\n{}",
        pretty(0),
        pretty(1),
        pretty(2)
    );
    let run = run(&agent, input.as_bytes(), &[]);
    assert_eq!(run.ids("accepted"), ["p0", "p1", "p2"], "{}", run.stdout);
    assert_eq!(run.summary()["rejected"], 1);
}

/// A line longer than the limit is rejected without being held in memory,
/// and the lines after it are read.
#[test]
fn a_line_past_the_size_limit_is_rejected_and_skipped() {
    let dir = scratch("long-line");
    let agent = agent(&dir, "synchronous", &memory());
    let long = format!(
        "{{\"event_type\": \"job\", \"data\": {{\"s\": \"{}\"}}}}\n",
        "x".repeat(5000)
    );
    let input = format!("{}{long}{}", jobs("a", 2), jobs("b", 2));
    let run = run(&agent, input.as_bytes(), &["--max-input-bytes", "4KiB"]);
    assert_eq!(run.ids("accepted"), ["a0", "a1", "b0", "b1"]);
    let rejected = run.kind("rejected");
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["index"], 2);
    let reason = rejected[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("line 3") && reason.contains("4096"),
        "{reason}"
    );
}

// 2. Limits --------------------------------------------------------------------

/// Ids are idempotency keys, logged and passed to tools: control characters
/// and ids over the length limit are refused at the door.
#[test]
fn ids_with_control_characters_or_too_long_are_rejected() {
    let dir = scratch("ids");
    let agent = agent(&dir, "synchronous", &memory());
    let long = "i".repeat(600);
    let input = format!(
        "{}{}{}{}",
        job("bad\\u0000nul", 0),
        job("bad\\nnewline", 1),
        job(&long, 2),
        job("fine", 3)
    );
    let secret = "work=echo SECRET-TOKEN-123 >/dev/null; cat";
    let run = run(&agent, input.as_bytes(), &["--tool-command", secret]);
    assert_eq!(run.ids("accepted"), ["fine"]);
    let reasons: Vec<_> = run
        .kind("rejected")
        .iter()
        .map(|r| r["reason"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("control character"), "{reasons:?}");
    assert!(reasons[1].contains("control character"), "{reasons:?}");
    assert!(reasons[2].contains("512"), "{reasons:?}");
    assert!(!run.stdout.contains("SECRET-TOKEN"), "{}", run.stdout);
}

/// Data nested deeper than the limit is a rejection with the reason.
#[test]
fn data_nested_too_deep_is_rejected() {
    let dir = scratch("deep");
    let agent = agent(&dir, "synchronous", &memory());
    let deep = format!(
        "{{\"event_type\": \"job\", \"data\": {}1{}}}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    let run = run(&agent, format!("{deep}{}", jobs("ok", 1)).as_bytes(), &[]);
    assert_eq!(run.ids("accepted"), ["ok0"]);
    let rejected = run.kind("rejected");
    assert_says(&rejected[0], "reason", "recursion limit");
}

/// A tool that prints without end fails past the output limit; adl's memory
/// stays bounded.
#[test]
fn tool_output_past_the_limit_fails_the_call() {
    let dir = scratch("tool-output");
    let agent = agent(&dir, "synchronous", &memory());
    let run = run(
        &agent,
        jobs("j", 1).as_bytes(),
        &[
            "--tool-command",
            "work=yes x | head -c 50000000",
            "--max-tool-output",
            "1MiB",
        ],
    );
    let action = &run.kind("action")[0];
    assert_eq!(action["outcome"], "error", "{action}");
    let error = action["error"].as_str().unwrap();
    assert!(error.contains("1048576"), "{error}");
}

// 3. Data integrity --------------------------------------------------------------

/// `serde_json`'s private raw-value key is data like any other: what handlers
/// see and what the store keeps is the data as sent.
#[test]
fn the_raw_value_key_is_plain_data() {
    let dir = scratch("raw-value");
    let store = dir.join("events.jsonl");
    let agent = agent(
        &dir,
        "synchronous",
        &json!({"type": "file", "file_path": store.to_str().unwrap(), "rotation": "none"}),
    );
    let datas = [
        json!({"$serde_json::private::RawValue": "[1,2]"}),
        json!({"$serde_json::private::RawValue": 5}),
        json!({"a": {"$serde_json::private::RawValue": "{\"b\":1}"}}),
    ];
    let input: String = datas
        .iter()
        .enumerate()
        .map(|(n, data)| {
            json!({"id": format!("r{n}"), "event_type": "job", "data": data}).to_string() + "\n"
        })
        .collect();
    let run = run(&agent, input.as_bytes(), &[]);
    let actions = run.kind("action");
    assert_eq!(actions.len(), 3, "{}", run.stdout);
    for (action, data) in actions.iter().zip(&datas) {
        assert_eq!(action["input"]["data"], *data, "{action}");
    }
    let stored: Vec<Value> = std::fs::read_to_string(&store)
        .unwrap()
        .lines()
        .map(parse)
        .filter(|r| r["origin"] == "input")
        .map(|r| r["data"].clone())
        .collect();
    assert_eq!(stored, datas);
}

// 4. Ids are idempotency keys --------------------------------------------------

fn duplicates_in(name: &str, persistence: &Value, mode: &str) {
    let dir = scratch(&format!("dup-{name}-{mode}"));
    let agent = agent(&dir, mode, persistence);
    let input = format!("{}{}{}", job("a", 1), job("b", 2), job("a", 3));
    let first = run(&agent, input.as_bytes(), &[]);
    // Dispatches that wait for a database run concurrently: their
    // acknowledgements may come in any order, and of two inputs with one id
    // in flight at once either may be the one stored.
    let mut accepted = first.ids("accepted");
    accepted.sort();
    assert_eq!(accepted, ["a", "b"], "{name}: {}", first.stdout);
    assert_eq!(first.ids("duplicate"), ["a"], "{name}");
    let index = &first.kind("duplicate")[0]["index"];
    assert!(*index == 0 || *index == 2, "{name}: {index}");
    assert_eq!(first.summary()["duplicates"], 1, "{name}");
    assert_eq!(first.kind("action").len(), 2, "{name}");
    if name == "memory" {
        return;
    }
    // A later run on the same store knows them too.
    let second = run(
        &agent,
        format!("{}{}", job("a", 9), job("c", 4)).as_bytes(),
        &[],
    );
    assert_eq!(second.ids("accepted"), ["c"], "{name}: {}", second.stdout);
    assert_eq!(second.ids("duplicate"), ["a"], "{name}");
    assert_eq!(second.summary()["duplicates"], 1, "{name}");
}

#[test]
fn a_repeated_id_is_a_duplicate_in_memory() {
    duplicates_in("memory", &memory(), "synchronous");
    duplicates_in("memory", &memory(), "batch");
}

#[test]
fn a_repeated_id_is_a_duplicate_in_a_file_store() {
    for mode in ["synchronous", "asynchronous", "batch"] {
        let dir = scratch(&format!("dup-file-store-{mode}"));
        let store = dir.join("events.jsonl");
        duplicates_in(
            "file",
            &json!({"type": "file", "file_path": store.to_str().unwrap(), "rotation": "none"}),
            mode,
        );
    }
}

#[test]
fn a_repeated_id_is_a_duplicate_in_sqlite() {
    for mode in ["synchronous", "batch"] {
        let dir = scratch(&format!("dup-sqlite-store-{mode}"));
        let database = dir.join("events.db");
        duplicates_in(
            "sqlite",
            &json!({"type": "database", "connection_string": format!("sqlite://{}", database.display()),
                    "table_name": "events"}),
            mode,
        );
    }
}

/// The PostgreSQL URL. The tests that need it are ignored unless a server is
/// configured or CI is set (`build.rs`), so here it must be there.
fn postgres() -> String {
    std::env::var("ADL_TEST_POSTGRES_URL")
        .expect("ADL_TEST_POSTGRES_URL is not set: CI must test against a real PostgreSQL server")
}

fn psql(url: &str, sql: &str) -> String {
    let output = Command::new("psql")
        .args([url, "-q", "-t", "-A", "-c", sql])
        .env("PGOPTIONS", "--client-min-messages=warning")
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn postgres_table(url: &str, name: &str) -> (String, Value) {
    let schema = format!("adl_faults_{name}_{}", std::process::id());
    psql(url, &format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
    let persistence = json!({"type": "database", "connection_string": "${env.ADL_TEST_POSTGRES_URL}",
                             "table_name": format!("{schema}.events")});
    (schema, persistence)
}

#[test]
#[cfg_attr(
    not(adl_postgres),
    ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
)]
fn a_repeated_id_is_a_duplicate_in_postgresql() {
    let url = postgres();
    for mode in ["synchronous", "batch"] {
        let (schema, persistence) = postgres_table(&url, &format!("dup_{mode}"));
        duplicates_in("postgresql", &persistence, mode);
        psql(&url, &format!("DROP SCHEMA \"{schema}\" CASCADE"));
    }
}

// 5. File store ------------------------------------------------------------------

/// Every line of a store file is a whole record (or its header).
fn records(store: &Path) -> Vec<Value> {
    std::fs::read_to_string(store)
        .unwrap()
        .lines()
        .map(parse)
        .collect()
}

/// `adl run` fed a chunk at a time on standard input, its records read as
/// they come: the test decides what to send next from what it has seen.
struct Conversation {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    records: std::sync::mpsc::Receiver<Value>,
    seen: Vec<Value>,
}

impl Conversation {
    fn start(mut command: Command, agent: &Path) -> Self {
        let mut child = command
            .args(["run", agent.to_str().unwrap(), "--events", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (sender, records) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if sender.send(parse(&line)).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            stdin,
            records,
            seen: Vec::new(),
        }
    }

    fn send(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits until `count` records of `kind` have come.
    fn wait_for(&mut self, kind: &str, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Run::of(kind, &self.seen).len() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.records.recv_timeout(left) {
                Ok(record) => self.seen.push(record),
                Err(error) => panic!(
                    "waited for {count} `{kind}` records ({error}): {:#?}",
                    self.seen
                ),
            }
        }
    }

    fn finish(mut self) -> Run {
        drop(self.stdin.take());
        let output = self.child.wait_with_output().unwrap();
        self.seen.extend(self.records.iter());
        let stdout = self
            .seen
            .iter()
            .map(|record| record.to_string() + "\n")
            .collect();
        Run {
            status: output.status.code(),
            records: self.seen,
            stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// `adl` under a file size limit of 128 KiB (a disk that fills up, for one
/// process): a write past it fails with "File too large" instead of a signal.
fn with_file_size_limit_128k() -> Command {
    let mut limited = Command::new("sh");
    limited.args([
        "-c",
        "trap '' XFSZ; ulimit -f 256; exec \"$0\" \"$@\"",
        env!("CARGO_BIN_EXE_adl"),
    ]);
    limited
}

/// A group write the disk refuses halfway (here: the file size limit)
/// rejects exactly the events of that group, each with the reason, and
/// leaves no partial record behind; the groups before and after it are
/// stored; after a restart every acknowledged event is in the store and was
/// processed.
#[test]
fn a_failed_group_write_rejects_its_group_and_leaves_no_partial_record() {
    let dir = scratch("disk-full");
    let store = dir.join("events.jsonl");
    let agent = agent(
        &dir,
        "asynchronous",
        &json!({"type": "file", "file_path": store.to_str().unwrap(), "rotation": "none"}),
    );
    let big = format!(
        "{{\"id\": \"big\", \"event_type\": \"job\", \"data\": {{\"s\": \"{}\"}}}}\n",
        "x".repeat(300_000)
    );
    // The file may grow to 128 KiB: the big record cannot be written whole.
    let limited = with_file_size_limit_128k();
    let mut talk = Conversation::start(limited, &agent);
    talk.send(&jobs("a", 20));
    talk.wait_for("accepted", 20);
    // One read, so one group: twenty small events, then the big one, whose
    // record passes the limit halfway through the group's write.
    talk.send(&format!("{}{big}", jobs("b", 20)));
    talk.wait_for("rejected", 21);
    talk.send(&jobs("c", 20));
    let first = talk.finish();
    let accepted: HashSet<String> = first.ids("accepted").into_iter().collect();
    let expected: HashSet<String> = (0..20)
        .flat_map(|n| [format!("a{n}"), format!("c{n}")])
        .collect();
    assert_eq!(accepted, expected, "{}\n{}", first.stdout, first.stderr);
    let rejected = first.kind("rejected");
    let rejected_ids: HashSet<String> = first.ids("rejected").into_iter().collect();
    let group: HashSet<String> = (0..20)
        .map(|n| format!("b{n}"))
        .chain(["big".to_owned()])
        .collect();
    assert_eq!(
        rejected_ids, group,
        "exactly the failed group: {}",
        first.stdout
    );
    for record in &rejected {
        assert_says(record, "reason", "File too large");
        assert_eq!(
            record["reason"], rejected[0]["reason"],
            "one write, one reason"
        );
    }
    let stored: HashSet<String> = records(&store)
        .iter()
        .filter(|r| r["origin"] == "input")
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        stored, accepted,
        "every acknowledged event, whole, and nothing else"
    );
    let second = run(&agent, b"", &[]);
    assert_eq!(second.status, Some(0), "{}", second.stderr);
    assert!(!second.stderr.contains("skipped"), "{}", second.stderr);
}

/// A store write after the acknowledgement (an emitted event, a done mark)
/// that fails is never dropped silently: the next store call answered at once
/// reports it (an `error` event, `STORE_001`, counted in the summary), or else
/// the final flush does (on stderr, exit 2). The input was acknowledged and
/// processed; its lost done mark makes the next run replay it (at least once).
#[test]
fn store_failures_after_the_acknowledgement_are_reported_and_replayed() {
    let dir = scratch("late-store-failure");
    let store = dir.join("events.jsonl");
    let agent = agent(
        &dir,
        "asynchronous",
        &json!({"type": "file", "file_path": store.to_str().unwrap(), "rotation": "none"}),
    );
    // The file may grow to 128 KiB: the input record fits (header 22 bytes,
    // record 123 + the data), the emitted event's record and the done mark do not.
    let input = format!(
        "{{\"id\": \"big\", \"event_type\": \"job\", \"data\": {{\"s\": \"{}\"}}}}\n",
        "x".repeat(130_920)
    );
    let limited = with_file_size_limit_128k();
    let first = run_in(limited, &agent, input.as_bytes(), &[]);
    let summary = first.summary();
    assert_eq!(first.ids("accepted"), ["big"], "{}", first.stderr);
    assert_eq!(summary["actions"], 1, "processed: {}", first.stderr);
    let in_stream: Vec<Value> = first
        .kind("event")
        .into_iter()
        .filter(|e| e["data"]["error_code"] == "STORE_001")
        .collect();
    let at_the_end = first.stderr.contains("File too large");
    assert!(
        !in_stream.is_empty() || at_the_end,
        "the failed write is reported: {}",
        first.stderr
    );
    for failure in &in_stream {
        assert_says(&failure["data"], "error_message", "File too large");
    }
    assert_eq!(summary["errors"].as_u64(), Some(in_stream.len() as u64));
    if at_the_end {
        assert_eq!(first.status, Some(2), "{}", first.stderr);
        assert!(
            first.stderr.contains("replayed after a restart"),
            "{}",
            first.stderr
        );
    }
    // Without the limit, the input whose done mark was lost runs again.
    let second = run(&agent, b"", &[]);
    assert_eq!(second.status, Some(0), "{}", second.stderr);
    assert_eq!(second.summary()["replayed"], 1, "{}", second.stderr);
    assert_eq!(second.summary()["errors"], 0, "{}", second.stderr);
}

/// A file that is not a store is refused and left as it was.
#[test]
fn a_file_that_is_not_a_store_is_refused_untouched() {
    let dir = scratch("not-a-store");
    let notes = dir.join("notes.txt");
    let contents = "my notes\nsecond line without a newline";
    std::fs::write(&notes, contents).unwrap();
    let agent = agent(
        &dir,
        "synchronous",
        &json!({"type": "file", "file_path": notes.to_str().unwrap(), "rotation": "none"}),
    );
    let run = run(&agent, jobs("j", 1).as_bytes(), &[]);
    assert_eq!(run.status, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("not an adl event store"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), contents);
}

/// A bad byte or a line that is not a record is reported with its line
/// number and skipped; the records around it are recovered.
#[test]
fn bad_lines_in_a_store_are_skipped_with_their_line_number() {
    let dir = scratch("bad-bytes");
    let store = dir.join("events.jsonl");
    let agent = agent(
        &dir,
        "synchronous",
        &json!({"type": "file", "file_path": store.to_str().unwrap(), "rotation": "none"}),
    );
    let first = run(&agent, jobs("j", 2).as_bytes(), &[]);
    assert_eq!(first.summary()["accepted"], 2);
    let mut bytes = std::fs::read(&store).unwrap();
    bytes.extend_from_slice(b"garbage \xff\xfe line\n");
    let pending = json!({"id": "later", "event_type": "job", "timestamp": "2026-02-16T10:00:00Z",
                         "data": {"n": 5}, "status": "pending", "origin": "input"});
    bytes.extend_from_slice(format!("{pending}\n").as_bytes());
    let bad_line = String::from_utf8_lossy(&bytes).lines().count() - 1;
    std::fs::write(&store, bytes).unwrap();
    let second = run(&agent, b"", &[]);
    assert_eq!(second.status, Some(0), "{}", second.stderr);
    assert!(
        second.stderr.contains(&format!("line {bad_line}")),
        "{}",
        second.stderr
    );
    assert_eq!(second.summary()["replayed"], 1, "{}", second.stdout);
}

/// The store's directory is made only under a parent that exists.
#[test]
fn store_directories_are_made_only_under_an_existing_parent() {
    let dir = scratch("dirs");
    let made = dir.join("new").join("events.jsonl");
    let agent_ok = agent(
        &dir,
        "synchronous",
        &json!({"type": "file", "file_path": made.to_str().unwrap(), "rotation": "none"}),
    );
    assert_eq!(run(&agent_ok, jobs("j", 1).as_bytes(), &[]).status, Some(0));
    assert!(made.exists());
    let deep = dir.join("missing").join("deeper").join("events.jsonl");
    let agent_deep = agent(
        &dir,
        "synchronous",
        &json!({"type": "file", "file_path": deep.to_str().unwrap(), "rotation": "none"}),
    );
    let run = run(&agent_deep, jobs("j", 1).as_bytes(), &[]);
    assert_eq!(run.status, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(!dir.join("missing").exists());
}

// 6. PostgreSQL --------------------------------------------------------------------

/// In batch mode an event PostgreSQL cannot store (a NUL character) is
/// rejected alone; the others of its batch are stored.
#[test]
#[cfg_attr(
    not(adl_postgres),
    ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
)]
fn postgresql_rejects_an_unstorable_event_alone() {
    let url = postgres();
    let (schema, persistence) = postgres_table(&url, "nul");
    let dir = scratch("pg-nul");
    let agent = agent(&dir, "batch", &persistence);
    let input = format!(
        "{}{}{}",
        job("ok1", 1),
        "{\"id\": \"nul\", \"event_type\": \"job\", \"data\": {\"s\": \"a\\u0000b\"}}\n",
        job("ok2", 2)
    );
    let run = run(&agent, input.as_bytes(), &[]);
    assert_eq!(run.ids("accepted"), ["ok1", "ok2"], "{}", run.stdout);
    let rejected = run.kind("rejected");
    assert_eq!(rejected.len(), 1);
    assert_says(&rejected[0], "reason", "NUL");
    psql(&url, &format!("DROP SCHEMA \"{schema}\" CASCADE"));
}

/// Two processes started at once on one new table, given the same events
/// (two consumers of a redelivered stream): both start (the table is made
/// once, not failed on by the second), and each id is accepted by exactly one
/// of them and is a duplicate for the other, never a store error, though their
/// writes race to the same ids.
#[test]
#[cfg_attr(
    not(adl_postgres),
    ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
)]
fn two_processes_racing_on_one_postgresql_table_store_each_id_once() {
    const EVENTS: usize = 3000;
    let url = postgres();
    let (schema, persistence) = postgres_table(&url, "race");
    let dir = scratch("pg-race");
    let agent = agent(&dir, "asynchronous", &persistence);
    let input = jobs("r", EVENTS);
    let racer = || {
        let (agent, input) = (agent.clone(), input.clone());
        std::thread::spawn(move || run(&agent, input.as_bytes(), &[]))
    };
    let (a, b) = (racer(), racer());
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    for side in [&a, &b] {
        assert_eq!(side.status, Some(0), "{}", side.stderr);
        assert!(
            side.kind("rejected").is_empty(),
            "{:?}",
            side.kind("rejected")
        );
    }
    let mut accepted: Vec<String> = a.ids("accepted");
    accepted.extend(b.ids("accepted"));
    accepted.sort();
    let mut expected: Vec<String> = (0..EVENTS).map(|n| format!("r{n}")).collect();
    expected.sort();
    assert_eq!(accepted, expected, "each id accepted exactly once");
    assert_eq!(a.ids("duplicate").len() + b.ids("duplicate").len(), EVENTS);
    let stored = psql(
        &url,
        &format!(
            "SELECT count(*), count(DISTINCT id) FROM \"{schema}\".events WHERE origin = 'input'"
        ),
    );
    assert_eq!(stored, format!("{EVENTS}|{EVENTS}"));
    psql(&url, &format!("DROP SCHEMA \"{schema}\" CASCADE"));
}

/// Errors carry the server's message and SQLSTATE, never the credentials.
#[test]
#[cfg_attr(
    not(adl_postgres),
    ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
)]
fn postgresql_errors_say_what_the_server_said() {
    postgres();
    let dir = scratch("pg-errors");
    let agent = agent(
        &dir,
        "synchronous",
        &json!({"type": "database",
                "connection_string": "postgresql://postgres:hunter2@127.0.0.1:5432/adl_no_such_database",
                "table_name": "events"}),
    );
    let run = run(&agent, jobs("j", 1).as_bytes(), &[]);
    assert_eq!(run.status, Some(2));
    assert!(
        run.stderr.contains("adl_no_such_database") && run.stderr.contains("3D000"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}

/// A table of another shape under the configured name: the server's own
/// words, with SQLSTATE, say what is wrong.
#[test]
#[cfg_attr(
    not(adl_postgres),
    ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
)]
fn postgresql_table_of_another_shape_is_named_in_the_error() {
    let url = postgres();
    let (schema, persistence) = postgres_table(&url, "shape");
    psql(
        &url,
        &format!(
            "CREATE SCHEMA \"{schema}\"; CREATE TABLE \"{schema}\".events (id integer PRIMARY KEY)"
        ),
    );
    let dir = scratch("pg-shape");
    let agent = agent(&dir, "synchronous", &persistence);
    let run = run(&agent, jobs("j", 1).as_bytes(), &[]);
    assert_eq!(run.status, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("does not exist") && run.stderr.contains("SQLSTATE 42703"),
        "{}",
        run.stderr
    );
    psql(&url, &format!("DROP SCHEMA \"{schema}\" CASCADE"));
}

/// The server drops the connection mid-stream: adl reconnects, events
/// wait for it, and the run completes with every event accepted.
#[test]
#[cfg_attr(
    not(adl_postgres),
    ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
)]
fn postgresql_reconnects_after_the_server_drops_the_connection() {
    let url = postgres();
    let (schema, persistence) = postgres_table(&url, "reconnect");
    let dir = scratch("pg-reconnect");
    let agent = agent(&dir, "synchronous", &persistence);
    let mut child = Command::new(env!("CARGO_BIN_EXE_adl"))
        .args(["run", agent.to_str().unwrap(), "--events", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(jobs("before", 5).as_bytes()).unwrap();
    stdin.flush().unwrap();
    // Wait until the table holds them, then cut every connection adl has.
    let deadline = Instant::now() + Duration::from_secs(20);
    while psql(
        &url,
        &format!("SELECT count(*) FROM \"{schema}\".events WHERE origin = 'input'"),
    ) != "5"
    {
        assert!(
            Instant::now() < deadline,
            "the first events never reached the table"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let killed = psql(
        &url,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'adl'",
    );
    assert_ne!(killed, "0", "adl names its connections `adl`");
    stdin.write_all(jobs("after", 5).as_bytes()).unwrap();
    drop(stdin);
    let run = finish(&child.wait_with_output().unwrap());
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert_eq!(
        run.summary()["accepted"],
        10,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    psql(&url, &format!("DROP SCHEMA \"{schema}\" CASCADE"));
}

// 7. Processes --------------------------------------------------------------------

/// A timed-out tool is killed with everything it started.
#[test]
fn a_timed_out_tool_is_killed_with_its_children() {
    let dir = scratch("process-group");
    let agent = agent(&dir, "synchronous", &memory());
    let marker = dir.join("child-survived");
    let command = format!("work=(sleep 2; touch '{}') & wait", marker.display());
    let run = run(
        &agent,
        jobs("j", 1).as_bytes(),
        &["--tool-command", &command],
    );
    assert_eq!(
        run.kind("action")[0]["outcome"],
        "timeout",
        "{}",
        run.stdout
    );
    std::thread::sleep(Duration::from_secs(3));
    assert!(!marker.exists(), "the tool's child outlived its timeout");
}

/// A tool that cannot start says so without showing its command line.
#[test]
fn a_tool_that_cannot_start_does_not_show_its_command() {
    let dir = scratch("no-start");
    let agent = agent(&dir, "synchronous", &memory());
    let run_ = run(
        &agent,
        jobs("j", 1).as_bytes(),
        &["--tool-command", "work=SECRET=abc123 ./missing-tool"],
    );
    let action = &run_.kind("action")[0];
    assert_eq!(action["outcome"], "error");
    assert!(!run_.stdout.contains("abc123"), "{}", run_.stdout);
    assert!(!run_.stderr.contains("abc123"), "{}", run_.stderr);
}

// 8. Redaction ----------------------------------------------------------------------

/// Every form of connection string has its secrets redacted in every output.
#[test]
fn connection_secrets_are_redacted_everywhere() {
    let dir = scratch("redaction");
    let forms = [
        "host=db.example port=5432 user=app password=hunter2 dbname=events",
        "host=db.example user=app password='hunter2' sslpassword=hunter2 dbname=x",
        "postgresql://app:hunter2@db.example/events",
        "postgresql://app@db.example/events?password=hunter2&sslmode=require",
        "postgresql://app@db.example/events?sslpassword=hunter2",
    ];
    for form in forms {
        let path = dir.join("agent.json");
        let agent = json!({"events": {"subscriptions": [
            {"subscription_type": "direct", "event_name": "job",
             "handler": {"handler_type": "notification", "notification_type": "info", "message": "hi"}}],
            "persistence": {"type": "database", "connection_string": form, "table_name": "events"}}});
        std::fs::write(&path, serde_json::to_string_pretty(&agent).unwrap()).unwrap();
        for format in ["human", "json", "sarif", "github"] {
            let output = Command::new(env!("CARGO_BIN_EXE_adl"))
                .args(["check", "--format", format, path.to_str().unwrap()])
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                text.contains("ADL702") || text.contains("ADL703"),
                "{form} ({format}): no diagnostic\n{text}"
            );
            assert!(!text.contains("hunter2"), "{form} ({format}):\n{text}");
        }
        let output = Command::new(env!("CARGO_BIN_EXE_adl"))
            .args(["compile", path.to_str().unwrap()])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!text.contains("hunter2"), "{form} (compile):\n{text}");
    }
}
