//! A partial update: an absent field keeps its value, and `null` clears the
//! fields that may be empty (`n8nWebhook`, `inbox`).

use serde_json::{Map, Value};

use super::convert::{self, optional, required};
use super::integration::*;
use crate::error::ValidationErrors;
use crate::integration::IntegrationPatch;

pub(super) fn parse(body: &Map<String, Value>) -> Result<IntegrationPatch, ValidationErrors> {
    let raw = RawIntegration::read(body);
    super::validate(&raw, &Mode::Patch, &raw.sentences, ORDER)?;

    Ok(IntegrationPatch {
        enabled: optional(ENABLED, raw.enabled, convert::boolean)?,
        account_id: raw
            .accountId
            .map(|value| required(ACCOUNT_ID, value, convert::account_id))
            .transpose()?,
        inbox_id: raw
            .inbox()
            .map(|(name, value)| optional(name, value, convert::inbox_id))
            .transpose()?,
        chatwoot_url: raw
            .chatwootURL
            .map(|value| required(CHATWOOT_URL, value, convert::url))
            .transpose()?,
        access_token: raw
            .chatwootAccessToken
            .map(|value| required(CHATWOOT_ACCESS_TOKEN, value, convert::access_token))
            .transpose()?,
        n8n_webhook: raw
            .n8nWebhook
            .map(|value| optional(N8N_WEBHOOK, value, convert::url))
            .transpose()?,
        enabled_group: optional(
            ENABLED_GROUP,
            raw.integrationOptions.enabledGroup,
            convert::boolean,
        )?,
        display_attendant: optional(
            DISPLAY_ATTENDANT,
            raw.integrationOptions.displayAttendant,
            convert::boolean,
        )?,
        start_conversation_as: optional(
            START_CONVERSATION_AS,
            raw.integrationOptions.startConversationAs,
            convert::start_conversation_as,
        )?,
    })
}
