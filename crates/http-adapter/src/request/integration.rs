//! The Set and update bodies of the integration. They have the same
//! members: a Set must give the required ones and takes the defaults of
//! the others, an update changes only what it gives.

use application::auto_create::AutoCreateRefused;
use domain::{InboxId, InboxName, IntegrationPatch, IntegrationSettings, ValidationErrors};
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

/// A Set: the contract's members over the defaults of those it leaves
/// out, then `autoCreate`. Its service refusal is the caller's to list.
fn read_set<A>(
    members: &mut Reader,
    judge: impl FnOnce(Option<InboxName>, bool, bool) -> Result<A, AutoCreateRefused>,
) -> Option<SetIntegration<A>> {
    let with_inbox = ["inbox", "inboxId"]
        .iter()
        .any(|key| members.given(key).is_some_and(|value| !value.is_null()));
    let enabled = members.given("enabled") != Some(&Value::Bool(false));
    let mut given = read_members(members, true);
    let auto_create = members.optional("autoCreate", values::boolean);
    let name_inbox = members.optional("nameInbox", values::inbox_name);
    let auto_create = match auto_create {
        Some(true) => judge(name_inbox, with_inbox, enabled)
            .map_err(|refused| refused.with_body.into_iter().for_each(|r| members.note(r)))
            .ok(),
        _ => None,
    };
    let defaults = IntegrationSettings::new(
        given.account_id.take()?,
        given.chatwoot_url.take()?,
        given.access_token.take()?,
    );
    Some(SetIntegration {
        settings: given.apply(defaults),
        auto_create,
    })
}

impl RequestBody for UpdateIntegrationRequest {
    type Valid = IntegrationPatch;

    fn read(members: &mut Reader) -> Option<IntegrationPatch> {
        Some(read_members(members, false))
    }
}

/// The members a Set and an update share, each as given (`None` when
/// absent), in the contract's order: the options last. `required`: the
/// members without a default must be given.
fn read_members(members: &mut Reader, required: bool) -> IntegrationPatch {
    IntegrationPatch {
        account_id: members.not_null("accountId", required, values::account_id),
        enabled: members.optional("enabled", values::boolean),
        chatwoot_url: members.not_null("chatwootURL", required, values::url),
        access_token: members.not_null("chatwootAccessToken", required, values::access_token),
        n8n_webhook: members.nullable("n8nWebhook", values::url),
        inbox_id: read_inbox(members),
        // Evaluated after the fields above.
        ..members.object("integrationOptions", |options| IntegrationPatch {
            enabled_group: options.optional("enabledGroup", values::boolean),
            display_attendant: options.optional("displayAttendant", values::boolean),
            start_conversation_as: options
                .optional("startConversationAs", values::start_conversation_as),
            ..IntegrationPatch::default()
        })
    }
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
