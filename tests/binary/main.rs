//! Tests of the real `chatwoot-integration` binary, run as a child process
//! the way a user or a container runs it: start from an empty folder,
//! restart, command line, crash, database outage, signals, log hygiene and
//! encryption at rest. Every wait is bounded; all traffic stays on loopback.

#[path = "../support/mod.rs"]
mod support;

/// The database servers these tests use, for the line naming those skipped.
const SERVER_BACKENDS: &[support::Backend] = &[support::Backend::Postgres];

mod check;
mod check_monitors;
mod cli;
mod common;
mod durability;
mod encryption;
mod logs;
mod outage;
mod serve;
mod shutdown;
