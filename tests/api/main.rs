//! HTTP tests through the real application on a random port, each with a
//! database of its own: on SQLite, and on PostgreSQL and MariaDB as well
//! where the database decides the outcome (the repository's contract,
//! concurrency, migrations, the one-inbox rule, statement bounds and
//! outages, the pool).

#[path = "../support/mod.rs"]
mod support;

/// The database servers these tests use, for the line naming those skipped.
const SERVER_BACKENDS: &[support::Backend] =
    &[support::Backend::Postgres, support::Backend::Mariadb];

mod auto_create;
mod chatwoot_check;
mod chatwoot_limits_and_bots;
mod concurrency;
mod error_shape;
mod health;
mod instances;
mod integration_crud;
mod integration_set;
mod metrics;
mod migrations;
mod openapi;
mod order_of_checks;
mod repository;
mod repository_contract;
mod shared_inbox;
mod signing_secret;
mod slow_bodies;
mod status;
