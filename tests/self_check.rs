//! The project checks itself: generated files are current, every rule has a
//! fixture, the JSON Schema never rejects what the parser accepts, and SARIF
//! output is valid SARIF 2.1.0.
//!
//! `ADL_UPDATE=1 cargo test --test self_check` rewrites the generated files.

#![allow(
    clippy::unwrap_used,
    reason = "a broken fixture or workspace should fail the test loudly"
)]

mod support;

use std::path::PathBuf;

use adl::render::{FileReport, sarif};

fn fixture_files(dir: &str) -> Vec<PathBuf> {
    support::json_files(dir)
}

fn assert_file_current(relative_path: &str, actual: &str) {
    let path = support::workspace_root().join(relative_path);
    if support::updating() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{relative_path} is stale: run `ADL_UPDATE=1 cargo test --test self_check` and commit the result"
    );
}

#[test]
fn checked_in_schemas_are_current() {
    use adl_parser::schema::{agent_schema, events_schema, to_pretty};
    assert_file_current("schemas/agent.schema.json", &to_pretty(&agent_schema()));
    assert_file_current("schemas/events.schema.json", &to_pretty(&events_schema()));
}

#[test]
fn diagnostics_reference_is_current() {
    assert_file_current("docs/diagnostics.md", &adl::docs::diagnostics_markdown());
}

/// Rules that cannot have a checked-in fixture, and why.
const WITHOUT_FIXTURE: &[(&str, &str)] = &[(
    "ADL106",
    "a 16 MiB file does not belong in the repository: tests/cli.rs generates one (huge_file_is_refused)",
)];

#[test]
fn every_rule_has_an_invalid_fixture() {
    let invalid = support::workspace_root().join("fixtures/invalid");
    for rule in adl_checker::RULES.iter() {
        if WITHOUT_FIXTURE.iter().any(|(code, _)| *code == rule.code) {
            continue;
        }
        let dir = invalid.join(format!("{}-{}", rule.code, rule.name));
        let cases = std::fs::read_dir(&dir).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    e.path()
                        .extension()
                        .is_some_and(|x| x == "json" || x == "adl" || x == "yaml")
                })
                .count()
        });
        assert!(
            cases > 0,
            "{} has no fixture in {}",
            rule.code,
            support::relative(&dir)
        );
    }
}

/// Where the parser is stricter than the JSON Schema, by design: the schema
/// accepts these, the parser reports them as errors.
const PARSER_STRICTER: &[(&str, &str)] = &[
    (
        "ADL101",
        "not JSON at all: the schema validator never sees it",
    ),
    ("ADL102", "not UTF-8: the schema validator never sees it"),
    ("ADL103", "empty file: nothing to validate"),
    (
        "ADL104",
        "JSON parsers keep the last duplicate key silently, so the schema sees one value",
    ),
    ("ADL105", "depth is not a JSON Schema notion"),
    ("ADL201", "both layouts at once: each is valid on its own"),
    (
        "ADL205",
        "a `schedule` other than `cron` beside an `expression`: the schema allows any `schedule` string, because older files write the cron expression there",
    ),
    (
        "ADL204",
        "a condition's `value` may be left out only with `exists`, and an agent's required sections depend on its version and layout: the schema makes them optional",
    ),
    (
        "ADL213",
        "the schema accepts any `N.N.N`; which majors exist is adl's knowledge",
    ),
    ("ADL219", "two ids that differ: a schema compares no values"),
];

#[test]
#[allow(
    clippy::disallowed_methods,
    reason = "the differential test wants serde_json's own reading"
)]
fn schema_rejection_implies_a_parser_error() {
    let schema = adl_parser::schema::agent_schema();
    let validator = jsonschema::validator_for(&schema).expect("the generated schema compiles");
    let mut compared = 0;
    for path in ["fixtures/valid", "fixtures/invalid", "fixtures/seed"]
        .iter()
        .flat_map(|d| fixture_files(d))
    {
        let bytes = std::fs::read(&path).unwrap();
        // The parser alone: semantic rules are beyond what a schema can say.
        let parsed = adl_parser::parse(&bytes);
        let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
        let name = support::relative(&path);
        let Ok(instance) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            continue;
        };
        compared += 1;
        let schema_errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        if schema_errors.is_empty() {
            for error in errors {
                assert!(
                    PARSER_STRICTER
                        .iter()
                        .any(|(code, _)| *code == error.rule.code),
                    "{name}: the parser reports {} ({}) but the schema accepts the file; \
                     tighten the schema or document the case in PARSER_STRICTER",
                    error.rule.code,
                    error.message
                );
            }
        } else {
            assert!(
                !errors.is_empty(),
                "{name}: the schema rejects it ({schema_errors:?}) but the parser reports no error"
            );
        }
    }
    assert!(compared > 50, "only {compared} fixtures were compared");
}

// The official schema's `language` patterns have a stray `]` that the
// validator's regex dialect refuses; adl never writes `language`, so they are
// replaced by what they mean (a 2-letter language, optional region).
fn mend_language_patterns(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "pattern" && child.as_str().is_some_and(|p| p.ends_with("]?$")) {
                    *child = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                } else {
                    mend_language_patterns(child);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mend_language_patterns),
        _ => {}
    }
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let schema_text =
        std::fs::read(support::workspace_root().join("tests/data/sarif-schema-2.1.0.json"))
            .unwrap();
    #[allow(
        clippy::disallowed_methods,
        reason = "the SARIF schema is trusted test data"
    )]
    let mut schema: serde_json::Value = serde_json::from_slice(&schema_text).unwrap();
    mend_language_patterns(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let reports: Vec<FileReport> = fixture_files("fixtures/invalid")
        .iter()
        .map(|path| {
            let report = adl_checker::check(
                &std::fs::read(path).unwrap(),
                &adl_checker::CheckOptions::default(),
            );
            FileReport {
                name: support::relative(path),
                text: report.redacted_text(),
                diagnostics: report.diagnostics,
            }
        })
        .collect();
    let output = sarif(&reports);
    #[allow(clippy::disallowed_methods, reason = "our own output")]
    let instance: serde_json::Value = serde_json::from_str(&output).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
    let results = instance["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 50, "SARIF output lost results");
}

/// Every test that needs PostgreSQL is ignored without a configured server
/// (`cfg(adl_postgres)`, set by `build.rs`), so that it is never reported as
/// passed when it did not run.
#[test]
fn postgresql_tests_are_ignored_without_a_server() {
    let root = support::workspace_root();
    let mut files = Vec::new();
    for dir in [
        "tests",
        "crates/adl_runtime/src",
        "crates/adl_runtime/tests",
    ] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
    }
    let mut checked = 0;
    let mut unguarded = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if !(trimmed.starts_with("#[test]") || trimmed.starts_with("#[tokio::test")) {
                continue;
            }
            let indent = line.len() - trimmed.len();
            // The test: its attributes, then its body up to the closing brace
            // at the attribute's indentation.
            let end = lines[i + 1..]
                .iter()
                .position(|l| {
                    l.len() > indent
                        && l.starts_with(&" ".repeat(indent))
                        && l[indent..].starts_with('}')
                })
                .map_or(lines.len(), |p| i + 1 + p);
            let source = lines[i..end].join("\n");
            if !source.contains("ADL_TEST_POSTGRES_URL")
                && !source.contains("postgres()")
                && !source.contains("postgres_url()")
            {
                continue;
            }
            checked += 1;
            if !source.contains("not(adl_postgres)") {
                unguarded.push(format!("{}:{}", support::relative(&file), i + 1));
            }
        }
    }
    assert!(checked >= 7, "found only {checked} PostgreSQL tests");
    assert!(
        unguarded.is_empty(),
        "PostgreSQL tests without `cfg_attr(not(adl_postgres), ignore)`: {unguarded:?}"
    );
}

/// Every test of the NATS source is ignored without a configured server
/// (`cfg(adl_nats)`, set by `build.rs`): never reported as passed unrun.
#[test]
fn nats_tests_are_ignored_without_a_server() {
    let text = std::fs::read_to_string(support::workspace_root().join("tests/nats.rs")).unwrap();
    let tests = text.matches("#[test]").count();
    let guarded = text
        .matches("#[cfg_attr(not(adl_nats), ignore = \"needs NATS: set ADL_TEST_NATS_URL\")]")
        .count();
    assert!(tests >= 9, "found only {tests} NATS tests");
    assert_eq!(
        guarded, tests,
        "NATS tests without `cfg_attr(not(adl_nats), ignore)`"
    );
}

/// The help of `events-array-dialect` is a v2 block an author can paste: with
/// the document's tools it checks with no error, and it keeps every action.
#[test]
#[allow(
    clippy::disallowed_methods,
    reason = "reading the fixture and adl's own help text"
)]
fn the_array_dialect_rewrite_is_a_valid_events_block() {
    let mut rewritten = 0;
    for path in fixture_files("fixtures/invalid/ADL217-events-array-dialect") {
        let bytes = std::fs::read(&path).unwrap();
        let report = adl_checker::check(&bytes, &adl_checker::CheckOptions::default());
        let help = report
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "ADL217")
            .and_then(|d| d.help.clone())
            .expect("the dialect error carries its rewrite");
        let (_, block) = help.split_once('\n').expect("a heading, then the block");
        let block: serde_json::Value = serde_json::from_str(block).expect("the rewrite is JSON");
        let original: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let actions: usize = original["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| item["subscription"]["enabled"] != false)
            .map(|item| item["actions"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(
            block["subscriptions"].as_array().map(Vec::len),
            Some(actions),
            "{}: one subscription per action",
            path.display()
        );
        let fragment = serde_json::json!({"tools": original["tools"], "events": block});
        let checked = adl_checker::check(
            fragment.to_string().as_bytes(),
            &adl_checker::CheckOptions::default(),
        );
        let errors: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {} {}", d.rule.code, d.pointer, d.message))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        rewritten += 1;
    }
    assert!(rewritten > 0, "no dialect fixture was found");
}
