use sea_orm_migration::prelude::*;

use crate::table_options;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Timestamps are BIGINT milliseconds since the epoch: the one type that
/// keeps milliseconds exactly on SQLite, PostgreSQL and MariaDB alike.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table(Instances::Table)
            .if_not_exists()
            .col(
                ColumnDef::new(Instances::Id)
                    .string_len(36)
                    .not_null()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(Instances::Name)
                    .string_len(64)
                    .not_null()
                    .unique_key(),
            )
            .col(
                ColumnDef::new(Instances::Description)
                    .string_len(255)
                    .null(),
            )
            .col(
                ColumnDef::new(Instances::TokenHash)
                    .string_len(64)
                    .not_null()
                    .unique_key(),
            )
            .col(
                ColumnDef::new(Instances::CreatedAt)
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Instances::UpdatedAt)
                    .big_integer()
                    .not_null(),
            );
        table_options::portable(manager, &mut table);
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Instances::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Instances {
    Table,
    Id,
    Name,
    Description,
    TokenHash,
    CreatedAt,
    UpdatedAt,
}
