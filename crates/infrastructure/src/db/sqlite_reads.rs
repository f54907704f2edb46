//! The request path's SQLite reads, run inline on the thread that asks.
//!
//! sqlx drives each SQLite connection on a thread of its own, so every
//! statement went there and back: two thread wake-ups for a point read that
//! SQLite itself answers in microseconds. The profile of the fifth round
//! had a third of the service's CPU in the kernel switching threads on a
//! SQLite GET. These reads (the token lookup, the integration read) now run
//! on `rusqlite` connections over the same SQLite library, synchronously,
//! on the calling thread (an HTTP worker), each blocking it for a point
//! read on an index (about 4 µs in the sixth round's profile). In WAL mode
//! a reader never waits for the writer. Writes stay on sqlx's single
//! writer connection, in order (see [`super::request_pool`]).
//!
//! A connection is taken from a stack and put back after its statement, so
//! there are as many as threads ever read at the same moment (one per HTTP
//! worker in the service). [`SqliteReads::close`] closes them all.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{ConnAcquireErr, DbErr, ProxyRow, QueryResult, RuntimeErr, Statement, Value};

/// How long a reader waits on a lock: only in rare cases (another
/// connection recovering the WAL after a crash), and as long as a writer
/// waits by default (`PoolSettings::sqlite_busy_timeout`).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// sqlx names its in-memory databases `file:sqlx-in-memory-N` and opens
/// them shared; a reader must open the same one.
const SQLX_IN_MEMORY: &str = "file:sqlx-in-memory-";

pub(super) struct SqliteReads {
    filename: PathBuf,
    /// `None` once closed.
    idle: Mutex<Option<Vec<Connection>>>,
}

impl SqliteReads {
    /// Reads of the database `options` open (sqlx's connect options of the
    /// SeaORM pool); connections are opened when first needed.
    pub(super) fn new(options: &SqliteConnectOptions) -> Self {
        Self {
            filename: options.get_filename().to_path_buf(),
            idle: Mutex::new(Some(Vec::new())),
        }
    }

    /// The first row `statement` returns, if any, read on this thread.
    pub(super) fn query_one(&self, statement: &Statement) -> Result<Option<QueryResult>, DbErr> {
        let conn = self.take()?;
        let row = first_row(&conn, statement);
        self.put_back(conn);
        row
    }

    /// Closes every connection; later reads fail as on a closed pool.
    pub(super) fn close(&self) {
        let idle = self.lock().take();
        // Dropping a rusqlite connection closes it here, synchronously: the
        // last connection to the file folds the WAL back before this returns.
        drop(idle);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Vec<Connection>>> {
        // A panic while holding the lock only pushed or popped a connection.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn take(&self) -> Result<Connection, DbErr> {
        // The lock is released before a connection is opened.
        let idle = self.lock().as_mut().map(Vec::pop);
        match idle {
            None => Err(DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)),
            Some(Some(conn)) => Ok(conn),
            Some(None) => self.open(),
        }
    }

    fn put_back(&self, conn: Connection) {
        if let Some(idle) = self.lock().as_mut() {
            idle.push(conn);
        }
    }

    fn open(&self) -> Result<Connection, DbErr> {
        let name = self.filename.to_string_lossy();
        // As sqlx opens it, but never creates it: the SeaORM pool did.
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if name.starts_with(SQLX_IN_MEMORY) {
            flags |= OpenFlags::SQLITE_OPEN_MEMORY | OpenFlags::SQLITE_OPEN_SHARED_CACHE;
        }
        let conn = Connection::open_with_flags(name.as_ref(), flags).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        // A write here would bypass the writer's queue (and its order):
        // make it fail instead.
        conn.pragma_update(None, "query_only", true)
            .map_err(open_error)?;
        Ok(conn)
    }
}

fn first_row(conn: &Connection, statement: &Statement) -> Result<Option<QueryResult>, DbErr> {
    let mut prepared = conn.prepare_cached(&statement.sql).map_err(query_error)?;
    let params = statement
        .values
        .iter()
        .flat_map(|values| values.0.iter())
        .map(param)
        .collect::<Result<Vec<_>, _>>()?;
    // Each column's name and whether it is declared boolean, in one pass
    // (`columns` already yields both).
    let columns: Vec<(String, bool)> = prepared
        .columns()
        .iter()
        .map(|column| {
            let boolean = column
                .decl_type()
                .and_then(|declared| declared.get(..4))
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case("bool"));
            (column.name().to_owned(), boolean)
        })
        .collect();
    let mut rows = prepared
        .query(rusqlite::params_from_iter(params))
        .map_err(query_error)?;
    let Some(row) = rows.next().map_err(query_error)? else {
        return Ok(None);
    };
    let mut values = BTreeMap::new();
    for (index, (name, boolean)) in columns.into_iter().enumerate() {
        let raw = row.get_ref(index).map_err(query_error)?;
        values.insert(name, column_value(raw, boolean)?);
    }
    Ok(Some(ProxyRow { values }.into()))
}

/// A bound value as SQLite stores it (sea-query binds booleans as 0 and 1
/// for SQLite too).
fn param(value: &Value) -> Result<SqlValue, DbErr> {
    Ok(match value {
        Value::Bool(v) => v.map_or(SqlValue::Null, |b| SqlValue::Integer(b.into())),
        Value::TinyInt(v) => v.map_or(SqlValue::Null, |n| SqlValue::Integer(n.into())),
        Value::SmallInt(v) => v.map_or(SqlValue::Null, |n| SqlValue::Integer(n.into())),
        Value::Int(v) => v.map_or(SqlValue::Null, |n| SqlValue::Integer(n.into())),
        Value::BigInt(v) => v.map_or(SqlValue::Null, SqlValue::Integer),
        Value::TinyUnsigned(v) => v.map_or(SqlValue::Null, |n| SqlValue::Integer(n.into())),
        Value::SmallUnsigned(v) => v.map_or(SqlValue::Null, |n| SqlValue::Integer(n.into())),
        Value::Unsigned(v) => v.map_or(SqlValue::Null, |n| SqlValue::Integer(n.into())),
        Value::BigUnsigned(v) => match v {
            None => SqlValue::Null,
            Some(n) => SqlValue::Integer(i64::try_from(*n).map_err(|_| unsupported(value))?),
        },
        Value::Float(v) => v.map_or(SqlValue::Null, |n| SqlValue::Real(n.into())),
        Value::Double(v) => v.map_or(SqlValue::Null, SqlValue::Real),
        Value::String(v) => v
            .as_ref()
            .map_or(SqlValue::Null, |s| SqlValue::Text(s.to_string())),
        Value::Char(v) => v.map_or(SqlValue::Null, |c| SqlValue::Text(c.to_string())),
        Value::Bytes(v) => v
            .as_ref()
            .map_or(SqlValue::Null, |b| SqlValue::Blob(b.to_vec())),
        other => return Err(unsupported(other)),
    })
}

/// A column's value typed as the entity reads it: SQLite stores booleans
/// as integers, and only the declared type tells them apart. A NULL is
/// typed as a missing string, which any `Option` field reads as `None`.
fn column_value(raw: ValueRef<'_>, boolean: bool) -> Result<Value, DbErr> {
    Ok(match raw {
        ValueRef::Null => Value::String(None),
        ValueRef::Integer(n) if boolean => Value::Bool(Some(n != 0)),
        ValueRef::Integer(n) => Value::BigInt(Some(n)),
        ValueRef::Real(x) => Value::Double(Some(x)),
        ValueRef::Text(bytes) => Value::String(Some(Box::new(
            String::from_utf8(bytes.to_vec())
                .map_err(|err| DbErr::Query(RuntimeErr::Internal(err.to_string())))?,
        ))),
        ValueRef::Blob(bytes) => Value::Bytes(Some(Box::new(bytes.to_vec()))),
    })
}

fn unsupported(value: &Value) -> DbErr {
    DbErr::Query(RuntimeErr::Internal(format!(
        "a SQLite read cannot bind {value:?}"
    )))
}

/// Failing to open the file, like a lock held past the busy timeout, is
/// the database being unavailable (503), as with sqlx's pool.
fn open_error(err: rusqlite::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::Internal(format!(
        "opening a SQLite reader: {err}"
    )))
}

fn query_error(err: rusqlite::Error) -> DbErr {
    let busy = matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    );
    if busy {
        return DbErr::Conn(RuntimeErr::Internal(err.to_string()));
    }
    DbErr::Query(RuntimeErr::Internal(err.to_string()))
}
