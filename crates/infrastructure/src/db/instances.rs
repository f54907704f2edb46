use application::{InstanceRecord, InstanceRepository, RepoError};
use domain::{Instance, InstanceId, Timestamp, TokenHash};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::entities::{instance, integration};
use super::rows::{instance_from_row, record_from_rows};
use super::SeaOrmRepository;
use std::sync::atomic::Ordering::SeqCst;

impl InstanceRepository for SeaOrmRepository {
    async fn create_instance(&self, new: &Instance, token: &TokenHash) -> Result<(), RepoError> {
        let row = instance::ActiveModel {
            id: Set(new.id.to_string()),
            name: Set(new.name.as_str().to_owned()),
            description: Set(new.description.as_ref().map(|d| d.as_str().to_owned())),
            token_hash: Set(token.to_hex()),
            created_at: Set(new.created_at.millis()),
            updated_at: Set(new.updated_at.millis()),
        };
        let insert = instance::Entity::insert(row).exec_without_returning(&self.writer);
        self.bounded(insert).await.map(drop)
    }

    async fn list_instances(&self) -> Result<Vec<Instance>, RepoError> {
        let rows = instance::Entity::find()
            .order_by_asc(instance::Column::CreatedAt)
            .order_by_asc(instance::Column::Name)
            .all(&self.db);
        let rows = self.bounded(rows).await?;
        rows.into_iter().map(instance_from_row).collect()
    }

    /// One statement: the instance joined with its integration.
    async fn find_instance(&self, id: InstanceId) -> Result<Option<InstanceRecord>, RepoError> {
        let rows = instance::Entity::find_by_id(id.to_string())
            .find_also_related(integration::Entity)
            .one(&self.db);
        let rows = self.bounded(rows).await?;
        rows.map(|rows| record_from_rows(rows, self.cipher()))
            .transpose()
    }

    /// One statement: the token's instance joined with its integration, so
    /// an authenticated read needs no statement more.
    async fn find_instance_by_token(
        &self,
        token: &TokenHash,
    ) -> Result<Option<InstanceRecord>, RepoError> {
        let rows = instance::Entity::find()
            .filter(instance::Column::TokenHash.eq(token.to_hex()))
            .find_also_related(integration::Entity)
            .one(&self.db);
        let rows = self.bounded(rows).await?;
        rows.map(|rows| record_from_rows(rows, self.cipher()))
            .transpose()
    }

    /// One statement: the foreign key's cascade deletes the integration.
    /// It locks the instance's row before the integration's, the order in
    /// which MySQL writes of an integration lock them, so the two cannot
    /// deadlock.
    async fn delete_instance(&self, id: InstanceId) -> Result<bool, RepoError> {
        let deleted = instance::Entity::delete_by_id(id.to_string()).exec(&self.writer);
        Ok(self.bounded(deleted).await?.rows_affected == 1)
    }

    async fn replace_token(
        &self,
        id: InstanceId,
        token: &TokenHash,
        at: Timestamp,
    ) -> Result<bool, RepoError> {
        let update = instance::Entity::update_many()
            .col_expr(instance::Column::TokenHash, Expr::value(token.to_hex()))
            .col_expr(instance::Column::UpdatedAt, Expr::value(at.millis()))
            .filter(instance::Column::Id.eq(id.to_string()))
            .exec(&self.writer);
        Ok(self.bounded(update).await?.rows_affected == 1)
    }

    /// Also fails while a token no configured key decrypts was met, until
    /// a scan finds none left (the row was set again).
    async fn ping(&self) -> Result<(), RepoError> {
        self.bounded(self.db.ping()).await?;
        if self.token_key_failed.load(SeqCst) {
            let unreadable = self.undecryptable_tokens().await?;
            if unreadable > 0 {
                return Err(RepoError::TokenKey {
                    detail: format!("{unreadable} stored Chatwoot access tokens do not decrypt with the configured keys"),
                });
            }
            self.token_key_failed.store(false, SeqCst);
        }
        Ok(())
    }
}
