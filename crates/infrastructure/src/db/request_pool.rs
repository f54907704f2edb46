//! The pool the request path's statements run on.
//!
//! sqlx's pool, the one behind SeaORM, pings every connection it takes
//! back (`PoolConnection::return_to_pool`, in sqlx 0.8 and 0.9 alike; no
//! option turns it off): one more round trip to PostgreSQL, or one more hop
//! to a SQLite connection's thread, after every statement. A GET runs two
//! statements, so it paid four round trips instead of two. The statements
//! every request runs, each a statement of its own (no transaction), run
//! here instead: the same driver's connections, opened with the SeaORM
//! pool's own options, in a `deadpool` pool that takes a connection back as
//! it is. Alternating A/B with bench/run.sh's load at 64 connections,
//! against the same statements on SeaORM's pool: PostgreSQL GET +31-40 %,
//! set +21-42 % (bench/notes.md, third round).
//!
//! What the ping guarded against is kept where it can happen: a connection
//! whose statement failed or was cancelled half-way is pinged before its
//! next use (the ping also drains what the server still had to say), and
//! one idle for [`PING_IF_IDLE_FOR`] is pinged as in the SeaORM pool. A
//! failed ping drops the connection and the pool opens another.
//!
//! PostgreSQL's connections are opened and driven on threads of their own
//! ([`IoRuntime`]); MySQL's are split between the HTTP workers
//! ([`Shards`]); SQLite's reads run inline, on another driver
//! ([`SqliteReads`]), and its writes queue on a thread of their own.

use std::sync::{Arc, Weak};

use deadpool::managed::{
    self, Metrics, Pool, PoolError, RecycleError, RecycleResult, Timeouts, WeakPool,
};
use deadpool::Runtime;
use sea_orm::sqlx::{self, Connection, MySqlConnection, PgConnection, SqliteConnection};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryResult, RuntimeErr,
    Statement, Values,
};
use sea_query_binder::SqlxValues;

use super::connect::{IDLE_TIMEOUT, PING_IF_IDLE_FOR};
use super::io_runtime::IoRuntime;
use super::shards::{self, Shards};
use super::sqlite_reads::SqliteReads;

/// A driver connection and whether its last statement ran to the end.
struct Lent<C> {
    raw: C,
    settled: bool,
    /// For a connection whose socket belongs to the runtime of the thread
    /// that opened it (MySQL's, opened on an HTTP worker): gone once that
    /// thread has ended, and every read or write on the socket now fails.
    /// One opened by a worker that stopped (actix restarts one that
    /// panicked) is replaced, not handed to the next request to fail.
    /// `None` for the others: PostgreSQL's live on the pool's own runtime,
    /// SQLite's writer on a thread of its own, and those must still be
    /// closed after the workers have ended (at shutdown).
    opener: Option<Weak<()>>,
}

thread_local! {
    /// Lives as long as its thread; see [`Lent::opener`].
    static THIS_THREAD: Arc<()> = Arc::new(());
}

impl<C: Connection> Lent<C> {
    fn opener_has_ended(&self) -> bool {
        self.opener
            .as_ref()
            .is_some_and(|opener| opener.strong_count() == 0)
    }

    /// Ends the session cleanly where it still can: one whose thread has
    /// ended cannot say goodbye, and dropping it closes its socket.
    async fn close(self) -> Result<(), sqlx::Error> {
        if self.opener_has_ended() {
            return Ok(());
        }
        self.raw.close().await
    }
}

/// Opens connections with the options of the SeaORM pool it stands beside.
struct Connector<C: Connection> {
    options: C::Options,
    /// Whether a connection lives and dies with its opener's runtime; see
    /// [`Lent::opener`].
    tied_to_opener: bool,
}

impl<C: Connection> managed::Manager for Connector<C> {
    type Type = Lent<C>;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<Self::Type, sqlx::Error> {
        let raw = C::connect_with(&self.options).await?;
        Ok(Lent {
            raw,
            settled: true,
            opener: self
                .tied_to_opener
                .then(|| THIS_THREAD.with(Arc::downgrade)),
        })
    }

    async fn recycle(
        &self,
        conn: &mut Self::Type,
        metrics: &Metrics,
    ) -> RecycleResult<sqlx::Error> {
        if conn.opener_has_ended() {
            return Err(RecycleError::message("the thread that opened it has ended"));
        }
        if !conn.settled || metrics.last_used() >= PING_IF_IDLE_FOR {
            conn.raw.ping().await?;
            conn.settled = true;
        }
        Ok(())
    }
}

type DriverPool<C> = Pool<Connector<C>>;
type Row<C> = <<C as Connection>::Database as sqlx::Database>::Row;

/// Runs single statements on the database of a SeaORM connection, each on
/// a connection of its own pool.
#[derive(Clone)]
pub struct RequestPool(Pools);

#[derive(Clone)]
enum Pools {
    Postgres {
        pool: DriverPool<PgConnection>,
        io: Arc<IoRuntime>,
    },
    MySql(Arc<Shards<DriverPool<MySqlConnection>>>),
    /// SQLite commits one writer at a time whatever the pool size, and a
    /// writer that finds the lock taken sleeps in SQLite's busy handler, in
    /// steps of up to 100 ms: under 64 concurrent sets some lost the race
    /// again and again (p99 420-650 ms). Writes therefore queue, in order,
    /// for one connection of their own (p99 34-42 ms in an A/B run), and
    /// like any request that finds no connection, one that waited the
    /// acquire timeout answers 503. Reads never wait for the writer (WAL)
    /// and run inline on the thread that asks.
    ///
    /// The queue is served on a thread of its own (`io`): when a write
    /// ends, the next one in line is sent to the writer at once, instead
    /// of when a busy HTTP worker gets round to its turn.
    Sqlite {
        reads: Arc<SqliteReads>,
        writes: DriverPool<SqliteConnection>,
        io: Arc<IoRuntime>,
    },
}

impl RequestPool {
    /// A pool of the same database, options, size and acquire timeout as
    /// `db`'s, which opens connections when first asked and closes those
    /// idle for as long as `db`'s would, for `workers` threads running
    /// requests: PostgreSQL's connections are driven by as many threads of
    /// their own, MySQL's are split into as many pools, one per worker.
    /// SQLite's reads run on the threads that ask, its writes on one
    /// connection, queued on a thread of their own. Call it within a Tokio
    /// runtime for MySQL's idle connections to be closed.
    pub fn beside(db: &DatabaseConnection, workers: usize) -> Result<Self, DbErr> {
        Ok(Self(match db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                let (pool, io) = (
                    driver_pool(pool, pool_size(pool), false)?,
                    IoRuntime::new(workers)?,
                );
                io.spawn(close_idle(pool.weak()));
                Pools::Postgres {
                    pool,
                    io: Arc::new(io),
                }
            }
            DbBackend::MySql => {
                let pool = db.get_mysql_connection_pool();
                let pools = shards::sizes(pool_size(pool), workers)
                    .map(|size| driver_pool(pool, size, true))
                    .collect::<Result<Vec<_>, _>>()?;
                pools.iter().for_each(close_idle_in_this_runtime);
                Pools::MySql(Arc::new(Shards::new(pools)))
            }
            DbBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool();
                let (writes, io) = (driver_pool(pool, 1, false)?, IoRuntime::new(1)?);
                io.spawn(close_idle(writes.weak()));
                Pools::Sqlite {
                    reads: Arc::new(SqliteReads::new(&pool.connect_options())),
                    writes,
                    io: Arc::new(io),
                }
            }
        }))
    }

    /// The first row a reading `statement` returns, if any.
    pub async fn query_one(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match &self.0 {
            Pools::Postgres { pool, io } => one_row_on(io, pool, statement, Fetch::FirstRow).await,
            Pools::MySql(shards) => one_row(shards.own(), statement, Fetch::FirstRow).await,
            Pools::Sqlite { reads, .. } => reads.query_one(&statement),
        }
    }

    /// The first row a writing `statement` returns (`RETURNING`), if any.
    pub async fn write_one(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match &self.0 {
            Pools::Sqlite { writes, io, .. } => {
                one_row_on(io, writes, statement, Fetch::ToTheEnd).await
            }
            _ => self.query_one(statement).await,
        }
    }

    /// Closes every connection, waiting for each to end cleanly (SQLite
    /// checkpoints its WAL when its last connection closes). Call it once
    /// no request is running.
    pub async fn close(&self) {
        match &self.0 {
            Pools::Postgres { pool, io } => close_on(io, pool).await,
            Pools::MySql(shards) => {
                for pool in shards.all() {
                    close(pool).await;
                }
            }
            Pools::Sqlite { reads, writes, io } => {
                reads.close();
                close_on(io, writes).await;
            }
        }
    }
}

fn pool_size<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> usize {
    pool.options().get_max_connections() as usize
}

/// How far a statement is stepped.
#[derive(Clone, Copy)]
enum Fetch {
    /// Stop at the first row.
    FirstRow,
    /// Step to the end, then return the first row. SQLite runs its WAL
    /// autocheckpoint only when a committing statement steps to its end; a
    /// write whose `RETURNING` row was taken and which was then reset
    /// commits but never checkpoints, so under sets alone the WAL grew by
    /// every write until shutdown (86 MiB after 16 s of sets at 64
    /// connections) and every read had to search it.
    ToTheEnd,
}

async fn one_row<C>(
    pool: &DriverPool<C>,
    statement: Statement,
    fetch: Fetch,
) -> Result<Option<QueryResult>, DbErr>
where
    C: Connection,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
    for<'q> SqlxValues: sqlx::IntoArguments<'q, C::Database>,
    QueryResult: From<Row<C>>,
{
    let values = SqlxValues(statement.values.unwrap_or_else(|| Values(Vec::new())));
    Ok(first_row(pool, &statement.sql, values, fetch)
        .await?
        .map(Into::into))
}

/// [`one_row`] on the threads `pool`'s connections are driven from.
async fn one_row_on<C>(
    io: &IoRuntime,
    pool: &DriverPool<C>,
    statement: Statement,
    fetch: Fetch,
) -> Result<Option<QueryResult>, DbErr>
where
    C: Connection + 'static,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
    for<'q> SqlxValues: sqlx::IntoArguments<'q, C::Database>,
    QueryResult: From<Row<C>>,
{
    let pool = pool.clone();
    io.run(async move { one_row(&pool, statement, fetch).await })
        .await
}

/// `tied_to_opener`: see [`Lent::opener`].
fn driver_pool<DB: sqlx::Database>(
    beside: &sqlx::Pool<DB>,
    size: usize,
    tied_to_opener: bool,
) -> Result<DriverPool<DB::Connection>, DbErr> {
    let timeout = Some(beside.options().get_acquire_timeout());
    let connector = Connector {
        options: (*beside.connect_options()).clone(),
        tied_to_opener,
    };
    let pool = Pool::builder(connector)
        .max_size(size)
        .timeouts(Timeouts {
            wait: timeout,
            create: timeout,
            recycle: timeout,
        })
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|err| DbErr::Custom(format!("request pool: {err}")))?;
    Ok(pool)
}

/// Runs until the pool is gone, closing connections unused for
/// [`IDLE_TIMEOUT`], so a burst does not hold server connections forever.
async fn close_idle<C: Connection>(pool: WeakPool<Connector<C>>) {
    let mut ticks = tokio::time::interval(IDLE_TIMEOUT / 10);
    loop {
        ticks.tick().await;
        let Some(pool) = pool.upgrade() else { return };
        if pool.is_closed() {
            return;
        }
        let idle = pool
            .retain(|_, metrics| metrics.last_used() < IDLE_TIMEOUT)
            .removed;
        for conn in idle {
            let _ = conn.close().await;
        }
    }
}

async fn first_row<C>(
    pool: &DriverPool<C>,
    sql: &str,
    values: SqlxValues,
    fetch: Fetch,
) -> Result<Option<Row<C>>, DbErr>
where
    C: Connection,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
    for<'q> SqlxValues: sqlx::IntoArguments<'q, C::Database>,
{
    let mut conn = pool.get().await.map_err(acquire_error)?;
    // Set again only if the statement completes: an error or a dropped
    // future (the client went away) leaves it unsettled, to be pinged.
    conn.settled = false;
    let query = sqlx::query_with(sql, values);
    let row = match fetch {
        Fetch::FirstRow => query.fetch_optional(&mut conn.raw).await,
        Fetch::ToTheEnd => query
            .fetch_all(&mut conn.raw)
            .await
            .map(|rows| rows.into_iter().next()),
    }
    .map_err(|err| DbErr::Query(RuntimeErr::SqlxError(err)))?;
    conn.settled = true;
    Ok(row)
}

/// Pool errors in the words SeaORM's own pool uses, so the repository maps
/// both the same way (a timeout or a refused connection is a 503).
fn acquire_error(err: PoolError<sqlx::Error>) -> DbErr {
    match err {
        PoolError::Backend(err) => DbErr::Conn(RuntimeErr::SqlxError(err)),
        PoolError::Timeout(_) => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        PoolError::Closed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
        other => DbErr::Conn(RuntimeErr::Internal(other.to_string())),
    }
}

async fn close<C: Connection>(pool: &DriverPool<C>) {
    let idle = pool.retain(|_, _| false).removed;
    pool.close();
    for conn in idle {
        if let Err(err) = conn.close().await {
            log::warn!("closing a request pool connection: {err}");
        }
    }
}

/// Closes `pool` on the threads its connections are driven from, so each
/// can say goodbye.
async fn close_on<C: Connection + 'static>(io: &IoRuntime, pool: &DriverPool<C>) {
    let pool = pool.clone();
    let closing = async move {
        close(&pool).await;
        Ok(())
    };
    if let Err(err) = io.run(closing).await {
        log::warn!("closing the request pool: {err}");
    }
}

fn close_idle_in_this_runtime<C: Connection + 'static>(pool: &DriverPool<C>) {
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(close_idle(pool.weak()));
    }
}
