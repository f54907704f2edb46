//! Rows to domain values. A row that no longer parses (edited by hand, or
//! written by a buggy version) is reported as a repository fault rather
//! than served.

use application::ports::Revision;
use application::{InstanceRecord, RepoError};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, Instance, InstanceDescription, InstanceId,
    InstanceName, Integration, IntegrationId, IntegrationOptions, IntegrationSettings,
    SecretRecord, StartConversationAs, Timestamp,
};

use super::entities::{instance, integration};
use super::signing_secret;
use crate::crypto::{self, TokenCipher};

fn corrupt(table: &str, id: &str, column: &str) -> RepoError {
    RepoError::Other(format!(
        "{table} row {id}: column {column} holds an invalid value"
    ))
}

fn timestamp(millis: i64, table: &str, id: &str, column: &str) -> Result<Timestamp, RepoError> {
    Timestamp::from_millis(millis).ok_or_else(|| corrupt(table, id, column))
}

pub fn instance_from_row(row: instance::Model) -> Result<Instance, RepoError> {
    let t = "instances";
    let id = &row.id;
    Ok(Instance {
        id: InstanceId::parse(id).ok_or_else(|| corrupt(t, id, "id"))?,
        name: InstanceName::from_stored(&row.name).map_err(|_| corrupt(t, id, "name"))?,
        description: row
            .description
            .as_deref()
            .map(InstanceDescription::parse)
            .transpose()
            .map_err(|_| corrupt(t, id, "description"))?,
        created_at: timestamp(row.created_at, t, id, "created_at")?,
        updated_at: timestamp(row.updated_at, t, id, "updated_at")?,
    })
}

/// `cipher` opens an access token encrypted at rest; plaintext rows (written
/// before a key was configured) are read as they are.
pub fn integration_from_row(
    row: integration::Model,
    cipher: Option<&TokenCipher>,
) -> Result<Integration, RepoError> {
    let t = "chatwoot_integrations";
    let id = &row.id;
    let access_token = crypto::open_with(cipher, &row.chatwoot_access_token).map_err(|err| {
        RepoError::TokenKey {
            detail: format!("{t} row {id}: column chatwoot_access_token: {err}"),
        }
    })?;
    let url = |raw: &str, column| HttpUrl::parse(raw).map_err(|_| corrupt(t, id, column));
    let settings = IntegrationSettings {
        enabled: row.enabled,
        account_id: AccountId::new(row.account_id).map_err(|_| corrupt(t, id, "account_id"))?,
        inbox_id: row
            .inbox_id
            .map(InboxId::new)
            .transpose()
            .map_err(|_| corrupt(t, id, "inbox_id"))?,
        chatwoot_url: url(&row.chatwoot_url, "chatwoot_url")?,
        access_token: ChatwootAccessToken::parse(&access_token)
            .map_err(|_| corrupt(t, id, "chatwoot_access_token"))?,
        n8n_webhook: row
            .n8n_webhook
            .as_deref()
            .map(|raw| url(raw, "n8n_webhook"))
            .transpose()?,
        options: IntegrationOptions {
            enabled_group: row.enabled_group,
            display_attendant: row.display_attendant,
            start_conversation_as: StartConversationAs::parse(&row.start_conversation_as)
                .map_err(|_| corrupt(t, id, "start_conversation_as"))?,
        },
    };
    let signing_secret = signing_secret::from_columns(
        (
            row.webhook_secret.clone(),
            row.webhook_secret_at,
            row.webhook_secret_hidden.clone(),
        ),
        cipher,
        |column, err| RepoError::Other(format!("{t} row {id}: column {column}: {err}")),
    )?;
    written_integration(row, &settings, &signing_secret)
}

/// The integration of a row a write just left with `settings` and
/// `signing_secret`: they are taken as written, so only what the database
/// keeps beside them (id, owner, `query`, timestamps) is read from the row,
/// and what was sealed for the write is not opened again.
pub fn written_integration(
    row: integration::Model,
    settings: &IntegrationSettings,
    signing_secret: &SecretRecord,
) -> Result<Integration, RepoError> {
    let t = "chatwoot_integrations";
    let id = &row.id;
    Ok(Integration {
        id: IntegrationId::parse(id).ok_or_else(|| corrupt(t, id, "id"))?,
        instance_id: InstanceId::parse(&row.instance_id)
            .ok_or_else(|| corrupt(t, id, "instance_id"))?,
        settings: settings.clone(),
        signing_secret: signing_secret.clone(),
        query: row.query,
        created_at: timestamp(row.created_at, t, id, "created_at")?,
        updated_at: timestamp(row.updated_at, t, id, "updated_at")?,
        deleted_at: row
            .deleted_at
            .map(|ms| timestamp(ms, t, id, "deleted_at"))
            .transpose()?,
    })
}

/// An integration's row with its revision.
pub fn integration_with_revision(
    row: integration::Model,
    cipher: Option<&TokenCipher>,
) -> Result<(Integration, Revision), RepoError> {
    let revision = Revision(row.revision);
    integration_from_row(row, cipher).map(|integration| (integration, revision))
}

/// An instance's row joined with its integration's, if it has one. An
/// integration row that does not decode is left out (`None`): the request
/// still authenticates, and a read of the integration alone reports it.
pub fn record_from_rows(
    (instance, integration): (instance::Model, Option<integration::Model>),
    cipher: Option<&TokenCipher>,
) -> Result<InstanceRecord, RepoError> {
    let integration = match integration {
        None => Some(None),
        Some(row) => integration_with_revision(row, cipher).ok().map(Some),
    };
    Ok(InstanceRecord {
        instance: instance_from_row(instance)?,
        integration,
    })
}
