//! Times two `adl` binaries on the same run, alternately: how a change to
//! `adl run` is measured on a shared machine, whose speed can change from one
//! minute to the next (a block of runs of one binary, then of the other, can
//! catch a slow spell on one side only).
//!
//! ```sh
//! cargo build --release -p adl && cp target/release/adl /tmp/adl-before
//! # … change, rebuild …
//! cargo run --release -p adl_bench --bin adl-bench-ab -- 21 agent.json events.ndjson /tmp/adl-before target/release/adl
//! ```
//!
//! Each run is `BIN run AGENT --events EVENTS` with its output to a file, as in
//! the end-to-end bench; a run that fails stops the comparison.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool reports its figures and usage errors"
)]

use std::cell::RefCell;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: adl-bench-ab RUNS AGENT EVENTS BASELINE_ADL SUBJECT_ADL";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [runs, agent, events, baseline, subject] = &args[..] else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(runs) = runs.parse::<usize>() else {
        eprintln!("adl-bench-ab: RUNS must be a number, found `{runs}`\n{USAGE}");
        return ExitCode::from(2);
    };
    let output = std::env::temp_dir().join(format!("adl-bench-ab-{}.jsonl", std::process::id()));
    // The first failure, reported once the timings stop.
    let failure = RefCell::new(None);
    let run = |adl: &str| {
        if failure.borrow().is_none() {
            if let Err(reason) =
                adl_bench::run_adl(adl, Path::new(agent), Path::new(events), &output)
            {
                *failure.borrow_mut() = Some(reason);
            }
        }
    };
    let paired = adl_bench::paired(runs, || run(baseline), || run(subject));
    let _ = std::fs::remove_file(&output);
    if let Some(reason) = failure.into_inner() {
        eprintln!("adl-bench-ab: {reason}");
        return ExitCode::FAILURE;
    }
    let ms = |duration: std::time::Duration| duration.as_secs_f64() * 1e3;
    println!(
        "baseline {baseline}: median {:.1} ms, best {:.1} ms",
        ms(paired.baseline.median),
        ms(paired.baseline.best)
    );
    println!(
        "subject  {subject}: median {:.1} ms, best {:.1} ms",
        ms(paired.subject.median),
        ms(paired.subject.best)
    );
    println!(
        "subject ÷ baseline: {:.3} (median of {} alternating pairs' ratios)",
        paired.ratio,
        runs.max(1)
    );
    ExitCode::SUCCESS
}
