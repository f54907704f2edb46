//! One Chatwoot inbox serves one instance: a second live integration on the
//! same inbox is refused, and the refusal holds which inbox and which
//! instance holds it (adapters name the holder to the admin only).

use domain::{InboxName, InstanceId, IntegrationSettings};

/// Another instance's live integration uses the same Chatwoot inbox (same
/// `chatwootURL`, `accountId` and `inboxId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxInUse {
    pub chatwoot_url: String,
    pub account_id: i64,
    pub inbox_id: i64,
    /// The instance that holds it, when it could still be found after the
    /// refusal (it may have let go of the inbox since).
    pub holder: Option<InstanceId>,
    /// The `nameInbox` by which `autoCreate` found the inbox, when it did.
    pub found_by_name: Option<String>,
}

impl InboxInUse {
    /// `None` for settings without an inbox, which cannot collide.
    pub(crate) fn of(settings: &IntegrationSettings, holder: Option<InstanceId>) -> Option<Self> {
        Some(Self {
            chatwoot_url: settings.chatwoot_url.as_str().to_owned(),
            account_id: settings.account_id.get(),
            inbox_id: settings.inbox_id?.get(),
            holder,
            found_by_name: None,
        })
    }

    /// The same refusal, for an `autoCreate` that found the inbox by `name`.
    pub(crate) fn found_by_name(self, name: &InboxName) -> Self {
        Self {
            found_by_name: Some(name.as_str().to_owned()),
            ..self
        }
    }
}
