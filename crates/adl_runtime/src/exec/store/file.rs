//! `persistence.type: file`: JSON Lines, appended, rotated by period.
//!
//! A store file opens with a header line (`{"adl_event_store":1}`); each
//! event is one line (the envelope plus `status` and `origin`); finishing an
//! event appends a `{"done": ID}` line. Writes are grouped (see
//! [`super::group`]): everything taken while one write was in flight goes into
//! the next, which ends with one `fsync` when it holds input events, so an
//! acknowledged event survives a crash; `done` lines are written but not
//! synced — losing one only means the event is replayed (at-least-once).
//!
//! Writes are all or nothing: a write or sync that fails (a full disk) is cut
//! back to the last whole record before anything else is written, so no
//! later record is ever glued to a fragment; if even that fails, the store
//! refuses further writes. On open, the files are scanned for inputs accepted
//! but not done and for the ids already stored (an input whose id is stored
//! is a duplicate); a torn last line left by a crash is reported and cut off,
//! a line that is not a record (or not UTF-8) is reported with its number and
//! skipped, never fatal. A file that is not a store is refused, never changed.

use arcstr::Substr;
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::group::{Committer, GroupWrite};
use super::{Appended, EventStore, Origin, Recovery, Status, StoreError, StoredEvent};
use crate::exec::BoxFuture;
use crate::graph::Rotation;
use crate::json_text::write_str;

/// The first line of every store file: what makes a file a store.
const HEADER: &str = r#"{"adl_event_store":1}"#;

/// JSON Lines event store.
pub struct FileStore {
    base: PathBuf,
    /// Takes the writes, for the [`Writer`] on its thread.
    committer: Committer,
    recovery: Mutex<Option<Recovery>>,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// Writes the store's files, on the committer's thread.
struct Writer {
    base: PathBuf,
    rotation: Rotation,
    now: Box<dyn Fn() -> jiff::Timestamp + Send + Sync>,
    period: String,
    file: File,
    /// The length of the file's whole records: where a failed write is cut back to.
    length: u64,
    /// Every id stored, in any file of the store.
    ids: HashSet<Substr>,
    /// Why the store refuses writes: a failed write could not be cut back.
    broken: Option<StoreError>,
    /// The text of the write being made, kept for the next one.
    text: Vec<u8>,
}

fn error(path: &Path, what: &str, e: std::io::Error) -> StoreError {
    StoreError::caused_by(format!("cannot {what} `{}`: {e}", path.display()), e)
}

impl FileStore {
    /// Opens (creating the file, and its directory under an existing parent,
    /// as needed) and scans for recovery.
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
        let files = files_of(&base)?;
        let mut scan = Scan::default();
        for path in &files {
            scan.file(path)?;
        }
        super::make_parent_dir(&base)?;
        let period = period_of(rotation, now());
        let (file, length) = open_append(&path_for(&base, &period))?;
        let Scan {
            pending,
            done,
            ids,
            warnings,
        } = scan;
        let pending = pending
            .into_iter()
            .filter(|event| !done.contains(event.id.as_str()))
            .collect();
        let writer = Writer {
            base: base.clone(),
            rotation,
            now: Box::new(now),
            period,
            file,
            length,
            ids,
            broken: None,
            text: Vec::new(),
        };
        Ok(Self {
            base,
            committer: Committer::on_thread("adl-file-store", writer)?,
            recovery: Mutex::new(Some(Recovery { pending, warnings })),
        })
    }

    /// The file a period's events go to: `events.json` → `events.2026-02-16.json`.
    pub fn path_for(&self, period: &str) -> PathBuf {
        path_for(&self.base, period)
    }
}

impl Writer {
    /// Appends `text` (whole lines) to the current period's file, all or
    /// nothing: a failed write or sync is cut back to the last whole record.
    fn write_text(&mut self, text: &[u8], sync: bool) -> Result<(), StoreError> {
        let writer = self;
        if let Some(reason) = &writer.broken {
            return Err(reason.clone());
        }
        let period = period_of(writer.rotation, (writer.now)());
        if period != writer.period {
            let (file, length) = open_append(&path_for(&writer.base, &period))?;
            writer.file = file;
            writer.length = length;
            writer.period = period;
        }
        let path = path_for(&writer.base, &writer.period);
        let written = writer
            .file
            .write_all(text)
            .map_err(|e| error(&path, "write", e))
            .and_then(|()| {
                if sync {
                    writer.file.sync_data().map_err(|e| error(&path, "sync", e))
                } else {
                    Ok(())
                }
            });
        match written {
            Ok(()) => {
                writer.length += text.len() as u64;
                Ok(())
            }
            Err(failure) => {
                // Nothing of this write may stay: a later record would be
                // glued to the fragment, and recovery would skip both.
                let cut = writer
                    .file
                    .set_len(writer.length)
                    .and_then(|()| writer.file.sync_data());
                if let Err(e) = cut {
                    writer.broken = Some(failure.clone().context(|reason| {
                        format!(
                            "{reason}; the partial record could not be removed ({e}): \
                             the store takes no more writes"
                        )
                    }));
                }
                Err(failure)
            }
        }
    }
}

/// One record line: the envelope, `status` and `origin`, as `serde_json`
/// writes a [`StoredEvent`].
fn write_record(out: &mut Vec<u8>, stored: &StoredEvent) {
    let event = &stored.event;
    out.extend_from_slice(br#"{"id":"#);
    write_str(out, &event.id);
    out.extend_from_slice(br#","event_type":"#);
    write_str(out, &event.event_type);
    if let Some(source) = &event.source {
        out.extend_from_slice(br#","source":"#);
        write_str(out, source);
    }
    out.extend_from_slice(br#","timestamp":"#);
    write_str(out, &event.timestamp);
    out.extend_from_slice(br#","data":"#);
    event.data.write_json(out);
    out.extend_from_slice(match stored.status {
        Status::Pending => br#","status":"pending""#,
        Status::Done => br#","status":"done""#,
        Status::Logged => br#","status":"logged""#,
    });
    out.extend_from_slice(match stored.origin {
        Origin::Input => br#","origin":"input"}"#.as_slice(),
        Origin::Emitted => br#","origin":"emitted"}"#,
        Origin::Tick => br#","origin":"tick"}"#,
    });
    out.push(b'\n');
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
        Err(e) => return Err(error(&dir, "list", e)),
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

/// Opens a store file for appending, creating it with its header; a torn
/// last line (no final newline) is cut off first. Returns the file and its length.
fn open_append(path: &Path) -> Result<(File, u64), StoreError> {
    let contents = match std::fs::read(path) {
        Ok(contents) => contents,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(error(path, "read", e)),
    };
    if !contents.is_empty() {
        check_is_store(path, &contents)?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)
        .map_err(|e| error(path, "open", e))?;
    let mut length = contents.len() as u64;
    if contents.last().is_some_and(|&b| b != b'\n') {
        let keep = contents
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        length = keep as u64;
        file.set_len(length)
            .map_err(|e| error(path, "truncate", e))?;
        file.seek(SeekFrom::End(0))
            .map_err(|e| error(path, "seek", e))?;
    }
    if length == 0 {
        let header = format!("{HEADER}\n");
        file.write_all(header.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| error(path, "write", e))?;
        length = header.len() as u64;
    }
    Ok((file, length))
}

/// A file with contents is a store if its first line is the header, or a
/// record (stores written before the header existed).
fn check_is_store(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let first = contents.split(|&b| b == b'\n').next().unwrap_or_default();
    if first == HEADER.as_bytes() {
        return Ok(());
    }
    #[allow(clippy::disallowed_methods, reason = "a record this store wrote")]
    let record = serde_json::from_slice::<Value>(first).ok();
    let is_record = record.as_ref().and_then(Value::as_object).is_some_and(|r| {
        r.contains_key("done") || (r.contains_key("event_type") && r.contains_key("status"))
    });
    if is_record {
        return Ok(());
    }
    Err(StoreError::new(format!(
        "`{}` is not an adl event store (its first line is not `{HEADER}`); \
         it was left as it is: choose another `file_path`",
        path.display()
    )))
}

/// What the store's files hold: inputs not done, ids, problems skipped.
#[derive(Default)]
struct Scan {
    pending: Vec<Arc<crate::Event>>,
    done: HashSet<String>,
    ids: HashSet<Substr>,
    warnings: Vec<String>,
}

impl Scan {
    /// Reads one file's records.
    fn file(&mut self, path: &Path) -> Result<(), StoreError> {
        let contents = std::fs::read(path).map_err(|e| error(path, "read", e))?;
        if contents.is_empty() {
            return Ok(());
        }
        check_is_store(path, &contents)?;
        let torn_tail = contents.last() != Some(&b'\n');
        let lines: Vec<&[u8]> = contents
            .strip_suffix(b"\n")
            .unwrap_or(&contents)
            .split(|&b| b == b'\n')
            .collect();
        let count = lines.len();
        for (number, line) in lines.into_iter().enumerate() {
            let number = number + 1;
            let warn = |problem: &str| format!("{}: line {number} {problem}", path.display());
            if line.trim_ascii().is_empty() || line == HEADER.as_bytes() {
                continue;
            }
            if torn_tail && number == count {
                self.warnings.push(warn(
                    "is incomplete (written when the process stopped); it was cut off",
                ));
                continue;
            }
            let Ok(line) = std::str::from_utf8(line) else {
                self.warnings
                    .push(warn("is not UTF-8, so not a record; skipped"));
                continue;
            };
            #[allow(
                clippy::disallowed_methods,
                reason = "records this store wrote; no spans needed"
            )]
            let record = match serde_json::from_str::<Value>(line) {
                Ok(record) => record,
                Err(e) => {
                    self.warnings
                        .push(warn(&format!("is not a record ({e}); skipped")));
                    continue;
                }
            };
            if let Some(done) = record.get("done") {
                if let Some(id) = done.as_str() {
                    self.done.insert(id.to_owned());
                }
                continue;
            }
            match serde_json::from_value::<StoredEvent>(record) {
                Ok(stored) => {
                    // The first record of an id is the one that counts.
                    if !self.ids.insert(stored.event.id.clone()) {
                        continue;
                    }
                    if stored.origin == Origin::Input && stored.status == Status::Pending {
                        self.pending.push(stored.event);
                    }
                }
                Err(e) => self
                    .warnings
                    .push(warn(&format!("is not an event record ({e}); skipped"))),
            }
        }
        Ok(())
    }
}

impl GroupWrite for Writer {
    fn write(
        &mut self,
        events: &[StoredEvent],
        done: &[Substr],
        durable: bool,
    ) -> Result<Appended, StoreError> {
        let mut appended = Appended::default();
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let mut added = Vec::new();
        for (position, stored) in events.iter().enumerate() {
            if !self.ids.insert(stored.event.id.clone()) {
                if stored.origin == Origin::Input {
                    appended.duplicates.push(position);
                }
                continue;
            }
            added.push(stored.event.id.clone());
            write_record(&mut text, stored);
        }
        for id in done {
            text.extend_from_slice(br#"{"done":"#);
            write_str(&mut text, id);
            text.extend_from_slice(b"}\n");
        }
        let written = if text.is_empty() {
            Ok(())
        } else {
            self.write_text(&text, durable && !added.is_empty())
        };
        self.text = text;
        match written {
            Ok(()) => Ok(appended),
            Err(failure) => {
                // Not stored after all: the ids are free again.
                for id in &added {
                    self.ids.remove(id);
                }
                Err(failure)
            }
        }
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        let path = path_for(&self.base, &self.period);
        self.file.sync_all().map_err(|e| error(&path, "sync", e))
    }
}

impl EventStore for FileStore {
    fn append(&self, events: Vec<StoredEvent>) -> BoxFuture<'static, Result<Appended, StoreError>> {
        self.committer.append(events)
    }

    fn recover(&self) -> BoxFuture<'_, Result<Recovery, StoreError>> {
        super::take_recovery(&self.recovery)
    }

    fn mark_done(&self, ids: &[Substr]) -> BoxFuture<'static, Result<(), StoreError>> {
        self.committer.mark_done(ids)
    }

    fn recent(&self, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>, StoreError>> {
        // What was taken before is read too: written first.
        let written = self.committer.written();
        Box::pin(async move {
            written.await?;
            let mut events: Vec<StoredEvent> = Vec::new();
            let mut done = HashSet::new();
            for path in files_of(&self.base)? {
                let contents = std::fs::read(&path).map_err(|e| error(&path, "read", e))?;
                for line in contents.split(|&b| b == b'\n') {
                    #[allow(clippy::disallowed_methods, reason = "records this store wrote")]
                    let Ok(record) = serde_json::from_slice::<Value>(line) else {
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
        })
    }

    fn flush(&self) -> BoxFuture<'static, Result<(), StoreError>> {
        self.committer.flush()
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
            recovery.warnings[0].contains("line 3 is incomplete"),
            "{:?}",
            recovery.warnings
        );
        reopened.append(vec![input("c")]).await.expect("append");
        let text = std::fs::read_to_string(&base).expect("read");
        assert_eq!(
            text.lines().count(),
            3,
            "the header, then the fragment gone, the new record on its own line"
        );
        for line in text.lines() {
            #[allow(clippy::disallowed_methods, reason = "reading the store's own records")]
            serde_json::from_str::<Value>(line).expect("every line is a record");
        }
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    /// Ids are idempotency keys: a stored id, from this run or an earlier
    /// one, makes an input a duplicate, and it is not written again.
    #[tokio::test]
    async fn a_stored_id_is_a_duplicate_across_reopening() {
        let dir = temp_dir("duplicates");
        let base = dir.join("events.jsonl");
        let store = FileStore::open(&base, Rotation::None).expect("opens");
        let appended = store
            .append(vec![input("a"), input("b"), input("a")])
            .await
            .expect("append");
        assert_eq!(appended.duplicates, [2]);
        drop(store);
        let reopened = FileStore::open(&base, Rotation::None).expect("reopens");
        let appended = reopened
            .append(vec![input("c"), input("b")])
            .await
            .expect("append");
        assert_eq!(appended.duplicates, [1]);
        let text = std::fs::read_to_string(&base).expect("read");
        assert_eq!(text.lines().next(), Some(HEADER));
        assert_eq!(text.lines().count(), 4, "header, a, b, c:\n{text}");
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    /// Appends of mixed sizes made at once are all stored, once each, in
    /// the order they were made (they are taken when called), and survive
    /// reopening; ids repeated across them are duplicates in the later one.
    #[tokio::test]
    async fn concurrent_appends_of_mixed_sizes_are_stored_in_call_order() {
        let dir = temp_dir("mixed");
        let base = dir.join("events.jsonl");
        let store = Arc::new(FileStore::open(&base, Rotation::None).expect("opens"));
        let sizes = [1, 300, 2, 5000, 17, 1];
        let mut expected = Vec::new();
        let mut answers = Vec::new();
        for (number, &size) in sizes.iter().enumerate() {
            let mut events: Vec<StoredEvent> = (0..size)
                .map(|n| input(&format!("g{number}-{n}")))
                .collect();
            expected.extend(events.iter().map(|e| e.event.id.to_string()));
            // The first event of the group before, again.
            if number > 0 {
                events.push(input(&format!("g{}-0", number - 1)));
            }
            answers.push(tokio::spawn(store.append(events)));
        }
        for (number, answer) in answers.into_iter().enumerate() {
            let appended = answer.await.expect("joined").expect("stored");
            let repeated: Vec<usize> = if number > 0 {
                vec![sizes[number]]
            } else {
                vec![]
            };
            assert_eq!(appended.duplicates, repeated, "append {number}");
        }
        drop(store);
        let reopened = FileStore::open(&base, Rotation::None).expect("reopens");
        assert_eq!(pending_ids(&reopened).await, expected);
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    /// A file that is not a store is refused and left as it was, whether
    /// it is named as the store or found beside it as a rotated file.
    #[test]
    fn a_file_that_is_not_a_store_is_refused_untouched() {
        let dir = temp_dir("not-a-store");
        std::fs::create_dir_all(&dir).expect("dir");
        let base = dir.join("notes.txt");
        std::fs::write(&base, "dear diary").expect("write");
        let error = FileStore::open(&base, Rotation::None).expect_err("not a store");
        assert!(
            error.message().contains("not an adl event store"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&base).expect("read"), "dear diary");
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    #[test]
    fn a_failure_of_the_file_system_keeps_its_cause() {
        let dir = temp_dir("cause");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let not_a_dir = dir.join("plain");
        std::fs::write(&not_a_dir, "").expect("write");
        let error = FileStore::open(not_a_dir.join("events.jsonl"), Rotation::None)
            .expect_err("a file is in the way");
        let cause = std::error::Error::source(&error).expect("a cause");
        assert!(cause.is::<std::io::Error>(), "{cause:?}");
        assert!(
            error.message().contains(&*cause.to_string()),
            "{error} / {cause}"
        );
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
