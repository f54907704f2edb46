use sea_orm_migration::prelude::*;

use crate::m20261125_000002_create_chatwoot_integrations::ChatwootIntegrations as Integrations;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What the last write of an integration learnt of its inbox's webhook
/// signing secret (Chatwoot 4.13 and later): the secret, sealed like the
/// access token when a key is configured; when it was stored; or, when the
/// inbox showed none, why. All NULL for rows written before: not read.
///
/// One column per statement: SQLite adds one column per `ALTER TABLE`.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
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
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Integrations::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            SigningSecret::WebhookSecretHidden,
            SigningSecret::WebhookSecretAt,
            SigningSecret::WebhookSecret,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Integrations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// The new columns; `DeriveIden` names each after its variant.
#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)]
enum SigningSecret {
    WebhookSecret,
    WebhookSecretAt,
    WebhookSecretHidden,
}
