use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, string_len, text, text_null,
};

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
            .col(string_len(ChatwootIntegrations::Id, 36).primary_key())
            .col(string_len(ChatwootIntegrations::InstanceId, 36).unique_key())
            .col(boolean(ChatwootIntegrations::Enabled))
            .col(big_integer(ChatwootIntegrations::AccountId))
            .col(big_integer_null(ChatwootIntegrations::InboxId))
            .col(text(ChatwootIntegrations::ChatwootUrl))
            .col(text(ChatwootIntegrations::ChatwootAccessToken))
            .col(text_null(ChatwootIntegrations::N8nWebhook))
            .col(boolean(ChatwootIntegrations::EnabledGroup))
            .col(boolean(ChatwootIntegrations::DisplayAttendant))
            .col(string_len(ChatwootIntegrations::StartConversationAs, 16))
            .col(text_null(ChatwootIntegrations::Query))
            .col(big_integer(ChatwootIntegrations::Revision))
            .col(big_integer(ChatwootIntegrations::CreatedAt))
            .col(big_integer(ChatwootIntegrations::UpdatedAt))
            .col(big_integer_null(ChatwootIntegrations::DeletedAt))
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
        table_options::create(manager, table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table_options::drop(manager, ChatwootIntegrations::Table).await
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
