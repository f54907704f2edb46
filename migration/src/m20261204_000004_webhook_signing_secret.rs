use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261125_000002_create_chatwoot_integrations::ChatwootIntegrations as Integrations;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What the last write of an integration learnt of its inbox's webhook
/// signing secret (Chatwoot 4.13 and later): the secret, sealed like the
/// access token when a key is configured; when it was stored; or, when the
/// inbox showed none, why. All NULL for rows written before: not read.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new(SigningSecret::WebhookSecret)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(SigningSecret::WebhookSecretAt)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(SigningSecret::WebhookSecretHidden)
                .text()
                .null()
                .to_owned(),
        ];
        let alters =
            one_per_statement_on_sqlite(manager, columns.into_iter(), |alter, mut column| {
                alter.add_column(&mut column);
            });
        for alter in alters {
            manager.alter_table(alter).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            SigningSecret::WebhookSecretHidden,
            SigningSecret::WebhookSecretAt,
            SigningSecret::WebhookSecret,
        ];
        let alters = one_per_statement_on_sqlite(manager, columns.into_iter(), |alter, column| {
            alter.drop_column(column);
        });
        for alter in alters {
            manager.alter_table(alter).await?;
        }
        Ok(())
    }
}

/// The `ALTER TABLE` statements that apply `change` to each of `items`:
/// one on PostgreSQL and MySQL (one table rebuild, one implicit commit),
/// one per item on SQLite, which takes one change per statement.
fn one_per_statement_on_sqlite<T>(
    manager: &SchemaManager,
    items: impl Iterator<Item = T>,
    change: impl Fn(&mut TableAlterStatement, T),
) -> Vec<TableAlterStatement> {
    let fresh = || Table::alter().table(Integrations::Table).to_owned();
    let mut alters = vec![fresh()];
    let sqlite = manager.get_database_backend() == DatabaseBackend::Sqlite;
    for (n, item) in items.enumerate() {
        if sqlite && n > 0 {
            alters.push(fresh());
        }
        if let Some(alter) = alters.last_mut() {
            change(alter, item);
        }
    }
    alters
}

/// The new columns; `DeriveIden` names each after its variant.
#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)]
enum SigningSecret {
    WebhookSecret,
    WebhookSecretAt,
    WebhookSecretHidden,
}
