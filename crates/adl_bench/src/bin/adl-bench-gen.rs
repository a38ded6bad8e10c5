//! Writes a generated workload to stdout, to reproduce or profile a benchmark
//! outside the harness:
//!
//! ```sh
//! cargo run -p adl_bench --bin adl-bench-gen -- agent 1000 42 > agent.json
//! cargo run -p adl_bench --bin adl-bench-gen -- events 100000 0.5 11 > events.ndjson
//! cargo run -p adl_bench --bin adl-bench-gen -- corpus 10000 7 corpus/   # files into a directory
//! cargo run -p adl_bench --bin adl-bench-gen -- glob-agent 10000 3000 42 > globs.json
//! cargo run -p adl_bench --bin adl-bench-gen -- unseen-events 200000 0.5 11 > unseen.ndjson
//! ```

#![allow(
    clippy::print_stderr,
    reason = "a command-line tool reports usage errors"
)]

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: adl-bench-gen agent SUBSCRIPTIONS SEED | events COUNT HIT_RATE SEED | corpus FILES SEED DIR | glob-agent SUBSCRIPTIONS PATTERNS SEED | unseen-events COUNT UNSEEN_SHARE SEED";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let ["corpus", files, seed, dir] = args[..] {
        let (Ok(files), Ok(seed)) = (files.parse(), seed.parse()) else {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        };
        return match adl_bench::write_corpus(files, seed, std::path::Path::new(dir)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("adl-bench-gen: {dir}: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let text = match args[..] {
        ["agent", size, seed] => size
            .parse()
            .ok()
            .zip(seed.parse().ok())
            .map(|(size, seed)| adl_bench::agent_file(size, seed)),
        ["events", count, rate, seed] => count
            .parse()
            .ok()
            .zip(rate.parse().ok())
            .zip(seed.parse().ok())
            .map(|((count, rate), seed)| adl_bench::ndjson_events(count, rate, seed)),
        ["glob-agent", size, patterns, seed] => size
            .parse()
            .ok()
            .zip(patterns.parse().ok())
            .zip(seed.parse().ok())
            .map(|((size, patterns), seed)| adl_bench::glob_agent_file(size, patterns, seed)),
        ["unseen-events", count, share, seed] => count
            .parse()
            .ok()
            .zip(share.parse().ok())
            .zip(seed.parse().ok())
            .map(|((count, share), seed)| adl_bench::high_cardinality_events(count, share, seed)),
        _ => None,
    };
    let Some(text) = text else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("adl-bench-gen: {error}");
            ExitCode::FAILURE
        }
    }
}
