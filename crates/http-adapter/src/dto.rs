//! Response bodies, named as the contract names them. Built from domain
//! values, never from database rows; request bodies are the types of
//! [`crate::request`].

use application::{CheckName, IntegrationStatus};
use domain::{Instance, InstanceToken, Integration, IntegrationOptions};
use serde::Serialize;

use crate::wording;

/// The Set Integration body: exactly the contract's keys, in its order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationBody {
    #[schema(format = Uuid)]
    pub integration_id: String,
    pub enabled: bool,
    #[schema(minimum = 1, maximum = 9007199254740991_i64)]
    pub account_id: i64,
    /// `null` when the integration has no inbox.
    #[schema(minimum = 1, maximum = 9007199254740991_i64, required = true)]
    pub inbox_id: Option<i64>,
    #[serde(rename = "chatwootURL")]
    #[schema(format = "uri", max_length = 2048)]
    pub chatwoot_url: String,
    #[schema(max_length = 512)]
    pub chatwoot_access_token: String,
    // The options' members, written here in the contract's order.
    #[serde(flatten)]
    pub options: IntegrationOptionsBody,
    #[schema(example = "2025-06-12T13:21:06.572Z", format = DateTime)]
    pub created_at: String,
    #[schema(example = "2025-06-12T13:21:06.572Z", format = DateTime)]
    pub updated_at: String,
    /// `null` while the integration is live.
    #[schema(example = json!(null), format = DateTime, required = true)]
    pub deleted_at: Option<String>,
    #[schema(format = Uuid)]
    pub instance_instance_id: String,
    #[schema(format = "uri", max_length = 2048, required = true)]
    pub n8n_webhook: Option<String>,
    /// Reserved for the gateway; `null` unless stored.
    #[schema(required = true)]
    pub query: Option<String>,
}

/// How Chatwoot opens a conversation: the one schema of this value, in
/// requests and answers alike.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = StartConversationAs)]
pub enum StartConversationAsBody {
    Open,
    Pending,
}

impl From<domain::StartConversationAs> for StartConversationAsBody {
    fn from(value: domain::StartConversationAs) -> Self {
        match value {
            domain::StartConversationAs::Open => Self::Open,
            domain::StartConversationAs::Pending => Self::Pending,
        }
    }
}

impl From<&Integration> for IntegrationBody {
    fn from(i: &Integration) -> Self {
        let s = &i.settings;
        Self {
            integration_id: i.id.to_string(),
            enabled: s.enabled,
            account_id: s.account_id.get(),
            inbox_id: s.inbox_id.map(|id| id.get()),
            chatwoot_url: s.chatwoot_url.as_str().to_owned(),
            chatwoot_access_token: s.access_token.expose().to_owned(),
            options: (&s.options).into(),
            created_at: i.created_at.to_rfc3339(),
            updated_at: i.updated_at.to_rfc3339(),
            deleted_at: i.deleted_at.map(|t| t.to_rfc3339()),
            instance_instance_id: i.instance_id.to_string(),
            n8n_webhook: s.n8n_webhook.as_ref().map(|u| u.as_str().to_owned()),
            query: i.query.clone(),
        }
    }
}

/// The options of the integration, answered among its members.
// Also the schema of a Set's and an update's `integrationOptions`
// (`crate::openapi::bodies`), so an option is declared once on the wire.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationOptionsBody {
    /// Send group messages to Chatwoot.
    pub enabled_group: bool,
    /// Show the attendant's name in the message header.
    pub display_attendant: bool,
    pub start_conversation_as: StartConversationAsBody,
}

impl From<&IntegrationOptions> for IntegrationOptionsBody {
    fn from(o: &IntegrationOptions) -> Self {
        Self {
            enabled_group: o.enabled_group,
            display_attendant: o.display_attendant,
            start_conversation_as: o.start_conversation_as.into(),
        }
    }
}

/// An instance as listed and read: never with a token.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstanceBody {
    #[schema(format = Uuid)]
    pub instance_id: String,
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^(?:[A-Za-z0-9_.-]*[A-Za-z0-9_-][A-Za-z0-9_.-]*|\.{3,})$"
    )]
    pub name: String,
    #[schema(max_length = 255, required = true)]
    pub description: Option<String>,
    #[schema(example = "2025-06-12T13:21:06.572Z", format = DateTime)]
    pub created_at: String,
}

impl From<&Instance> for InstanceBody {
    fn from(i: &Instance) -> Self {
        Self {
            instance_id: i.id.to_string(),
            name: i.name.as_str().to_owned(),
            description: i.description.as_ref().map(|d| d.as_str().to_owned()),
            created_at: i.created_at.to_rfc3339(),
        }
    }
}

/// An instance just created: the only time its token is shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedInstanceBody {
    #[schema(format = Uuid)]
    pub instance_id: String,
    #[schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9_.-]{1,64}$")]
    pub name: String,
    #[schema(max_length = 255, required = true)]
    pub description: Option<String>,
    /// Shown only now; only its hash is stored.
    pub token: String,
    #[schema(example = "2025-06-12T13:21:06.572Z", format = DateTime)]
    pub created_at: String,
}

impl CreatedInstanceBody {
    pub fn new(instance: &Instance, token: &InstanceToken) -> Self {
        let body = InstanceBody::from(instance);
        Self {
            instance_id: body.instance_id,
            name: body.name,
            description: body.description,
            token: token.expose().to_owned(),
            created_at: body.created_at,
        }
    }
}

/// A new token for an instance; the old one no longer works.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenBody {
    #[schema(format = Uuid)]
    pub instance_id: String,
    pub token: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusBody {
    #[schema(example = "ok")]
    pub status: String,
}

/// The inbox's webhook signing secret, for the gateway to verify what
/// Chatwoot sends it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookSecretBody {
    /// The key of `X-Chatwoot-Signature`: `sha256=<hex HMAC-SHA256 of
    /// "{X-Chatwoot-Timestamp}.{raw body}">`.
    pub secret: String,
    /// When it was read from Chatwoot and stored.
    #[schema(example = "2026-12-04T10:00:00.000Z", format = DateTime)]
    pub stored_at: String,
}

/// The status of an integration: its checks, run now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationStatusBody {
    /// `true` when no check failed; `null` when checking is turned off
    /// (`CHATWOOT_VERIFY=false`).
    #[schema(required = true)]
    pub healthy: Option<bool>,
    pub enabled: bool,
    /// When the checks started.
    #[schema(example = "2025-06-12T13:21:06.572Z", format = DateTime)]
    pub checked_at: String,
    /// What `GET {chatwootURL}/api` announced; `null` until it answered.
    #[schema(example = "4.1.0", required = true)]
    pub chatwoot_version: Option<String>,
    /// Always the nine checks, in this order.
    #[schema(min_items = 9, max_items = 9)]
    pub checks: Vec<CheckBody>,
}

/// One check and how it ended.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CheckBody {
    #[schema(inline)]
    pub name: CheckNameBody,
    /// `null` when the check was not run, or its answer cannot be known.
    #[schema(required = true)]
    pub ok: Option<bool>,
    /// Why it failed (the message Set would give), or why its answer cannot
    /// be known; `null` otherwise.
    #[schema(required = true)]
    pub message: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum CheckNameBody {
    Reachable,
    Chatwoot,
    Token,
    Account,
    Inbox,
    Webhook,
    /// Chatwoot 4.14 and later refuses webhooks to non-public addresses.
    #[serde(rename = "webhookTarget")]
    WebhookTarget,
    /// The inbox's signing secret is the one stored (Chatwoot 4.13 and later).
    Signature,
    /// Advisory: `false` when an agent bot makes Chatwoot open the
    /// conversations as `pending` while `startConversationAs` is `open`;
    /// it never refuses a Set.
    AgentBot,
}

impl From<CheckName> for CheckNameBody {
    fn from(name: CheckName) -> Self {
        match name {
            CheckName::Reachable => Self::Reachable,
            CheckName::Chatwoot => Self::Chatwoot,
            CheckName::Token => Self::Token,
            CheckName::Account => Self::Account,
            CheckName::Inbox => Self::Inbox,
            CheckName::Webhook => Self::Webhook,
            CheckName::WebhookTarget => Self::WebhookTarget,
            CheckName::Signature => Self::Signature,
            CheckName::AgentBot => Self::AgentBot,
        }
    }
}

impl From<&IntegrationStatus> for IntegrationStatusBody {
    fn from(status: &IntegrationStatus) -> Self {
        let report = &status.report;
        Self {
            healthy: status.healthy(),
            enabled: status.enabled,
            checked_at: status.checked_at.to_rfc3339(),
            chatwoot_version: report.chatwoot_version().map(str::to_owned),
            checks: report
                .steps()
                .map(|(name, outcome)| CheckBody {
                    name: name.into(),
                    ok: outcome.ok(),
                    message: wording::outcome(outcome),
                })
                .collect(),
        }
    }
}

/// The status of one instance's integration, in a list of several.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceStatusBody {
    pub instance_id: String,
    #[serde(flatten)]
    pub status: IntegrationStatusBody,
}
