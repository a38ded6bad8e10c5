//! One test per `fixtures/run/<case>/run.args`: `adl run` with those arguments (one a line;
//! `{dir}` is the case directory; paths are relative to the workspace root)
//! must print exactly `expected.jsonl` beside it and exit 0. Runs use
//! `ADL_NOW=2026-02-16T12:00:00Z`: a fixed start, simulated time (so `--for`
//! and timeouts take none) and `input-N` ids for events without one.
//!
//! A case with an `unordered` file beside it is compared with its lines sorted
//! (the summary stays last). A case with a `clean` file beside it starts with
//! the paths it lists (one a line, relative to the workspace root) removed:
//! a durable store from an earlier run would make its events duplicates. Regenerate with `ADL_UPDATE=1 cargo test --test run`.

mod support;

use std::path::Path;
use std::process::Command;

#[allow(
    clippy::needless_pass_by_value,
    reason = "the harness passes the contents by value"
)]
fn run_fixture(path: &Path, args: String) -> datatest_stable::Result<()> {
    let root = support::workspace_root();
    let dir = support::relative(path.parent().expect("a case directory"));
    let args: Vec<String> = args
        .lines()
        .filter(|l| !l.is_empty())
        .map(|a| a.replace("{dir}", &dir))
        .collect();
    if let Ok(clean) = std::fs::read_to_string(path.with_file_name("clean")) {
        for stale in clean.lines().filter(|l| !l.trim().is_empty()) {
            let stale = root.join(stale.trim());
            let _ = std::fs::remove_dir_all(&stale).or_else(|_| std::fs::remove_file(&stale));
        }
    }
    let output = Command::new(env!("CARGO_BIN_EXE_adl"))
        .arg("run")
        .args(&args)
        .current_dir(&root)
        .env("ADL_NOW", "2026-02-16T12:00:00Z")
        .output()?;
    let stdout = String::from_utf8(output.stdout)?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() != Some(0) {
        return Err(format!(
            "`adl run {}` exited with {:?}:\n{stderr}",
            args.join(" "),
            output.status.code()
        )
        .into());
    }
    // Every line is a JSON object with a kind; the last is the summary.
    let kinds: Vec<String> = stdout
        .lines()
        .map(|line| {
            #[allow(clippy::disallowed_methods, reason = "reading our own JSON lines")]
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            value["kind"].as_str().expect("a kind").to_owned()
        })
        .collect();
    assert_eq!(
        kinds.last().map(String::as_str),
        Some("summary"),
        "{stdout}"
    );
    assert!(
        kinds.iter().all(|k| [
            "accepted",
            "rejected",
            "duplicate",
            "action",
            "event",
            "summary"
        ]
        .contains(&k.as_str())),
        "{kinds:?}"
    );
    // With a database, workers interleave with its I/O threads: the order of
    // lines then varies from run to run, their content does not. Such cases
    // hold an `unordered` file and are compared with their lines sorted.
    let stdout = if path.with_file_name("unordered").exists() {
        let mut lines: Vec<&str> = stdout.lines().collect();
        let summary = lines.pop().unwrap_or_default();
        lines.sort_unstable();
        lines.push(summary);
        let mut sorted = lines.join("\n");
        sorted.push('\n');
        sorted
    } else {
        stdout
    };
    support::assert_golden(&path.with_file_name("expected.jsonl"), &stdout)?;
    Ok(())
}

datatest_stable::harness! {
    { test = run_fixture, root = "../../fixtures/run", pattern = r"run\.args$" },
}
