//! The Set and update bodies of the integration. They have the same
//! members: a Set must give the required ones and takes the defaults of
//! the others, an update changes only what it gives.

use application::auto_create::AutoCreateRefused;
use domain::{
    InboxId, InboxName, IntegrationOptions, IntegrationPatch, IntegrationSettings,
    StartConversationAs, ValidationErrors,
};
use serde_json::Value;

use super::{finish, read_body, values, Reader, RequestBody};
use crate::openapi::bodies::{SetIntegrationRequest, UpdateIntegrationRequest};
use crate::repeated_keys::Decoded;

/// A Set as asked: the settings, and `autoCreate: true` as judged (`A`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetIntegration<A = Option<InboxName>> {
    pub settings: IntegrationSettings,
    pub auto_create: Option<A>,
}

impl SetIntegrationRequest {
    /// [`Self::parse_on`] as a service where `autoCreate` is available.
    pub fn parse(body: impl Into<Decoded>) -> Result<SetIntegration, ValidationErrors> {
        Self::parse_on(body, |name, with_inbox, enabled| {
            AutoCreateRefused::of(with_inbox, enabled, true).map_or(Ok(name), Err)
        })
    }

    /// The Set of a decoded body, `autoCreate: true` judged by `judge`
    /// (`nameInbox`, an inbox given?, enabled?). Messages: the contract's
    /// fields, `autoCreate`, `nameInbox` and what they cannot go with, the
    /// unknown members, why the service cannot `autoCreate` at all.
    pub fn parse_on<A>(
        body: impl Into<Decoded>,
        judge: impl FnOnce(Option<InboxName>, bool, bool) -> Result<A, AutoCreateRefused>,
    ) -> Result<SetIntegration<A>, ValidationErrors> {
        let mut by_service = None;
        let (mut found, set) = read_body(body, |members| {
            read_set(members, |name, with_inbox, enabled| {
                judge(name, with_inbox, enabled).map_err(|mut refused| {
                    by_service = refused.by_service.take();
                    refused
                })
            })
        });
        found.extend(by_service);
        finish(found, set)
    }
}

/// A Set: the contract's members over their defaults, then `autoCreate`.
/// Its service refusal is the caller's to list.
fn read_set<A>(
    members: &mut Reader,
    judge: impl FnOnce(Option<InboxName>, bool, bool) -> Result<A, AutoCreateRefused>,
) -> Option<SetIntegration<A>> {
    let with_inbox = ["inbox", "inboxId"]
        .iter()
        .any(|key| members.given(key).is_some_and(|value| !value.is_null()));
    let enabled = members.given("enabled") != Some(&Value::Bool(false));
    let account_id = members.not_null("accountId", true, values::account_id);
    let enabled_given = members.optional("enabled", values::boolean);
    let chatwoot_url = members.not_null("chatwootURL", true, values::url);
    let access_token = members.not_null("chatwootAccessToken", true, values::access_token);
    let n8n_webhook = members.nullable("n8nWebhook", values::url);
    let inbox_id = read_inbox(members);
    let (enabled_group, display_attendant, start_conversation_as) = read_options(members);
    let auto_create = members.optional("autoCreate", values::boolean);
    let name_inbox = members.optional("nameInbox", values::inbox_name);
    let auto_create = match auto_create {
        Some(true) => judge(name_inbox, with_inbox, enabled)
            .map_err(|refused| refused.with_body.into_iter().for_each(|r| members.note(r)))
            .ok(),
        _ => None,
    };
    let defaults = IntegrationOptions::default();
    let settings = IntegrationSettings {
        enabled: enabled_given.unwrap_or(true),
        account_id: account_id?,
        inbox_id: inbox_id.flatten(),
        chatwoot_url: chatwoot_url?,
        access_token: access_token?,
        n8n_webhook: n8n_webhook.flatten(),
        options: IntegrationOptions {
            enabled_group: enabled_group.unwrap_or(defaults.enabled_group),
            display_attendant: display_attendant.unwrap_or(defaults.display_attendant),
            start_conversation_as: start_conversation_as.unwrap_or(defaults.start_conversation_as),
        },
    };
    Some(SetIntegration {
        settings,
        auto_create,
    })
}

impl RequestBody for UpdateIntegrationRequest {
    type Valid = IntegrationPatch;

    fn read(members: &mut Reader) -> Option<IntegrationPatch> {
        let account_id = members.not_null("accountId", false, values::account_id);
        let enabled = members.optional("enabled", values::boolean);
        let chatwoot_url = members.not_null("chatwootURL", false, values::url);
        let access_token = members.not_null("chatwootAccessToken", false, values::access_token);
        let n8n_webhook = members.nullable("n8nWebhook", values::url);
        let inbox_id = read_inbox(members);
        let (enabled_group, display_attendant, start_conversation_as) = read_options(members);
        Some(IntegrationPatch {
            enabled,
            account_id,
            inbox_id,
            chatwoot_url,
            access_token,
            n8n_webhook,
            enabled_group,
            display_attendant,
            start_conversation_as,
        })
    }
}

/// The options as given, each `None` when absent.
fn read_options(members: &mut Reader) -> (Option<bool>, Option<bool>, Option<StartConversationAs>) {
    members.object("integrationOptions", |options| {
        (
            options.optional("enabledGroup", values::boolean),
            options.optional("displayAttendant", values::boolean),
            options.optional("startConversationAs", values::start_conversation_as),
        )
    })
}

/// The inbox under whichever name the client used, checked under that
/// name. Even `"inbox": null` next to `"inboxId": 3` is two answers to one
/// question.
fn read_inbox(members: &mut Reader) -> Option<Option<InboxId>> {
    let both = members.given("inbox").is_some() && members.given("inboxId").is_some();
    let from_inbox = members.nullable("inbox", values::inbox_id);
    let from_inbox_id = members.nullable("inboxId", values::inbox_id);
    if both {
        members.note("inbox and inboxId must not both be given");
    }
    from_inbox.or(from_inbox_id)
}
