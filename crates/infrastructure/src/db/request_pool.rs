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
//! A server database's connections are split between the threads that run
//! requests ([`Shards`]), so a connection is used on the thread that opened
//! it.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use deadpool::managed::{self, Metrics, Pool, PoolError, RecycleResult, Timeouts, WeakPool};
use deadpool::Runtime;
use sea_orm::sqlx::{self, Connection, MySqlConnection, PgConnection, SqliteConnection};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryResult, RuntimeErr,
    Statement, Values,
};
use sea_query_binder::SqlxValues;

use super::connect::{IDLE_TIMEOUT, PING_IF_IDLE_FOR};

/// A driver connection and whether its last statement ran to the end.
struct Lent<C> {
    raw: C,
    settled: bool,
}

/// Opens connections with the options of the SeaORM pool it stands beside.
struct Connector<C: Connection>(C::Options);

impl<C: Connection> managed::Manager for Connector<C> {
    type Type = Lent<C>;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<Self::Type, sqlx::Error> {
        let raw = C::connect_with(&self.0).await?;
        Ok(Lent { raw, settled: true })
    }

    async fn recycle(
        &self,
        conn: &mut Self::Type,
        metrics: &Metrics,
    ) -> RecycleResult<sqlx::Error> {
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
    Postgres(Arc<Shards<PgConnection>>),
    MySql(Arc<Shards<MySqlConnection>>),
    /// SQLite commits one writer at a time whatever the pool size, and a
    /// writer that finds the lock taken sleeps in SQLite's busy handler, in
    /// steps of up to 100 ms: under 64 concurrent sets some lost the race
    /// again and again (p99 420-650 ms). Writes therefore queue, in order,
    /// for one connection of their own (p99 34-42 ms in an A/B run), and
    /// like any request that finds no connection, one that waited the
    /// acquire timeout answers 503. Reads never wait for the writer (WAL)
    /// and keep the full pool. Neither is split between threads: a SQLite
    /// connection runs on a thread of its own and answers over a channel,
    /// whichever thread asked.
    Sqlite {
        reads: DriverPool<SqliteConnection>,
        writes: DriverPool<SqliteConnection>,
    },
}

/// A server database's request connections, split into one pool per
/// thread that runs requests (each actix worker is a thread with a runtime
/// of its own). A socket is served by the I/O driver of the runtime that
/// opened it, so a connection opened by one worker and lent to another
/// waits, at every reply, for the first worker to poll its driver and wake
/// the second. With two workers on one shared pool that made GET only 9 %
/// faster than one worker, at a higher p99 (bench/notes.md, fourth round).
///
/// Each thread is given a shard in turn the first time it runs a statement
/// on this pool, so N workers take N different shards; another thread
/// (a CLI command, a test) simply shares one.
struct Shards<C: Connection> {
    /// Tells this pool apart in the threads' [`OWN_SHARD`].
    id: usize,
    /// The turn the next thread new to this pool takes.
    next: AtomicUsize,
    pools: Vec<DriverPool<C>>,
}

thread_local! {
    /// The id of the [`Shards`] this thread last ran a statement on, and its
    /// turn in it.
    static OWN_SHARD: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

impl<C: Connection> Shards<C> {
    fn beside<DB>(db: &sqlx::Pool<DB>, threads: usize) -> Result<Arc<Self>, DbErr>
    where
        DB: sqlx::Database<Connection = C>,
    {
        static IDS: AtomicUsize = AtomicUsize::new(0);
        Ok(Arc::new(Self {
            id: IDS.fetch_add(1, Ordering::Relaxed),
            next: AtomicUsize::new(0),
            pools: shard_sizes(pool_size(db), threads)
                .map(|size| driver_pool(db, size))
                .collect::<Result<_, _>>()?,
        }))
    }

    /// The shard of the calling thread.
    fn own(&self) -> &DriverPool<C> {
        let turn = OWN_SHARD.with(|own| match own.get() {
            Some((id, turn)) if id == self.id => turn,
            _ => {
                let turn = self.next.fetch_add(1, Ordering::Relaxed);
                own.set(Some((self.id, turn)));
                turn
            }
        });
        &self.pools[turn % self.pools.len()]
    }

    /// See [`RequestPool::close`]: failures here are expected, not warned.
    async fn close(&self) {
        for pool in &self.pools {
            if let Some((err, n)) = close(pool).await {
                log::debug!("{n} request connection(s) dropped, not closed: {err}");
            }
        }
    }
}

/// `total` connections split as evenly as possible between at most
/// `threads` shards, none of them empty: the database sees no more
/// connections than configured, however many workers there are.
fn shard_sizes(total: usize, threads: usize) -> impl Iterator<Item = usize> {
    let total = total.max(1);
    let shards = threads.clamp(1, total);
    (0..shards).map(move |i| total / shards + usize::from(i < total % shards))
}

impl RequestPool {
    /// A pool of the same database, options, size and acquire timeout as
    /// `db`'s, for `threads` threads running requests (the HTTP workers).
    /// It opens connections when first asked and, called within a Tokio
    /// runtime, closes those idle for as long as `db`'s would.
    pub fn beside(db: &DatabaseConnection, threads: usize) -> Result<Self, DbErr> {
        Ok(Self(match db.get_database_backend() {
            DbBackend::Postgres => {
                Pools::Postgres(Shards::beside(db.get_postgres_connection_pool(), threads)?)
            }
            DbBackend::MySql => {
                Pools::MySql(Shards::beside(db.get_mysql_connection_pool(), threads)?)
            }
            DbBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool();
                Pools::Sqlite {
                    reads: driver_pool(pool, pool_size(pool))?,
                    writes: driver_pool(pool, 1)?,
                }
            }
        }))
    }

    /// The first row a reading `statement` returns, if any.
    pub async fn query_one(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match &self.0 {
            Pools::Postgres(shards) => one_row(shards.own(), statement).await,
            Pools::MySql(shards) => one_row(shards.own(), statement).await,
            Pools::Sqlite { reads, .. } => one_row(reads, statement).await,
        }
    }

    /// The first row a writing `statement` returns (`RETURNING`), if any.
    pub async fn write_one(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match &self.0 {
            Pools::Sqlite { writes, .. } => one_row(writes, statement).await,
            _ => self.query_one(statement).await,
        }
    }

    /// Closes every connection, waiting for each to end cleanly (SQLite
    /// checkpoints its WAL when its last connection closes). Call it once
    /// no request is running.
    ///
    /// A server connection can only say goodbye on the runtime that opened
    /// it; once the HTTP workers have stopped, theirs are dropped instead,
    /// and the server sees the socket close (PostgreSQL notes that only at
    /// DEBUG1; nothing was in flight).
    pub async fn close(&self) {
        match &self.0 {
            Pools::Postgres(shards) => shards.close().await,
            Pools::MySql(shards) => shards.close().await,
            Pools::Sqlite { reads, writes } => {
                for pool in [reads, writes] {
                    if let Some((err, n)) = close(pool).await {
                        log::warn!("{n} SQLite request connection(s) not closed: {err}");
                    }
                }
            }
        }
    }
}

fn pool_size<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> usize {
    pool.options().get_max_connections() as usize
}

async fn one_row<C>(
    pool: &DriverPool<C>,
    statement: Statement,
) -> Result<Option<QueryResult>, DbErr>
where
    C: Connection,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
    for<'q> SqlxValues: sqlx::IntoArguments<'q, C::Database>,
    QueryResult: From<Row<C>>,
{
    let values = SqlxValues(statement.values.unwrap_or_else(|| Values(Vec::new())));
    Ok(fetch_optional(pool, &statement.sql, values)
        .await?
        .map(Into::into))
}

fn driver_pool<DB: sqlx::Database>(
    beside: &sqlx::Pool<DB>,
    size: usize,
) -> Result<DriverPool<DB::Connection>, DbErr> {
    let timeout = Some(beside.options().get_acquire_timeout());
    let pool = Pool::builder(Connector((*beside.connect_options()).clone()))
        .max_size(size)
        .timeouts(Timeouts {
            wait: timeout,
            create: timeout,
            recycle: timeout,
        })
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|err| DbErr::Custom(format!("request pool: {err}")))?;
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(close_idle(pool.weak()));
    }
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
            let _ = conn.raw.close().await;
        }
    }
}

async fn fetch_optional<C>(
    pool: &DriverPool<C>,
    sql: &str,
    values: SqlxValues,
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
    let row = sqlx::query_with(sql, values)
        .fetch_optional(&mut conn.raw)
        .await
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

/// Closes the pool and its idle connections; the first error, if any, and
/// how many could not be closed (they are dropped).
async fn close<C: Connection>(pool: &DriverPool<C>) -> Option<(sqlx::Error, usize)> {
    let idle = pool.retain(|_, _| false).removed;
    pool.close();
    let mut failed: Option<(sqlx::Error, usize)> = None;
    for conn in idle {
        if let Err(err) = conn.raw.close().await {
            failed = Some(match failed {
                Some((first, n)) => (first, n + 1),
                None => (err, 1),
            });
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::shard_sizes;

    #[test]
    fn shards_share_the_configured_connections_without_an_empty_one() {
        for (total, threads, sizes) in [
            (16, 1, vec![16]),
            (16, 2, vec![8, 8]),
            (16, 3, vec![6, 5, 5]),
            (2, 4, vec![1, 1]),
            (1, 0, vec![1]),
        ] {
            assert_eq!(
                shard_sizes(total, threads).collect::<Vec<_>>(),
                sizes,
                "{total} connections for {threads} threads"
            );
        }
    }
}
