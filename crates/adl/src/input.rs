//! Finding and reading the files to check.

use std::io::Read;
use std::path::{Path, PathBuf};

use adl_parser::json::MAX_FILE_SIZE;

/// One document to check: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    /// The name shown in every output: the path as given (forward slashes), or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            Source::File(path) => path.to_string_lossy().replace('\\', "/"),
            Source::Stdin => "<stdin>".to_owned(),
        }
    }

    /// Reads at most one byte more than the parser accepts, so a huge file is
    /// refused by the parser (`file-too-large`) without being read whole.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        let limit = MAX_FILE_SIZE as u64 + 1;
        match self {
            Source::File(path) => std::fs::File::open(path)?
                .take(limit)
                .read_to_end(&mut bytes)?,
            Source::Stdin => std::io::stdin()
                .lock()
                .take(limit)
                .read_to_end(&mut bytes)?,
        };
        Ok(bytes)
    }
}

/// A path that could not be used, with the reason.
#[derive(Debug)]
pub struct InputError {
    pub path: String,
    pub reason: String,
}

/// Expands the command-line paths: files as given, directories searched
/// recursively for `*.json`, `*.adl.yaml` and `*.adl.yml` (hidden entries
/// skipped, sorted), `-` for stdin.
pub fn collect_sources(paths: &[PathBuf]) -> (Vec<Source>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let before = sources.len();
                if let Err(error) = walk(path, &mut sources) {
                    errors.push(InputError {
                        path: path.display().to_string(),
                        reason: error.to_string(),
                    });
                } else if sources.len() == before {
                    errors.push(InputError {
                        path: path.display().to_string(),
                        reason: "no `*.json` (or `*.adl.yaml`) files in this directory".to_owned(),
                    });
                }
            }
            Ok(_) => sources.push(Source::File(path.clone())),
            Err(error) => errors.push(InputError {
                path: path.display().to_string(),
                reason: io_reason(&error),
            }),
        }
    }
    (sources, errors)
}

fn walk(dir: &Path, sources: &mut Vec<Source>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            walk(&path, sources)?;
        } else if is_scanned(&path) {
            sources.push(Source::File(path));
        }
    }
    Ok(())
}

/// Whether a directory scan checks the file: `*.json`, and YAML named as an
/// agent definition (`*.adl.yaml`, `*.adl.yml`; other YAML is CI, compose…).
fn is_scanned(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    [".json", ".adl.yaml", ".adl.yml"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// A lower-case reason without the OS error number.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ => {
            let text = error.to_string();
            text.split(" (os error")
                .next()
                .unwrap_or(&text)
                .to_lowercase()
        }
    }
}
