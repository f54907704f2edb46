use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string_len, string_len_null};

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
            .col(string_len(Instances::Id, 36).primary_key())
            .col(string_len(Instances::Name, 64).unique_key())
            .col(string_len_null(Instances::Description, 255))
            .col(string_len(Instances::TokenHash, 64).unique_key())
            .col(big_integer(Instances::CreatedAt))
            .col(big_integer(Instances::UpdatedAt));
        table_options::create(manager, table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table_options::drop(manager, Instances::Table).await
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
