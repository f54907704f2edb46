use application::ports::Revision;
use application::{IntegrationRepository, RepoError};
use domain::{InstanceId, Integration, IntegrationId, IntegrationSettings, Timestamp};
use sea_orm::sea_query::{Expr, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryTrait, Set, Statement,
};

use super::entities::integration::{self, Column};
use super::errors::repo_error;
use super::rows::integration_from_row;
use super::transaction::atomically;
use super::SeaOrmRepository;
use crate::crypto::TokenCipher;

/// The columns a set replaces; `id`, `instance_id`, `created_at` and `query`
/// survive, and `revision` moves.
const REPLACED: [Column; 11] = [
    Column::Enabled,
    Column::AccountId,
    Column::InboxId,
    Column::ChatwootUrl,
    Column::ChatwootAccessToken,
    Column::N8nWebhook,
    Column::EnabledGroup,
    Column::DisplayAttendant,
    Column::StartConversationAs,
    Column::UpdatedAt,
    Column::DeletedAt,
];

/// The access token is sealed here when a key is configured, so no write
/// path can store it in clear by mistake.
fn settings_row(
    settings: &IntegrationSettings,
    at: Timestamp,
    cipher: Option<&TokenCipher>,
) -> Result<integration::ActiveModel, RepoError> {
    let access_token = match cipher {
        Some(cipher) => cipher
            .seal(settings.access_token.expose())
            .map_err(|err| RepoError::Other(format!("chatwoot_access_token: {err}")))?,
        None => settings.access_token.expose().to_owned(),
    };
    Ok(integration::ActiveModel {
        enabled: Set(settings.enabled),
        account_id: Set(settings.account_id.get()),
        inbox_id: Set(settings.inbox_id.map(|id| id.get())),
        chatwoot_url: Set(settings.chatwoot_url.as_str().to_owned()),
        chatwoot_access_token: Set(access_token),
        n8n_webhook: Set(settings.n8n_webhook.as_ref().map(|u| u.as_str().to_owned())),
        enabled_group: Set(settings.options.enabled_group),
        display_attendant: Set(settings.options.display_attendant),
        start_conversation_as: Set(settings.options.start_conversation_as.as_str().to_owned()),
        updated_at: Set(at.millis()),
        deleted_at: Set(None),
        id: NotSet,
        instance_id: NotSet,
        query: NotSet,
        revision: NotSet,
        created_at: NotSet,
    })
}

/// What every write adds to `revision`.
pub(super) const REVISION_STEP: i32 = 1;

fn next_revision() -> SimpleExpr {
    Expr::col((integration::Entity, Column::Revision)).add(REVISION_STEP)
}

/// The set's upsert of `row`, as SeaORM renders it. One statement decides
/// insert or replace, so concurrent sets never race between a read and a
/// write; it ends in `RETURNING *` where the backend can.
pub(super) fn upsert_statement(row: integration::ActiveModel, backend: DbBackend) -> Statement {
    let on_conflict = OnConflict::column(Column::InstanceId)
        .update_columns(REPLACED)
        .value(Column::Revision, next_revision())
        .to_owned();
    let mut query = integration::Entity::insert(row)
        .on_conflict(on_conflict)
        .into_query();
    if returns_rows(backend) {
        query.returning_all();
    }
    backend.build(&query)
}

/// The integration row a statement returns, if any: the rendered read of
/// an instance's row, or a write ending in `RETURNING *`.
async fn one_row<C: ConnectionTrait>(
    db: &C,
    statement: Statement,
) -> Result<Option<integration::Model>, RepoError> {
    integration::Entity::find()
        .from_raw_sql(statement)
        .one(db)
        .await
        .map_err(repo_error)
}

/// PostgreSQL and SQLite (3.35+) return the row a write leaves from the
/// write itself (`RETURNING *`): one statement and one round trip instead of
/// BEGIN, write, read back, COMMIT, and the lock is held for that statement
/// only. MySQL/MariaDB cannot, so there the read-back shares the write's
/// transaction.
fn returning_backend(db: &DatabaseConnection) -> Option<DbBackend> {
    let backend = db.get_database_backend();
    returns_rows(backend).then_some(backend)
}

fn returns_rows(backend: DbBackend) -> bool {
    matches!(backend, DbBackend::Postgres | DbBackend::Sqlite)
}

impl SeaOrmRepository {
    /// The rendered read of an instance's integration row.
    fn integration_read(&self, instance: String) -> Statement {
        self.rendered.integration_of_instance.with_key(instance)
    }

    /// Runs a write that ends in `RETURNING *`; `None` when it touched no row.
    async fn write_returning(
        &self,
        statement: Statement,
    ) -> Result<Option<Integration>, RepoError> {
        self.request_write::<integration::Model>(statement)
            .await?
            .map(|row| integration_from_row(row, self.cipher()))
            .transpose()
    }
}

/// Reads back, in the transaction that wrote it, the row a write just left;
/// `read` is the repository's rendered read of that instance's row.
async fn written_row<C: ConnectionTrait>(
    db: &C,
    instance: &str,
    read: Statement,
    cipher: Option<&TokenCipher>,
) -> Result<Integration, RepoError> {
    let row = one_row(db, read).await?.ok_or_else(|| {
        RepoError::Other(format!(
            "integration of {instance} vanished inside its own write"
        ))
    })?;
    integration_from_row(row, cipher)
}

impl IntegrationRepository for SeaOrmRepository {
    async fn upsert_integration(
        &self,
        instance: InstanceId,
        new_id: IntegrationId,
        settings: &IntegrationSettings,
        at: Timestamp,
    ) -> Result<Integration, RepoError> {
        let instance = instance.to_string();
        let mut row = settings_row(settings, at, self.cipher())?;
        row.id = Set(new_id.to_string());
        row.instance_id = Set(instance.clone());
        row.query = Set(None);
        row.revision = Set(1);
        row.created_at = Set(at.millis());

        let upsert = self.rendered.upsert.of(row)?;
        if returning_backend(&self.db).is_some() {
            return self
                .write_returning(upsert)
                .await?
                .ok_or_else(|| RepoError::Other(format!("upsert of {instance} returned no row")));
        }
        // The read-back inside the same transaction sees this statement's
        // row (it holds the row lock).
        let read = self.integration_read(instance.clone());
        let cipher = self.cipher.clone();
        atomically(&self.db, move |txn| {
            Box::pin(async move {
                txn.execute(upsert).await.map_err(repo_error)?;
                written_row(txn, &instance, read, cipher.as_deref()).await
            })
        })
        .await
    }

    async fn find_integration(
        &self,
        instance: InstanceId,
    ) -> Result<Option<(Integration, Revision)>, RepoError> {
        let read = self.integration_read(instance.to_string());
        self.request_row::<integration::Model>(read)
            .await?
            .map(|row| {
                let revision = Revision(row.revision);
                integration_from_row(row, self.cipher()).map(|integration| (integration, revision))
            })
            .transpose()
    }

    async fn update_integration(
        &self,
        instance: InstanceId,
        revision: Revision,
        settings: &IntegrationSettings,
        at: Timestamp,
    ) -> Result<Integration, RepoError> {
        let instance = instance.to_string();
        let update = integration::Entity::update_many()
            .set(settings_row(settings, at, self.cipher())?)
            .col_expr(Column::Revision, next_revision())
            .filter(Column::InstanceId.eq(instance.as_str()))
            .filter(Column::Revision.eq(revision.0))
            .filter(Column::DeletedAt.is_null());
        if let Some(backend) = returning_backend(&self.db) {
            let mut query = update.into_query();
            query.returning_all();
            return self
                .write_returning(backend.build(&query))
                .await?
                .ok_or(RepoError::Conflict);
        }
        let read = self.integration_read(instance.clone());
        let cipher = self.cipher.clone();
        atomically(&self.db, move |txn| {
            Box::pin(async move {
                let updated = update.exec(txn).await.map_err(repo_error)?;
                if updated.rows_affected == 0 {
                    return Err(RepoError::Conflict);
                }
                written_row(txn, &instance, read, cipher.as_deref()).await
            })
        })
        .await
    }

    async fn soft_delete_integration(
        &self,
        instance: InstanceId,
        at: Timestamp,
    ) -> Result<Option<Integration>, RepoError> {
        let instance = instance.to_string();
        let update = integration::Entity::update_many()
            .col_expr(Column::DeletedAt, Expr::value(at.millis()))
            .col_expr(Column::UpdatedAt, Expr::value(at.millis()))
            .col_expr(Column::Revision, next_revision())
            .filter(Column::InstanceId.eq(instance.as_str()))
            .filter(Column::DeletedAt.is_null());
        if let Some(backend) = returning_backend(&self.db) {
            let mut query = update.into_query();
            query.returning_all();
            return self.write_returning(backend.build(&query)).await;
        }
        let read = self.integration_read(instance.clone());
        let cipher = self.cipher.clone();
        atomically(&self.db, move |txn| {
            Box::pin(async move {
                let updated = update.exec(txn).await.map_err(repo_error)?;
                if updated.rows_affected == 0 {
                    return Ok(None);
                }
                written_row(txn, &instance, read, cipher.as_deref())
                    .await
                    .map(Some)
            })
        })
        .await
    }
}
