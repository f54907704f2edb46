//! The schemas of the request bodies. The bodies are read member by member
//! (`crate::request`), so these types carry no values: they are declared
//! here for the document only, each member's schema stating what the
//! reading accepts.

use utoipa::ToSchema;

use crate::openapi::schemas;

/// `POST .../chatwoot-integration`: the whole desired configuration. An
/// absent optional field takes its default; it does not keep an old value.
/// `inbox` and `inboxId` are two names for one field: give at most one.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema, never built
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "accountId": "12",
    "chatwootURL": "https://chat.example.com/",
    "chatwootAccessToken": "user-token",
    "inbox": 3,
    "integrationOptions": {"startConversationAs": "pending"}
}))]
pub struct SetIntegrationRequest {
    /// The Chatwoot account id; stored and returned as an integer.
    #[serde(default)]
    #[schema(schema_with = schemas::id, required = true)]
    account_id: (),
    /// A JSON boolean only (not `null`).
    #[serde(default)]
    #[schema(value_type = bool, default = true)]
    enabled: (),
    /// Where Chatwoot answers; stored in canonical form (lower-case scheme
    /// and host, no default port, no trailing `/`).
    #[serde(default, rename = "chatwootURL")]
    #[schema(schema_with = schemas::url, required = true)]
    chatwoot_url: (),
    /// A Chatwoot user's access token (not an agent bot's or platform token).
    #[serde(default)]
    #[schema(schema_with = schemas::access_token, required = true)]
    chatwoot_access_token: (),
    /// The gateway's n8n workflow webhook. Default `null`.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_url)]
    n8n_webhook: (),
    /// An inbox of the account. Default `null`.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_id)]
    inbox: (),
    /// Another name for `inbox` (what a read answers with).
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_id)]
    inbox_id: (),
    /// `null` is the same as absent: every option takes its default.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_options)]
    integration_options: (),
    /// `true`: find the account's API inbox named `nameInbox`, or create
    /// it, with its webhook set to `CHATWOOT_WEBHOOK_URL`, and store its id.
    /// Needs that setting, an administrator's token, no `inbox`/`inboxId`
    /// and not `enabled: false`. Never stored nor answered.
    #[serde(default)]
    #[schema(value_type = bool, default = false)]
    auto_create: (),
    /// The name of the inbox `autoCreate` finds or creates. Default: the
    /// instance's name; never stored nor answered.
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 255)]
    name_inbox: (),
}

/// `PUT .../chatwoot-integration`: every field optional; an absent field
/// keeps its value, `null` clears `n8nWebhook` and `inbox`.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema, never built
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"integrationOptions": {"enabledGroup": true}}))]
pub struct UpdateIntegrationRequest {
    #[serde(default)]
    #[schema(schema_with = schemas::id)]
    account_id: (),
    #[serde(default)]
    #[schema(value_type = bool)]
    enabled: (),
    #[serde(default, rename = "chatwootURL")]
    #[schema(schema_with = schemas::url)]
    chatwoot_url: (),
    #[serde(default)]
    #[schema(schema_with = schemas::access_token)]
    chatwoot_access_token: (),
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_url)]
    n8n_webhook: (),
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_id)]
    inbox: (),
    /// Another name for `inbox`.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_id)]
    inbox_id: (),
    /// `null` is the same as absent: no option changes.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_options_update)]
    integration_options: (),
}

/// Options of the integration in a Set: each absent one takes its default.
/// An update's options are read as this type too; their schema is
/// [`IntegrationOptionsUpdateRequest`].
#[derive(ToSchema)]
#[allow(dead_code)] // a schema, never built
#[serde(rename_all = "camelCase")]
pub struct IntegrationOptionsRequest {
    /// Send group messages to Chatwoot.
    #[serde(default)]
    #[schema(value_type = bool, default = false)]
    enabled_group: (),
    /// Show the attendant's name in the message header.
    #[serde(default)]
    #[schema(value_type = bool, default = true)]
    display_attendant: (),
    #[serde(default)]
    #[schema(value_type = crate::dto::StartConversationAsBody, default = "open")]
    start_conversation_as: (),
}

/// Options of the integration in an update: each absent one keeps its
/// value, so none has a default (a generated client would send the default
/// and overwrite the stored value).
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)] // a schema, never built
pub struct IntegrationOptionsUpdateRequest {
    /// Send group messages to Chatwoot.
    #[schema(required = false)]
    enabled_group: bool,
    /// Show the attendant's name in the message header.
    #[schema(required = false)]
    display_attendant: bool,
    #[schema(required = false)]
    start_conversation_as: crate::dto::StartConversationAsBody,
}

/// `POST /api/v2/instance`
#[derive(ToSchema)]
#[schema(example = json!({"name": "sales-line", "description": "Sales"}))]
#[allow(dead_code)] // a schema, never built
pub struct CreateInstanceRequest {
    #[serde(default)]
    #[schema(schema_with = schemas::instance_name, required = true)]
    name: (),
    #[serde(default)]
    #[schema(schema_with = schemas::description)]
    description: (),
}
