//! The schemas of the request bodies. The bodies are read member by member
//! (`crate::request`), so these types carry no values: they are declared
//! here for the document only, each member's schema stating what the
//! reading accepts. The options' schemas are those of the answered options
//! (`dto::IntegrationOptionsBody`), so an option is declared once.

use domain::IntegrationOptions;
use serde_json::Value;
use utoipa::openapi::schema::OneOfBuilder;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::dto::IntegrationOptionsBody;
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

/// Options of the integration in a Set: the schema of
/// [`IntegrationOptionsBody`], each member with its default.
pub struct IntegrationOptionsRequest;

impl PartialSchema for IntegrationOptionsRequest {
    fn schema() -> RefOr<Schema> {
        let defaults = IntegrationOptionsBody::from(&IntegrationOptions::default());
        let defaults = serde_json::to_value(defaults).expect("the options serialize");
        options(
            "Options of the integration in a Set: each absent one takes its default.",
            |name| defaults.get(name).cloned(),
        )
    }
}

impl ToSchema for IntegrationOptionsRequest {}

/// Options of the integration in an update: the schema of
/// [`IntegrationOptionsBody`] without defaults.
pub struct IntegrationOptionsUpdateRequest;

impl PartialSchema for IntegrationOptionsUpdateRequest {
    fn schema() -> RefOr<Schema> {
        options(
            "Options of the integration in an update: each absent one keeps its \
             value, so none has a default (a generated client would send the \
             default and overwrite the stored value).",
            |_| None,
        )
    }
}

impl ToSchema for IntegrationOptionsUpdateRequest {}

/// The schema of the options as answered, every member optional, each with
/// the default `default` gives it.
fn options(description: &str, default: impl Fn(&str) -> Option<Value>) -> RefOr<Schema> {
    let mut schema = IntegrationOptionsBody::schema();
    if let RefOr::T(Schema::Object(object)) = &mut schema {
        object.description = Some(description.to_owned());
        object.required.clear();
        for (name, member) in &mut object.properties {
            match (default(name), member) {
                (Some(value), RefOr::T(Schema::Object(member))) => member.default = Some(value),
                // A `$ref` takes no sibling in utoipa's model: it is wrapped
                // in a `oneOf` of one, which the document's finish unwraps.
                (Some(value), member @ RefOr::Ref(_)) => {
                    let reference = member.clone();
                    let one = OneOfBuilder::new().item(reference).default(Some(value));
                    *member = RefOr::T(Schema::OneOf(one.build()));
                }
                _ => {}
            }
        }
    }
    schema
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
