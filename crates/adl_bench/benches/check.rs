//! `cargo bench -p adl_bench`: checking cost as ratios to a plain `serde_json`
//! parse of the same bytes, measured in the same run, run for run (machines are
//! noisy; ratios are what is compared). No timing is asserted.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::hint::black_box;

use adl_bench::paired;

#[allow(
    clippy::disallowed_methods,
    reason = "the baseline is serde_json's own parse"
)]
fn parse_value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

fn main() {
    let options = adl_checker::CheckOptions::default();

    // One large file, single-threaded.
    let large = adl_bench::agent_file(10_000, 42);
    let check = paired(
        15,
        || {
            black_box(parse_value(black_box(&large)));
        },
        || {
            black_box(adl_checker::check(black_box(large.as_bytes()), &options));
        },
    );
    let parse_only = paired(
        15,
        || {
            black_box(parse_value(black_box(&large)));
        },
        || {
            black_box(adl_parser::parse(black_box(large.as_bytes())));
        },
    );
    println!("large file: {} bytes, 10,000 subscriptions", large.len());
    println!(
        "  serde_json::Value parse  {:>10.2?}",
        check.baseline.median
    );
    println!(
        "  adl_parser::parse        {:>10.2?}  ({:.2}× serde_json)",
        parse_only.subject.median, parse_only.ratio
    );
    println!(
        "  adl_checker::check       {:>10.2?}  ({:.2}× serde_json; target ≤ 3×)",
        check.subject.median, check.ratio
    );

    // A corpus of small files: single-threaded parse vs check on all cores.
    let files = adl_bench::corpus(10_000, 7);
    let bytes: usize = files.iter().map(String::len).sum();
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let corpus = paired(
        5,
        || {
            for file in &files {
                black_box(parse_value(file));
            }
        },
        || {
            std::thread::scope(|scope| {
                for chunk in files.chunks(files.len().div_ceil(workers)) {
                    let options = &options;
                    scope.spawn(move || {
                        for file in chunk {
                            black_box(adl_checker::check(file.as_bytes(), options));
                        }
                    });
                }
            });
        },
    );
    println!("corpus: 10,000 files, {bytes} bytes, {workers} cores");
    println!(
        "  serde_json::Value parse, 1 core   {:>10.2?}",
        corpus.baseline.median
    );
    println!(
        "  adl_checker::check, all cores     {:>10.2?}  ({:.2}× serde_json; target ≤ 1.5×)",
        corpus.subject.median, corpus.ratio
    );
}
