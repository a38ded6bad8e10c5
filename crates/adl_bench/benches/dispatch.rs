//! `cargo bench -p adl_bench --bench dispatch`: matching and routing cost per
//! event as the number of subscriptions grows, compile (check + graph + load)
//! time, and end-to-end `adl run` throughput against a typed `serde_json` parse
//! of the same NDJSON. Ratios are measured in the same run; no timing is asserted.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::hint::black_box;

use adl_bench::{median, median_of, time};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use adl_runtime::exec::{EventSource, TextSource};
use adl_runtime::program::Occurrence;
use adl_runtime::{Event, Program, Substr};

fn compile(text: &str) -> Program {
    let report = adl_checker::check(text.as_bytes(), &adl_checker::CheckOptions::default());
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {} {}", d.rule.code, d.pointer, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    Program::new(adl_runtime::compile(&report).unwrap()).unwrap()
}

#[allow(
    clippy::disallowed_methods,
    reason = "benchmark input is generated JSON"
)]
fn events(ndjson: &str) -> Vec<Event> {
    ndjson
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            Event::from_value(value, Substr::new, Substr::new).unwrap()
        })
        .collect()
}

/// A program with `size` subscriptions in `agent_file`'s mix (a third each
/// direct, pattern and filtered; a trigger per ten), built at the graph level:
/// a 100,000-subscription definition is over the 16 MiB file limit.
fn program_of(size: usize) -> Program {
    use adl_runtime::graph::{
        ConditionNode, NameMatch, Operator, SubscriptionNode, TriggerKind, TriggerNode,
    };
    let mut graph = adl_runtime::compile(&adl_checker::check(
        adl_bench::agent_file(10, 42).as_bytes(),
        &adl_checker::CheckOptions::default(),
    ))
    .unwrap();
    let handler = graph.subscriptions[0].handler;
    let mut rng = adl_bench::Rng::new(42);
    graph.subscriptions = (0..size)
        .map(|i| {
            let (tool, group) = (rng.below(50), rng.below(100));
            let (name, filter) = match i % 3 {
                0 => (NameMatch::EventName(format!("event.{i}")), None),
                1 => (NameMatch::EventPattern(format!("group{group}.*")), None),
                _ => (
                    NameMatch::EventName(format!("order.{group}")),
                    Some(ConditionNode {
                        field: "amount".to_owned(),
                        operator: Operator::GreaterThan,
                        value: tool.into(),
                    }),
                ),
            };
            SubscriptionNode {
                pointer: format!("/events/subscriptions/{i}"),
                name,
                filter,
                handler,
            }
        })
        .collect();
    graph.triggers = (0..size / 10)
        .map(|j| TriggerNode {
            pointer: format!("/events/triggers/{j}"),
            kind: TriggerKind::Event {
                event_name: format!("tick.{j}"),
                condition: Some(ConditionNode {
                    field: "level".to_owned(),
                    operator: Operator::GreaterThan,
                    value: j.into(),
                }),
            },
        })
        .collect();
    Program::new(graph).unwrap()
}

/// Matching and routing only: subscriptions (name + filter), triggers, routes.
fn match_all(
    program: &Program,
    events: &[Event],
    state: &serde_json::Map<String, serde_json::Value>,
) -> usize {
    let mut handlers = 0;
    for event in events {
        handlers += program.matching_subscriptions(event, state).count();
        for _trigger in program.fired_triggers(Occurrence::Event(event), state) {
            handlers += program.route(event, state).len();
        }
    }
    handlers
}

#[derive(serde::Deserialize)]
#[allow(
    dead_code,
    reason = "fields are parsed, not read: this is the parse baseline"
)]
struct TypedEvent {
    id: String,
    event_type: String,
    source: String,
    data: TypedData,
}

#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "parse baseline")]
struct TypedData {
    text: String,
    amount: u64,
}

/// What any consumer that does not know the shape of `data` must parse: a
/// typed envelope with `data` as a `serde_json::Value` (a context figure).
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "parse baseline")]
struct SchemalessEvent {
    id: String,
    event_type: String,
    source: String,
    data: serde_json::Value,
}

/// Matching when names do not repeat: 3,000 glob patterns of mixed shapes
/// (prefix, suffix, infix, several wildcards, `?`) among 10,000 subscriptions,
/// on a stream where every name repeats and on one where half are new; and
/// loading a 100,000-subscription matcher.
fn high_cardinality() {
    use adl_runtime::program::{NameMatcher, NameTest};
    let program = compile(&adl_bench::glob_agent_file(10_000, 3_000, 42));
    let state = program.initial_state().clone();
    let repeated = events(&adl_bench::high_cardinality_events(20_000, 0.0, 7));
    let unseen = events(&adl_bench::high_cardinality_events(20_000, 0.5, 7));
    let rounds: Vec<(f64, f64)> = (0..10)
        .map(|_| {
            let per_event = |stream: &[Event]| {
                let elapsed = time(|| {
                    black_box(match_all(&program, black_box(stream), &state));
                });
                elapsed.as_nanos() as f64 / stream.len() as f64
            };
            (per_event(&repeated), per_event(&unseen))
        })
        .skip(1)
        .collect();
    let repeated_ns = median_of(rounds.iter().map(|r| r.0));
    let unseen_ns = median_of(rounds.iter().map(|r| r.1));
    let ratio = median_of(rounds.iter().map(|r| r.1 / r.0));
    println!(
        "3,000 mixed glob patterns, 10,000 subscriptions: names that repeat {repeated_ns:.1} ns/event ({:.0} events/s); half unseen {unseen_ns:.1} ns/event ({:.0} events/s, {ratio:.2}× the repeated stream's cost)",
        1e9 / repeated_ns,
        1e9 / unseen_ns
    );
    let mut rng = adl_bench::Rng::new(5);
    let tests: Vec<String> = (0..100_000)
        .map(|i| {
            if i % 3 == 0 {
                adl_bench::glob_pattern(i, &mut rng)
            } else {
                format!("event.{i}")
            }
        })
        .collect();
    let build_matcher = || {
        NameMatcher::new(tests.iter().enumerate().map(|(i, t)| {
            if i % 3 == 0 {
                NameTest::Glob(t)
            } else {
                NameTest::Exact(t)
            }
        }))
        .unwrap()
    };
    let build = median(5, || {
        black_box(build_matcher());
    });
    let megabytes = build_matcher().heap_bytes() as f64 / f64::from(1 << 20);
    println!(
        "100,000 subscriptions (a third glob patterns): matcher built in {build:.2?}, about {megabytes:.1} MiB"
    );
}

fn main() {
    let stream = events(&adl_bench::ndjson_events(20_000, 0.5, 7));
    println!("matching + routing of pre-parsed events (50% hit a subscription):");
    let sizes = [10, 1_000, 100_000];
    let programs: Vec<(Program, serde_json::Map<String, serde_json::Value>)> = sizes
        .iter()
        .map(|&size| {
            let program = program_of(size);
            let state = program.initial_state().clone();
            (program, state)
        })
        .collect();
    // Round by round over the sizes, so that a busy spell weighs on all of a
    // round; the first round warms up.
    let rounds: Vec<Vec<f64>> = (0..10)
        .map(|_| {
            programs
                .iter()
                .map(|(program, state)| {
                    let elapsed = time(|| {
                        black_box(match_all(program, black_box(&stream), state));
                    });
                    elapsed.as_nanos() as f64 / stream.len() as f64
                })
                .collect()
        })
        .skip(1)
        .collect();
    for (position, size) in sizes.iter().enumerate() {
        let per_event = median_of(rounds.iter().map(|r| r[position]));
        let scaling = median_of(rounds.iter().map(|r| r[position] / r[0]));
        println!(
            "  {size:>7} subscriptions  {per_event:>8.1} ns/event  {:>12.0} events/s  ({scaling:.2}× the cost at 10)",
            1e9 / per_event
        );
    }

    let text = adl_bench::agent_file(10_000, 42);
    let compile_time = median(9, || {
        black_box(compile(black_box(&text)));
    });
    let report = adl_checker::check(text.as_bytes(), &adl_checker::CheckOptions::default());
    let graph_and_load = median(9, || {
        let graph = adl_runtime::compile(black_box(&report)).unwrap();
        black_box(Program::new(graph).unwrap());
    });
    let load = {
        let graph = adl_runtime::compile(&report).unwrap();
        median(9, || {
            black_box(Program::new(black_box(graph.clone())).unwrap());
        })
    };
    println!(
        "10,000-subscription agent ({} bytes): check + compile + load {compile_time:.2?}; compile + load of the checked model {graph_and_load:.2?}; load alone {load:.2?}",
        text.len()
    );

    high_cardinality();
    end_to_end();
    whole_process();
}

/// `adl check` on a typical agent file and `adl compile` of a 10,000-subscription
/// agent as processes: wall time, and peak memory where `/usr/bin/time` can tell.
fn whole_process() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let adl = root.join("target/release/adl");
    if !adl.exists() {
        return;
    }
    let typical = root.join("fixtures/seed/example-complex-event-flow.json");
    let check = median(21, || {
        let status = Command::new(&adl)
            .args(["check", typical.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.code() == Some(0) || status.code() == Some(1));
    });
    println!("adl check of a typical agent file, whole process: {check:.2?} (target < 5 ms)");
    let dir = std::env::temp_dir().join(format!("adl-bench-compile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("agent.json");
    std::fs::write(&big, adl_bench::agent_file(10_000, 42)).unwrap();
    let out = dir.join("graph.json");
    let args = [
        "compile",
        big.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let compile = median(5, || {
        assert!(
            Command::new(&adl)
                .args(args)
                .stderr(Stdio::null())
                .status()
                .unwrap()
                .success()
        );
    });
    let peak = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(&adl)
        .args(args)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .trim()
                .lines()
                .last()
                .map(str::to_owned)
        })
        .and_then(|kb| kb.parse::<u64>().ok());
    match peak {
        Some(kb) => println!(
            "adl compile of a 10,000-subscription agent, whole process: {compile:.2?}, peak memory {:.1} MiB",
            kb as f64 / 1024.0
        ),
        None => {
            println!("adl compile of a 10,000-subscription agent, whole process: {compile:.2?}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Parses every line of `ndjson` as a `T` (a parse baseline).
fn parse_each_line<T: serde::de::DeserializeOwned>(ndjson: &str) {
    for line in ndjson.lines() {
        #[allow(clippy::disallowed_methods, reason = "a serde_json parse baseline")]
        black_box(serde_json::from_str::<T>(line).unwrap());
    }
}

/// Reads every line of `ndjson` as `adl run`'s reading thread does, in this
/// thread: envelopes read from the text, their strings sharing one text per
/// 256 events.
fn read_envelopes(runtime: &tokio::runtime::Runtime, ndjson: &str) {
    let mut source = TextSource::inline(std::io::Cursor::new(ndjson.to_owned()), 16 << 20);
    runtime.block_on(async {
        while let Some(batch) = source.next_batch().await {
            black_box(batch.expect("read"));
        }
    });
}

/// `adl run` as a process on a 100,000-event stream, output to a file, against a
/// typed `serde_json` parse of the same stream in this process.
fn end_to_end() {
    let adl = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/release/adl");
    if !adl.exists() {
        println!("end-to-end: skipped, build the binary first: cargo build --release -p adl");
        return;
    }
    let dir = std::env::temp_dir().join(format!("adl-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let agent = dir.join("agent.json");
    let events = dir.join("events.ndjson");
    let output = dir.join("out.jsonl");
    std::fs::write(&agent, adl_bench::agent_file(1_000, 42)).unwrap();
    let ndjson = adl_bench::ndjson_events(100_000, 0.5, 11);
    std::fs::write(&events, &ndjson).unwrap();
    let empty = dir.join("empty.ndjson");
    std::fs::write(&empty, "").unwrap();
    let run_on = |events: &PathBuf| {
        let status = Command::new(&adl)
            .args([
                "run",
                agent.to_str().unwrap(),
                "--events",
                events.to_str().unwrap(),
            ])
            .stdout(Stdio::from(std::fs::File::create(&output).unwrap()))
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    let parse = || parse_each_line::<TypedEvent>(&ndjson);
    let parse_schemaless = || parse_each_line::<SchemalessEvent>(&ndjson);
    // Round by round: the typed parse, the startup (the same command on an
    // empty stream: check, compile and load the agent, open the store), the
    // whole run, the parse with `data` as a `Value`. A busy spell then weighs
    // on every part of the rounds it falls in. The first round warms up and is
    // left out.
    let rounds: Vec<[std::time::Duration; 4]> = (0..10)
        .map(|_| {
            [
                time(parse),
                time(|| run_on(&empty)),
                time(|| run_on(&events)),
                time(parse_schemaless),
            ]
        })
        .skip(1)
        .collect();
    let lines = std::fs::read_to_string(&output).unwrap().lines().count();
    let median_over =
        |value: &dyn Fn(&[std::time::Duration; 4]) -> f64| median_of(rounds.iter().map(value));
    let seconds = |position: usize| median_over(&|round| round[position].as_secs_f64());
    let best = |position: usize| {
        rounds
            .iter()
            .map(|round| round[position].as_secs_f64())
            .fold(f64::INFINITY, f64::min)
    };
    let (parse_s, startup_s, run_s) = (seconds(0), seconds(1), seconds(2));
    let rate = |seconds: f64| 100_000.0 / seconds;
    println!(
        "end-to-end adl run, 100,000 events, 1,000 subscriptions, {lines} output lines: median {:.1} ms ({:.0} events/s), best {:.1} ms",
        run_s * 1e3,
        rate(run_s),
        best(2) * 1e3
    );
    println!(
        "  typed serde_json parse of the stream, in the same rounds: median {:.1} ms ({:.0} events/s), best {:.1} ms",
        parse_s * 1e3,
        rate(parse_s),
        best(0) * 1e3
    );
    println!(
        "  adl run reaches {:.2} of the typed parse rate (median of the rounds' ratios; target >= 0.5)",
        median_over(&|round| round[0].as_secs_f64() / round[2].as_secs_f64())
    );
    println!(
        "  startup (the same command on an empty stream): median {:.1} ms; the events alone reach {:.2} of the typed parse rate",
        startup_s * 1e3,
        median_over(
            &|round| round[0].as_secs_f64() / (round[2].saturating_sub(round[1])).as_secs_f64()
        )
    );
    println!(
        "  for context, the envelope typed with data as a serde_json::Value: median {:.1} ms; adl run reaches {:.2} of that rate",
        seconds(3) * 1e3,
        median_over(&|round| round[3].as_secs_f64() / round[2].as_secs_f64())
    );
    // What bounds the reading thread: its parse alone, in this thread.
    let tokio = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio");
    let reading = adl_bench::paired(9, parse, || read_envelopes(&tokio, &ndjson));
    println!(
        "  reading the stream's envelopes in one thread as adl run does (texts shared per 256 events): median {:.1} ms, {:.2}x the typed parse (median of 9 pairs' ratios)",
        reading.subject.median.as_secs_f64() * 1e3,
        reading.ratio
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
