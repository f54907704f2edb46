//! The Set and update bodies of the integration. They have the same
//! members: a Set must give the required ones and takes the defaults of
//! the others, an update changes only what it gives.

use application::auto_create::AutoCreateRefused;
use domain::{
    InboxId, InboxName, IntegrationOptionsPatch, IntegrationPatch, IntegrationSettings,
    ValidationErrors,
};
use serde_json::Value;

use super::{finish, read_body, values, Reader, RequestBody};
use crate::openapi::bodies::{SetIntegrationRequest, UpdateIntegrationRequest};
use crate::repeated_keys::Decoded;
use crate::wording;

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
                judge(name, with_inbox, enabled).map_err(|refused| {
                    by_service = Some(refused.by_service());
                    refused.with_body()
                })
            })
        });
        found.extend(
            by_service
                .into_iter()
                .flat_map(wording::auto_create_refused),
        );
        finish(found, set)
    }
}

/// A Set: each of the contract's members as given, or its default, then
/// `autoCreate`. Its service refusal is the caller's to list.
fn read_set<A>(
    members: &mut Reader,
    judge: impl FnOnce(Option<InboxName>, bool, bool) -> Result<A, AutoCreateRefused>,
) -> Option<SetIntegration<A>> {
    let with_inbox = ["inbox", "inboxId"]
        .iter()
        .any(|key| members.given(key).is_some_and(|value| !value.is_null()));
    let not_disabled = members.given("enabled") != Some(&Value::Bool(false));
    let account_id = members.not_null("accountId", true, values::account_id);
    let enabled = members.optional("enabled", values::boolean);
    let chatwoot_url = members.not_null("chatwootURL", true, values::url);
    let access_token = members.not_null("chatwootAccessToken", true, values::access_token);
    let n8n_webhook = members.nullable("n8nWebhook", values::url);
    let inbox_id = read_inbox(members);
    let options = read_options(members);
    let auto_create = members.optional("autoCreate", values::boolean);
    let name_inbox = members.optional("nameInbox", values::inbox_name);
    let auto_create = match auto_create {
        Some(true) => judge(name_inbox, with_inbox, not_disabled)
            .map_err(|refused| {
                wording::auto_create_refused(refused)
                    .into_iter()
                    .for_each(|reason| members.note(reason))
            })
            .ok(),
        _ => None,
    };
    let defaults = IntegrationSettings::new(account_id?, chatwoot_url?, access_token?);
    let settings = IntegrationSettings {
        enabled: enabled.unwrap_or(defaults.enabled),
        inbox_id: inbox_id.unwrap_or(defaults.inbox_id),
        n8n_webhook: n8n_webhook.unwrap_or(defaults.n8n_webhook),
        options: options.apply(defaults.options),
        ..defaults
    };
    Some(SetIntegration {
        settings,
        auto_create,
    })
}

impl RequestBody for UpdateIntegrationRequest {
    type Valid = IntegrationPatch;

    /// The members of a Set, each optional: `None` keeps the current value.
    fn read(members: &mut Reader) -> Option<IntegrationPatch> {
        Some(IntegrationPatch {
            account_id: members.not_null("accountId", false, values::account_id),
            enabled: members.optional("enabled", values::boolean),
            chatwoot_url: members.not_null("chatwootURL", false, values::url),
            access_token: members.not_null("chatwootAccessToken", false, values::access_token),
            n8n_webhook: members.nullable("n8nWebhook", values::url),
            inbox_id: read_inbox(members),
            options: read_options(members),
        })
    }
}

/// `integrationOptions`, as given: a Set gives the absent ones their
/// default, an update keeps their value.
fn read_options(members: &mut Reader) -> IntegrationOptionsPatch {
    members.object("integrationOptions", |options| IntegrationOptionsPatch {
        enabled_group: options.optional("enabledGroup", values::boolean),
        display_attendant: options.optional("displayAttendant", values::boolean),
        start_conversation_as: options
            .optional("startConversationAs", values::start_conversation_as),
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
