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

use sea_orm::{DatabaseConnection, DbErr};

use crate::crypto::TokenCipher;

/// Implements [`application::InstanceRepository`] and
/// [`application::IntegrationRepository`] on one database.
#[derive(Clone)]
pub struct SeaOrmRepository {
    /// Reads; on PostgreSQL and MySQL writes too.
    db: DatabaseConnection,
    /// Writes: SQLite's one writer connection, else a clone of `db`.
    writer: DatabaseConnection,
    /// Encrypts Chatwoot access tokens at rest when a key is configured.
    cipher: Option<Arc<TokenCipher>>,
}

impl SeaOrmRepository {
    /// A repository without encryption.
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_cipher(db, None)
    }

    pub fn with_cipher(db: DatabaseConnection, cipher: Option<TokenCipher>) -> Self {
        Self {
            writer: connect::writer_for(&db),
            db,
            cipher: cipher.map(Arc::new),
        }
    }

    /// Closes the pools once no request is running, so SQLite checkpoints
    /// its WAL and PostgreSQL ends its sessions cleanly.
    pub async fn close(&self) -> Result<(), DbErr> {
        // On PostgreSQL and MySQL both are one pool; closing it twice is
        // harmless.
        let writer = connect::close(&self.writer).await;
        connect::close(&self.db).await.and(writer)
    }

    fn cipher(&self) -> Option<&TokenCipher> {
        self.cipher.as_deref()
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}
