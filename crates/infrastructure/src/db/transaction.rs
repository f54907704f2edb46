use std::future::Future;
use std::pin::Pin;

use application::RepoError;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, IsolationLevel, TransactionError, TransactionTrait,
};

use super::errors::repo_error;

/// The work of one transaction, borrowing it.
pub(super) type Work<'c, T> = Pin<Box<dyn Future<Output = Result<T, RepoError>> + Send + 'c>>;

/// Runs `work` in a transaction (at `isolation`, else the database's
/// default): committed when it succeeds, rolled back
/// (awaited, not left to `Drop`) when it fails. A transaction dropped
/// mid-flight on MySQL kept the connection's locks until the pool next used
/// it; an explicit rollback releases them before the error is answered.
pub(super) async fn atomically<T, F>(
    db: &DatabaseConnection,
    isolation: Option<IsolationLevel>,
    work: F,
) -> Result<T, RepoError>
where
    T: Send,
    F: for<'c> FnOnce(&'c DatabaseTransaction) -> Work<'c, T> + Send,
{
    db.transaction_with_config::<F, T, RepoError>(work, isolation, None)
        .await
        .map_err(|err| match err {
            TransactionError::Connection(db_err) => repo_error(db_err),
            TransactionError::Transaction(err) => err,
        })
}
