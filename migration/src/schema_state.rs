//! Whether a database holds this service's schema, found by reading only:
//! for commands that must neither create nor change a database (`check`).

use sea_orm_migration::sea_orm::{DatabaseConnection, DbErr, EntityName, EntityTrait};
use sea_orm_migration::seaql_migrations;
use sea_orm_migration::{MigratorTrait, SchemaManager};

use crate::Migrator;

/// What a database holds of this version's schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    /// No migration was ever applied: not this service's database.
    Missing,
    /// These migrations of this version are not applied yet.
    Behind(Vec<String>),
    /// Every migration of this version is applied.
    Current,
}

/// Reads the migration table, if any, without creating it (sea-orm-migration's
/// own status queries create it).
pub async fn schema(db: &DatabaseConnection) -> Result<Schema, DbErr> {
    let table = seaql_migrations::Entity.table_name();
    if !SchemaManager::new(db).has_table(table).await? {
        return Ok(Schema::Missing);
    }
    let applied: Vec<String> = seaql_migrations::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.version)
        .collect();
    if applied.is_empty() {
        return Ok(Schema::Missing);
    }
    let pending: Vec<String> = Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_owned())
        .filter(|name| !applied.contains(name))
        .collect();
    Ok(if pending.is_empty() {
        Schema::Current
    } else {
        Schema::Behind(pending)
    })
}
