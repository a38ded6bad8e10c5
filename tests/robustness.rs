//! The parser never panics and never fails silently, whatever the input:
//! every prefix of every fixture (a truncated file), corrupted bytes, and the
//! deepest nesting allowed, on a thread with the default stack size.

#![allow(
    clippy::unwrap_used,
    reason = "a broken fixture or workspace should fail the test loudly"
)]

mod support;

use std::path::PathBuf;

use adl_parser::Syntax;

/// Every JSON and YAML fixture, with its bytes and syntax.
fn fixtures() -> Vec<(PathBuf, Vec<u8>, Syntax)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(PathBuf, Vec<u8>, Syntax)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
                let bytes = std::fs::read(&path).unwrap();
                let syntax = Syntax::of_path(&path);
                out.push((path, bytes, syntax));
            }
        }
    }
    let mut out = Vec::new();
    walk(&support::workspace_root().join("fixtures"), &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn check(bytes: &[u8]) -> adl_checker::CheckReport {
    check_as(bytes, Syntax::Json)
}

fn check_as(bytes: &[u8], syntax: Syntax) -> adl_checker::CheckReport {
    adl_checker::check(
        bytes,
        &adl_checker::CheckOptions {
            explain_defaults: true,
            syntax,
            ..adl_checker::CheckOptions::default()
        },
    )
}

/// The codes `text` gets, checked on a thread with the default 2 MiB stack.
fn codes_on_a_default_stack(text: String, syntax: Syntax) -> Vec<&'static str> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            check_as(text.as_bytes(), syntax)
                .diagnostics
                .iter()
                .map(|d| d.rule.code)
                .collect()
        })
        .unwrap()
        .join()
        .expect("no stack overflow")
}

/// A truncated JSON file is always an error; a truncated YAML file may be
/// valid YAML (a plain scalar cut short), so for YAML only the spans are held.
#[test]
fn every_truncation_of_a_valid_file_is_an_error_with_a_span_inside_the_file() {
    for (path, bytes, syntax) in fixtures() {
        let full = check_as(&bytes, syntax);
        if full.has_errors() {
            continue;
        }
        let trimmed_len = bytes.trim_ascii_end().len();
        for cut in 0..trimmed_len {
            let report = check_as(&bytes[..cut], syntax);
            assert!(
                report.has_errors() || syntax == Syntax::Yaml,
                "{} cut at byte {cut} reports no error",
                support::relative(&path)
            );
            for d in &report.diagnostics {
                assert!(
                    d.primary.span.end as usize <= cut,
                    "span past the end of the input"
                );
            }
        }
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    // Deterministic pseudo-random corruption (xorshift): replace, insert, delete.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let specials = b"{}[]\",:\\ \n\x00\xff\xc3tfn0-.eE";
    for (_, bytes, syntax) in fixtures() {
        if bytes.is_empty() {
            continue;
        }
        for _ in 0..200 {
            let mut mutated = bytes.clone();
            for _ in 0..=(next() % 3) {
                let at = (next() as usize) % mutated.len().max(1);
                let byte = specials[(next() as usize) % specials.len()];
                match next() % 3 {
                    0 if !mutated.is_empty() => mutated[at] = byte,
                    1 => mutated.insert(at.min(mutated.len()), byte),
                    _ if !mutated.is_empty() => {
                        mutated.remove(at);
                    }
                    _ => {}
                }
            }
            let report = check_as(&mutated, syntax);
            let text_len = report.parsed.document.text().len();
            for d in &report.diagnostics {
                assert!(d.primary.span.start <= d.primary.span.end);
                assert!(d.primary.span.end as usize <= text_len.max(mutated.len()));
            }
        }
    }
}

#[test]
fn deepest_allowed_composite_nesting_fits_a_default_thread_stack() {
    // 127 composite levels use 254 JSON levels (object + array each), the most under the limit.
    let mut trigger = r#"{"trigger_type": "event", "event_name": "x"}"#.to_owned();
    for _ in 0..126 {
        trigger = format!(
            r#"{{"trigger_type": "composite", "operator": "or", "triggers": [{trigger}]}}"#
        );
    }
    let agent = format!(r#"{{"events": {{"triggers": [{trigger}]}}}}"#);
    let outcome = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || check(agent.as_bytes()).has_errors())
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(!outcome, "the nesting is allowed");
}

#[test]
fn yaml_nested_past_the_limit_is_reported_without_overflowing_the_stack() {
    let block = |depth: usize| {
        let mut text = String::new();
        for level in 0..depth {
            text.push_str(&" ".repeat(level));
            text.push_str("k:\n");
        }
        text
    };
    let flow = |depth: usize| format!("a: {}1{}", "[".repeat(depth), "]".repeat(depth));
    for text in [flow(257), flow(100_000), block(300), block(5_000)] {
        assert_eq!(codes_on_a_default_stack(text, Syntax::Yaml), ["ADL105"]);
    }
}

#[test]
fn nesting_one_level_too_deep_is_reported_once() {
    let text = format!("{}{}", "[".repeat(257), "]".repeat(257));
    let report = check(text.as_bytes());
    let codes: Vec<_> = report.diagnostics.iter().map(|d| d.rule.code).collect();
    assert_eq!(codes, ["ADL105"]);
    let ok = format!("{{\"a\": {}{}}}", "[".repeat(255), "]".repeat(255));
    assert!(
        !check(ok.as_bytes())
            .diagnostics
            .iter()
            .any(|d| d.rule.code == "ADL105")
    );
}

#[test]
fn long_cascade_chain_is_checked_without_exhausting_the_stack() {
    // h0 calls t0, a subscription on t0 runs h1, which calls t1, …, and the last
    // handler's tool feeds h0 again: one cycle through 20,000 handlers.
    let count = 20_000;
    let mut subscriptions = Vec::new();
    for i in 0..count {
        let next = (i + 1) % count;
        subscriptions.push(format!(
            r#"{{"subscription_type": "filtered", "event_name": "tool_invocation",
               "filter": {{"field": "tool_name", "operator": "equals", "value": "t{i}"}},
               "handler": {{"name": "h{next}", "handler_type": "tool_invocation", "tool_name": "t{next}"}}}}"#
        ));
    }
    let agent = format!(
        r#"{{"events": {{"timeout_ms": 10, "subscriptions": [{}]}}}}"#,
        subscriptions.join(",")
    );
    let codes = codes_on_a_default_stack(agent, Syntax::Json);
    assert_eq!(
        codes.iter().filter(|c| **c == "ADL601").count(),
        1,
        "one unbounded cycle: {codes:?}"
    );
}
