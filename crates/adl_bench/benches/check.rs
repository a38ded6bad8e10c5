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
    let parse_all = || {
        for file in &files {
            black_box(parse_value(file));
        }
    };
    println!("corpus: 10,000 files, {bytes} bytes, {workers} cores");
    // What the target is about: `adl check` on the corpus as a whole process
    // (reading the files, checking on every core, reporting).
    let adl = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/release/adl");
    if adl.exists() {
        let dir = std::env::temp_dir().join(format!("adl-bench-corpus-{}", std::process::id()));
        adl_bench::write_corpus(10_000, 7, &dir).unwrap();
        let process = paired(5, parse_all, || {
            let status = std::process::Command::new(&adl)
                .arg("check")
                .arg(&dir)
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert_eq!(status.code(), Some(0), "the generated corpus checks clean");
        });
        println!(
            "  serde_json::Value parse, 1 core   {:>10.2?}",
            process.baseline.median
        );
        println!(
            "  adl check DIR, whole process      {:>10.2?}  ({:.2}× serde_json; target ≤ 1.5×)",
            process.subject.median, process.ratio
        );
        std::fs::remove_dir_all(&dir).unwrap();
    } else {
        println!("  adl check DIR: skipped, build the binary first: cargo build --release -p adl");
    }
    let in_process = paired(5, parse_all, || {
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
    println!(
        "  adl_checker::check, in process    {:>10.2?}  ({:.2}× serde_json, all cores)",
        in_process.subject.median, in_process.ratio
    );
}
