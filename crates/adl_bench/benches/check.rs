//! `cargo bench -p adl_bench`: checking cost as ratios to a plain `serde_json`
//! parse of the same bytes, measured in the same run (machines are noisy; ratios
//! are what is compared). No timing is asserted.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::hint::black_box;

use adl_bench::median;
use std::time::Duration;

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
    let parse = median(15, || {
        black_box(parse_value(black_box(&large)));
    });
    let check = median(15, || {
        black_box(adl_checker::check(black_box(large.as_bytes()), &options));
    });
    let parse_only = median(15, || {
        black_box(adl_parser::parse(black_box(large.as_bytes())));
    });
    println!("large file: {} bytes, 10,000 subscriptions", large.len());
    println!("  serde_json::Value parse  {parse:>10.2?}");
    println!(
        "  adl_parser::parse        {:>10.2?}  ({:.2}× serde_json)",
        parse_only,
        ratio(parse_only, parse)
    );
    println!(
        "  adl_checker::check       {:>10.2?}  ({:.2}× serde_json; target ≤ 3×)",
        check,
        ratio(check, parse)
    );

    // A corpus of small files: single-threaded parse vs check on all cores.
    let files = adl_bench::corpus(10_000, 7);
    let bytes: usize = files.iter().map(String::len).sum();
    let parse_all = median(5, || {
        for file in &files {
            black_box(parse_value(file));
        }
    });
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let check_all = median(5, || {
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
    });
    println!("corpus: 10,000 files, {bytes} bytes, {workers} cores");
    println!("  serde_json::Value parse, 1 core   {parse_all:>10.2?}");
    println!(
        "  adl_checker::check, all cores     {:>10.2?}  ({:.2}× serde_json; target ≤ 1.5×)",
        check_all,
        ratio(check_all, parse_all)
    );
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
