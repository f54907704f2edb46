use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// On MySQL/MariaDB, store UTF-8 fully and compare strings byte for byte, so
/// instance names are unique exactly as on PostgreSQL and SQLite (the
/// default collations there are case-insensitive).
pub fn portable(manager: &SchemaManager, table: &mut TableCreateStatement) {
    if manager.get_database_backend() == DatabaseBackend::MySql {
        table.character_set("utf8mb4").collate("utf8mb4_bin");
    }
}
