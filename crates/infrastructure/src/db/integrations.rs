use application::ports::Revision;
use application::{IntegrationRepository, RepoError};
use domain::{
    InstanceId, Integration, IntegrationId, IntegrationSettings, SecretRecord, Timestamp,
};
use sea_orm::sea_query::{Expr, ExprTrait, InsertStatement, LockType, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    IsolationLevel, Iterable, QueryFilter, QuerySelect, QueryTrait, Set, Statement, UpdateMany,
};

use super::entities::instance;
use super::entities::integration::{self, Column};
use super::errors::{inbox_taken, repo_error};
use super::rows::written_integration;
use super::signing_secret;
use super::transaction::atomically;
use super::SeaOrmRepository;
use crate::crypto::TokenCipher;

/// The columns a set replaces: `id`, `instance_id`, `created_at` and
/// `query` survive, and `revision` moves. The access token and the signing
/// secret are sealed here when a key is configured, so no write path can
/// store them in clear by mistake.
fn settings_row(
    settings: &IntegrationSettings,
    secret: &SecretRecord,
    at: Timestamp,
    cipher: Option<&TokenCipher>,
) -> Result<integration::ActiveModel, RepoError> {
    let (webhook_secret, webhook_secret_at, webhook_secret_hidden) =
        signing_secret::to_columns(secret, cipher)?;
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
        webhook_secret: Set(webhook_secret),
        webhook_secret_at: Set(webhook_secret_at),
        webhook_secret_hidden: Set(webhook_secret_hidden),
        ..Default::default()
    })
}

/// `INSERT … SELECT … FROM instances WHERE id = ? FOR NO KEY UPDATE`: the
/// insert of `row` takes its values from the instance's row, locked first,
/// so the writes of one instance queue on that lock before either looks
/// for the other's row. Without it, PostgreSQL's concurrent upserts of a
/// new row both found none, both inserted, and the one-live-inbox index
/// (not the arbiter of `ON CONFLICT`) refused the second with a unique
/// violation, or the two deadlocked on each other's index entries. No row
/// is inserted when the instance is gone. SQLite has no row locks and
/// needs none: its writes queue on the one writer.
fn insert_locking_instance(row: &integration::ActiveModel, instance: &str) -> InsertStatement {
    let instance_id = Expr::col((instance::Entity, instance::Column::Id));
    let mut columns = Vec::new();
    let mut values: Vec<Expr> = Vec::new();
    for column in Column::iter() {
        let value = match row.get(column).into_value() {
            _ if matches!(column, Column::InstanceId) => instance_id.clone(),
            Some(value) => Expr::val(value),
            None => continue,
        };
        columns.push(column);
        values.push(value);
    }
    let source = Query::select()
        .exprs(values)
        .from(instance::Entity)
        .and_where(instance_id.eq(instance))
        .lock(LockType::NoKeyUpdate)
        .to_owned();
    Query::insert()
        .into_table(integration::Entity)
        .columns(columns)
        .select_from(source)
        .expect("one value for each column")
        .to_owned()
}

fn next_revision() -> Expr {
    Expr::col((integration::Entity, Column::Revision)).add(1)
}

impl SeaOrmRepository {
    /// Runs `upsert` (PostgreSQL, SQLite) and returns the row it left;
    /// `None` when it wrote none.
    ///
    /// The write returns the row itself (`RETURNING *`,
    /// docs/decisions/one-statement-writes.md).
    async fn upsert_returning(
        &self,
        upsert: InsertStatement,
    ) -> Result<Option<integration::Model>, RepoError> {
        let backend = self.writer.get_database_backend();
        // All rows, not one: SQLite checkpoints its WAL only when a statement
        // steps to its end (docs/decisions/sqlite-wal-one-writer.md).
        let rows = integration::Model::find_by_statement(backend.build(&upsert))
            .all(&self.writer)
            .await;
        self.returned(rows)
    }

    /// Runs `update` of the row of `instance` and returns the row it left;
    /// `None` when it matched none. One statement (`UPDATE … RETURNING *`)
    /// but on MySQL/MariaDB ([`Self::write_on_mysql`]).
    async fn update_returning(
        &self,
        update: UpdateMany<integration::Entity>,
        instance: &str,
    ) -> Result<Option<integration::Model>, RepoError> {
        let backend = self.writer.get_database_backend();
        if backend == DbBackend::MySql {
            return self
                .write_on_mysql(instance, vec![update.build(backend)])
                .await;
        }
        // Fetches every row it returns, as SQLite's WAL wants (above).
        let rows = update.exec_with_returning(&self.writer).await;
        self.returned(rows)
    }

    /// The one row a write of `instance` returned, unmapped.
    fn returned(
        &self,
        rows: Result<Vec<integration::Model>, DbErr>,
    ) -> Result<Option<integration::Model>, RepoError> {
        Ok(rows.map_err(|err| inbox_taken(repo_error(err)))?.pop())
    }

    /// MySQL/MariaDB: one transaction runs the first of `writes` that
    /// touches the row of `instance` and reads that row back, holding its
    /// lock. The instance's own row is locked first, so the writes of one
    /// instance queue, and at READ COMMITTED, so a write that finds no row
    /// locks no gap where other instances insert theirs (at REPEATABLE READ
    /// such writers deadlock).
    async fn write_on_mysql(
        &self,
        instance: &str,
        writes: Vec<Statement>,
    ) -> Result<Option<integration::Model>, RepoError> {
        let lock = instance::Entity::find_by_id(instance).lock_exclusive();
        let read = integration::Entity::find().filter(Column::InstanceId.eq(instance));
        let committed = Some(IsolationLevel::ReadCommitted);
        let row = atomically(&self.writer, committed, move |txn| {
            Box::pin(async move {
                lock.one(txn).await.map_err(repo_error)?;
                for write in writes {
                    let written = txn.execute_raw(write).await.map_err(repo_error)?;
                    if written.rows_affected() > 0 {
                        return read.one(txn).await.map_err(repo_error);
                    }
                }
                Ok(None)
            })
        })
        .await;
        row.map_err(inbox_taken)
    }
}

impl IntegrationRepository for SeaOrmRepository {
    /// One statement decides insert or replace (on MySQL, statements under
    /// the instance's lock), so concurrent sets never race between a read
    /// and a write.
    async fn upsert_integration(
        &self,
        instance: InstanceId,
        new_id: IntegrationId,
        settings: &IntegrationSettings,
        secret: &SecretRecord,
        at: Timestamp,
    ) -> Result<Integration, RepoError> {
        let instance = instance.to_string();
        let replaced = settings_row(settings, secret, at, self.cipher())?;
        let mut row = replaced.clone();
        row.id = Set(new_id.to_string());
        row.instance_id = Set(instance.clone());
        row.query = Set(None);
        row.revision = Set(1);
        row.created_at = Set(at.millis());
        let backend = self.writer.get_database_backend();
        let stored = if backend == DbBackend::MySql {
            // Not `ON DUPLICATE KEY UPDATE`: it updates whichever row the new
            // one collides with, on any unique key, so on the inbox's key it
            // would overwrite another instance's integration.
            let update = integration::Entity::update_many()
                .set(replaced)
                .col_expr(Column::Revision, next_revision())
                .filter(Column::InstanceId.eq(instance.as_str()));
            let insert = integration::Entity::insert(row);
            let writes = vec![update.build(backend), insert.build(backend)];
            self.bounded(self.write_on_mysql(&instance, writes)).await?
        } else {
            let replaced = Column::iter().filter(|column| replaced.get(*column).is_set());
            let on_conflict = OnConflict::column(Column::InstanceId)
                .update_columns(replaced)
                .value(Column::Revision, next_revision())
                .to_owned();
            let upsert = insert_locking_instance(&row, &instance)
                .on_conflict(on_conflict)
                .returning_all()
                .to_owned();
            self.bounded(self.upsert_returning(upsert)).await?
        };
        // The instance was deleted since the caller found it.
        written_integration(stored.ok_or(RepoError::ReferenceMissing)?, settings, secret)
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
                self.integration_of(row)
                    .map(|integration| (integration, revision))
            })
            .transpose()
    }

    async fn update_integration(
        &self,
        instance: InstanceId,
        revision: Revision,
        settings: &IntegrationSettings,
        secret: &SecretRecord,
        at: Timestamp,
    ) -> Result<Integration, RepoError> {
        let instance = instance.to_string();
        let update = integration::Entity::update_many()
            .set(settings_row(settings, secret, at, self.cipher())?)
            .col_expr(Column::Revision, next_revision())
            .filter(Column::InstanceId.eq(instance.as_str()))
            .filter(Column::Revision.eq(revision.0))
            .filter(Column::DeletedAt.is_null());
        let updated = self
            .bounded(self.update_returning(update, &instance))
            .await?;
        written_integration(updated.ok_or(RepoError::Conflict)?, settings, secret)
    }

    async fn find_inbox_holder(
        &self,
        except: InstanceId,
        settings: &IntegrationSettings,
    ) -> Result<Option<InstanceId>, RepoError> {
        let Some(inbox) = settings.inbox_id else {
            return Ok(None);
        };
        let holder = integration::Entity::find()
            .filter(Column::ChatwootUrl.eq(settings.chatwoot_url.as_str()))
            .filter(Column::AccountId.eq(settings.account_id.get()))
            .filter(Column::InboxId.eq(inbox.get()))
            .filter(Column::DeletedAt.is_null())
            .filter(Column::InstanceId.ne(except.to_string()))
            .one(&self.db);
        let holder = self.bounded(holder).await?;
        Ok(holder.and_then(|row| InstanceId::parse(&row.instance_id)))
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
        let deleted = self
            .bounded(self.update_returning(update, &instance))
            .await?;
        deleted.map(|row| self.integration_of(row)).transpose()
    }
}
