//! Set: the body is the whole desired configuration; absent optional fields
//! take their defaults rather than keep an old value.

use serde_json::{Map, Value};

use super::convert::{self, optional, required};
use super::integration::*;
use crate::error::ValidationErrors;
use crate::integration::{IntegrationOptions, IntegrationSettings};

pub(super) fn parse(body: &Map<String, Value>) -> Result<IntegrationSettings, ValidationErrors> {
    let raw = RawIntegration::read(body);
    super::validate(&raw, &Mode::Set, &raw.sentences, ORDER)?;

    let defaults = IntegrationOptions::default();
    let inbox = raw
        .inbox()
        .and_then(|(name, value)| value.map(|value| (name, value)));
    Ok(IntegrationSettings {
        enabled: optional(ENABLED, raw.enabled, convert::boolean)?.unwrap_or(true),
        account_id: required(ACCOUNT_ID, raw.accountId.flatten(), convert::account_id)?,
        inbox_id: match inbox {
            Some((name, value)) => Some(convert::checked(name, value, convert::inbox_id)?),
            None => None,
        },
        chatwoot_url: required(CHATWOOT_URL, raw.chatwootURL.flatten(), convert::url)?,
        access_token: required(
            CHATWOOT_ACCESS_TOKEN,
            raw.chatwootAccessToken.flatten(),
            convert::access_token,
        )?,
        n8n_webhook: optional(N8N_WEBHOOK, raw.n8nWebhook.flatten(), convert::url)?,
        options: IntegrationOptions {
            enabled_group: optional(
                ENABLED_GROUP,
                raw.integrationOptions.enabledGroup,
                convert::boolean,
            )?
            .unwrap_or(defaults.enabled_group),
            display_attendant: optional(
                DISPLAY_ATTENDANT,
                raw.integrationOptions.displayAttendant,
                convert::boolean,
            )?
            .unwrap_or(defaults.display_attendant),
            start_conversation_as: optional(
                START_CONVERSATION_AS,
                raw.integrationOptions.startConversationAs,
                convert::start_conversation_as,
            )?
            .unwrap_or(defaults.start_conversation_as),
        },
    })
}
