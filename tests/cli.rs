//! The `adl` binary as users run it: exit codes, stdout and stderr, every format.
//! Golden files live in `tests/snapshots/cli/`; `ADL_UPDATE=1 cargo test --test cli`
//! rewrites them.

#![allow(
    clippy::unwrap_used,
    reason = "a broken fixture or workspace should fail the test loudly"
)]

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// `adl run`'s JSON lines.
    fn json_lines(&self) -> Vec<serde_json::Value> {
        #[allow(clippy::disallowed_methods, reason = "reading our own JSON lines")]
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The first action record of `handler`.
    fn action(&self, handler: &str) -> serde_json::Value {
        self.json_lines()
            .into_iter()
            .find(|l| l["kind"] == "action" && l["handler"] == handler)
            .unwrap_or_else(|| panic!("no action of {handler}: {}", self.stdout))
    }
}

/// A fresh directory `adl-NAME-PID` in the temporary directory, holding
/// `agent.json` with `text`; returns the directory (remove it when done).
fn temp_agent(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("adl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("agent.json"), text).unwrap();
    dir
}

/// Runs `adl` in the workspace root (so paths in output are relative).
fn adl(args: &[&str]) -> Run {
    adl_with(args, None, &[])
}

fn adl_with(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_adl"));
    command
        .args(args)
        .current_dir(support::workspace_root())
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("adl starts");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn snapshot(name: &str, args: &[&str], run: &Run) {
    let text = format!(
        "$ adl {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        run.code,
        run.stdout,
        run.stderr
    );
    let path = support::workspace_root().join(format!("tests/snapshots/cli/{name}.snap"));
    if let Err(message) = support::assert_golden(&path, &text) {
        panic!("{message}");
    }
}

fn snapshot_run(name: &str, args: &[&str]) -> Run {
    let run = adl(args);
    snapshot(name, args, &run);
    run
}

const INVALID: &str = "fixtures/invalid/ADL203-unknown-key/misspelt-filter.json";
const WARNING_ONLY: &str = "fixtures/invalid/ADL206-unused-option/queue-size-with-synchronous.json";

#[test]
fn valid_file_exits_0_with_a_summary() {
    let run = snapshot_run("check-valid", &["check", "fixtures/valid/every-kind.json"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("no problems found"));
}

#[test]
fn human_format_shows_the_source_line_with_the_span_underlined() {
    let run = snapshot_run("check-human", &["check", INVALID]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("\"filtr\": {"), "source line shown");
    assert!(run.stdout.contains("───┬───"), "span underlined");
    assert!(run.stdout.contains("did you mean `filter`?"));
    assert!(
        !run.stdout.contains('\u{1b}'),
        "no colour when not on a terminal"
    );
}

#[test]
fn json_format_prints_one_object_with_pointers_and_ranges() {
    let run = snapshot_run(
        "check-json",
        &["check", "--format", "json", INVALID, WARNING_ONLY],
    );
    assert_eq!(run.code, 1);
    #[allow(clippy::disallowed_methods, reason = "reading our own output")]
    let value: serde_json::Value =
        serde_json::from_str(&run.stdout).expect("exactly one JSON object");
    assert_eq!(value["version"], 1);
    let diagnostic = &value["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "ADL203");
    assert_eq!(diagnostic["pointer"], "/events/subscriptions/0/filtr");
    assert_eq!(diagnostic["range"]["start"]["line"], 8);
    assert_eq!(diagnostic["range"]["start"]["column"], 9);
    assert_eq!(
        value["summary"],
        serde_json::json!({"files": 2, "errors": 1, "warnings": 1, "notes": 0})
    );
}

#[test]
fn sarif_format_names_rules_and_regions() {
    let run = snapshot_run("check-sarif", &["check", "--format", "sarif", INVALID]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("\"version\": \"2.1.0\""));
    assert!(run.stdout.contains("\"ruleId\": \"ADL203\""));
}

#[test]
fn github_format_prints_workflow_annotations() {
    let run = snapshot_run(
        "check-github",
        &["check", "--format", "github", INVALID, WARNING_ONLY],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with(
        "::error file=fixtures/invalid/ADL203-unknown-key/misspelt-filter.json,line=8,col=9,"
    ));
    assert!(run.stdout.contains("::warning file="));
}

#[test]
fn warnings_alone_exit_0_unless_denied() {
    assert_eq!(adl(&["check", WARNING_ONLY]).code, 0);
    let run = snapshot_run(
        "check-deny-warnings",
        &["check", "--deny-warnings", WARNING_ONLY],
    );
    assert_eq!(run.code, 1);
}

#[test]
fn missing_path_is_an_io_problem_with_exit_2() {
    let run = snapshot_run(
        "check-missing-path",
        &[
            "check",
            "no/such/agent.json",
            "fixtures/valid/every-kind.json",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read `no/such/agent.json`: no such file or directory")
    );
    assert!(
        run.stdout
            .contains("Checked 1 file: no problems found; 1 path could not be read."),
        "the readable file is still checked, and the summary says one was not: {}",
        run.stdout
    );
    let alone = adl(&["check", "no/such/agent.json"]);
    assert_eq!(alone.code, 2);
    assert!(
        alone
            .stdout
            .contains("Checked 0 files: no problems found; 1 path could not be read."),
        "{}",
        alone.stdout
    );
}

#[test]
fn quiet_prints_the_findings_and_nothing_else() {
    let quiet = adl(&["check", "--quiet", "fixtures/valid/every-kind.json"]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
    let findings = adl(&["check", "-q", INVALID]);
    assert_eq!(findings.code, 1);
    assert!(findings.stdout.contains("ADL203(unknown-key)"));
    assert!(!findings.stdout.contains("Checked"), "{}", findings.stdout);
}

#[test]
fn statistics_count_findings_per_rule() {
    let run = snapshot_run(
        "check-statistics",
        &[
            "check",
            "--statistics",
            "fixtures/invalid/ADL303-unknown-handler",
        ],
    );
    assert_eq!(run.code, 1);
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.trim_start().starts_with(|c: char| c.is_ascii_digit()),
        "{first}"
    );
    assert!(
        !run.stdout.contains("╭─["),
        "no source snippets: {}",
        run.stdout
    );
    let refused = adl(&["check", "--statistics", "--format", "json", INVALID]);
    assert_eq!(refused.code, 2);
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    let bash = adl(&["completions", "bash"]);
    assert_eq!(bash.code, 0);
    assert!(bash.stdout.contains("complete -F _adl"), "{}", bash.stdout);
    assert!(bash.stdout.contains("--deny-warnings"));
    let zsh = adl(&["completions", "zsh"]);
    assert!(zsh.stdout.starts_with("#compdef adl"), "{}", zsh.stdout);
    let man = adl(&["man"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.contains(".TH adl 1"), "{}", man.stdout);
    assert!(man.stdout.contains("Lint, compile and run ADL v2"));
    assert_eq!(adl(&["completions", "tcsh"]).code, 2, "an unknown shell");
}

#[test]
fn usage_error_exits_2() {
    let run = adl(&["check", "--format", "xml", INVALID]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid value 'xml'"));
    assert_eq!(adl(&["check"]).code, 2);
}

#[test]
fn stdin_is_read_for_a_dash() {
    let input = br#"{ "events": { "processing_mode": "batchh" } }"#;
    let run = adl_with(&["check", "--format", "json", "-"], Some(input), &[]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("\"path\": \"<stdin>\""));
    assert!(run.stdout.contains("did you mean `batch`?"));
}

#[test]
fn directories_are_searched_for_json_files() {
    let run = adl(&["check", "fixtures/valid", "fixtures/seed"]);
    let expected = ["fixtures/valid", "fixtures/seed"]
        .iter()
        .map(|d| walkdir_count(&support::workspace_root().join(d)))
        .sum::<usize>();
    assert!(
        run.stdout.contains(&format!("Checked {expected} files")),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1, "two seed examples lack a notification message");
}

fn walkdir_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.is_dir() {
                walkdir_count(&p)
            } else {
                usize::from(p.extension().is_some_and(|e| e == "json"))
            }
        })
        .sum()
}

#[test]
fn color_is_forced_with_always_and_never_with_no_color_on_auto() {
    let forced = adl(&["check", "--color", "always", INVALID]);
    assert!(
        forced.stdout.contains('\u{1b}'),
        "ANSI colour with --color always"
    );
    let run = adl_with(&["check", INVALID], None, &[("NO_COLOR", "1")]);
    assert!(!run.stdout.contains('\u{1b}'));
}

#[test]
fn explain_defaults_adds_notes_without_failing() {
    let run = snapshot_run(
        "check-explain-defaults",
        &[
            "check",
            "--explain-defaults",
            "fixtures/valid/v1.5-agent-without-events.json",
        ],
    );
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains(
        "`processing_mode` defaults to `\"synchronous\"` (no `events` block: a v1.5 agent)"
    ));
    assert!(
        adl(&["check", "fixtures/valid/v1.5-agent-without-events.json"])
            .stdout
            .contains("no problems found")
    );
}

#[test]
fn huge_file_is_refused() {
    let dir = std::env::temp_dir().join(format!("adl-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.json");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"[").unwrap();
    let chunk = "1,".repeat(1 << 20);
    for _ in 0..9 {
        file.write_all(chunk.as_bytes()).unwrap();
    }
    file.write_all(b"1]").unwrap();
    drop(file);
    let run = adl(&["check", "--format", "json", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("\"code\": \"ADL106\""),
        "{}",
        run.stdout
    );
}

#[test]
fn garbage_and_deep_nesting_give_a_diagnostic_not_a_crash() {
    let deep = "[".repeat(100_000);
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for (input, code) in [
        (deep.as_bytes(), "ADL105"),
        (garbage.as_slice(), "ADL10"),
        (b"{\"a\": [1, {\"b\": " as &[u8], "ADL101"),
    ] {
        let run = adl_with(&["check", "--format", "json", "-"], Some(input), &[]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stdout.contains(&format!("\"code\": \"{code}")),
            "{}",
            run.stdout
        );
        assert!(run.stderr.is_empty(), "{}", run.stderr);
    }
}

#[test]
fn explain_prints_the_rule_docs_by_code_or_name() {
    let run = snapshot_run("explain-duplicate-key", &["explain", "ADL104"]);
    assert_eq!(run.code, 0);
    assert_eq!(adl(&["explain", "duplicate-key"]).stdout, run.stdout);
    let list = adl(&["explain"]);
    assert_eq!(list.stdout.lines().count(), adl_checker::RULES.len());
    assert!(run.stdout.contains("\n## What it does\n"), "{}", run.stdout);
    // The docs come from doc comments: no line keeps the space after `///`
    // (code blocks may indent, but by more than one space).
    for line in run.stdout.lines() {
        assert!(
            !line.starts_with(' ') || line.starts_with("  "),
            "stray leading space: {line:?}"
        );
    }
}

#[test]
fn explain_suggests_a_rule_for_a_typo() {
    let run = snapshot_run("explain-unknown", &["explain", "duplicate-keys"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `duplicate-key`?"));
}

#[test]
fn schema_prints_the_checked_in_schema() {
    let root = support::workspace_root();
    assert_eq!(
        adl(&["schema"]).stdout,
        std::fs::read_to_string(root.join("schemas/agent.schema.json")).unwrap()
    );
    assert_eq!(
        adl(&["schema", "--events"]).stdout,
        std::fs::read_to_string(root.join("schemas/events.schema.json")).unwrap()
    );
}

const DEAD_HANDLER: &str = "fixtures/invalid/ADL305-dead-handler/not-targeted.json";

#[test]
fn rule_levels_are_set_by_code_or_name_on_the_command_line() {
    assert_eq!(
        adl(&["check", DEAD_HANDLER]).code,
        0,
        "a warning by default"
    );
    let denied = adl(&[
        "check",
        "--deny",
        "dead-handler",
        "--format",
        "json",
        DEAD_HANDLER,
    ]);
    assert_eq!(denied.code, 1);
    assert!(denied.stdout.contains("\"severity\": \"error\""));
    let allowed = adl(&["check", "--allow", "ADL305", DEAD_HANDLER]);
    assert!(
        !allowed.stdout.contains("ADL305(dead-handler)"),
        "{}",
        allowed.stdout
    );
    assert!(
        !allowed.stdout.contains("ADL801"),
        "opt-in rules are off by default"
    );
    let enabled = adl(&[
        "check",
        "--allow",
        "ADL305",
        "--warn",
        "unhandled-errors",
        DEAD_HANDLER,
    ]);
    assert!(
        enabled.stdout.contains("ADL801(unhandled-errors)"),
        "`--warn` enables an opt-in rule: {}",
        enabled.stdout
    );
    let invalid = "fixtures/invalid/ADL303-unknown-handler/subscription-typo.json";
    let lowered = adl(&["check", "--warn", "unknown-handler", invalid]);
    assert_eq!(lowered.code, 0, "{}", lowered.stdout);
}

#[test]
fn unknown_rule_on_the_command_line_is_a_usage_error() {
    let run = snapshot_run(
        "check-unknown-rule-flag",
        &["check", "--deny", "dead-handlers", DEAD_HANDLER],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `dead-handler`?"));
}

#[test]
fn syntax_errors_cannot_be_allowed() {
    let run = adl(&[
        "check",
        "--allow",
        "invalid-json",
        "fixtures/invalid/ADL101-invalid-json/comment.json",
    ]);
    assert_eq!(run.code, 1);
}

fn temp_project(name: &str, config: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("adl-{name}-{}", std::process::id()));
    let nested = dir.join("agents/team");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(dir.join("adl.toml"), config).unwrap();
    std::fs::copy(
        support::workspace_root().join(DEAD_HANDLER),
        nested.join("agent.json"),
    )
    .unwrap();
    dir
}

#[test]
fn adl_toml_is_found_upwards_and_the_command_line_wins() {
    let dir = temp_project("config", "[rules]\ndead-handler = \"deny\"\n");
    let agent = dir.join("agents/team/agent.json");
    let agent = agent.to_str().unwrap();
    assert_eq!(
        adl(&["check", agent]).code,
        1,
        "denied by adl.toml two levels up"
    );
    assert_eq!(
        adl(&["check", "--warn", "ADL305", agent]).code,
        0,
        "the command line overrides the file"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn adl_toml_enables_an_opt_in_rule() {
    let dir = temp_project(
        "opt-in",
        "[rules]\nunhandled-errors = \"deny\"\ndead-handler = \"allow\"\n",
    );
    let agent = dir.join("agents/team/agent.json");
    let run = adl(&["check", agent.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("ADL801(unhandled-errors)"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn broken_adl_toml_is_a_usage_error_naming_the_file() {
    for (name, config, expected) in [
        (
            "badrule",
            "[rules]\ndead-handlr = \"deny\"\n",
            "did you mean `dead-handler`?",
        ),
        (
            "badlevel",
            "[rules]\ndead-handler = \"error\"\n",
            "unknown variant `error`",
        ),
        ("badkey", "[rulez]\n", "unknown field `rulez`"),
    ] {
        let dir = temp_project(name, config);
        let agent = dir.join("agents/team/agent.json");
        let run = adl(&["check", agent.to_str().unwrap()]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(run.code, 2, "{name}");
        assert!(run.stderr.contains("adl.toml"), "{}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
    }
}

#[test]
fn passwords_never_appear_in_any_output() {
    let with_password = "fixtures/invalid/ADL703-inline-password/user-info.json";
    // The same password in a file whose structure is broken elsewhere.
    let broken = br#"{"events": {"persistence": {"type": "database", "connection_string": "postgresql://adl:s3cret-Pa55@db/adl", "table_name": "events"}, "processing_mode": "fast"}}"#;
    for format in ["human", "json", "sarif", "github"] {
        for run in [
            adl(&["check", "--format", format, with_password]),
            adl_with(&["check", "--format", format, "-"], Some(broken), &[]),
        ] {
            assert!(
                !run.stdout.contains("s3cret-Pa55"),
                "{format}: {}",
                run.stdout
            );
            assert!(
                !run.stderr.contains("s3cret-Pa55"),
                "{format}: {}",
                run.stderr
            );
        }
    }
    let human = adl(&["check", with_password]);
    assert!(
        human.stdout.contains("adl:***********@db.internal"),
        "{}",
        human.stdout
    );
}

#[test]
fn adl_now_fixes_fire_times_and_rejects_a_bad_instant() {
    let quartz = "fixtures/invalid/ADL501-invalid-cron/quartz-question-mark.json";
    let fixed = adl_with(
        &["check", quartz],
        None,
        &[("ADL_NOW", "2026-01-01T00:00:00Z")],
    );
    assert!(
        fixed.stdout.contains("next firing 2026-01-05 12:00:00 CET"),
        "{}",
        fixed.stdout
    );
    let bad = adl_with(&["check", quartz], None, &[("ADL_NOW", "yesterday")]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("ADL_NOW: `yesterday` is not an RFC 3339 time"),
        "{}",
        bad.stderr
    );
}

const SIMPLE: &str = "fixtures/seed/example-simple-event-handler.json";
const NOW: (&str, &str) = ("ADL_NOW", "2026-02-16T12:00:00Z");

#[test]
fn compile_prints_the_versioned_graph() {
    snapshot_run("compile-simple", &["compile", SIMPLE]);
}

#[test]
fn compile_refuses_a_file_with_errors() {
    let run = snapshot_run("compile-invalid", &["compile", INVALID]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_compiled_graph_runs_like_its_source() {
    let dir = std::env::temp_dir().join(format!("adl-compile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let graph = dir.join("graph.json");
    let graph = graph.to_str().unwrap();
    assert_eq!(
        adl(&[
            "compile",
            "fixtures/run/routing-conditional/agent.json",
            "-o",
            graph
        ])
        .code,
        0
    );
    let events = "fixtures/run/routing-conditional/events.ndjson";
    let from_source = adl_with(
        &[
            "run",
            "fixtures/run/routing-conditional/agent.json",
            "--events",
            events,
        ],
        None,
        &[NOW],
    );
    let from_graph = adl_with(&["run", graph, "--events", events], None, &[NOW]);
    assert_eq!(from_source.code, 0, "{}", from_source.stderr);
    assert_eq!(from_graph.stdout, from_source.stdout);
    assert!(from_source.stdout.lines().count() > 5);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Input that cannot be read (a directory) stops the run with the reason,
/// named after the file, whether it is read on a thread of its own or
/// inline (`ADL_NOW`): the summary is still written, the exit is 2.
#[test]
fn run_reports_events_it_cannot_read() {
    let dir = std::env::temp_dir().join(format!("adl-unreadable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.to_str().unwrap();
    for env in [&[][..], &[NOW][..]] {
        let run = adl_with(&["run", SIMPLE, "--events", path, "--memory"], None, env);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("adl: cannot read `{path}`: is a directory")),
            "{}",
            run.stderr
        );
        assert!(run.stdout.contains(r#""kind":"summary""#), "{}", run.stdout);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_reads_events_from_stdin() {
    let input = b"{\"event_type\": \"tool_invocation\", \"data\": {\"status\": \"error\", \"error_message\": \"boom\"}}\n";
    let run = adl_with(&["run", SIMPLE, "--events", "-"], Some(input), &[NOW]);
    snapshot("run-stdin", &["run", SIMPLE, "--events", "-"], &run);
    assert_eq!(run.code, 0);
}

/// Events typed one at a time are dispatched and reported at once: input is
/// handed over in batches and output written in batches, but neither waits
/// for a batch to fill.
#[test]
fn run_on_stdin_answers_each_event_before_the_next_arrives() {
    use std::io::{BufRead, BufReader};
    use std::time::Duration;
    let mut child = Command::new(env!("CARGO_BIN_EXE_adl"))
        .args(["run", SIMPLE, "--events", "-"])
        .current_dir(support::workspace_root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (lines, answers) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in stdout.lines() {
            if lines.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    for n in 0..3 {
        writeln!(stdin, r#"{{"id": "e{n}", "event_type": "ping"}}"#).unwrap();
        stdin.flush().unwrap();
        let Ok(line) = answers.recv_timeout(Duration::from_secs(30)) else {
            child.kill().unwrap();
            panic!("no answer to event {n} within 30 s: input or output waits for a full batch");
        };
        assert!(
            line.contains(r#""kind":"accepted""#)
                && line.contains(&format!(r#""event_id":"e{n}""#)),
            "{line}"
        );
    }
    drop(stdin);
    let last = answers.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(last.contains(r#""kind":"summary""#), "{last}");
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}

/// A line that is not UTF-8 is rejected where it is, like a line that is not
/// JSON; the events after it are still read.
#[test]
fn run_rejects_a_line_that_is_not_utf8_and_reads_on() {
    let input = b"{\"id\":\"a\",\"event_type\":\"ping\"}\n{\"id\":\"b\",\"event_type\":\"p\xffng\"}\n{\"id\":\"c\",\n\xfe\n{\"id\":\"d\",\"event_type\":\"ping\"}\n{\"id\":\"\xc3\xa9\xff\"}\n";
    let run = adl_with(&["run", SIMPLE, "--events", "-"], Some(input), &[NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..6],
        [
            r#"{"kind":"accepted","index":0,"event_id":"a"}"#,
            r#"{"kind":"rejected","index":1,"reason":"not UTF-8 (line 2): invalid byte at column 26"}"#,
            // NDJSON (its first line is a whole value): a torn line is rejected alone.
            r#"{"kind":"rejected","index":2,"reason":"not JSON (line 3): EOF while parsing a value at line 1 column 10"}"#,
            r#"{"kind":"rejected","index":3,"reason":"not UTF-8 (line 4): invalid byte at column 1"}"#,
            r#"{"kind":"accepted","index":4,"event_id":"d"}"#,
            // Columns count characters: `é` is two bytes, one column.
            r#"{"kind":"rejected","index":5,"reason":"not UTF-8 (line 6): invalid byte at column 9"}"#,
        ]
    );
}

/// Reading on its own thread and handing events over in batches changes
/// nothing in what a run reports: a long mixed stream (NDJSON, arrays, a
/// pretty-printed object, lines that are not JSON) gives the same records as
/// reading it on the runtime's thread (what `ADL_NOW` does).
#[test]
fn run_reads_a_file_on_its_own_thread_with_the_same_result() {
    let dir = std::env::temp_dir().join(format!("adl-cli-threaded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut stream = String::new();
    for n in 0..3_000 {
        let line = match n % 7 {
            0 => format!(
                r#"{{"id": "e{n}", "event_type": "tool_invocation", "data": {{"status": "error", "error_message": "boom {n}"}}}}"#
            ),
            1 => format!(
                r#"[{{"id": "a{n}", "event_type": "ping"}}, {{"id": "b{n}", "name": "tool_invocation", "value": {{"status": "ok"}}}}]"#
            ),
            2 => format!("not json {n}"),
            3 => format!(
                "{{\n  \"id\": \"p{n}\",\n  \"event_type\": \"tool_invocation\",\n  \"data\": {{\"status\": \"error\"}}\n}}"
            ),
            _ => format!(r#"{{"id": "e{n}", "event_type": "other"}}"#),
        };
        stream.push_str(&line);
        stream.push('\n');
    }
    let events = dir.join("events.ndjson");
    std::fs::write(&events, stream).unwrap();
    let events = events.to_str().unwrap();
    let threaded = adl_with(&["run", SIMPLE, "--events", events], None, &[]);
    let inline = adl_with(&["run", SIMPLE, "--events", events], None, &[NOW]);
    assert_eq!(threaded.code, 0, "{}", threaded.stderr);
    assert!(threaded.stdout.lines().count() > 3_000);
    assert_eq!(threaded.stdout, inline.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_with_configuration_errors_exits_1() {
    let run = adl(&[
        "run",
        INVALID,
        "--events",
        "fixtures/events/tool-event.json",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("ADL203"), "{}", run.stderr);
}

#[test]
fn run_with_a_missing_events_file_exits_2() {
    let run = snapshot_run(
        "run-missing-events",
        &["run", SIMPLE, "--events", "no/such/events.ndjson"],
    );
    assert_eq!(run.code, 2);
}

#[test]
fn a_database_that_cannot_be_reached_is_exit_2_and_never_shows_the_password() {
    let dir = std::env::temp_dir().join(format!("adl-unreachable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let agent = dir.join("agent.json");
    std::fs::write(
        &agent,
        r#"{"events": {"persistence": {"type": "database", "table_name": "events",
            "connection_string": "postgresql://agent:s3cret-Pa55@127.0.0.1:1/adl"}}}"#,
    )
    .unwrap();
    let run = adl(&[
        "run",
        agent.to_str().unwrap(),
        "--events",
        "fixtures/events/tool-event.json",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("adl: database: cannot connect to PostgreSQL"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("s3cret") && !run.stdout.contains("s3cret"),
        "{}",
        run.stderr
    );
}

#[test]
fn tool_commands_get_parameters_on_stdin_and_fail_on_nonzero_exit() {
    let dir = temp_agent(
        "tools",
        r#"{"tools": [{"name": "echo"}, {"name": "fail"}, {"name": "slow"}, {"name": "garbled"}],
            "events": {"subscriptions": [
              {"subscription_type": "direct", "event_name": "go", "handler": {"name": "echo_it", "handler_type": "tool_invocation", "tool_name": "echo", "parameters": {"n": "${event.data.n}"}}},
              {"subscription_type": "direct", "event_name": "go", "handler": {"name": "fail_it", "handler_type": "tool_invocation", "tool_name": "fail"}},
              {"subscription_type": "direct", "event_name": "go", "handler": {"name": "slow_it", "handler_type": "tool_invocation", "tool_name": "slow"}},
              {"subscription_type": "direct", "event_name": "go", "handler": {"name": "garbled_it", "handler_type": "tool_invocation", "tool_name": "garbled"}},
              {"subscription_type": "direct", "event_name": "error", "handler": {"handler_type": "notification", "notification_type": "error", "message": "${event.data.error_code}"}}],
              "timeout_ms": 1000}}"#,
    );
    let agent = dir.join("agent.json");
    let agent = agent.to_str().unwrap();
    let run = adl_with(
        &[
            "run",
            agent,
            "--events",
            "-",
            "--tool-command",
            "echo=cat",
            "--tool-command",
            "fail=echo 'no such host' >&2; exit 3",
            "--tool-command",
            "slow=sleep 5",
            "--tool-command",
            "garbled=echo not-json",
        ],
        Some(b"{\"id\": \"e\", \"event_type\": \"go\", \"data\": {\"n\": [1, 2]}}"),
        &[],
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    let action = |handler: &str| run.action(handler);
    assert_eq!(
        action("echo_it")["result"],
        serde_json::json!({"n": [1, 2]})
    );
    assert_eq!(
        action("fail_it")["error"],
        "`fail` exited with status 3: no such host"
    );
    assert_eq!(action("slow_it")["outcome"], "timeout");
    assert!(
        action("garbled_it")["error"]
            .as_str()
            .unwrap()
            .starts_with("`garbled` printed output that is not JSON")
    );
    let codes: Vec<_> = lines
        .iter()
        .filter(|l| l["handler_type"] == "notification")
        .map(|l| l["input"].clone())
        .collect();
    assert_eq!(codes, ["HANDLER_001", "TIMEOUT_001", "HANDLER_001"]);
}

#[test]
fn handler_commands_run_custom_handlers_and_the_rest_are_listed() {
    // Two subscriptions share the host handler `enricher`; `scorer` has no command.
    let dir = temp_agent(
        "handlers",
        r#"{"events": {"subscriptions": [
              {"subscription_type": "direct", "event_name": "lead", "handler": {"handler_type": "custom", "handler_name": "enricher", "parameters": {"source": "crm", "who": "${event.data.who}"}}},
              {"subscription_type": "direct", "event_name": "lead", "handler": {"handler_type": "custom", "handler_name": "enricher", "parameters": {"source": "web"}}},
              {"subscription_type": "direct", "event_name": "lead", "handler": {"name": "score", "handler_type": "custom", "handler_name": "scorer"}},
              {"subscription_type": "direct", "event_name": "lead", "handler": {"name": "slow", "handler_type": "custom", "handler_name": "sleeper"}},
              {"subscription_type": "direct", "event_name": "lead", "handler": {"name": "broken", "handler_type": "custom", "handler_name": "crasher"}}],
              "timeout_ms": 1000}}"#,
    );
    let agent = dir.join("agent.json");
    let agent = agent.to_str().unwrap();
    let run = adl_with(
        &[
            "run",
            agent,
            "--events",
            "-",
            "--handler-command",
            "enricher=cat",
            "--handler-command",
            "sleeper=sleep 5",
            "--handler-command",
            "crasher=echo 'lost the connection' >&2; exit 4",
        ],
        Some(b"{\"id\": \"l1\", \"event_type\": \"lead\", \"data\": {\"who\": \"ada\"}}"),
        &[],
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "custom handlers without a command fail when called: `scorer`; give each one with --handler-command NAME=CMD"
        ),
        "{}",
        run.stderr
    );
    let lines = run.json_lines();
    let action = |handler: &str| run.action(handler);
    // `cat` echoes the call: what the handler got on stdin.
    let call = action("/events/subscriptions/0/handler")["result"].clone();
    assert_eq!(call["handler_name"], "enricher");
    assert_eq!(call["handler"], "/events/subscriptions/0/handler");
    assert_eq!(
        call["parameters"],
        serde_json::json!({"source": "crm", "who": "ada"})
    );
    assert_eq!(call["event"]["id"], "l1");
    assert_eq!(call["event"]["data"], serde_json::json!({"who": "ada"}));
    let second = action("/events/subscriptions/1/handler")["result"].clone();
    assert_eq!(second["parameters"], serde_json::json!({"source": "web"}));
    assert_eq!(action("score")["outcome"], "error");
    assert_eq!(action("slow")["outcome"], "timeout");
    assert_eq!(
        action("broken")["error"],
        "`crasher` exited with status 4: lost the connection"
    );
    let errors: Vec<_> = lines
        .iter()
        .filter(|l| l["kind"] == "event" && l["event_type"] == "error")
        .map(|l| l["data"]["error_code"].clone())
        .collect();
    assert_eq!(errors, ["HANDLER_002", "TIMEOUT_001", "HANDLER_001"]);
}

#[test]
fn a_command_for_a_name_nothing_calls_is_a_usage_error() {
    let agent = "fixtures/seed/example-complex-event-flow.json";
    let events = "fixtures/run/complex-event-flow/events.ndjson";
    let tool = adl(&[
        "run",
        agent,
        "--events",
        events,
        "--memory",
        "--tool-command",
        "log_serch=cat",
    ]);
    assert_eq!(tool.code, 2);
    assert!(tool.stdout.is_empty(), "nothing ran: {}", tool.stdout);
    assert!(
        tool.stderr.contains(
            "--tool-command `log_serch`: no tool_invocation handler calls a tool of this name; did you mean `log_search`?"
        ),
        "{}",
        tool.stderr
    );
    let handler = adl(&[
        "run",
        agent,
        "--events",
        events,
        "--memory",
        "--handler-command",
        "enricher=cat",
    ]);
    assert_eq!(handler.code, 2);
    assert!(
        handler.stderr.contains(
            "--handler-command `enricher`: no custom handler of the agent has this `handler_name`"
        ),
        "{}",
        handler.stderr
    );
}

#[test]
fn a_successful_tools_stderr_is_passed_on_marked_with_its_name() {
    let run = adl(&[
        "run",
        "fixtures/seed/example-complex-event-flow.json",
        "--events",
        "fixtures/run/complex-event-flow/events.ndjson",
        "--memory",
        "--tool-command",
        "log_search=echo 'rate limited, retrying' >&2; echo '{\"hits\": 3}'",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("[tool log_search] rate limited, retrying"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("\"result\":{\"hits\":3}"),
        "{}",
        run.stdout
    );
}

#[test]
fn graph_draws_dot_and_mermaid() {
    let dot = snapshot_run(
        "graph-dot",
        &["graph", "fixtures/seed/example-complex-event-flow.json"],
    );
    assert_eq!(dot.code, 0);
    assert!(dot.stdout.starts_with("digraph agent {"));
    let mermaid = snapshot_run(
        "graph-mermaid",
        &[
            "graph",
            "--format",
            "mermaid",
            "fixtures/run/routing-conditional/agent.json",
        ],
    );
    assert_eq!(mermaid.code, 0);
    assert!(mermaid.stdout.starts_with("flowchart LR"));
}

#[test]
fn run_resumes_unfinished_events_unless_told_not_to() {
    let dir = std::env::temp_dir().join(format!("adl-resume-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("events.jsonl");
    // What a crashed run leaves: an accepted input never marked done, and a torn line.
    std::fs::write(
        &store,
        "{\"id\":\"left-1\",\"event_type\":\"job\",\"timestamp\":\"2026-02-16T10:00:00Z\",\"data\":{\"n\":1},\"status\":\"pending\",\"origin\":\"input\"}\n{\"id\":\"left-2\",\"event_ty",
    )
    .unwrap();
    let agent = dir.join("agent.json");
    std::fs::write(
        &agent,
        format!(
            r#"{{"events": {{"subscriptions": [{{"subscription_type": "direct", "event_name": "job",
                "handler": {{"name": "work", "handler_type": "notification", "notification_type": "info", "message": "n=${{event.data.n}}"}}}}],
                "timeout_ms": 1000, "persistence": {{"type": "file", "file_path": "{}"}}}}}}"#,
            store.display()
        ),
    )
    .unwrap();
    let agent = agent.to_str().unwrap();
    let skipped = adl(&[
        "run",
        agent,
        "--events",
        "fixtures/events/custom-event.json",
        "--no-resume",
    ]);
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);
    assert!(!skipped.stdout.contains("left-1"), "{}", skipped.stdout);
    let resumed = adl(&[
        "run",
        agent,
        "--events",
        "fixtures/events/custom-event.json",
    ]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(
        resumed
            .stdout
            .lines()
            .any(|l| l.contains("\"event_id\":\"left-1\"") && l.contains("\"replayed\":true")),
        "{}",
        resumed.stdout
    );
    assert!(
        resumed.stdout.contains("\"replayed\":1"),
        "{}",
        resumed.stdout
    );
    let again = adl(&[
        "run",
        agent,
        "--events",
        "fixtures/events/custom-event.json",
    ]);
    assert!(
        again.stdout.contains("\"replayed\":0"),
        "done events are not replayed twice: {}",
        again.stdout
    );
    // The first run that opened the file reported and cut off the torn line.
    assert!(
        skipped.stderr.contains("line 2 is incomplete"),
        "{}",
        skipped.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compile_speaks_of_the_source_for_every_invalid_fixture() {
    let root = support::workspace_root().join("fixtures/invalid");
    let mut checked = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let name = support::relative(&file);
            let check = adl(&["check", "--format", "json", &name]);
            let compile = adl(&["compile", &name]);
            // Warnings alone (the fixtures of warning rules) compile.
            let expected = i32::from(check.code != 0);
            assert_eq!(compile.code, expected, "{name}: {}", compile.stderr);
            assert!(
                !compile.stderr.contains("compiled graph"),
                "{name}: {}",
                compile.stderr
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} fixtures");
}

#[test]
fn run_and_compile_print_the_checkers_warnings_and_deny_them_on_request() {
    let dir = temp_project("run-warnings", "[rules]\nunused-option = \"allow\"\n");
    let agent = dir.join("agents/team/agent.json");
    // Two warnings: a dead handler, and an option synchronous mode ignores.
    let text = std::fs::read_to_string(&agent).unwrap().replacen(
        "\"events\": {",
        "\"events\": {\"queue_size\": 5, ",
        1,
    );
    std::fs::write(&agent, text).unwrap();
    assert!(
        adl(&["check", "--warn", "unused-option", agent.to_str().unwrap()])
            .stdout
            .contains("ADL206")
    );
    let agent = agent.to_str().unwrap();
    let compiled = adl(&["compile", agent]);
    assert_eq!(compiled.code, 0, "{}", compiled.stderr);
    assert!(compiled.stdout.contains("\"format\": \"adl-graph\""));
    assert!(
        compiled.stderr.contains("ADL305(dead-handler)"),
        "{}",
        compiled.stderr
    );
    assert!(
        !compiled.stderr.contains("ADL206"),
        "adl.toml allows it: {}",
        compiled.stderr
    );
    let denied = adl(&["compile", "--deny-warnings", agent]);
    assert_eq!(denied.code, 1);
    assert!(denied.stdout.is_empty(), "{}", denied.stdout);
    assert!(
        denied
            .stderr
            .contains("warnings are denied (--deny-warnings)")
    );
    let run = adl_with(
        &["run", agent, "--events", "-", "--deny-warnings"],
        Some(b"{}"),
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing ran: {}", run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn relative_store_paths_resolve_against_the_agent_files_directory() {
    let dir = std::env::temp_dir().join(format!("adl-relative-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, persistence, stored) in [
        (
            "file.json",
            r#"{"type": "file", "file_path": "state/events.jsonl"}"#,
            "state/events.jsonl",
        ),
        (
            "sqlite.json",
            r#"{"type": "database", "connection_string": "sqlite://state/events.db", "table_name": "events"}"#,
            "state/events.db",
        ),
    ] {
        let agent = dir.join(name);
        std::fs::write(
            &agent,
            format!(
                r#"{{"events": {{"processing_mode": "asynchronous", "timeout_ms": 100, "persistence": {persistence}}}}}"#
            ),
        )
        .unwrap();
        // The tests run in the workspace root: not the agent's directory.
        let run = adl_with(
            &["run", agent.to_str().unwrap(), "--events", "-"],
            Some(b"{\"id\": \"e1\", \"event_type\": \"ping\"}"),
            &[],
        );
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(
            dir.join(stored).is_file(),
            "{name}: no {stored} beside the agent"
        );
        assert!(
            !support::workspace_root().join("state").exists(),
            "{name}: resolved against the current directory"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn human_run_output_is_short_lines_and_a_summary_table() {
    let args = [
        "run",
        "fixtures/seed/example-complex-event-flow.json",
        "--events",
        "fixtures/run/complex-event-flow/events.ndjson",
        "--memory",
        "--format",
        "human",
    ];
    let run = adl_with(&args, None, &[("ADL_NOW", "2026-02-16T12:00:00Z")]);
    snapshot("run-human", &args, &run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("accepted   evt-1"), "{}", run.stdout);
    // An unnamed handler is shown by what it does, not by its pointer.
    assert!(
        run.stdout.contains("→ tool log_search ok"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("/events/handlers/0"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\nsummary\n  accepted    4\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'), "no colour when not asked");
    assert!(
        run.stderr.contains("adl: store: memory (--memory: nothing is kept after the run); nothing unfinished to replay"),
        "{}",
        run.stderr
    );
    let coloured = adl(&[
        "run",
        "fixtures/seed/example-complex-event-flow.json",
        "--events",
        "fixtures/run/complex-event-flow/events.ndjson",
        "--memory",
        "--format",
        "human",
        "--color",
        "always",
    ]);
    assert!(
        coloured.stdout.contains("\x1b[32mok\x1b[0m"),
        "{}",
        coloured.stdout
    );
    assert!(
        coloured.stdout.contains("\x1b[31merror\x1b[0m"),
        "{}",
        coloured.stdout
    );
}

#[test]
fn a_second_run_says_what_was_already_done() {
    let dir = temp_agent(
        "second-run",
        r#"{"events": {"processing_mode": "asynchronous", "timeout_ms": 100,
            "persistence": {"type": "database", "connection_string": "sqlite://events.db", "table_name": "events"},
            "subscriptions": [{"subscription_type": "direct", "event_name": "ping",
              "handler": {"name": "note", "handler_type": "notification", "notification_type": "info", "message": "got ${event.id}"}}]}}"#,
    );
    let agent = dir.join("agent.json");
    let args = [
        "run",
        agent.to_str().unwrap(),
        "--events",
        "-",
        "--format",
        "human",
    ];
    let input =
        b"{\"id\": \"p1\", \"event_type\": \"ping\"}\n{\"id\": \"p2\", \"event_type\": \"ping\"}\n";
    let first = adl_with(&args, Some(input), &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first
            .stdout
            .contains("→ note (notification info) ok  \"got p1\""),
        "{}",
        first.stdout
    );
    let second = adl_with(&args, Some(input), &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second
            .stdout
            .contains("duplicate  input 0 (p1): already stored, not processed again"),
        "{}",
        second.stdout
    );
    assert!(
        second
            .stdout
            .contains("duplicates  2  (ids already stored: skipped, not processed again)"),
        "{}",
        second.stdout
    );
    let store = dir.join("events.db");
    assert!(
        second.stderr.contains(&format!(
            "adl: store: SQLite database `{}`, table `events`; nothing unfinished to replay",
            store.display()
        )),
        "{}",
        second.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `PATH` with the `adl` under test first, as an installed `adl` would be.
fn path_with_adl() -> String {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_adl"))
        .parent()
        .unwrap()
        .to_owned();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn the_pre_commit_hooks_entry_checks_the_changed_files() {
    let root = support::workspace_root();
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("an entry");
    assert!(hooks.contains("id: adl-check"));
    // pre-commit runs the entry with the changed files appended.
    let run_hook = |files: &[&str]| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("{entry} \"$@\""))
            .arg("hook")
            .args(files)
            .current_dir(&root)
            .env("PATH", path_with_adl())
            .output()
            .unwrap()
    };
    let package = std::env::temp_dir().join(format!("adl-hook-{}.json", std::process::id()));
    std::fs::write(
        &package,
        r#"{"name": "web", "version": "1.0.0", "dependencies": {}}"#,
    )
    .unwrap();
    assert_eq!(
        run_hook(&["fixtures/valid/every-kind.json", package.to_str().unwrap()])
            .status
            .code(),
        Some(0),
        "other JSON files (a package.json) pass: unknown top-level keys are allowed"
    );
    std::fs::remove_file(&package).unwrap();
    assert_eq!(run_hook(&[INVALID]).status.code(), Some(1));
    assert_eq!(
        run_hook(&[WARNING_ONLY]).status.code(),
        Some(1),
        "warnings fail a commit"
    );
}

#[test]
fn the_github_actions_check_script_runs_with_the_actions_inputs() {
    let root = support::workspace_root();
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    // Every input the action passes is one the script reads.
    for variable in ["ADL_PATHS", "ADL_DENY_WARNINGS", "ADL_SARIF"] {
        assert!(
            action.contains(&format!("{variable}: ${{{{ inputs.")),
            "{variable}"
        );
        let script = std::fs::read_to_string(root.join("scripts/action/check.sh")).unwrap();
        assert!(script.contains(variable), "{variable}");
    }
    assert!(
        action.contains("scripts/action/install.sh")
            && root.join("scripts/action/install.sh").is_file()
    );
    let sarif = std::env::temp_dir().join(format!("adl-action-{}.sarif", std::process::id()));
    let check = |deny: &str| {
        Command::new(root.join("scripts/action/check.sh"))
            .current_dir(&root)
            .env("PATH", path_with_adl())
            .env("ADL_PATHS", format!("fixtures/valid {WARNING_ONLY}"))
            .env("ADL_DENY_WARNINGS", deny)
            .env("ADL_SARIF", &sarif)
            .output()
            .unwrap()
    };
    let lenient = check("false");
    let stdout = String::from_utf8_lossy(&lenient.stdout);
    assert_eq!(lenient.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("::warning file=fixtures/invalid/ADL206"),
        "{stdout}"
    );
    #[allow(clippy::disallowed_methods, reason = "reading our own SARIF")]
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(report["version"], "2.1.0");
    let results = report["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "ADL206"),
        "{results:?}"
    );
    assert!(
        results.iter().all(|r| r["level"] != "error"),
        "valid fixtures give notes at most: {results:?}"
    );
    assert_eq!(check("true").status.code(), Some(1), "warnings denied");
    std::fs::remove_file(&sarif).unwrap();
}

#[test]
fn dsl_files_are_refused_by_name_and_skipped_in_directories() {
    let dir = temp_agent(
        "dsl",
        &std::fs::read_to_string(support::workspace_root().join("fixtures/valid/every-kind.json"))
            .unwrap(),
    );
    std::fs::write(dir.join("agent.adl"), "agent Support {\n}\n").unwrap();
    let scan = adl(&["check", dir.to_str().unwrap()]);
    assert_eq!(scan.code, 0, "{}", scan.stdout);
    assert!(
        scan.stdout.contains("Checked 1 file"),
        "the `.adl` file is skipped: {}",
        scan.stdout
    );

    let named = dir.join("agent.adl");
    let check = adl(&["check", named.to_str().unwrap()]);
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.contains("ADL107(unsupported-format)"),
        "{}",
        check.stdout
    );
    let run = adl(&["run", named.to_str().unwrap(), "--memory", "--events", "-"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("ADL DSL source"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn yaml_is_read_by_extension_or_flag_and_scanned_only_as_adl_yaml() {
    let yaml = std::fs::read_to_string(
        support::workspace_root().join("fixtures/valid/whole-v2-yaml.yaml"),
    )
    .unwrap();
    let dir = temp_agent("yaml", "{}");
    std::fs::remove_file(dir.join("agent.json")).unwrap();
    std::fs::write(dir.join("notifier.adl.yaml"), &yaml).unwrap();
    // Other YAML in a tree (CI files, compose files) is not an agent definition.
    std::fs::write(dir.join("ci.yml"), "on: push\n").unwrap();
    let scan = adl(&["check", dir.to_str().unwrap()]);
    assert_eq!(scan.code, 0, "{}", scan.stdout);
    assert!(
        scan.stdout.contains("Checked 1 file: no problems found"),
        "{}",
        scan.stdout
    );

    let piped = adl_with(
        &["check", "--input-format", "yaml", "-"],
        Some(yaml.as_bytes()),
        &[],
    );
    assert_eq!(piped.code, 0, "{}", piped.stdout);
    let as_json = adl_with(&["check", "-"], Some(yaml.as_bytes()), &[]);
    assert_eq!(
        as_json.code, 1,
        "standard input is JSON unless told: {}",
        as_json.stdout
    );

    // A YAML agent compiles to the same JSON graph and runs.
    let agent = dir.join("notifier.adl.yaml");
    let compiled = adl(&["compile", agent.to_str().unwrap()]);
    assert_eq!(compiled.code, 0, "{}", compiled.stderr);
    #[allow(clippy::disallowed_methods, reason = "reading our own graph")]
    let graph: serde_json::Value = serde_json::from_str(&compiled.stdout).unwrap();
    assert_eq!(graph["agent"]["identity"]["agent_id"], "order-notifier");
    let events =
        r#"{"event_type":"order.shipped","data":{"email":"a@example.com","order_id":"42"}}"#;
    let run = adl_with(
        &[
            "run",
            agent.to_str().unwrap(),
            "--memory",
            "--events",
            "-",
            "--format",
            "json",
        ],
        Some(format!("{events}\n").as_bytes()),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Your order 42 is on its way."),
        "{}",
        run.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--fix` rewrites only the bytes of each mistake (the layout is kept),
/// says what it fixed, and reports what remains; `--fix --diff` shows the
/// same changes and writes nothing.
#[test]
fn fix_rewrites_only_the_mistakes_and_diff_previews_them() {
    let original = std::fs::read_to_string(
        support::workspace_root()
            .join("fixtures/invalid/ADL205-unknown-variant/misspelled-kind-is-still-checked.json"),
    )
    .unwrap();
    let dir = temp_agent("fix", &original);
    let agent = dir.join("agent.json");
    let agent = agent.to_str().unwrap();
    let preview = adl(&["check", "--fix", "--diff", agent]);
    assert_eq!(preview.code, 1, "changes to make: {}", preview.stderr);
    assert!(preview.stdout.contains("-        \"subscription_type\": \"filterd\",\n+        \"subscription_type\": \"filtered\",\n"), "{}", preview.stdout);
    assert!(
        preview.stdout.contains("\"operator\": \"equals\""),
        "{}",
        preview.stdout
    );
    assert_eq!(
        std::fs::read_to_string(agent).unwrap(),
        original,
        "--diff writes nothing"
    );
    let fixed = adl(&["check", "--fix", agent]);
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    assert_eq!(
        fixed.stderr.matches("adl: fixed ").count(),
        2,
        "{}",
        fixed.stderr
    );
    let expected = original
        .replace("\"filterd\"", "\"filtered\"")
        .replace("\"equal\"", "\"equals\"");
    assert_eq!(std::fs::read_to_string(agent).unwrap(), expected);
    let again = adl(&["check", "--fix", "--diff", agent]);
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, ""),
        "nothing left to fix"
    );
    let stdin = adl_with(&["check", "--fix", "-"], Some(b"{}"), &[]);
    assert_eq!(stdin.code, 2, "{}", stdin.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The diagnostics `adl check --format json` reports for one file.
fn diagnostics_of(path: &str) -> Vec<serde_json::Value> {
    let run = adl(&["check", "--format", "json", path]);
    #[allow(clippy::disallowed_methods, reason = "adl's own JSON")]
    let mut report: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", run.stdout, run.stderr));
    match report["files"][0]["diagnostics"].take() {
        serde_json::Value::Array(diagnostics) => diagnostics,
        other => panic!("no diagnostics array: {other}"),
    }
}

/// A whole agent with the mistakes authors make together (a misspelled
/// mode, kind, operator, handler reference and key): one `adl check` finds
/// each once, with no follow-on finding (no missing field for the misspelled
/// key, no dead handler for the misspelled reference, no option "unused"
/// against the misspelled mode), and one `--fix` leaves it clean.
#[test]
fn every_mistake_of_an_agent_is_found_in_one_round_and_fixed_in_one() {
    let fixture = "fixtures/invalid/ADL303-unknown-handler/every-mistake-in-one-round.json";
    let found: Vec<(String, String)> = diagnostics_of(fixture)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["pointer"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("ADL203", "/events/procesing_mode"),
        ("ADL205", "/events/subscriptions/0/subscription_type"),
        ("ADL205", "/events/subscriptions/0/filter/operator"),
        ("ADL303", "/events/subscriptions/0/handler"),
        ("ADL203", "/events/handlers/1/mesage"),
    ];
    assert_eq!(
        found,
        expected.map(|(code, pointer)| (code.to_owned(), pointer.to_owned())),
    );
    let text = std::fs::read_to_string(support::workspace_root().join(fixture)).unwrap();
    let dir = temp_agent("one-round", &text);
    let agent = dir.join("agent.json");
    let fixed = adl(&["check", "--fix", agent.to_str().unwrap()]);
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    assert_eq!(
        fixed.stderr.matches("adl: fixed ").count(),
        5,
        "{}",
        fixed.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every fixture whose finding carries a certain fix: after `--fix`, the file
/// checks without a fixable finding of that rule, and with fewer of them.
#[test]
fn fix_round_trips_every_fixture_with_a_certain_fix() {
    let dir = std::env::temp_dir().join(format!("adl-fix-all-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let findings = |path: &str, rule: &str| -> (usize, usize) {
        let of_rule: Vec<serde_json::Value> = diagnostics_of(path)
            .into_iter()
            .filter(|d| d["code"] == rule)
            .collect();
        (
            of_rule.len(),
            of_rule.iter().filter(|d| !d["fix"].is_null()).count(),
        )
    };
    let mut fixed = 0;
    for entry in std::fs::read_dir(support::workspace_root().join("fixtures/invalid")).unwrap() {
        let rule_dir = entry.unwrap().path();
        let rule = rule_dir.file_name().unwrap().to_string_lossy()[..6].to_owned();
        for file in std::fs::read_dir(&rule_dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "snap") {
                continue;
            }
            let copy = dir.join(path.file_name().unwrap());
            std::fs::copy(&path, &copy).unwrap();
            let copy = copy.to_str().unwrap();
            let (before, fixable) = findings(copy, &rule);
            if fixable == 0 {
                continue;
            }
            let run = adl(&["check", "--fix", copy]);
            assert_ne!(run.code, 2, "{}: {}", path.display(), run.stderr);
            let (after, still_fixable) = findings(copy, &rule);
            assert_eq!(
                still_fixable,
                0,
                "{}: a fix of {rule} is left",
                path.display()
            );
            assert!(
                after < before,
                "{}: {rule} {before} → {after}",
                path.display()
            );
            fixed += 1;
        }
    }
    assert!(fixed >= 15, "only {fixed} fixtures have a certain fix");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--until-idle` is for a broker: with a file it is a usage error, not
/// silently ignored.
#[test]
fn until_idle_with_a_file_is_a_usage_error() {
    let run = adl(&[
        "run",
        "fixtures/run/complex-event-flow-sqlite/agent.json",
        "--events",
        "fixtures/run/complex-event-flow-sqlite/events.ndjson",
        "--memory",
        "--until-idle",
        "1s",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--until-idle applies to a NATS source"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing ran: {}", run.stdout);
}
