//! The Set and update bodies of the integration. They have the same
//! members: a Set must give the required ones and starts from the
//! defaults, an update changes only what it gives.

use std::collections::BTreeMap;

use application::auto_create::auto_create_conflicts;
use domain::{InboxId, InboxName, IntegrationPatch, IntegrationSettings, ValidationErrors};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::members::{Member, Violations};
use super::{values, RequestBody};
use crate::openapi::schemas;
use crate::repeated_keys::Decoded;

const ACCOUNT_ID: &str = "accountId";
const ENABLED: &str = "enabled";
const CHATWOOT_URL: &str = "chatwootURL";
const CHATWOOT_ACCESS_TOKEN: &str = "chatwootAccessToken";
const N8N_WEBHOOK: &str = "n8nWebhook";
const INBOX: &str = "inbox";
const INBOX_ID: &str = "inboxId";
const INTEGRATION_OPTIONS: &str = "integrationOptions";
const ENABLED_GROUP: &str = "integrationOptions.enabledGroup";
const DISPLAY_ATTENDANT: &str = "integrationOptions.displayAttendant";
const START_CONVERSATION_AS: &str = "integrationOptions.startConversationAs";
const AUTO_CREATE: &str = "autoCreate";
const NAME_INBOX: &str = "nameInbox";

/// `POST .../chatwoot-integration`: the whole desired configuration. An
/// absent optional field takes its default; it does not keep an old value.
/// `inbox` and `inboxId` are two names for one field: give at most one.
#[derive(Debug, Default, Deserialize, ToSchema)]
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
    account_id: Member,
    /// A JSON boolean only (not `null`).
    #[serde(default)]
    #[schema(value_type = bool, default = true)]
    enabled: Member,
    /// Where Chatwoot answers; stored in canonical form (lower-case scheme
    /// and host, no default port, no trailing `/`).
    #[serde(default, rename = "chatwootURL")]
    #[schema(schema_with = schemas::url, required = true)]
    chatwoot_url: Member,
    /// A Chatwoot user's access token (not an agent bot's or platform token).
    #[serde(default)]
    #[schema(schema_with = schemas::access_token, required = true)]
    chatwoot_access_token: Member,
    /// The gateway's n8n workflow webhook. Default `null`.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_url)]
    n8n_webhook: Member,
    /// An inbox of the account. Default `null`.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_id)]
    inbox: Member,
    /// Another name for `inbox` (what a read answers with).
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_id)]
    inbox_id: Member,
    /// `null` is the same as absent: every option takes its default.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_options)]
    integration_options: Member,
    /// `true`: find the account's API inbox named `nameInbox`, or create
    /// it, with its webhook set to `CHATWOOT_WEBHOOK_URL`, and store its id.
    /// Needs that setting, an administrator's token, no `inbox`/`inboxId`
    /// and not `enabled: false`. Never stored nor answered.
    #[serde(default)]
    #[schema(value_type = bool, default = false)]
    auto_create: Member,
    /// The name of the inbox `autoCreate` finds or creates. Default: the
    /// instance's name; never stored nor answered.
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 255)]
    name_inbox: Member,
    /// Every other member, each a violation.
    #[serde(flatten)]
    #[schema(ignore)]
    unknown: BTreeMap<String, Value>,
}

/// A Set as asked: the settings, and whether to find or create the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetIntegration {
    pub settings: IntegrationSettings,
    /// `Some` for `autoCreate: true`, with the `nameInbox` given, if any.
    pub auto_create: Option<Option<InboxName>>,
}

/// `PUT .../chatwoot-integration`: every field optional; an absent field
/// keeps its value, `null` clears `n8nWebhook` and `inbox`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"integrationOptions": {"enabledGroup": true}}))]
pub struct UpdateIntegrationRequest {
    #[serde(default)]
    #[schema(schema_with = schemas::id)]
    account_id: Member,
    #[serde(default)]
    #[schema(value_type = bool)]
    enabled: Member,
    #[serde(default, rename = "chatwootURL")]
    #[schema(schema_with = schemas::url)]
    chatwoot_url: Member,
    #[serde(default)]
    #[schema(schema_with = schemas::access_token)]
    chatwoot_access_token: Member,
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_url)]
    n8n_webhook: Member,
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_id)]
    inbox: Member,
    /// Another name for `inbox`.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_id)]
    inbox_id: Member,
    /// `null` is the same as absent: no option changes.
    #[serde(default)]
    #[schema(schema_with = schemas::nullable_options_update)]
    integration_options: Member,
    #[serde(flatten)]
    #[schema(ignore)]
    unknown: BTreeMap<String, Value>,
}

/// Options of the integration in a Set: each absent one takes its default.
/// An update's options are read as this type too; their schema is
/// [`IntegrationOptionsUpdateRequest`].
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationOptionsRequest {
    /// Send group messages to Chatwoot.
    #[serde(default)]
    #[schema(value_type = bool, default = false)]
    enabled_group: Member,
    /// Show the attendant's name in the message header.
    #[serde(default)]
    #[schema(value_type = bool, default = true)]
    display_attendant: Member,
    #[serde(default)]
    #[schema(value_type = crate::dto::StartConversationAsBody, default = "open")]
    start_conversation_as: Member,
    #[serde(flatten)]
    #[schema(ignore)]
    unknown: BTreeMap<String, Value>,
}

/// Options of the integration in an update: each absent one keeps its
/// value, so none has a default (a generated client would send the default
/// and overwrite the stored value).
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)] // a schema, never built: read as `IntegrationOptionsRequest`
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

impl RequestBody for SetIntegrationRequest {
    type Valid = SetIntegration;

    /// The contract's fields, then `autoCreate` and `nameInbox`, then the
    /// unknown members.
    fn check(mut self, found: &mut Violations) -> Option<SetIntegration> {
        let with_inbox = [&self.inbox, &self.inbox_id]
            .iter()
            .any(|member| matches!(member, Member::Given(_)));
        let enabled = !matches!(self.enabled, Member::Given(Value::Bool(false)));
        let auto_create = std::mem::take(&mut self.auto_create);
        let name_inbox = std::mem::take(&mut self.name_inbox);
        let unknown = std::mem::take(&mut self.unknown);
        let patch = UpdateIntegrationRequest::from(self).read(Required::Yes, found);
        let auto_create = found.optional(AUTO_CREATE, &auto_create, values::boolean);
        let name_inbox = found.optional(NAME_INBOX, &name_inbox, values::inbox_name);
        let auto_create = auto_create.unwrap_or(false).then_some(name_inbox);
        if auto_create.is_some() {
            for conflict in auto_create_conflicts(with_inbox, enabled) {
                found.note(conflict);
            }
        }
        found.unknown("", &unknown);
        Some(SetIntegration {
            settings: patch.into_settings()?,
            auto_create,
        })
    }
}

impl SetIntegrationRequest {
    /// [`RequestBody::parse`], with `unavailable`, the reason this service
    /// cannot `autoCreate` at all (if any), listed after the body's own
    /// violations when the body asks for it.
    pub fn parse_on(
        body: impl Into<Decoded>,
        unavailable: impl FnOnce() -> Option<String>,
    ) -> Result<SetIntegration, ValidationErrors> {
        let body = body.into();
        let asks_auto_create = body.value.get(AUTO_CREATE) == Some(&Value::Bool(true));
        let parsed = Self::parse(body);
        let Some(refusal) = asks_auto_create.then(unavailable).flatten() else {
            return parsed;
        };
        let mut messages = match parsed {
            Ok(_) => Vec::new(),
            Err(violations) => violations.into_messages(),
        };
        messages.push(refusal);
        Err(ValidationErrors::new(messages))
    }
}

impl RequestBody for UpdateIntegrationRequest {
    type Valid = IntegrationPatch;

    fn check(mut self, found: &mut Violations) -> Option<IntegrationPatch> {
        let unknown = std::mem::take(&mut self.unknown);
        let patch = self.read(Required::No, found);
        found.unknown("", &unknown);
        Some(patch)
    }
}

/// Whether the members without a default must be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Required {
    Yes,
    No,
}

/// A Set is read as an update that must give the required members.
impl From<SetIntegrationRequest> for UpdateIntegrationRequest {
    fn from(set: SetIntegrationRequest) -> Self {
        Self {
            account_id: set.account_id,
            enabled: set.enabled,
            chatwoot_url: set.chatwoot_url,
            chatwoot_access_token: set.chatwoot_access_token,
            n8n_webhook: set.n8n_webhook,
            inbox: set.inbox,
            inbox_id: set.inbox_id,
            integration_options: set.integration_options,
            unknown: set.unknown,
        }
    }
}

impl UpdateIntegrationRequest {
    /// The members in the contract's field order, then the options': the
    /// order of the messages. The caller notes the unknown ones.
    fn read(self, required: Required, found: &mut Violations) -> IntegrationPatch {
        let required = required == Required::Yes;
        let account_id = found.not_null(ACCOUNT_ID, &self.account_id, required, values::account_id);
        let enabled = found.optional(ENABLED, &self.enabled, values::boolean);
        let chatwoot_url = found.not_null(CHATWOOT_URL, &self.chatwoot_url, required, values::url);
        let access_token = found.not_null(
            CHATWOOT_ACCESS_TOKEN,
            &self.chatwoot_access_token,
            required,
            values::access_token,
        );
        let n8n_webhook = found.nullable(N8N_WEBHOOK, &self.n8n_webhook, values::url);
        let inbox_id = read_inbox(&self.inbox, &self.inbox_id, found);
        let options: IntegrationOptionsRequest =
            found.object(INTEGRATION_OPTIONS, self.integration_options);
        let enabled_group = found.optional(ENABLED_GROUP, &options.enabled_group, values::boolean);
        let display_attendant = found.optional(
            DISPLAY_ATTENDANT,
            &options.display_attendant,
            values::boolean,
        );
        let start_conversation_as = found.optional(
            START_CONVERSATION_AS,
            &options.start_conversation_as,
            values::start_conversation_as,
        );
        found.unknown(INTEGRATION_OPTIONS, &options.unknown);
        IntegrationPatch {
            enabled,
            account_id,
            inbox_id,
            chatwoot_url,
            access_token,
            n8n_webhook,
            enabled_group,
            display_attendant,
            start_conversation_as,
        }
    }
}

/// The inbox under whichever name the client used, checked under that
/// name. Even `"inbox": null` next to `"inboxId": 3` is two answers to one
/// question.
fn read_inbox(
    inbox: &Member,
    inbox_id: &Member,
    found: &mut Violations,
) -> Option<Option<InboxId>> {
    let from_inbox = found.nullable(INBOX, inbox, values::inbox_id);
    let from_inbox_id = found.nullable(INBOX_ID, inbox_id, values::inbox_id);
    if !inbox.is_absent() && !inbox_id.is_absent() {
        found.note("inbox and inboxId must not both be given");
    }
    from_inbox.or(from_inbox_id)
}
