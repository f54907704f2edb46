//! The SeaORM repository: SQLite, PostgreSQL and MySQL/MariaDB behind one
//! implementation of the application's repository ports.

mod bound;
mod connect;
mod entities;
mod errors;
mod instances;
mod integrations;
mod reencrypt;
mod rows;
mod signing_secret;
mod transaction;

pub use connect::{connect, connect_existing, ConnectError, PoolSettings};
/// Applying the migrations lives with them, in the `migration` crate.
pub use migration::{migrate, schema, Schema};

use std::future::Future;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;
use std::time::Duration;

use application::RepoError;
use sea_orm::{DatabaseConnection, DbBackend, DbErr};

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
    /// A stored token no configured key decrypts was met since the last
    /// [`Self::undecryptable_tokens`] found none: `ping` fails until then.
    token_key_failed: Arc<AtomicBool>,
    /// The longest any call may take (the pool's `statement_timeout`).
    statement_timeout: Duration,
}

/// How a bounded call failed: a driver's error, or already the repository's.
struct Fault(RepoError);

impl From<DbErr> for Fault {
    fn from(err: DbErr) -> Self {
        Self(errors::repo_error(err))
    }
}

impl From<RepoError> for Fault {
    fn from(err: RepoError) -> Self {
        Self(err)
    }
}

impl SeaOrmRepository {
    /// A repository without encryption; a call not ended after
    /// `statement_timeout` is given up on (see [`bound`]).
    pub fn new(db: DatabaseConnection, statement_timeout: Duration) -> Self {
        Self::with_cipher(db, statement_timeout, None)
    }

    pub fn with_cipher(
        db: DatabaseConnection,
        statement_timeout: Duration,
        cipher: Option<TokenCipher>,
    ) -> Self {
        Self {
            writer: connect::writer_for(&db),
            db,
            cipher: cipher.map(Arc::new),
            token_key_failed: Arc::default(),
            statement_timeout,
        }
    }

    /// `call`, its wait for a connection included, or a timeout.
    async fn bounded<T, E: Into<Fault>>(
        &self,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<T, RepoError> {
        let limit = self.statement_timeout;
        match tokio::time::timeout(limit, call).await {
            Ok(result) => result.map_err(|err| err.into().0),
            Err(_) => {
                // A SQLite statement runs in this process and ends by itself.
                if self.db.get_database_backend() != DbBackend::Sqlite {
                    bound::ABANDONED.fetch_add(1, SeqCst);
                }
                let ms = limit.as_millis();
                Err(RepoError::TimedOut(format!("no answer within {ms} ms")))
            }
        }
    }

    /// Closes the pools once no request is running, so SQLite checkpoints
    /// its WAL and PostgreSQL ends its sessions cleanly.
    pub async fn close(&self) -> Result<(), DbErr> {
        // On PostgreSQL and MySQL both are one pool: closing it twice is harmless.
        let writer = connect::close(&self.writer).await;
        connect::close(&self.db).await.and(writer)
    }

    fn cipher(&self) -> Option<&TokenCipher> {
        self.cipher.as_deref()
    }

    /// The integration of a row, noting a token no configured key decrypts.
    fn integration_of(
        &self,
        row: entities::integration::Model,
    ) -> Result<domain::Integration, RepoError> {
        let read = rows::integration_from_row(row, self.cipher());
        if let Err(RepoError::TokenKey { .. }) = read {
            self.token_key_failed.store(true, SeqCst);
        }
        read
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}
