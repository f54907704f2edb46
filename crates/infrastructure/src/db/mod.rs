//! The SeaORM repository: SQLite, PostgreSQL and MySQL/MariaDB behind one
//! implementation of the application's repository ports.

mod connect;
mod entities;
mod errors;
mod instances;
mod integrations;
mod migrate;
mod reencrypt;
mod rendered;
mod rows;
mod transaction;

pub use connect::{connect, ConnectError, PoolSettings};
pub use migrate::migrate;

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::crypto::TokenCipher;
use rendered::Rendered;

/// Implements [`application::InstanceRepository`] and
/// [`application::IntegrationRepository`] on one connection pool.
#[derive(Clone)]
pub struct SeaOrmRepository {
    db: DatabaseConnection,
    /// Encrypts Chatwoot access tokens at rest when a key is configured.
    cipher: Option<Arc<TokenCipher>>,
    /// The per-request lookups, rendered for this pool's backend.
    rendered: Arc<Rendered>,
}

impl SeaOrmRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_cipher(db, None)
    }

    pub fn with_cipher(db: DatabaseConnection, cipher: Option<TokenCipher>) -> Self {
        let rendered = Arc::new(Rendered::for_backend(db.get_database_backend()));
        Self {
            db,
            cipher: cipher.map(Arc::new),
            rendered,
        }
    }

    fn cipher(&self) -> Option<&TokenCipher> {
        self.cipher.as_deref()
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}
