//! The database schema as code. Applied at start-up and by the `migrate`
//! subcommand; already-applied migrations are skipped, so a second run is a
//! no-op.

pub use sea_orm_migration::prelude::*;

mod apply;
pub use apply::migrate;
mod schema_state;
pub use schema_state::{schema, Schema};

mod m20261125_000001_create_instances;
mod m20261125_000002_create_chatwoot_integrations;
mod m20261201_000003_one_live_integration_per_inbox;
mod m20261204_000004_webhook_signing_secret;
mod table_options;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_instances::Migration),
            Box::new(m20261125_000002_create_chatwoot_integrations::Migration),
            Box::new(m20261201_000003_one_live_integration_per_inbox::Migration),
            Box::new(m20261204_000004_webhook_signing_secret::Migration),
        ]
    }
}
