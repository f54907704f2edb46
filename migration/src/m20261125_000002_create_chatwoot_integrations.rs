use sea_orm_migration::prelude::*;

use crate::m20261125_000001_create_instances::Instances;
use crate::table_options;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row per instance (unique `instance_id`): the target of the atomic
/// upsert. Deletion is soft (`deleted_at`), and `revision` moves on every
/// write so partial updates can detect a concurrent change.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table(ChatwootIntegrations::Table)
            .if_not_exists()
            .col(
                ColumnDef::new(ChatwootIntegrations::Id)
                    .string_len(36)
                    .not_null()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::InstanceId)
                    .string_len(36)
                    .not_null()
                    .unique_key(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::Enabled)
                    .boolean()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::AccountId)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::InboxId)
                    .big_integer()
                    .null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::ChatwootUrl)
                    .text()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::ChatwootAccessToken)
                    .text()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::N8nWebhook)
                    .text()
                    .null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::EnabledGroup)
                    .boolean()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::DisplayAttendant)
                    .boolean()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::StartConversationAs)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(ChatwootIntegrations::Query).text().null())
            .col(
                ColumnDef::new(ChatwootIntegrations::Revision)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::CreatedAt)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::UpdatedAt)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(ChatwootIntegrations::DeletedAt)
                    .big_integer()
                    .null(),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("fk_chatwoot_integrations_instance")
                    .from(
                        ChatwootIntegrations::Table,
                        ChatwootIntegrations::InstanceId,
                    )
                    .to(Instances::Table, Instances::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            );
        table_options::portable(manager, &mut table);
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChatwootIntegrations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum ChatwootIntegrations {
    Table,
    Id,
    InstanceId,
    Enabled,
    AccountId,
    InboxId,
    ChatwootUrl,
    ChatwootAccessToken,
    N8nWebhook,
    EnabledGroup,
    DisplayAttendant,
    StartConversationAs,
    Query,
    Revision,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}
