//! Pools split between the threads that run requests.
//!
//! A socket is served by the I/O driver of the runtime that opened it, and
//! each actix worker is a thread with a runtime of its own, so a MySQL
//! connection opened by one worker and lent to another waits, at every
//! reply, for the first worker to poll its driver and wake the second.
//! Split into one pool per worker, a connection stays on its worker:
//! alternating 5 s runs on MariaDB with two workers, GET at 64 connections
//! 10 203/9 554 → 11 899/12 251 requests/s, with 15 % less service CPU
//! per GET (bench/notes.md, fifth round). PostgreSQL's connections run on
//! threads of their own instead (`io_runtime.rs`), which on this host is
//! faster for PostgreSQL and slower for MariaDB.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One pool per thread that runs requests. Each thread is given a share in
/// turn the first time it asks, so N workers take N different shares;
/// another thread (a CLI command, a test) simply shares one.
pub(super) struct Shards<P> {
    /// Tells these shards apart in the threads' [`OWN_SHARE`].
    id: usize,
    /// The turn the next thread new to these shards takes.
    next: AtomicUsize,
    pools: Vec<P>,
}

thread_local! {
    /// The id of the [`Shards`] this thread last asked, and its turn there.
    static OWN_SHARE: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

impl<P> Shards<P> {
    /// `pools` must not be empty: see [`sizes`].
    pub(super) fn new(pools: Vec<P>) -> Self {
        static IDS: AtomicUsize = AtomicUsize::new(0);
        Self {
            id: IDS.fetch_add(1, Ordering::Relaxed),
            next: AtomicUsize::new(0),
            pools,
        }
    }

    /// The share of the calling thread.
    pub(super) fn own(&self) -> &P {
        let turn = OWN_SHARE.with(|own| match own.get() {
            Some((id, turn)) if id == self.id => turn,
            _ => {
                let turn = self.next.fetch_add(1, Ordering::Relaxed);
                own.set(Some((self.id, turn)));
                turn
            }
        });
        &self.pools[turn % self.pools.len()]
    }

    pub(super) fn all(&self) -> &[P] {
        &self.pools
    }
}

/// `total` connections split as evenly as possible between at most
/// `threads` pools, at least one and none of them empty: the database sees
/// no more connections than configured, however many workers there are.
pub(super) fn sizes(total: usize, threads: usize) -> impl Iterator<Item = usize> {
    let total = total.max(1);
    let shards = threads.clamp(1, total);
    (0..shards).map(move |i| total / shards + usize::from(i < total % shards))
}

#[cfg(test)]
mod tests {
    use super::{sizes, Shards};

    #[test]
    fn shards_share_the_configured_connections_without_an_empty_one() {
        for (total, threads, expected) in [
            (16, 1, vec![16]),
            (16, 2, vec![8, 8]),
            (16, 3, vec![6, 5, 5]),
            (2, 4, vec![1, 1]),
            (1, 0, vec![1]),
        ] {
            assert_eq!(
                sizes(total, threads).collect::<Vec<_>>(),
                expected,
                "{total} connections for {threads} threads"
            );
        }
    }

    #[test]
    fn each_thread_keeps_its_share_and_the_next_thread_takes_the_next() {
        let shards = std::sync::Arc::new(Shards::new(vec!["first", "second"]));
        let mine = *shards.own();
        assert_eq!(*shards.own(), mine);
        let other = std::sync::Arc::clone(&shards);
        let theirs = std::thread::spawn(move || *other.own())
            .join()
            .expect("thread");
        assert_ne!(theirs, mine);
    }
}
