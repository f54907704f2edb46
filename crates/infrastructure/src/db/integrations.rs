use application::ports::Revision;
use application::{IntegrationRepository, RepoError};
use domain::{InstanceId, Integration, IntegrationId, IntegrationSettings, Timestamp};
use sea_orm::sea_query::{Expr, InsertStatement, OnConflict, SimpleExpr, UpdateStatement};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, QueryTrait, Set, StatementBuilder,
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

fn next_revision() -> SimpleExpr {
    Expr::col((integration::Entity, Column::Revision)).add(1)
}

/// An insert or update that can end in `RETURNING *`.
trait Write: StatementBuilder + Send + 'static {
    fn returning_all(&mut self);
}

impl Write for InsertStatement {
    fn returning_all(&mut self) {
        InsertStatement::returning_all(self);
    }
}

impl Write for UpdateStatement {
    fn returning_all(&mut self) {
        UpdateStatement::returning_all(self);
    }
}

impl SeaOrmRepository {
    /// Runs `write`, which touches at most the row of `instance`, and
    /// returns the row it left; `None` when it touched none.
    ///
    /// PostgreSQL and SQLite return it from the write itself (`RETURNING *`):
    /// one statement, and the lock held for that statement only
    /// (docs/decisions/one-statement-writes.md). MySQL/MariaDB cannot, so
    /// there the row is read back inside the write's transaction, which
    /// holds its lock.
    async fn write_returning(
        &self,
        mut write: impl Write,
        instance: &str,
    ) -> Result<Option<Integration>, RepoError> {
        let backend = self.writer.get_database_backend();
        let row = if backend == DbBackend::MySql {
            let written = backend.build(&write);
            let read = integration::Entity::find().filter(Column::InstanceId.eq(instance));
            atomically(&self.writer, move |txn| {
                Box::pin(async move {
                    let written = txn.execute(written).await.map_err(repo_error)?;
                    if written.rows_affected() == 0 {
                        return Ok(None);
                    }
                    read.one(txn).await.map_err(repo_error)
                })
            })
            .await?
        } else {
            write.returning_all();
            // All rows, not one: SQLite runs its WAL checkpoint only when a
            // committing statement steps to its end, and a statement reset
            // after its first row never does, so the WAL would grow by every
            // write until shutdown.
            integration::Model::find_by_statement(backend.build(&write))
                .all(&self.writer)
                .await
                .map_err(repo_error)?
                .pop()
        };
        row.map(|row| integration_from_row(row, self.cipher()))
            .transpose()
    }
}

impl IntegrationRepository for SeaOrmRepository {
    /// One statement decides insert or replace, so concurrent sets never
    /// race between a read and a write.
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
        let on_conflict = OnConflict::column(Column::InstanceId)
            .update_columns(REPLACED)
            .value(Column::Revision, next_revision())
            .to_owned();
        let upsert = integration::Entity::insert(row)
            .on_conflict(on_conflict)
            .into_query();
        self.bounded(self.write_returning(upsert, &instance))
            .await?
            .ok_or_else(|| RepoError::Other(format!("upsert of {instance} returned no row")))
    }

    async fn find_integration(
        &self,
        instance: InstanceId,
    ) -> Result<Option<(Integration, Revision)>, RepoError> {
        let row = integration::Entity::find()
            .filter(Column::InstanceId.eq(instance.to_string()))
            .one(&self.db);
        self.bounded(row)
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
            .filter(Column::DeletedAt.is_null())
            .into_query();
        self.bounded(self.write_returning(update, &instance))
            .await?
            .ok_or(RepoError::Conflict)
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
            .filter(Column::DeletedAt.is_null())
            .into_query();
        self.bounded(self.write_returning(update, &instance)).await
    }
}
