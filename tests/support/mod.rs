//! Shared by the integration tests: workspace paths and golden-file comparison.
#![allow(dead_code)]

use std::fmt::Write as _;

use std::path::{Path, PathBuf};

/// The workspace root (tests are registered by `crates/adl`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// `path` relative to the workspace root, with forward slashes.
pub fn relative(path: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
    };
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    absolute
        .strip_prefix(workspace_root())
        .unwrap_or(&absolute)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every `*.json` file below `dir` (relative to the workspace root), sorted.
pub fn json_files(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("a readable directory")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&workspace_root().join(dir), &mut out);
    out
}

/// Whether golden files should be rewritten (`ADL_UPDATE=1 cargo test`).
pub fn updating() -> bool {
    std::env::var_os("ADL_UPDATE").is_some_and(|v| v == "1")
}

/// Compares `actual` with the golden file at `path`, or rewrites it under
/// `ADL_UPDATE=1`. A missing or different golden file is a failure that shows
/// the difference and writes `<path>.new` for review.
pub fn assert_golden(path: &Path, actual: &str) -> Result<(), String> {
    if updating() {
        std::fs::write(path, actual)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        let _ = std::fs::remove_file(path.with_extension("snap.new"));
        return Ok(());
    }
    let _ = std::fs::write(path.with_extension("snap.new"), actual);
    Err(format!(
        "{} does not match (actual output written beside it as .snap.new; \
         run `ADL_UPDATE=1 cargo test` to accept):\n{}",
        relative(path),
        line_diff(&expected, actual)
    ))
}

/// A minimal line diff: the first differing lines with context.
fn line_diff(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let first = expected
        .iter()
        .zip(&actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    let mut out = String::new();
    let from = first.saturating_sub(2);
    for line in expected.iter().skip(from).take(8) {
        let _ = writeln!(out, "- {line}");
    }
    for line in actual.iter().skip(from).take(8) {
        let _ = writeln!(out, "+ {line}");
    }
    out
}
