//! The SeaORM repository: SQLite, PostgreSQL and MySQL/MariaDB behind one
//! implementation of the application's repository ports.

mod connect;
mod entities;
mod errors;
mod instances;
mod integrations;
mod migrate;
mod rows;

pub use connect::{connect, ConnectError, PoolSettings};
pub use migrate::migrate;

use sea_orm::DatabaseConnection;

/// Implements [`application::InstanceRepository`] and
/// [`application::IntegrationRepository`] on one connection pool.
#[derive(Clone)]
pub struct SeaOrmRepository {
    db: DatabaseConnection,
}

impl SeaOrmRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}
