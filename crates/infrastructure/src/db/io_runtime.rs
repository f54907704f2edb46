//! The threads that open and drive a server database's request
//! connections.
//!
//! Every actix worker is a thread with a current-thread Tokio runtime, and
//! a socket is served by the I/O driver of the runtime that opened it. A
//! busy current-thread runtime polls its driver only every 61 tasks, so on
//! the worker a PostgreSQL reply waited behind the HTTP connections' work:
//! at 64 connections the one worker was 62 % busy and the machine 28 %
//! idle while the service served GET at half its database ceiling. A
//! connection shared by two workers was worse: each reply woke the opening
//! worker to wake the other. Here the connections live on a runtime of
//! their own, whose threads do nothing but drive them, and a request hands
//! each statement over and awaits its row. Alternating 5 s runs, one HTTP
//! worker, PostgreSQL: GET at 64 connections 9 841/9 718/10 300 →
//! 12 611/12 874/12 619 requests/s at the same p99, set +1-6 %, 16
//! connections within ±7 %. On MariaDB the same change lost 8-25 % of its
//! GETs (its connections are split between the workers instead,
//! `shards.rs`). See bench/notes.md, fifth round.
//!
//! SQLite's single writer connection is served the same way: its driver
//! runs each connection on a thread of its own anyway, and the queue of
//! writes waiting for it moves on here, not on a busy HTTP worker.
//!
//! The connections also outlive the worker that first asked for them: a
//! worker that stops (actix restarts one that panicked) no longer leaves
//! sockets whose runtime is gone, and closing the pool at shutdown says
//! goodbye on each of them.

use std::future::Future;

use sea_orm::{ConnAcquireErr, DbErr};
use tokio::runtime::{Builder, Runtime};

/// Shut down, without waiting, when the last request pool using it goes.
pub(super) struct IoRuntime(Option<Runtime>);

impl IoRuntime {
    pub(super) fn new(threads: usize) -> Result<Self, DbErr> {
        Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("db-io")
            .enable_all()
            .build()
            .map(|runtime| Self(Some(runtime)))
            .map_err(|err| DbErr::Custom(format!("request pool: cannot start its threads: {err}")))
    }

    /// Runs `task` on these threads and waits for its outcome. The task
    /// runs to its end even if the caller stops waiting (a client that went
    /// away), so its connection goes back to the pool settled.
    pub(super) async fn run<T, F>(&self, task: F) -> Result<T, DbErr>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, DbErr>> + Send + 'static,
    {
        let Some(runtime) = &self.0 else {
            return Err(stopped());
        };
        match runtime.spawn(task).await {
            Ok(outcome) => outcome,
            Err(err) if err.is_panic() => Err(DbErr::Custom(format!("request pool: {err}"))),
            Err(_) => Err(stopped()),
        }
    }

    /// Starts a task that the caller does not wait for.
    pub(super) fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        if let Some(runtime) = &self.0 {
            runtime.spawn(task);
        }
    }
}

/// A request that finds the threads stopped is told the pool is closed, as
/// one that finds the pool closed (503).
fn stopped() -> DbErr {
    DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)
}

impl Drop for IoRuntime {
    fn drop(&mut self) {
        // Dropping a runtime blocks until its threads end, which may not
        // happen inside another runtime's task.
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}
