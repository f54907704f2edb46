use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// On MySQL/MariaDB, store UTF-8 fully and compare strings byte for byte, so
/// instance names are unique exactly as on PostgreSQL and SQLite (the
/// default collations there are case-insensitive).
fn portable(manager: &SchemaManager, table: &mut TableCreateStatement) {
    if manager.get_database_backend() == DatabaseBackend::MySql {
        table.character_set("utf8mb4").collate("utf8mb4_bin");
    }
}

/// Creates `table`, portably.
pub async fn create(
    manager: &SchemaManager<'_>,
    mut table: TableCreateStatement,
) -> Result<(), DbErr> {
    portable(manager, &mut table);
    manager.create_table(table).await
}

/// Drops the table `name`.
pub async fn drop(manager: &SchemaManager<'_>, name: impl IntoTableRef) -> Result<(), DbErr> {
    manager
        .drop_table(Table::drop().table(name).to_owned())
        .await
}
