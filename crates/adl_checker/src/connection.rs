//! Database connection strings (spec §10, §13.12): `postgresql://…` /
//! `postgres://…`, `sqlite://PATH`, `sqlite::memory:`; `${env.NAME}` allowed.

use std::ops::Range;

/// What a connection string says, with byte ranges into the decoded string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    Postgres {
        /// An inline password (in the user info or a `password=` parameter) that is
        /// not an `${env.NAME}` reference.
        password: Option<Range<usize>>,
    },
    Sqlite,
    /// The whole string is `${env.NAME}` (a `DATABASE_URL`-style variable):
    /// checked when the runtime reads it.
    FromEnvironment,
}

/// The database a connection string names, read from its scheme alone (the
/// one place that knows the schemes: the checker, the store and `adl run`'s
/// banner all ask here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Database<'a> {
    /// `sqlite::memory:`
    SqliteInMemory,
    /// `sqlite://PATH`, with the path as written (possibly empty).
    SqliteFile(&'a str),
    /// `postgresql://…` or `postgres://…`; what follows the scheme.
    Postgres(&'a str),
}

impl<'a> Database<'a> {
    /// The database `url` names, or `None` for a scheme adl does not store in.
    pub fn of(url: &'a str) -> Option<Self> {
        if url == "sqlite::memory:" {
            return Some(Self::SqliteInMemory);
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            return Some(Self::SqliteFile(path));
        }
        ["postgresql://", "postgres://"]
            .iter()
            .find_map(|scheme| url.strip_prefix(scheme))
            .map(Self::Postgres)
    }
}

/// Why a connection string is not valid, with the range at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionError {
    pub message: String,
    pub help: String,
    pub range: Range<usize>,
}

fn error(
    message: impl Into<String>,
    help: impl Into<String>,
    range: Range<usize>,
) -> ConnectionError {
    ConnectionError {
        message: message.into(),
        help: help.into(),
        range,
    }
}

/// Whether `text` is exactly `${env.NAME}`.
pub fn is_env_reference(text: &str) -> bool {
    text.strip_prefix("${env.")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|name| {
            name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Every `${…}` in `text` that is not `${env.NAME}`.
fn other_templates(text: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(start) = text[from..].find("${").map(|i| i + from) {
        let end = text[start..]
            .find('}')
            .map_or(text.len(), |i| start + i + 1);
        if !is_env_reference(&text[start..end]) {
            return Some(start..end);
        }
        from = end;
    }
    None
}

pub fn parse_connection(text: &str) -> Result<Connection, ConnectionError> {
    if let Some(range) = other_templates(text) {
        return Err(error(
            "only `${env.NAME}` templates are allowed in `connection_string`",
            "write secrets and hosts as environment references, e.g. `${env.DATABASE_PASSWORD}`",
            range,
        ));
    }
    if is_env_reference(text) {
        return Ok(Connection::FromEnvironment);
    }
    let scheme_end = match Database::of(text) {
        Some(Database::SqliteFile("")) => {
            return Err(error(
                "`sqlite://` needs a file path",
                "write `sqlite://./events.db`, or `sqlite::memory:` for a database in memory",
                0..text.len(),
            ));
        }
        Some(Database::SqliteInMemory | Database::SqliteFile(_)) => {
            return Ok(Connection::Sqlite);
        }
        Some(Database::Postgres(rest)) => Some(text.len() - rest.len()),
        None => None,
    };
    let Some(scheme_end) = scheme_end else {
        // Only a URL's scheme is named: anything else may hold a secret.
        let Some(end) = text.find("://") else {
            return Err(error(
                "`connection_string` is not a URL",
                "write it as `postgresql://user@host:port/db`, `sqlite://PATH` or \
                 `sqlite::memory:` (libpq's `host=… dbname=…` form is not read)",
                0..text.len().max(1),
            ));
        };
        return Err(error(
            format!("unsupported database `{}`", &text[..end]),
            "use `postgresql://user@host/db`, `sqlite://PATH` or `sqlite::memory:`",
            0..end.max(1).min(text.len()),
        ));
    };
    let rest_end = text[scheme_end..]
        .find(['/', '?'])
        .map_or(text.len(), |i| scheme_end + i);
    let authority = &text[scheme_end..rest_end];
    let host_start = authority
        .rfind('@')
        .map_or(scheme_end, |at| scheme_end + at + 1);
    let host = &text[host_start..rest_end];
    // `[::1]:5432`: the port follows the closing bracket.
    let port_search_from = host.rfind(']').map_or(0, |i| i + 1);
    if let Some(colon) = host[port_search_from..]
        .rfind(':')
        .map(|i| i + port_search_from)
    {
        let port = &host[colon + 1..];
        let valid = is_env_reference(port) || port.parse::<u16>().is_ok_and(|p| p > 0);
        if !valid {
            let start = host_start + colon + 1;
            return Err(error(
                format!("invalid port `{port}`"),
                "a port is a number from 1 to 65535, e.g. `:5432`",
                start..rest_end.max(start + 1).min(text.len().max(start)),
            ));
        }
    }
    Ok(Connection::Postgres {
        password: password_range(text),
    })
}

/// The keys whose values are secrets, in a URL's query or the key/value form.
const SECRET_KEYS: [&str; 2] = ["password", "sslpassword"];

/// The first inline secret of a connection string (see [`secret_ranges`]).
pub fn password_range(text: &str) -> Option<Range<usize>> {
    secret_ranges(text).into_iter().next()
}

/// Every inline secret of a connection string, whatever else is wrong with
/// it, in order: used to redact. In a URL, the user info's password and the
/// `password` and `sslpassword` query parameters; in libpq's key/value form
/// (`host=db password=… sslpassword='…'`), those keys' values. `${env.NAME}`
/// references are not secrets.
pub fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    let mut secrets = Vec::new();
    let mut keep = |range: Range<usize>| {
        if range.start < range.end && !is_env_reference(&text[range.clone()]) {
            secrets.push(range);
        }
    };
    let Some(scheme_end) = text.find("://").map(|i| i + 3) else {
        for (key, value) in key_value_pairs(text) {
            if SECRET_KEYS.contains(&key) {
                keep(value);
            }
        }
        return secrets;
    };
    let rest_end = text[scheme_end..]
        .find(['/', '?'])
        .map_or(text.len(), |i| scheme_end + i);
    let authority = &text[scheme_end..rest_end];
    if let Some(at) = authority.rfind('@') {
        if let Some(colon) = authority[..at].find(':') {
            keep(scheme_end + colon + 1..scheme_end + at);
        }
    }
    if let Some(query_start) = text[rest_end..].find('?').map(|i| rest_end + i + 1) {
        let mut offset = query_start;
        for pair in text[query_start..].split('&') {
            if let Some((key, value)) = pair.split_once('=') {
                if SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                    let start = offset + key.len() + 1;
                    keep(start..start + value.len());
                }
            }
            offset += pair.len() + 1;
        }
    }
    secrets
}

/// The `key=value` pairs of libpq's key/value form, each value's range
/// (inside quotes, for a quoted value).
fn key_value_pairs(text: &str) -> Vec<(&str, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut pairs = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let key_start = at;
        while at < bytes.len() && bytes[at] != b'=' && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let key = &text[key_start..at];
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let value = if bytes.get(at) == Some(&b'\'') {
            let start = at + 1;
            at = start;
            while at < bytes.len() && bytes[at] != b'\'' {
                at += if bytes[at] == b'\\' { 2 } else { 1 };
            }
            let end = at.min(bytes.len());
            at = end + 1;
            start..end
        } else {
            let start = at;
            while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            start..at
        };
        pairs.push((key, value));
    }
    pairs
}

/// A plain or schema-qualified SQL identifier: `events`, `audit.events`.
pub fn table_name_problem(name: &str) -> Option<String> {
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() > 2 {
        return Some("at most one `.` (schema.table)".to_owned());
    }
    for part in parts {
        if part.is_empty() {
            return Some("an empty name part".to_owned());
        }
        if part.len() > 63 {
            return Some(format!("`{part}` is longer than 63 bytes"));
        }
        if !part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Some(format!("`{part}` does not start with a letter or `_`"));
        }
        if let Some(bad) = part
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        {
            return Some(format!("`{bad}` is not allowed in an identifier"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_read_from_the_scheme() {
        assert_eq!(
            Database::of("sqlite::memory:"),
            Some(Database::SqliteInMemory)
        );
        assert_eq!(
            Database::of("sqlite://./e.db"),
            Some(Database::SqliteFile("./e.db"))
        );
        assert_eq!(Database::of("sqlite://"), Some(Database::SqliteFile("")));
        assert_eq!(
            Database::of("postgres://h/db"),
            Some(Database::Postgres("h/db"))
        );
        assert_eq!(
            Database::of("postgresql://h/db"),
            Some(Database::Postgres("h/db"))
        );
        assert_eq!(Database::of("mysql://h/db"), None);
        assert_eq!(Database::of("sqlite:memory"), None);
    }

    #[test]
    fn postgres_with_inline_password() {
        let text = "postgresql://user:pass@localhost/adl";
        let Ok(Connection::Postgres {
            password: Some(range),
        }) = parse_connection(text)
        else {
            panic!("postgres with a password")
        };
        assert_eq!(&text[range], "pass");
    }

    /// Every secret of every form: URL user info, `password` and
    /// `sslpassword` parameters, libpq's key/value form, quoted or not.
    #[test]
    fn secrets_of_every_form() {
        let secrets = |text: &str| -> Vec<String> {
            secret_ranges(text)
                .into_iter()
                .map(|r| text[r].to_owned())
                .collect()
        };
        assert_eq!(
            secrets("postgresql://a:p1@h/d?sslpassword=p2&password=p3"),
            ["p1", "p2", "p3"]
        );
        assert_eq!(
            secrets("host=h user=a password=p1 sslpassword = 'p 2\\' x' dbname=d"),
            ["p1", "p 2\\' x"]
        );
        assert_eq!(
            secrets("postgresql://a:${env.PW}@h/d?PASSWORD=${env.X}"),
            Vec::<String>::new()
        );
        assert_eq!(secrets("host=h password="), Vec::<String>::new());
        assert_eq!(secrets("password='unterminated"), ["unterminated"]);
    }

    #[test]
    fn env_password_and_query_password() {
        assert_eq!(
            parse_connection("postgres://u:${env.PGPASSWORD}@db:5432/x"),
            Ok(Connection::Postgres { password: None })
        );
        let text = "postgresql://db/x?sslmode=require&password=hunter2";
        let Ok(Connection::Postgres {
            password: Some(range),
        }) = parse_connection(text)
        else {
            panic!("a query password")
        };
        assert_eq!(&text[range], "hunter2");
    }

    #[test]
    fn schemes_ports_and_templates() {
        assert_eq!(parse_connection("sqlite::memory:"), Ok(Connection::Sqlite));
        assert_eq!(parse_connection("sqlite://./a.db"), Ok(Connection::Sqlite));
        assert!(parse_connection("sqlite://").is_err());
        assert!(parse_connection("mysql://x").is_err());
        assert!(parse_connection("postgresql://db:99999/x").is_err());
        assert!(parse_connection("postgresql://[::1]:5432/x").is_ok());
        assert!(parse_connection("postgresql://${event.data.host}/x").is_err());
        assert!(parse_connection("postgresql://${env.HOST}:${env.PORT}/x").is_ok());
    }

    #[test]
    fn table_names() {
        assert_eq!(table_name_problem("events"), None);
        assert_eq!(table_name_problem("audit.events"), None);
        assert!(table_name_problem("events; DROP TABLE x").is_some());
        assert!(table_name_problem("a.b.c").is_some());
        assert!(table_name_problem("1events").is_some());
    }
}
