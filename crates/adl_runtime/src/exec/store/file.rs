//! `persistence.type: file`: JSON Lines, appended, rotated by period.
//!
//! Each event is one line (the envelope plus `status` and `origin`); finishing an
//! event appends a `{"done": ID}` line. Appends of input events end with
//! `fsync` (one per call: a whole batch in batch mode), so an acknowledged event
//! survives a crash; `done` lines are flushed but not synced — losing one only
//! means the event is replayed (at-least-once). On open, the files are scanned for
//! inputs accepted but not done; a torn last line left by a crash is reported,
//! cut off, and never fatal.

use arcstr::Substr;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use super::{EventStore, Origin, Recovery, Status, StoreError, StoredEvent};
use crate::exec::BoxFuture;
use crate::graph::Rotation;

/// JSON Lines event store.
pub struct FileStore {
    base: PathBuf,
    rotation: Rotation,
    now: Box<dyn Fn() -> jiff::Timestamp + Send + Sync>,
    writer: Mutex<Writer>,
    recovery: Mutex<Option<Recovery>>,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore")
            .field("base", &self.base)
            .field("rotation", &self.rotation)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct Writer {
    period: String,
    file: File,
}

fn error(path: &Path, what: &str, e: &std::io::Error) -> StoreError {
    StoreError(format!("cannot {what} `{}`: {e}", path.display()))
}

impl FileStore {
    /// Opens (creating directories and file as needed) and scans for recovery.
    pub fn open(base: impl Into<PathBuf>, rotation: Rotation) -> Result<Self, StoreError> {
        Self::open_with_clock(base, rotation, jiff::Timestamp::now)
    }

    /// [`FileStore::open`] with the clock that picks the rotation period.
    pub fn open_with_clock(
        base: impl Into<PathBuf>,
        rotation: Rotation,
        now: impl Fn() -> jiff::Timestamp + Send + Sync + 'static,
    ) -> Result<Self, StoreError> {
        let base = base.into();
        if let Some(dir) = base.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| error(dir, "create the directory", &e))?;
        }
        let files = files_of(&base)?;
        let mut recovery = Recovery::default();
        for path in &files {
            scan(path, &mut recovery)?;
        }
        recovery.pending = pending_only(recovery.pending, &recovery_done(&files)?);
        let period = period_of(rotation, now());
        let file = open_append(&path_for(&base, &period))?;
        Ok(Self {
            base,
            rotation,
            now: Box::new(now),
            writer: Mutex::new(Writer { period, file }),
            recovery: Mutex::new(Some(recovery)),
        })
    }

    /// The file a period's events go to: `events.json` → `events.2026-02-16.json`.
    pub fn path_for(&self, period: &str) -> PathBuf {
        path_for(&self.base, period)
    }

    fn writer(&self) -> MutexGuard<'_, Writer> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self, text: &str, sync: bool) -> Result<(), StoreError> {
        let mut writer = self.writer();
        let period = period_of(self.rotation, (self.now)());
        if period != writer.period {
            let path = self.path_for(&period);
            writer.file = open_append(&path)?;
            writer.period = period;
        }
        let path = self.path_for(&writer.period);
        writer
            .file
            .write_all(text.as_bytes())
            .map_err(|e| error(&path, "write", &e))?;
        if sync {
            writer
                .file
                .sync_data()
                .map_err(|e| error(&path, "sync", &e))?;
        }
        Ok(())
    }
}

/// The file a period's events go to: `events.json` → `events.2026-02-16.json`.
fn path_for(base: &Path, period: &str) -> PathBuf {
    if period.is_empty() {
        return base.to_path_buf();
    }
    let stem = base.file_stem().unwrap_or_default().to_string_lossy();
    let name = match base.extension() {
        Some(ext) => format!("{stem}.{period}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{period}"),
    };
    base.with_file_name(name)
}

/// The rotation period of `now` (UTC): `2026-02-16`, `2026-W07`, `2026-02`, or none.
fn period_of(rotation: Rotation, now: jiff::Timestamp) -> String {
    let format = match rotation {
        Rotation::None => return String::new(),
        Rotation::Daily => "%Y-%m-%d",
        Rotation::Weekly => "%G-W%V",
        Rotation::Monthly => "%Y-%m",
    };
    now.strftime(format).to_string()
}

/// Every file of this store, oldest first: the base file, then rotated ones.
fn files_of(base: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let dir = match base.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stem = base
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let ext = base
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()));
    let base_name = base
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut rotated = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(error(&dir, "list", &e)),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&format!("{stem}.")) else {
            continue;
        };
        let period = match &ext {
            Some(ext) => rest.strip_suffix(ext.as_str()),
            None => Some(rest),
        };
        if period.is_some_and(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'-' || b == b'W')
        }) {
            rotated.push(name);
        }
    }
    rotated.sort();
    let mut files = Vec::new();
    if dir.join(&base_name).exists() {
        files.push(dir.join(&base_name));
    }
    files.extend(rotated.into_iter().map(|n| dir.join(n)));
    Ok(files)
}

/// Opens for appending; a torn last line (no final newline) is cut off first.
fn open_append(path: &Path) -> Result<File, StoreError> {
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)
        .map_err(|e| error(path, "open", &e))?;
    let length = file.metadata().map_err(|e| error(path, "read", &e))?.len();
    if length > 0 {
        let contents = std::fs::read(path).map_err(|e| error(path, "read", &e))?;
        if contents.last() != Some(&b'\n') {
            let keep = contents
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            file.set_len(keep as u64)
                .map_err(|e| error(path, "truncate", &e))?;
            file.seek(SeekFrom::End(0))
                .map_err(|e| error(path, "seek", &e))?;
        }
    }
    Ok(file)
}

/// Reads one file's records into `recovery` (pending inputs, in order).
fn scan(path: &Path, recovery: &mut Recovery) -> Result<(), StoreError> {
    let file = File::open(path).map_err(|e| error(path, "open", &e))?;
    let contents = std::fs::read(path).map_err(|e| error(path, "read", &e))?;
    let torn_tail = !contents.is_empty() && contents.last() != Some(&b'\n');
    let lines: Vec<_> = BufReader::new(file).lines().collect();
    let count = lines.len();
    for (number, line) in lines.into_iter().enumerate() {
        let line = line.map_err(|e| error(path, "read", &e))?;
        if line.trim().is_empty() {
            continue;
        }
        #[allow(
            clippy::disallowed_methods,
            reason = "records this store wrote; no spans needed"
        )]
        let parsed = serde_json::from_str::<Value>(&line);
        let record = match parsed {
            Ok(value) => value,
            Err(_) if torn_tail && number + 1 == count => {
                recovery.warnings.push(format!(
                    "{}: line {} is incomplete (written when the process stopped); it was cut off",
                    path.display(),
                    number + 1
                ));
                continue;
            }
            Err(e) => {
                recovery.warnings.push(format!(
                    "{}: line {} is not a record ({e}); skipped",
                    path.display(),
                    number + 1
                ));
                continue;
            }
        };
        if record.get("done").is_some() {
            continue;
        }
        match serde_json::from_value::<StoredEvent>(record) {
            Ok(stored) if stored.origin == Origin::Input && stored.status == Status::Pending => {
                recovery.pending.push(stored.event);
            }
            Ok(_) => {}
            Err(e) => recovery.warnings.push(format!(
                "{}: line {} is not an event record ({e}); skipped",
                path.display(),
                number + 1
            )),
        }
    }
    Ok(())
}

/// Ids with a `done` record in any file.
fn recovery_done(files: &[PathBuf]) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut done = std::collections::HashSet::new();
    for path in files {
        let file = File::open(path).map_err(|e| error(path, "open", &e))?;
        for line in BufReader::new(file).lines().map_while(Result::ok) {
            if !line.starts_with("{\"done\"") {
                continue;
            }
            #[allow(clippy::disallowed_methods, reason = "records this store wrote")]
            if let Ok(Value::Object(record)) = serde_json::from_str::<Value>(&line) {
                if let Some(Value::String(id)) = record.get("done") {
                    done.insert(id.clone());
                }
            }
        }
    }
    Ok(done)
}

/// Pending inputs without a `done` record, each id once, oldest first.
fn pending_only(
    pending: Vec<Arc<crate::Event>>,
    done: &std::collections::HashSet<String>,
) -> Vec<Arc<crate::Event>> {
    let mut seen = std::collections::HashSet::new();
    pending
        .into_iter()
        .filter(|e| !done.contains(e.id.as_str()) && seen.insert(e.id.clone()))
        .collect()
}

impl EventStore for FileStore {
    fn append(&self, events: Vec<StoredEvent>) -> BoxFuture<'_, Result<(), StoreError>> {
        let sync = events.iter().any(|e| e.origin == Origin::Input);
        let mut text = String::new();
        for event in &events {
            text.push_str(&serde_json::to_string(event).unwrap_or_default());
            text.push('\n');
        }
        Box::pin(std::future::ready(self.write(&text, sync)))
    }

    fn recover(&self) -> BoxFuture<'_, Result<Recovery, StoreError>> {
        super::take_recovery(&self.recovery)
    }

    fn mark_done<'a>(&'a self, ids: &'a [Substr]) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut text = String::new();
        for id in ids {
            text.push_str(&serde_json::json!({ "done": id }).to_string());
            text.push('\n');
        }
        Box::pin(std::future::ready(self.write(&text, false)))
    }

    fn recent(&self, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>, StoreError>> {
        let result = (|| {
            let mut events: Vec<StoredEvent> = Vec::new();
            let mut done = std::collections::HashSet::new();
            for path in files_of(&self.base)? {
                let file = File::open(&path).map_err(|e| error(&path, "open", &e))?;
                for line in BufReader::new(file).lines().map_while(Result::ok) {
                    #[allow(clippy::disallowed_methods, reason = "records this store wrote")]
                    let Ok(record) = serde_json::from_str::<Value>(&line) else {
                        continue;
                    };
                    if let Some(Value::String(id)) = record.get("done") {
                        done.insert(id.clone());
                    } else if let Ok(stored) = serde_json::from_value::<StoredEvent>(record) {
                        events.push(stored);
                    }
                }
            }
            for stored in &mut events {
                if stored.status == Status::Pending && done.contains(stored.event.id.as_str()) {
                    stored.status = Status::Done;
                }
            }
            let skip = events.len().saturating_sub(limit);
            Ok(events.split_off(skip))
        })();
        Box::pin(std::future::ready(result))
    }

    fn flush(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        let writer = self.writer();
        let path = self.path_for(&writer.period);
        let result = writer.file.sync_all().map_err(|e| error(&path, "sync", &e));
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::exec::store::testing::{input, pending_ids};

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("adl-file-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn at(text: &str) -> jiff::Timestamp {
        text.parse().expect("timestamp")
    }

    #[tokio::test]
    async fn inputs_not_done_are_recovered_in_order() {
        let dir = temp_dir("recover");
        let base = dir.join("events.jsonl");
        let store = FileStore::open(&base, Rotation::None).expect("opens");
        assert_eq!(store.recover().await.expect("recover"), Recovery::default());
        store
            .append(vec![input("a"), input("b"), input("c")])
            .await
            .expect("append");
        let emitted = StoredEvent::new(input("a-1").event, Status::Pending, Origin::Emitted);
        store.append(vec![emitted]).await.expect("append");
        store.mark_done(&["b".into()]).await.expect("done");
        drop(store);
        let reopened = FileStore::open(&base, Rotation::None).expect("reopens");
        let recovery = reopened.recover().await.expect("recover");
        let ids: Vec<_> = recovery.pending.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            ["a", "c"],
            "emitted events are regenerated, not replayed"
        );
        assert!(recovery.warnings.is_empty());
        let recent = reopened.recent(10).await.expect("recent");
        assert_eq!(recent.len(), 4);
        assert_eq!(recent[1].status, Status::Done);
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    #[tokio::test]
    async fn a_torn_last_line_is_reported_and_cut_off() {
        let dir = temp_dir("torn");
        let base = dir.join("events.jsonl");
        let store = FileStore::open(&base, Rotation::None).expect("opens");
        store.append(vec![input("a")]).await.expect("append");
        drop(store);
        let mut file = OpenOptions::new().append(true).open(&base).expect("open");
        file.write_all(b"{\"id\":\"b\",\"event_ty").expect("write");
        drop(file);
        let reopened = FileStore::open(&base, Rotation::None).expect("a torn line is never fatal");
        let recovery = reopened.recover().await.expect("recover");
        assert_eq!(recovery.pending.len(), 1);
        assert_eq!(recovery.warnings.len(), 1);
        assert!(
            recovery.warnings[0].contains("line 2 is incomplete"),
            "{:?}",
            recovery.warnings
        );
        reopened.append(vec![input("c")]).await.expect("append");
        let text = std::fs::read_to_string(&base).expect("read");
        assert_eq!(
            text.lines().count(),
            2,
            "the fragment is gone, the new record on its own line"
        );
        for line in text.lines() {
            #[allow(clippy::disallowed_methods, reason = "reading the store's own records")]
            serde_json::from_str::<Value>(line).expect("every line is a record");
        }
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    #[tokio::test]
    async fn rotated_files_carry_the_period_and_are_all_recovered() {
        let dir = temp_dir("rotate");
        let base = dir.join("events.json");
        let now = Arc::new(Mutex::new(at("2026-02-16T23:59:00Z")));
        let clock = Arc::clone(&now);
        let store = FileStore::open_with_clock(&base, Rotation::Daily, move || {
            *clock.lock().expect("clock")
        })
        .expect("opens");
        store.append(vec![input("a")]).await.expect("append");
        *now.lock().expect("clock") = at("2026-02-17T00:01:00Z");
        store.append(vec![input("b")]).await.expect("append");
        assert!(dir.join("events.2026-02-16.json").exists());
        assert!(dir.join("events.2026-02-17.json").exists());
        drop(store);
        let reopened = FileStore::open(&base, Rotation::Daily).expect("reopens");
        let ids = pending_ids(&reopened).await;
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(
            period_of(Rotation::Weekly, at("2026-01-01T00:00:00Z")),
            "2026-W01"
        );
        assert_eq!(
            period_of(Rotation::Monthly, at("2026-02-16T00:00:00Z")),
            "2026-02"
        );
        std::fs::remove_dir_all(dir).expect("clean up");
    }
}
