//! `persistence.type: database`: one table of events, through one interface,
//! on PostgreSQL (`postgresql://…`, `postgres://…`) or SQLite (`sqlite://PATH`,
//! `sqlite::memory:`, the embedded default for users without a server).
//!
//! The table is created if missing. `table_name` is validated as a plain or
//! schema-qualified SQL identifier and quoted before it is ever put in SQL. An
//! append is one transaction (on PostgreSQL one prepared statement that unnests
//! a column array per field: a whole batch in batch mode, whatever its size);
//! ids are the primary key and an event already stored is not inserted again
//! (replays regenerate emitted events with the same ids). Connection strings may
//! use `${env.NAME}`; no error or log line ever shows the connection string.

use arcstr::Substr;
use std::sync::{Arc, Mutex, PoisonError};

use adl_checker::connection::Database;
use rusqlite::Connection;

use super::group::{AsyncGroupWrite, Committer, GroupWrite};
use super::{Appended, EventStore, Origin, Recovery, Status, StoreError, StoredEvent};
use crate::Event;
use crate::exec::BoxFuture;

/// A database event store.
pub struct DatabaseStore {
    backend: Backend,
    /// The quoted table name.
    table: String,
    recovery: Mutex<Option<Recovery>>,
    /// Takes the writes, for the backend's writer.
    committer: Committer,
}

#[derive(Clone)]
enum Backend {
    Sqlite(Arc<Mutex<Connection>>),
    Postgres(Arc<Postgres>),
}

/// A PostgreSQL server: the connection (made again when the server drops
/// it) and what is needed to make it.
struct Postgres {
    /// The expanded connection string: never shown (it may hold a password).
    url: String,
    table: String,
    connection: tokio::sync::Mutex<Option<PgConnection>>,
}

/// A PostgreSQL connection and the statements it prepared.
struct PgConnection {
    client: tokio_postgres::Client,
    /// Stores a whole group: one array per column, unnested into rows (one
    /// statement however many events, no parameter limit), and marks the
    /// group's `done` ids; returns the ids of the input events it did not
    /// insert (they were stored already): usually none. Rows already stored
    /// are skipped by looking them up first, not by `ON CONFLICT`, whose
    /// speculative insertion costs about half as much again per row.
    insert: tokio_postgres::Statement,
    /// The same with `ON CONFLICT (id) DO NOTHING`: for the rare group that
    /// races another writer of the same table to an id (the lookup cannot
    /// see a row committed after the statement began).
    insert_racing: tokio_postgres::Statement,
}

/// How long operations wait for a dropped connection to come back, in
/// attempts doubling from 100 ms (about 25 s in all).
const RECONNECT_ATTEMPTS: u32 = 9;

/// What went wrong, as the server said it (message, SQLSTATE, detail, hint)
/// or as the client saw it; never the connection string, which
/// tokio-postgres errors do not contain.
fn pg_error(what: &str, error: tokio_postgres::Error) -> StoreError {
    let reason = if let Some(db) = error.as_db_error() {
        let mut reason = format!("{} (SQLSTATE {})", db.message(), db.code().code());
        if let Some(detail) = db.detail() {
            reason = format!("{reason}; {detail}");
        }
        if let Some(hint) = db.hint() {
            reason = format!("{reason}; hint: {hint}");
        }
        reason
    } else {
        let mut reason = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            reason = format!("{reason}: {cause}");
            source = cause.source();
        }
        reason
    };
    StoreError::caused_by(format!("database: cannot {what}: {reason}"), error)
}

impl std::fmt::Debug for DatabaseStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the connection string: it may hold a password.
        f.debug_struct("DatabaseStore")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

/// `${env.NAME}` references replaced by the environment's values.
pub fn expand_env(text: &str) -> Result<String, StoreError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${env.") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "${env.".len()..];
        let Some(end) = after.find('}') else {
            return Err(StoreError::new(
                "unclosed `${env.` in the connection string",
            ));
        };
        let name = &after[..end];
        let value = std::env::var(name).map_err(|_| {
            StoreError::new(format!(
                "the connection string uses `${{env.{name}}}` but `{name}` is not set"
            ))
        })?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `name` or `schema.name`, validated and double-quoted.
fn quoted_table(name: &str) -> Result<String, StoreError> {
    if let Some(problem) = adl_checker::connection::table_name_problem(name) {
        return Err(StoreError::new(format!("table name `{name}`: {problem}")));
    }
    Ok(name
        .split('.')
        .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join("."))
}

fn sql_error(what: &str, error: rusqlite::Error) -> StoreError {
    StoreError::caused_by(format!("database: cannot {what}: {error}"), error)
}

impl DatabaseStore {
    /// Connects, creates the table if missing and reads what needs recovery.
    pub async fn open(connection_string: &str, table_name: &str) -> Result<Self, StoreError> {
        Self::open_in(connection_string, table_name, None).await
    }

    /// [`DatabaseStore::open`], with a relative `sqlite://` path resolved
    /// against `base` (when given).
    pub async fn open_in(
        connection_string: &str,
        table_name: &str,
        base: Option<&std::path::Path>,
    ) -> Result<Self, StoreError> {
        let url = expand_env(connection_string)?;
        let table = quoted_table(table_name)?;
        let path = match Database::of(&url) {
            Some(Database::SqliteInMemory) => None,
            Some(Database::SqliteFile(path)) => Some(match base {
                Some(base) if std::path::Path::new(path).is_relative() => base.join(path),
                _ => std::path::PathBuf::from(path),
            }),
            Some(Database::Postgres(_)) => {
                return Self::open_postgres(&url, table, table_name).await;
            }
            None => {
                return Err(StoreError::new(
                    "the connection string must start with `postgresql://`, `postgres://` or `sqlite://`",
                ));
            }
        };
        let create_table = table.clone();
        let (connection, recovery) = blocking(move || {
            let connection = match &path {
                None => Connection::open_in_memory(),
                Some(path) => {
                    super::make_parent_dir(path)
                        .map_err(|e| e.context(|reason| format!("database: {reason}")))?;
                    Connection::open(path)
                }
            }
            .map_err(|e| sql_error("open the SQLite database", e))?;
            connection
                .execute_batch(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                     CREATE TABLE IF NOT EXISTS {create_table} (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        event_type TEXT NOT NULL,
                        source TEXT,
                        timestamp TEXT NOT NULL,
                        data TEXT NOT NULL,
                        status TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
                        updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
                     );"
                ))
                .map_err(|e| sql_error("create the events table", e))?;
            let recovery = sqlite_pending(&connection, &create_table)?;
            Ok((connection, recovery))
        })
        .await?;
        let connection = Arc::new(Mutex::new(connection));
        let writer = SqliteWriter {
            connection: Arc::clone(&connection),
            table: table.clone(),
            synchronous_full: true,
        };
        Ok(Self {
            backend: Backend::Sqlite(connection),
            table,
            recovery: Mutex::new(Some(recovery)),
            committer: Committer::on_thread("adl-sqlite-store", writer)?,
        })
    }
}

impl DatabaseStore {
    async fn open_postgres(url: &str, table: String, table_name: &str) -> Result<Self, StoreError> {
        let mut client = pg_connect(url).await?;
        create_table(&mut client, &table, table_name).await?;
        let rows = client
            .query(
                &format!(
                    "SELECT id, event_type, source, timestamp, data FROM {table}
                     WHERE status = 'pending' AND origin = 'input' ORDER BY seq"
                ),
                &[],
            )
            .await
            .map_err(|e| pg_error("read pending events", e))?;
        let pending = rows
            .iter()
            .map(|row| {
                Arc::new(Event {
                    id: row.get::<_, String>(0).into(),
                    event_type: row.get::<_, String>(1).into(),
                    source: row.get::<_, Option<String>>(2).map(Substr::from),
                    timestamp: row.get::<_, String>(3).into(),
                    data: row.get::<_, serde_json::Value>(4).into(),
                })
            })
            .collect();
        let connection = PgConnection::prepare(client, &table).await?;
        let pg = Arc::new(Postgres {
            url: url.to_owned(),
            table: table.clone(),
            connection: tokio::sync::Mutex::new(Some(connection)),
        });
        // A second connection writes what is not waited for (emitted
        // events, `done` marks): the server works on both at once.
        let second = PgConnection::prepare(pg_connect(url).await?, &table).await?;
        let lazy = Arc::new(Postgres {
            url: url.to_owned(),
            table: table.clone(),
            connection: tokio::sync::Mutex::new(Some(second)),
        });
        Ok(Self {
            backend: Backend::Postgres(Arc::clone(&pg)),
            table,
            recovery: Mutex::new(Some(Recovery {
                pending,
                warnings: Vec::new(),
            })),
            committer: Committer::on_tasks(PgWriter(pg), PgWriter(lazy)),
        })
    }
}

/// Creates the schema and the table if missing. Two processes starting on a
/// new table (or in a new schema) at once would both create it, and the
/// second would fail on the catalog's unique index: creation takes one
/// lock, the same for every adl process, held until it commits, so the
/// second waits and then finds what the first made.
async fn create_table(
    client: &mut tokio_postgres::Client,
    table: &str,
    table_name: &str,
) -> Result<(), StoreError> {
    let creating = client
        .transaction()
        .await
        .map_err(|e| pg_error("create the events table", e))?;
    creating
        .batch_execute("SELECT pg_advisory_xact_lock(hashtext('adl: create event tables'))")
        .await
        .map_err(|e| pg_error("wait to create the events table", e))?;
    if let Some((schema, _)) = table_name.split_once('.') {
        creating
            .batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                schema.replace('"', "\"\"")
            ))
            .await
            .map_err(|e| pg_error("create the schema", e))?;
    }
    creating
        .batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {table} (
                    seq BIGSERIAL,
                    id TEXT PRIMARY KEY,
                    event_type TEXT NOT NULL,
                    source TEXT,
                    timestamp TEXT NOT NULL,
                    data JSONB NOT NULL,
                    status TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                 ) WITH (fillfactor = 50)"
        ))
        .await
        .map_err(|e| pg_error("create the events table", e))?;
    creating
        .commit()
        .await
        .map_err(|e| pg_error("create the events table", e))
}

/// Writes a SQLite store's groups, on the committer's thread: one
/// transaction per group.
struct SqliteWriter {
    connection: Arc<Mutex<Connection>>,
    table: String,
    /// Whether the connection's `synchronous` is `FULL` (a group with input
    /// events) rather than `NORMAL` (emitted events and `done` marks only,
    /// which need not survive a power cut on their own).
    synchronous_full: bool,
}

impl GroupWrite for SqliteWriter {
    fn write(
        &mut self,
        events: &[StoredEvent],
        done: &[Substr],
        durable: bool,
    ) -> Result<Appended, StoreError> {
        let mut connection = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if self.synchronous_full != durable {
            let level = if durable { "FULL" } else { "NORMAL" };
            connection
                .pragma_update(None, "synchronous", level)
                .map_err(|e| sql_error("set `synchronous`", e))?;
            self.synchronous_full = durable;
        }
        let transaction = connection
            .transaction()
            .map_err(|e| sql_error("begin", e))?;
        let table = &self.table;
        let mut appended = Appended::default();
        if !events.is_empty() {
            let mut insert = transaction
                .prepare_cached(&format!(
                    "INSERT INTO {table} (id, event_type, source, timestamp, data, status, origin)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING"
                ))
                .map_err(|e| sql_error("prepare the insert", e))?;
            for (position, stored) in events.iter().enumerate() {
                let event = &stored.event;
                let inserted = insert
                    .execute(rusqlite::params![
                        event.id.as_str(),
                        event.event_type.as_str(),
                        event.source.as_deref(),
                        event.timestamp.as_str(),
                        event.data.to_string(),
                        status_keyword(stored.status),
                        origin_keyword(stored.origin),
                    ])
                    .map_err(|e| sql_error("store an event", e))?;
                if inserted == 0 && stored.origin == Origin::Input {
                    appended.duplicates.push(position);
                }
            }
        }
        if !done.is_empty() {
            // One statement for the group's marks: the ids as a JSON array.
            let mut ids = Vec::with_capacity(done.len() * 40);
            ids.push(b'[');
            for (position, id) in done.iter().enumerate() {
                if position > 0 {
                    ids.push(b',');
                }
                crate::json_text::write_str(&mut ids, id);
            }
            ids.push(b']');
            let ids = String::from_utf8(ids).map_err(|e| {
                StoreError::caused_by(format!("database: event ids are not UTF-8: {e}"), e)
            })?;
            transaction
                .prepare_cached(&format!(
                    "UPDATE {table} SET status = 'done', updated_at = CURRENT_TIMESTAMP
                     WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'pending'"
                ))
                .and_then(|mut update| update.execute([ids]))
                .map_err(|e| sql_error("mark events done", e))?;
        }
        transaction.commit().map_err(|e| sql_error("commit", e))?;
        Ok(appended)
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        // Every group is a committed transaction; one written with
        // `synchronous = NORMAL` is made durable by a checkpoint.
        let connection = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        connection
            .execute_batch("PRAGMA wal_checkpoint(FULL)")
            .map_err(|e| sql_error("checkpoint", e))
    }
}

/// Writes a PostgreSQL store's groups, on the committer's task.
struct PgWriter(Arc<Postgres>);

impl AsyncGroupWrite for PgWriter {
    fn write<'a>(
        &'a self,
        events: &'a [StoredEvent],
        done: &'a [Substr],
        _durable: bool,
    ) -> BoxFuture<'a, Result<Appended, StoreError>> {
        Box::pin(self.0.write(events, done))
    }
}

impl Postgres {
    /// Stores `events` and marks `done` ones in one statement: one round
    /// trip and one commit for a whole group.
    async fn write(&self, events: &[StoredEvent], done: &[Substr]) -> Result<Appended, StoreError> {
        let pg = self;
        let (mut appended, kept) = screen(events);
        if kept.is_empty() && done.is_empty() {
            return Ok(appended);
        }
        let done: Vec<&str> = done.iter().map(Substr::as_str).collect();
        let column = |f: fn(&StoredEvent) -> &str| -> Vec<&str> {
            kept.iter().map(|&p| f(&events[p])).collect()
        };
        let ids = column(|s| s.event.id.as_str());
        let types = column(|s| s.event.event_type.as_str());
        let timestamps = column(|s| s.event.timestamp.as_str());
        let statuses = column(|s| status_keyword(s.status));
        let origins = column(|s| origin_keyword(s.origin));
        let sources: Vec<Option<&str>> = kept
            .iter()
            .map(|&p| events[p].event.source.as_deref())
            .collect();
        let data: Vec<JsonbText<'_>> = kept
            .iter()
            .map(|&p| JsonbText(&events[p].event.data))
            .collect();
        let mut connection = pg.connected().await?;
        let mut attempt = 0;
        let mut racing = false;
        let stored_before = loop {
            let live = connection
                .as_ref()
                .expect("`connected` leaves a connection in place");
            let statement = if racing {
                &live.insert_racing
            } else {
                &live.insert
            };
            let result = live
                .client
                .query(
                    statement,
                    &[
                        &ids,
                        &types,
                        &sources,
                        &timestamps,
                        &data,
                        &statuses,
                        &origins,
                        &done,
                    ],
                )
                .await;
            match result {
                Ok(rows) => break rows,
                // Another writer stored one of the ids meanwhile: nothing of
                // the statement is in the table; sent again, skipping rows
                // as they are inserted.
                Err(error)
                    if !racing
                        && error.code()
                            == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) =>
                {
                    racing = true;
                }
                Err(error) if live.client.is_closed() && attempt == 0 => {
                    // The connection went while the batch was on its way:
                    // sent again only if nothing of it is in the table
                    // (the statement is all or nothing).
                    attempt += 1;
                    *connection = None;
                    pg.reconnect(&mut connection).await?;
                    let live = connection.as_ref().expect("reconnected");
                    let present = live
                        .client
                        .query(
                            &format!("SELECT 1 FROM {} WHERE id = ANY($1) LIMIT 1", pg.table),
                            &[&ids],
                        )
                        .await
                        .map_err(|e| pg_error("store events", e))?;
                    if !present.is_empty() {
                        return Err(pg_error("store events", error));
                    }
                }
                Err(error) => {
                    if live.client.is_closed() {
                        *connection = None;
                    }
                    return Err(pg_error("store events", error));
                }
            }
        };
        let stored_before: std::collections::HashSet<&str> = stored_before
            .iter()
            .map(|row| row.get::<_, &str>(0))
            .collect();
        for &position in &kept {
            let stored = &events[position];
            if stored.origin == Origin::Input && stored_before.contains(stored.event.id.as_str()) {
                appended.duplicates.push(position);
            }
        }
        appended.duplicates.sort_unstable();
        Ok(appended)
    }
}

impl DatabaseStore {
    async fn pg_recent(&self, pg: &Postgres, limit: usize) -> Result<Vec<StoredEvent>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let connection = pg.connected().await?;
        let rows = connection
            .as_ref()
            .expect("connected")
            .client
            .query(
                &format!(
                    "SELECT id, event_type, source, timestamp, data, status, origin FROM {}
                     ORDER BY seq DESC LIMIT $1",
                    self.table
                ),
                &[&limit],
            )
            .await
            .map_err(|e| pg_error("read events", e))?;
        let read = |e: tokio_postgres::Error| pg_error("read events", e);
        let mut events: Vec<StoredEvent> = rows
            .iter()
            .map(|row| {
                let id: String = row.try_get(0).map_err(read)?;
                let status =
                    stored_keyword(&id, "status", row.try_get::<_, &str>(5).map_err(read)?)?;
                let origin =
                    stored_keyword(&id, "origin", row.try_get::<_, &str>(6).map_err(read)?)?;
                let event = Event {
                    id: id.into(),
                    event_type: row.try_get::<_, String>(1).map_err(read)?.into(),
                    source: row
                        .try_get::<_, Option<String>>(2)
                        .map_err(read)?
                        .map(Substr::from),
                    timestamp: row.try_get::<_, String>(3).map_err(read)?.into(),
                    data: row.try_get::<_, serde_json::Value>(4).map_err(read)?.into(),
                };
                Ok(StoredEvent::new(Arc::new(event), status, origin))
            })
            .collect::<Result<_, StoreError>>()?;
        events.reverse();
        Ok(events)
    }
}

/// An event's `data` sent as JSONB from the compact text it is kept as:
/// parsing it into a `serde_json::Value` only to write it out again was
/// most of the client's work for a group.
#[derive(Debug)]
struct JsonbText<'a>(&'a crate::EventData);

impl tokio_postgres::types::ToSql for JsonbText<'_> {
    fn to_sql(
        &self,
        ty: &tokio_postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        if *ty == tokio_postgres::types::Type::JSONB {
            // The JSONB binary format: a version byte, then the text.
            out.extend_from_slice(&[1]);
        }
        self.0.with_json(|json| out.extend_from_slice(json));
        Ok(tokio_postgres::types::IsNull::No)
    }

    tokio_postgres::types::accepts!(JSON, JSONB);
    tokio_postgres::types::to_sql_checked!();
}

/// The text of a status, as stored.
fn status_keyword(status: Status) -> &'static str {
    match status {
        Status::Pending => "pending",
        Status::Done => "done",
        Status::Logged => "logged",
    }
}

/// The text of an origin, as stored.
fn origin_keyword(origin: Origin) -> &'static str {
    match origin {
        Origin::Input => "input",
        Origin::Emitted => "emitted",
        Origin::Tick => "tick",
    }
}

/// The first field of `event` holding a NUL character (`\u0000` in data).
fn nul_in(event: &Event) -> Option<&'static str> {
    let strings = [
        ("id", Some(event.id.as_str())),
        ("event_type", Some(event.event_type.as_str())),
        ("source", event.source.as_deref()),
        ("timestamp", Some(event.timestamp.as_str())),
    ];
    if let Some((name, _)) = strings
        .iter()
        .find(|(_, text)| text.is_some_and(|t| t.contains('\0')))
    {
        return Some(name);
    }
    event.data.with_json(escapes_nul).then_some("data")
}

/// Whether compact JSON text has a `\u0000` escape (and not an escaped
/// backslash followed by `u0000`).
fn escapes_nul(json: &[u8]) -> bool {
    let mut position = 0;
    while let Some(found) = memchr::memchr(b'\\', &json[position..]) {
        let escape = position + found;
        if json.get(escape + 1) == Some(&b'u') {
            if json.get(escape + 2..escape + 6) == Some(b"0000".as_slice()) {
                return true;
            }
            position = escape + 6;
        } else {
            position = escape + 2;
        }
        if position >= json.len() {
            break;
        }
    }
    false
}

/// What of a group is sent to PostgreSQL (the positions kept) and what is
/// answered without it: PostgreSQL keeps no NUL character in text or JSONB,
/// so such an event is refused alone, before the group is sent, so that it
/// does not fail the others; the same id twice in one group makes the later
/// one a duplicate.
fn screen(events: &[StoredEvent]) -> (Appended, Vec<usize>) {
    let mut appended = Appended::default();
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::with_capacity(events.len());
    for (position, stored) in events.iter().enumerate() {
        if let Some(field) = nul_in(&stored.event) {
            appended.refused.push((
                position,
                StoreError::new(format!(
                    "PostgreSQL cannot store a NUL character (\\u0000, in `{field}`)"
                )),
            ));
        } else if !seen.insert(stored.event.id.as_str()) {
            if stored.origin == Origin::Input {
                appended.duplicates.push(position);
            }
        } else {
            kept.push(position);
        }
    }
    (appended, kept)
}

/// Connects; `adl` is the connection's `application_name` unless the
/// connection string names one.
async fn pg_connect(url: &str) -> Result<tokio_postgres::Client, StoreError> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| pg_error("read the PostgreSQL connection string", e))?;
    if config.get_application_name().is_none() {
        config.application_name("adl");
    }
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .map_err(|e| pg_error("connect to PostgreSQL", e))?;
    // The connection task ends when the client is dropped or the server
    // closes the connection (then `client.is_closed()`).
    tokio::spawn(connection);
    Ok(client)
}

impl PgConnection {
    /// Prepares the statements on a connection to a server with the table.
    async fn prepare(client: tokio_postgres::Client, table: &str) -> Result<Self, StoreError> {
        let statement = |skip_stored: &str, on_conflict: &str| {
            format!(
                "WITH marked AS (
                    UPDATE {table} SET status = 'done', updated_at = now()
                    WHERE id = ANY($8::text[]) AND status = 'pending'
                 ), inserted AS (
                    INSERT INTO {table} (id, event_type, source, timestamp, data, status, origin)
                    SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[],
                                         $5::jsonb[], $6::text[], $7::text[])
                        AS given (id, event_type, source, timestamp, data, status, origin)
                    {skip_stored}
                    {on_conflict}
                    RETURNING id
                 )
                 SELECT given.id FROM UNNEST($1::text[], $7::text[]) AS given (id, origin)
                 WHERE given.origin = 'input' AND given.id NOT IN (SELECT id FROM inserted)"
            )
        };
        let prepare = |text: String| {
            let client = &client;
            async move {
                client
                    .prepare(&text)
                    .await
                    .map_err(|e| pg_error("prepare storing events", e))
            }
        };
        let insert = prepare(statement(
            &format!("WHERE NOT EXISTS (SELECT FROM {table} AS stored WHERE stored.id = given.id)"),
            "",
        ))
        .await?;
        let insert_racing = prepare(statement("", "ON CONFLICT (id) DO NOTHING")).await?;
        Ok(Self {
            client,
            insert,
            insert_racing,
        })
    }
}

impl Postgres {
    /// The connection, made again first if the server dropped it.
    async fn connected(
        &self,
    ) -> Result<tokio::sync::MutexGuard<'_, Option<PgConnection>>, StoreError> {
        let mut connection = self.connection.lock().await;
        if connection.as_ref().is_none_or(|c| c.client.is_closed()) {
            *connection = None;
            self.reconnect(&mut connection).await?;
        }
        Ok(connection)
    }

    /// Connects again, waiting between attempts (100 ms, doubling, at most
    /// 5 s; about 25 s in all): operations wait for the server meanwhile.
    async fn reconnect(&self, slot: &mut Option<PgConnection>) -> Result<(), StoreError> {
        let mut delay = std::time::Duration::from_millis(100);
        let mut failure = None;
        for _ in 0..RECONNECT_ATTEMPTS {
            let connected = match pg_connect(&self.url).await {
                Ok(client) => PgConnection::prepare(client, &self.table).await,
                Err(error) => Err(error),
            };
            match connected {
                Ok(connection) => {
                    *slot = Some(connection);
                    return Ok(());
                }
                Err(error) => failure = Some(error),
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(std::time::Duration::from_secs(5));
        }
        let gave_up = |reason: &str| {
            format!(
                "{reason} (the connection was lost; gave up after {RECONNECT_ATTEMPTS} attempts)"
            )
        };
        Err(failure.map_or_else(|| StoreError::new(gave_up("")), |e| e.context(gave_up)))
    }
}

/// A stored row's `status` or `origin`; one this store never writes is an error.
fn stored_keyword<T: serde::de::DeserializeOwned>(
    id: &str,
    column: &str,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        StoreError::new(format!(
            "event `{id}`: unknown {column} `{text}` in the store"
        ))
    })
}

fn sqlite_pending(connection: &Connection, table: &str) -> Result<Recovery, StoreError> {
    let mut statement = connection
        .prepare(&format!(
            "SELECT id, event_type, source, timestamp, data FROM {table}
             WHERE status = 'pending' AND origin = 'input' ORDER BY seq"
        ))
        .map_err(|e| sql_error("read pending events", e))?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
            ))
        })
        .map_err(|e| sql_error("read pending events", e))?;
    let mut recovery = Recovery::default();
    for row in rows {
        let (id, event_type, source, timestamp, data) =
            row.map_err(|e| sql_error("read pending events", e))?;
        #[allow(clippy::disallowed_methods, reason = "data this store wrote")]
        match serde_json::from_str(&data) {
            Ok(data) => recovery.pending.push(Arc::new(Event {
                id: id.into(),
                event_type: event_type.into(),
                source: source.map(Substr::from),
                timestamp: timestamp.into(),
                data,
            })),
            Err(e) => recovery.warnings.push(format!(
                "event `{id}`: stored data is not JSON ({e}); skipped"
            )),
        }
    }
    Ok(recovery)
}

/// Runs blocking database work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::caused_by(format!("database worker failed: {e}"), e))?
}

impl EventStore for DatabaseStore {
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
        let connection = match &self.backend {
            Backend::Sqlite(connection) => Arc::clone(connection),
            Backend::Postgres(pg) => {
                return Box::pin(async move {
                    written.await?;
                    self.pg_recent(pg, limit).await
                });
            }
        };
        let table = self.table.clone();
        Box::pin(async move {
            written.await?;
            blocking(move || {
                let connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
                let mut select = connection
                    .prepare(&format!(
                    "SELECT id, event_type, source, timestamp, data, status, origin FROM {table}
                     ORDER BY seq DESC LIMIT ?1"
                ))
                    .map_err(|e| sql_error("read events", e))?;
                let limit = i64::try_from(limit).unwrap_or(i64::MAX);
                let rows = select
                    .query_map([limit], |row| {
                        Ok((
                            Event {
                                id: row.get::<_, String>(0)?.into(),
                                event_type: row.get::<_, String>(1)?.into(),
                                source: row.get::<_, Option<String>>(2)?.map(Substr::from),
                                timestamp: row.get::<_, String>(3)?.into(),
                                data: serde_json::Value::Null.into(),
                            },
                            row.get::<_, String>(4)?,
                            row.get::<_, String>(5)?,
                            row.get::<_, String>(6)?,
                        ))
                    })
                    .map_err(|e| sql_error("read events", e))?;
                let mut events = Vec::new();
                for row in rows {
                    let (mut event, data, status, origin) =
                        row.map_err(|e| sql_error("read events", e))?;
                    // A row this store did not write whole is an error naming it,
                    // never a silent `null` or "pending".
                    #[allow(clippy::disallowed_methods, reason = "data this store wrote")]
                    {
                        event.data = serde_json::from_str(&data).map_err(|e| {
                            StoreError::caused_by(
                                format!("event `{}`: stored data is not JSON ({e})", event.id),
                                e,
                            )
                        })?;
                    }
                    let status = stored_keyword(&event.id, "status", &status)?;
                    let origin = stored_keyword(&event.id, "origin", &origin)?;
                    events.push(StoredEvent::new(Arc::new(event), status, origin));
                }
                events.reverse();
                Ok(events)
            })
            .await
        })
    }

    fn flush(&self) -> BoxFuture<'static, Result<(), StoreError>> {
        self.committer.flush()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::exec::store::testing::{input, pending_ids};

    #[tokio::test]
    async fn sqlite_recovers_pending_inputs_and_keeps_data_intact() {
        let dir = std::env::temp_dir().join(format!("adl-sqlite-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let url = format!("sqlite://{}", dir.join("events.db").display());
        let store = DatabaseStore::open(&url, "agent.events").await;
        assert!(
            store.is_err(),
            "a schema-qualified name needs an attached schema in SQLite"
        );
        let store = DatabaseStore::open(&url, "events").await.expect("opens");
        let appended = store
            .append(vec![input("a"), input("b"), input("a")])
            .await
            .expect("append");
        assert_eq!(appended.duplicates, [2]);
        store.mark_done(&["a".into()]).await.expect("done");
        store
            .flush()
            .await
            .expect("buffered done marks are written");
        let recent = store.recent(10).await.expect("recent");
        assert_eq!(recent.len(), 2, "an id is stored once");
        assert_eq!(recent[0].event.data, json!({"n": [1, {"a": null}]}));
        drop(store);
        let reopened = DatabaseStore::open(&url, "events").await.expect("reopens");
        let pending = pending_ids(&reopened).await;
        assert_eq!(pending, ["b"]);
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    /// A row the store did not write whole (edited by hand, a damaged file) is
    /// an error naming it when read back, never `null` data or a made-up status.
    #[tokio::test]
    async fn sqlite_rows_it_did_not_write_are_errors_not_guesses() {
        let dir = std::env::temp_dir().join(format!("adl-sqlite-corrupt-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("events.db");
        let url = format!("sqlite://{}", path.display());
        let store = DatabaseStore::open(&url, "events").await.expect("opens");
        store
            .append(vec![input("a"), input("b")])
            .await
            .expect("append");
        store.flush().await.expect("flush");
        let edit = |sql: &str| {
            Connection::open(&path)
                .expect("a second connection")
                .execute_batch(sql)
                .expect("edited");
        };
        edit("UPDATE events SET data = '{\"torn' WHERE id = 'b'");
        let error = store.recent(10).await.expect_err("torn data");
        assert!(
            error
                .message()
                .contains("event `b`: stored data is not JSON"),
            "{}",
            error.message()
        );
        edit("UPDATE events SET data = '{}', status = 'finished' WHERE id = 'b'");
        let error = store.recent(10).await.expect_err("unknown status");
        assert!(
            error
                .message()
                .contains("event `b`: unknown status `finished`"),
            "{}",
            error.message()
        );
        edit("UPDATE events SET status = 'pending', origin = 'elsewhere' WHERE id = 'b'");
        let error = store.recent(10).await.expect_err("unknown origin");
        assert!(
            error.message().contains("unknown origin `elsewhere`"),
            "{}",
            error.message()
        );
        drop(store);
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    /// The PostgreSQL server tests use: `ADL_TEST_POSTGRES_URL`. The tests are
    /// ignored unless a server is configured or CI is set (`build.rs`).
    fn postgres_url() -> String {
        std::env::var("ADL_TEST_POSTGRES_URL").expect(
            "ADL_TEST_POSTGRES_URL is not set: CI must test against a real PostgreSQL server",
        )
    }

    #[tokio::test]
    #[cfg_attr(
        not(adl_postgres),
        ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
    )]
    async fn postgres_recovers_pending_inputs_and_keeps_data_intact() {
        let url = postgres_url();
        let table = format!(
            "adl_test_{}.events_{}",
            std::process::id(),
            uuid::Uuid::now_v7().simple()
        );
        let store = DatabaseStore::open(&url, &table)
            .await
            .expect("connects and creates the table");
        let many: Vec<_> = (0..2500).map(|i| input(&format!("e{i}"))).collect();
        store
            .append(many)
            .await
            .expect("a batch of 2,500 events in one statement");
        let again = store
            .append(vec![input("e0"), input("new"), input("new")])
            .await
            .expect("an id is stored once");
        assert_eq!(
            again.duplicates,
            [0, 2],
            "stored before, and twice in one batch"
        );
        let done: Vec<Substr> = (0..2499).map(|i| format!("e{i}").into()).collect();
        store.mark_done(&done).await.expect("done");
        store.flush().await.expect("flush");
        let recent = store.recent(3).await.expect("recent");
        assert_eq!(recent.len(), 3);
        assert_eq!(recent[2].event.id, "new");
        assert_eq!(recent[2].event.data, json!({"n": [1, {"a": null}]}));
        drop(store);
        let reopened = DatabaseStore::open(&url, &table).await.expect("reopens");
        let pending = pending_ids(&reopened).await;
        assert_eq!(pending, ["e2499", "new"]);
        let Backend::Postgres(pg) = &reopened.backend else {
            panic!("postgres")
        };
        let schema = table.split('.').next().expect("schema");
        let connection = pg.connected().await.expect("connected");
        connection
            .as_ref()
            .expect("connected")
            .client
            .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .await
            .expect("clean up");
    }

    /// A group that races another writer to an id (the other's row is
    /// committed after the group's statement began, so the lookup that
    /// skips stored rows cannot see it) is sent again: the raced input is a
    /// duplicate, the others are stored, nothing fails. Data read from text
    /// is stored as the same JSON.
    #[tokio::test]
    #[cfg_attr(
        not(adl_postgres),
        ignore = "needs PostgreSQL: set ADL_TEST_POSTGRES_URL"
    )]
    async fn postgres_groups_racing_another_writer_store_each_id_once() {
        let url = postgres_url();
        let schema = format!("adl_test_race_{}", std::process::id());
        let table = format!("{schema}.events_{}", uuid::Uuid::now_v7().simple());
        let store = DatabaseStore::open(&url, &table).await.expect("opens");
        let other = pg_connect(&url).await.expect("a second writer");
        other
            .batch_execute(&format!(
                "BEGIN; INSERT INTO {} (id, event_type, timestamp, data, status, origin)
                 VALUES ('raced', 'job', 't', '{{}}', 'pending', 'input')",
                quoted_table(&table).expect("valid")
            ))
            .await
            .expect("the other writer's row, not yet committed");
        #[allow(
            clippy::disallowed_methods,
            reason = "data read from text, as input is"
        )]
        let data: crate::EventData =
            serde_json::from_str(r#"{"s": "caf\u00e9 \"q\"", "n": [1.5, -2, {"a": null}]}"#)
                .expect("data");
        let read = Event::new(
            "read",
            "job",
            "2026-02-16T10:00:00Z",
            serde_json::Value::Null,
        );
        let read = StoredEvent::new(
            Arc::new(Event { data, ..read }),
            Status::Pending,
            Origin::Input,
        );
        let append = store.append(vec![input("first"), input("raced"), read]);
        let commit = async {
            // The group's statement waits on the uncommitted row's id.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            other.batch_execute("COMMIT").await.expect("committed");
        };
        let (appended, ()) = tokio::join!(append, commit);
        let appended = appended.expect("sent again, skipping the raced row");
        assert_eq!(appended.duplicates, [1], "the raced input only");
        assert!(appended.refused.is_empty(), "{:?}", appended.refused);
        let recent = store.recent(10).await.expect("recent");
        let ids: Vec<&str> = recent.iter().map(|e| e.event.id.as_str()).collect();
        assert_eq!(ids, ["raced", "first", "read"]);
        assert_eq!(
            recent[2].event.data,
            json!({"s": "café \"q\"", "n": [1.5, -2, {"a": null}]})
        );
        other
            .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .await
            .expect("clean up");
    }

    #[tokio::test]
    async fn connection_errors_never_show_the_password() {
        let error = DatabaseStore::open("postgresql://agent:s3cret-Pa55@127.0.0.1:1/adl", "events")
            .await
            .expect_err("nothing listens on port 1");
        assert!(
            error
                .message()
                .starts_with("database: cannot connect to PostgreSQL"),
            "{error}"
        );
        assert!(!format!("{error:?}").contains("s3cret"), "{error:?}");
        // The client's own error is kept as the cause.
        let cause = std::error::Error::source(&error).expect("a cause");
        assert!(cause.is::<tokio_postgres::Error>(), "{cause:?}");
        let debug = format!(
            "{:?}",
            DatabaseStore::open("sqlite::memory:", "events")
                .await
                .expect("opens")
        );
        assert!(!debug.contains("sqlite"), "{debug}");
    }

    #[test]
    fn env_references_expand_and_missing_ones_name_the_variable_only() {
        assert_eq!(expand_env("sqlite://x.db").expect("plain"), "sqlite://x.db");
        let error =
            expand_env("postgresql://app:${env.ADL_TEST_SURELY_UNSET}@db/x").expect_err("unset");
        assert_eq!(
            error.message(),
            "the connection string uses `${env.ADL_TEST_SURELY_UNSET}` but `ADL_TEST_SURELY_UNSET` is not set"
        );
    }

    /// Only a real `\u0000` escape is a NUL: an escaped backslash before
    /// `u0000` is text.
    #[test]
    fn nul_escapes_are_found_exactly() {
        assert!(escapes_nul(br#"{"s":"a\u0000b"}"#));
        assert!(escapes_nul(br#"["\\\u0000"]"#));
        assert!(!escapes_nul(br#"{"s":"a\\u0000b"}"#));
        assert!(!escapes_nul(br#"{"s":"\u00001"}"#.split_at(5).0));
        assert!(!escapes_nul(br#"{"s":"\n\u0001"}"#));
    }

    #[test]
    fn table_names_are_validated_and_quoted() {
        assert_eq!(quoted_table("events").expect("plain"), "\"events\"");
        assert_eq!(
            quoted_table("agent.events").expect("qualified"),
            "\"agent\".\"events\""
        );
        assert!(quoted_table("events; DROP TABLE x").is_err());
    }
}
