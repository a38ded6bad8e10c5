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

use rusqlite::Connection;

use super::{EventStore, Origin, Recovery, Status, StoreError, StoredEvent};
use crate::Event;
use crate::exec::BoxFuture;

/// A database event store.
pub struct DatabaseStore {
    backend: Backend,
    /// The quoted table name.
    table: String,
    recovery: Mutex<Option<Recovery>>,
    /// `done` marks not yet written.
    done: Mutex<Vec<Substr>>,
}

/// `done` marks written per transaction.
const DONE_BATCH: usize = 256;

enum Backend {
    Sqlite(Arc<Mutex<Connection>>),
    Postgres(Box<Postgres>),
}

/// A PostgreSQL connection and the statements it prepared once at open.
struct Postgres {
    client: tokio::sync::Mutex<tokio_postgres::Client>,
    /// Stores a whole batch: one array per column, unnested into rows (one
    /// statement however many events, no parameter limit).
    insert: tokio_postgres::Statement,
    done: tokio_postgres::Statement,
}

fn pg_error(what: &str, error: &tokio_postgres::Error) -> StoreError {
    // tokio-postgres errors never contain the connection string.
    StoreError(format!("database: cannot {what}: {error}"))
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
            return Err(StoreError(
                "unclosed `${env.` in the connection string".to_owned(),
            ));
        };
        let name = &after[..end];
        let value = std::env::var(name).map_err(|_| {
            StoreError(format!(
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
        return Err(StoreError(format!("table name `{name}`: {problem}")));
    }
    Ok(name
        .split('.')
        .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join("."))
}

fn sql_error(what: &str, error: &rusqlite::Error) -> StoreError {
    StoreError(format!("database: cannot {what}: {error}"))
}

impl DatabaseStore {
    /// Connects, creates the table if missing and reads what needs recovery.
    pub async fn open(connection_string: &str, table_name: &str) -> Result<Self, StoreError> {
        let url = expand_env(connection_string)?;
        let table = quoted_table(table_name)?;
        let path = if url == "sqlite::memory:" {
            None
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            Some(path.to_owned())
        } else if url.starts_with("postgresql://") || url.starts_with("postgres://") {
            return Self::open_postgres(&url, table, table_name).await;
        } else {
            return Err(StoreError(
                "the connection string must start with `postgresql://`, `postgres://` or `sqlite://`"
                    .to_owned(),
            ));
        };
        let create_table = table.clone();
        let (connection, recovery) = blocking(move || {
            let connection = match &path {
                None => Connection::open_in_memory(),
                Some(path) => {
                    if let Some(dir) = std::path::Path::new(path)
                        .parent()
                        .filter(|d| !d.as_os_str().is_empty())
                    {
                        std::fs::create_dir_all(dir).map_err(|e| {
                            StoreError(format!("database: cannot create `{}`: {e}", dir.display()))
                        })?;
                    }
                    Connection::open(path)
                }
            }
            .map_err(|e| sql_error("open the SQLite database", &e))?;
            connection
                .execute_batch(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                     CREATE TABLE IF NOT EXISTS {create_table} (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
                .map_err(|e| sql_error("create the events table", &e))?;
            let recovery = sqlite_pending(&connection, &create_table)?;
            Ok((connection, recovery))
        })
        .await?;
        Ok(Self {
            backend: Backend::Sqlite(Arc::new(Mutex::new(connection))),
            table,
            recovery: Mutex::new(Some(recovery)),
            done: Mutex::new(Vec::new()),
        })
    }
}

impl DatabaseStore {
    async fn open_postgres(url: &str, table: String, table_name: &str) -> Result<Self, StoreError> {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .map_err(|e| pg_error("connect to PostgreSQL", &e))?;
        // The connection task ends when the client is dropped.
        tokio::spawn(connection);
        if let Some((schema, _)) = table_name.split_once('.') {
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                    schema.replace('"', "\"\"")
                ))
                .await
                .map_err(|e| pg_error("create the schema", &e))?;
        }
        client
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
                 )"
            ))
            .await
            .map_err(|e| pg_error("create the events table", &e))?;
        let rows = client
            .query(
                &format!(
                    "SELECT id, event_type, source, timestamp, data FROM {table}
                     WHERE status = 'pending' AND origin = 'input' ORDER BY seq"
                ),
                &[],
            )
            .await
            .map_err(|e| pg_error("read pending events", &e))?;
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
        let insert = client
            .prepare(&format!(
                "INSERT INTO {table} (id, event_type, source, timestamp, data, status, origin)
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[],
                                      $5::jsonb[], $6::text[], $7::text[])
                 ON CONFLICT (id) DO NOTHING"
            ))
            .await
            .map_err(|e| pg_error("prepare storing events", &e))?;
        let done = client
            .prepare(&format!(
                "UPDATE {table} SET status = 'done', updated_at = now()
                 WHERE id = ANY($1) AND status = 'pending'"
            ))
            .await
            .map_err(|e| pg_error("prepare marking events done", &e))?;
        Ok(Self {
            backend: Backend::Postgres(Box::new(Postgres {
                client: tokio::sync::Mutex::new(client),
                insert,
                done,
            })),
            table,
            recovery: Mutex::new(Some(Recovery {
                pending,
                warnings: Vec::new(),
            })),
            done: Mutex::new(Vec::new()),
        })
    }

    async fn pg_append(&self, pg: &Postgres, events: Vec<StoredEvent>) -> Result<(), StoreError> {
        let ids: Vec<&str> = events.iter().map(|s| s.event.id.as_str()).collect();
        let types: Vec<&str> = events.iter().map(|s| s.event.event_type.as_str()).collect();
        let sources: Vec<Option<&str>> = events.iter().map(|s| s.event.source.as_deref()).collect();
        let timestamps: Vec<&str> = events.iter().map(|s| s.event.timestamp.as_str()).collect();
        let data: Vec<&serde_json::Value> = events.iter().map(|s| s.event.data.value()).collect();
        let statuses: Vec<String> = events.iter().map(|s| keyword(s.status)).collect();
        let origins: Vec<String> = events.iter().map(|s| keyword(s.origin)).collect();
        // One statement in autocommit: the batch is stored whole or not at all.
        pg.client
            .lock()
            .await
            .execute(
                &pg.insert,
                &[
                    &ids,
                    &types,
                    &sources,
                    &timestamps,
                    &data,
                    &statuses,
                    &origins,
                ],
            )
            .await
            .map(|_| ())
            .map_err(|e| pg_error("store events", &e))
    }

    async fn pg_mark_done(&self, pg: &Postgres, ids: Vec<Substr>) -> Result<(), StoreError> {
        let ids: Vec<&str> = ids.iter().map(Substr::as_str).collect();
        let error = |e: tokio_postgres::Error| pg_error("mark events done", &e);
        let mut client = pg.client.lock().await;
        let transaction = client.transaction().await.map_err(error)?;
        // A done mark lost in a server crash only makes its event replay
        // (at-least-once), so its commit need not wait for the disk; stored
        // events themselves are always committed synchronously.
        transaction
            .batch_execute("SET LOCAL synchronous_commit TO OFF")
            .await
            .map_err(error)?;
        transaction
            .execute(&pg.done, &[&ids])
            .await
            .map_err(error)?;
        transaction.commit().await.map_err(error)
    }

    async fn pg_recent(&self, pg: &Postgres, limit: usize) -> Result<Vec<StoredEvent>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = pg
            .client
            .lock()
            .await
            .query(
                &format!(
                    "SELECT id, event_type, source, timestamp, data, status, origin FROM {}
                     ORDER BY seq DESC LIMIT $1",
                    self.table
                ),
                &[&limit],
            )
            .await
            .map_err(|e| pg_error("read events", &e))?;
        let mut events: Vec<StoredEvent> = rows
            .iter()
            .map(|row| {
                let event = Event {
                    id: row.get::<_, String>(0).into(),
                    event_type: row.get::<_, String>(1).into(),
                    source: row.get::<_, Option<String>>(2).map(Substr::from),
                    timestamp: row.get::<_, String>(3).into(),
                    data: row.get::<_, serde_json::Value>(4).into(),
                };
                StoredEvent::new(
                    Arc::new(event),
                    parse_keyword(row.get(5)).unwrap_or(Status::Pending),
                    parse_keyword(row.get(6)).unwrap_or(Origin::Input),
                )
            })
            .collect();
        events.reverse();
        Ok(events)
    }
}

impl DatabaseStore {
    fn write_done(&self, ids: Vec<Substr>) -> BoxFuture<'_, Result<(), StoreError>> {
        let connection = match &self.backend {
            Backend::Sqlite(connection) => connection,
            Backend::Postgres(pg) => return Box::pin(self.pg_mark_done(pg, ids)),
        };
        let table = self.table.clone();
        sqlite_transaction(connection, move |transaction| {
            let mut update = transaction
                .prepare_cached(&format!(
                    "UPDATE {table} SET status = 'done', updated_at = CURRENT_TIMESTAMP
                     WHERE id = ?1 AND status = 'pending'"
                ))
                .map_err(|e| sql_error("prepare the update", &e))?;
            for id in ids {
                update
                    .execute([id.as_str()])
                    .map_err(|e| sql_error("mark an event done", &e))?;
            }
            Ok(())
        })
    }
}

/// Runs `work` in one SQLite transaction, off the async threads.
fn sqlite_transaction(
    connection: &Arc<Mutex<Connection>>,
    work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<(), StoreError> + Send + 'static,
) -> BoxFuture<'static, Result<(), StoreError>> {
    let connection = Arc::clone(connection);
    Box::pin(blocking(move || {
        let mut connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
        let transaction = connection
            .transaction()
            .map_err(|e| sql_error("begin", &e))?;
        work(&transaction)?;
        transaction.commit().map_err(|e| sql_error("commit", &e))
    }))
}

fn parse_keyword<T: serde::de::DeserializeOwned>(text: String) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text)).ok()
}

fn sqlite_pending(connection: &Connection, table: &str) -> Result<Recovery, StoreError> {
    let mut statement = connection
        .prepare(&format!(
            "SELECT id, event_type, source, timestamp, data FROM {table}
             WHERE status = 'pending' AND origin = 'input' ORDER BY seq"
        ))
        .map_err(|e| sql_error("read pending events", &e))?;
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
        .map_err(|e| sql_error("read pending events", &e))?;
    let mut recovery = Recovery::default();
    for row in rows {
        let (id, event_type, source, timestamp, data) =
            row.map_err(|e| sql_error("read pending events", &e))?;
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
        .map_err(|e| StoreError(format!("database worker failed: {e}")))?
}

fn keyword<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl EventStore for DatabaseStore {
    fn append(&self, events: Vec<StoredEvent>) -> BoxFuture<'_, Result<(), StoreError>> {
        let connection = match &self.backend {
            Backend::Sqlite(connection) => connection,
            Backend::Postgres(pg) => return Box::pin(self.pg_append(pg, events)),
        };
        let table = self.table.clone();
        sqlite_transaction(connection, move |transaction| {
            let mut insert = transaction
                .prepare_cached(&format!(
                    "INSERT INTO {table} (id, event_type, source, timestamp, data, status, origin)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING"
                ))
                .map_err(|e| sql_error("prepare the insert", &e))?;
            for stored in &events {
                let event = &stored.event;
                insert
                    .execute(rusqlite::params![
                        event.id.as_str(),
                        event.event_type.as_str(),
                        event.source.as_deref(),
                        event.timestamp.as_str(),
                        event.data.to_string(),
                        keyword(stored.status),
                        keyword(stored.origin),
                    ])
                    .map_err(|e| sql_error("store an event", &e))?;
            }
            Ok(())
        })
    }

    fn recover(&self) -> BoxFuture<'_, Result<Recovery, StoreError>> {
        super::take_recovery(&self.recovery)
    }

    /// Buffered: `done` marks are written together, at most 256 at a
    /// time, in one transaction. Losing the buffer in a crash only means those
    /// events are replayed (at-least-once), as with the file store.
    fn mark_done<'a>(&'a self, ids: &'a [Substr]) -> BoxFuture<'a, Result<(), StoreError>> {
        let full = {
            let mut buffer = self.done.lock().unwrap_or_else(PoisonError::into_inner);
            buffer.extend_from_slice(ids);
            (buffer.len() >= DONE_BATCH).then(|| std::mem::take(&mut *buffer))
        };
        match full {
            Some(ids) => self.write_done(ids),
            None => Box::pin(std::future::ready(Ok(()))),
        }
    }

    fn recent(&self, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>, StoreError>> {
        let connection = match &self.backend {
            Backend::Sqlite(connection) => connection,
            Backend::Postgres(pg) => return Box::pin(self.pg_recent(pg, limit)),
        };
        let connection = Arc::clone(connection);
        let table = self.table.clone();
        Box::pin(blocking(move || {
            let connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
            let mut select = connection
                .prepare(&format!(
                    "SELECT id, event_type, source, timestamp, data, status, origin FROM {table}
                     ORDER BY seq DESC LIMIT ?1"
                ))
                .map_err(|e| sql_error("read events", &e))?;
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
                .map_err(|e| sql_error("read events", &e))?;
            let mut events = Vec::new();
            for row in rows {
                let (mut event, data, status, origin) =
                    row.map_err(|e| sql_error("read events", &e))?;
                #[allow(clippy::disallowed_methods, reason = "data this store wrote")]
                {
                    event.data = serde_json::from_str(&data)
                        .unwrap_or_else(|_| serde_json::Value::Null.into());
                }
                let status = serde_json::from_value(serde_json::Value::String(status))
                    .unwrap_or(Status::Pending);
                let origin = serde_json::from_value(serde_json::Value::String(origin))
                    .unwrap_or(Origin::Input);
                events.push(StoredEvent::new(Arc::new(event), status, origin));
            }
            events.reverse();
            Ok(events)
        }))
    }

    fn flush(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        // Appends are committed transactions (SQLite with `synchronous = FULL`);
        // only `done` marks wait in the buffer.
        let ids = std::mem::take(&mut *self.done.lock().unwrap_or_else(PoisonError::into_inner));
        if ids.is_empty() {
            return Box::pin(std::future::ready(Ok(())));
        }
        self.write_done(ids)
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
        store
            .append(vec![input("a"), input("b"), input("a")])
            .await
            .expect("append");
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

    /// The PostgreSQL server tests use: `ADL_TEST_POSTGRES_URL`. Without it the
    /// tests are skipped with a visible message, except in CI, where they fail.
    fn postgres_url() -> Option<String> {
        match std::env::var("ADL_TEST_POSTGRES_URL") {
            Ok(url) => Some(url),
            Err(std::env::VarError::NotPresent | std::env::VarError::NotUnicode(_))
                if std::env::var_os("CI").is_some() =>
            {
                panic!(
                    "ADL_TEST_POSTGRES_URL is not set: CI must test against a real PostgreSQL server"
                )
            }
            Err(std::env::VarError::NotPresent | std::env::VarError::NotUnicode(_)) => {
                #[allow(clippy::print_stderr, reason = "a skipped test says so")]
                {
                    eprintln!(
                        "SKIPPED: set ADL_TEST_POSTGRES_URL to run the PostgreSQL store tests"
                    );
                }
                None
            }
        }
    }

    #[tokio::test]
    async fn postgres_recovers_pending_inputs_and_keeps_data_intact() {
        let Some(url) = postgres_url() else { return };
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
        store
            .append(vec![input("e0")])
            .await
            .expect("an id is stored once");
        let done: Vec<Substr> = (0..2499).map(|i| format!("e{i}").into()).collect();
        store.mark_done(&done).await.expect("done");
        store.flush().await.expect("flush");
        let recent = store.recent(3).await.expect("recent");
        assert_eq!(recent.len(), 3);
        assert_eq!(recent[2].event.id, "e2499");
        assert_eq!(recent[2].event.data, json!({"n": [1, {"a": null}]}));
        drop(store);
        let reopened = DatabaseStore::open(&url, &table).await.expect("reopens");
        let pending = pending_ids(&reopened).await;
        assert_eq!(pending, ["e2499"]);
        let Backend::Postgres(pg) = &reopened.backend else {
            panic!("postgres")
        };
        let schema = table.split('.').next().expect("schema");
        pg.client
            .lock()
            .await
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
                .0
                .starts_with("database: cannot connect to PostgreSQL"),
            "{error}"
        );
        assert!(!error.0.contains("s3cret"), "{error}");
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
            error.0,
            "the connection string uses `${env.ADL_TEST_SURELY_UNSET}` but `ADL_TEST_SURELY_UNSET` is not set"
        );
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
