use std::collections::BTreeMap;

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DatabaseBackend, FromQueryResult};

use crate::m20261125_000002_create_chatwoot_integrations::ChatwootIntegrations as Integrations;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "uq_chatwoot_integrations_live_inbox";

/// One live integration per Chatwoot inbox: two integrations that are not
/// deleted may not share `chatwoot_url`, `account_id` and `inbox_id`,
/// enabled or not; rows without an inbox are not constrained. A unique
/// index decides it, so concurrent writes cannot both pass.
///
/// PostgreSQL and SQLite index the live rows with an inbox (a partial
/// index). MySQL and MariaDB have no partial indexes: there a stored
/// generated column holds a hash of the three values for exactly those
/// rows and NULL for the others (which a unique index lets repeat), and
/// the index is on it; the URL, up to 2048 characters, is too long for an
/// index key of its own.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        refuse_shared_inboxes(manager).await?;
        let mut index = Index::create();
        index.name(INDEX).table(Integrations::Table).unique();
        if manager.get_database_backend() == DatabaseBackend::MySql {
            let key = Expr::cust(
                "CASE WHEN deleted_at IS NULL AND inbox_id IS NOT NULL \
                 THEN SHA2(CONCAT_WS(' ', account_id, inbox_id, chatwoot_url), 256) END",
            );
            manager
                .alter_table(
                    Table::alter()
                        .table(Integrations::Table)
                        .add_column(
                            ColumnDef::new(LiveInboxKey)
                                .char_len(64)
                                .generated(key, true),
                        )
                        .to_owned(),
                )
                .await?;
            index.col(LiveInboxKey);
        } else {
            index
                .col(Integrations::ChatwootUrl)
                .col(Integrations::AccountId)
                .col(Integrations::InboxId)
                .and_where(Expr::col(Integrations::DeletedAt).is_null())
                .and_where(Expr::col(Integrations::InboxId).is_not_null());
        }
        manager.create_index(index).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Integrations::Table)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::MySql {
            manager
                .alter_table(
                    Table::alter()
                        .table(Integrations::Table)
                        .drop_column(LiveInboxKey)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// The generated column of MySQL and MariaDB.
#[derive(DeriveIden)]
struct LiveInboxKey;

#[derive(FromQueryResult)]
struct LiveRow {
    instance_id: String,
    chatwoot_url: String,
    account_id: i64,
    inbox_id: i64,
}

/// The index cannot be built over rows that already break the rule: the
/// migration stops first, naming each shared inbox and its instances, so
/// the operator can delete or change all but one of each.
async fn refuse_shared_inboxes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let query = Query::select()
        .columns([
            Integrations::InstanceId,
            Integrations::ChatwootUrl,
            Integrations::AccountId,
            Integrations::InboxId,
        ])
        .from(Integrations::Table)
        .and_where(Expr::col(Integrations::DeletedAt).is_null())
        .and_where(Expr::col(Integrations::InboxId).is_not_null())
        .to_owned();
    let db = manager.get_connection();
    let rows = LiveRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    let mut holders: BTreeMap<(String, i64, i64), Vec<String>> = BTreeMap::new();
    for row in rows {
        holders
            .entry((row.chatwoot_url, row.account_id, row.inbox_id))
            .or_default()
            .push(row.instance_id);
    }
    let shared: Vec<String> = holders
        .into_iter()
        .filter(|(_, instances)| instances.len() > 1)
        .map(|((url, account, inbox), mut instances)| {
            instances.sort();
            format!(
                "inbox {inbox} of account {account} at {url} is used by instances {}",
                instances.join(", ")
            )
        })
        .collect();
    if shared.is_empty() {
        return Ok(());
    }
    Err(DbErr::Migration(format!(
        "one Chatwoot inbox may serve one live integration, and some already serve several: {}. \
         Delete or change the integration of all but one instance of each \
         (DELETE or PUT /api/v2/instance/{{instanceId}}/chatwoot-integration on the previous \
         version), then start again",
        shared.join("; ")
    )))
}
