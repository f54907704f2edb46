//! The SeaORM repository: SQLite, PostgreSQL and MySQL/MariaDB behind one
//! implementation of the application's repository ports.

mod connect;
mod entities;
mod errors;
mod instances;
mod integrations;
mod migrate;
mod reencrypt;
mod rows;
mod transaction;

pub use connect::{connect, ConnectError, PoolSettings};
pub use migrate::migrate;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::crypto::TokenCipher;

/// Implements [`application::InstanceRepository`] and
/// [`application::IntegrationRepository`] on one connection pool.
#[derive(Clone)]
pub struct SeaOrmRepository {
    db: DatabaseConnection,
    /// Encrypts Chatwoot access tokens at rest when a key is configured.
    cipher: Option<Arc<TokenCipher>>,
}

impl SeaOrmRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db, cipher: None }
    }

    pub fn with_cipher(db: DatabaseConnection, cipher: Option<TokenCipher>) -> Self {
        Self {
            db,
            cipher: cipher.map(Arc::new),
        }
    }

    fn cipher(&self) -> Option<&TokenCipher> {
        self.cipher.as_deref()
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}
