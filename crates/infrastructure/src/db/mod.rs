//! The SeaORM repository: SQLite, PostgreSQL and MySQL/MariaDB behind one
//! implementation of the application's repository ports.

mod connect;
mod entities;
mod errors;
mod instances;
mod integrations;
mod io_runtime;
mod migrate;
mod reencrypt;
mod rendered;
mod request_pool;
mod rows;
mod shards;
mod sqlite_reads;
mod transaction;

pub use connect::{connect, ConnectError, PoolSettings};
pub use migrate::migrate;
pub use request_pool::RequestPool;

use std::sync::Arc;

use application::RepoError;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, FromQueryResult, QueryResult, Statement,
};

use crate::crypto::TokenCipher;
use errors::repo_error;
use rendered::Rendered;

/// Implements [`application::InstanceRepository`] and
/// [`application::IntegrationRepository`] on one database: the statements
/// every request runs on the request pool, everything else through SeaORM.
#[derive(Clone)]
pub struct SeaOrmRepository {
    db: DatabaseConnection,
    requests: RequestPool,
    /// Encrypts Chatwoot access tokens at rest when a key is configured.
    cipher: Option<Arc<TokenCipher>>,
    /// The per-request lookups, rendered for this pool's backend.
    rendered: Arc<Rendered>,
}

impl SeaOrmRepository {
    /// A repository without encryption, for requests on one thread.
    pub fn new(db: DatabaseConnection) -> Result<Self, DbErr> {
        Self::with_cipher(db, None, 1)
    }

    /// `workers`: how many threads run requests on it (the HTTP workers);
    /// see [`RequestPool::beside`].
    pub fn with_cipher(
        db: DatabaseConnection,
        cipher: Option<TokenCipher>,
        workers: usize,
    ) -> Result<Self, DbErr> {
        let rendered = Arc::new(Rendered::for_backend(db.get_database_backend()));
        Ok(Self {
            requests: RequestPool::beside(&db, workers)?,
            db,
            cipher: cipher.map(Arc::new),
            rendered,
        })
    }

    /// Closes both pools once no request is running, so SQLite checkpoints
    /// its WAL and PostgreSQL ends its sessions cleanly.
    pub async fn close(&self) -> Result<(), DbErr> {
        self.requests.close().await;
        self.db.clone().close().await
    }

    /// The row a reading statement of the request path returns, if any.
    async fn request_row<M: FromQueryResult>(
        &self,
        statement: Statement,
    ) -> Result<Option<M>, RepoError> {
        model(self.requests.query_one(statement).await)
    }

    /// The row a writing statement of the request path returns, if any.
    async fn request_write<M: FromQueryResult>(
        &self,
        statement: Statement,
    ) -> Result<Option<M>, RepoError> {
        model(self.requests.write_one(statement).await)
    }

    fn cipher(&self) -> Option<&TokenCipher> {
        self.cipher.as_deref()
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}

fn model<M: FromQueryResult>(
    row: Result<Option<QueryResult>, DbErr>,
) -> Result<Option<M>, RepoError> {
    row.map_err(repo_error)?
        .map(|row| M::from_query_result(&row, "").map_err(repo_error))
        .transpose()
}
