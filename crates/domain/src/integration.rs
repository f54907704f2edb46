use crate::ids::{AccountId, InboxId};
use crate::instance::InstanceId;
use crate::time::Timestamp;
use crate::token::ChatwootAccessToken;
use crate::url::HttpUrl;

/// How Chatwoot opens a conversation that the gateway starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StartConversationAs {
    #[default]
    Open,
    Pending,
}

impl StartConversationAs {
    pub const ALL: [StartConversationAs; 2] = [Self::Open, Self::Pending];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Pending => "pending",
        }
    }

    /// Exact, case-sensitive wire values only.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationOptions {
    pub enabled_group: bool,
    pub display_attendant: bool,
    pub start_conversation_as: StartConversationAs,
}

impl Default for IntegrationOptions {
    /// The contract's defaults: groups off, attendant shown, conversations open.
    fn default() -> Self {
        Self {
            enabled_group: false,
            display_attendant: true,
            start_conversation_as: StartConversationAs::Open,
        }
    }
}

/// The whole desired configuration of an instance's Chatwoot integration:
/// what a Set carries, every value already valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationSettings {
    pub enabled: bool,
    pub account_id: AccountId,
    pub inbox_id: Option<InboxId>,
    pub chatwoot_url: HttpUrl,
    pub access_token: ChatwootAccessToken,
    pub n8n_webhook: Option<HttpUrl>,
    pub options: IntegrationOptions,
}

/// A partial update: `None` keeps the current value. For nullable fields the
/// inner `Option` is the new value, so `Some(None)` clears it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IntegrationPatch {
    pub enabled: Option<bool>,
    pub account_id: Option<AccountId>,
    pub inbox_id: Option<Option<InboxId>>,
    pub chatwoot_url: Option<HttpUrl>,
    pub access_token: Option<ChatwootAccessToken>,
    pub n8n_webhook: Option<Option<HttpUrl>>,
    pub enabled_group: Option<bool>,
    pub display_attendant: Option<bool>,
    pub start_conversation_as: Option<StartConversationAs>,
}

impl IntegrationPatch {
    /// What a Set means: the whole configuration, this patch over the
    /// defaults (enabled, no inbox, no webhook, the default options).
    /// `None` when it leaves the account, the URL or the token unset, which
    /// have no default.
    pub fn into_settings(mut self) -> Option<IntegrationSettings> {
        let defaults = IntegrationSettings {
            enabled: true,
            account_id: self.account_id.take()?,
            inbox_id: None,
            chatwoot_url: self.chatwoot_url.take()?,
            access_token: self.access_token.take()?,
            n8n_webhook: None,
            options: IntegrationOptions::default(),
        };
        Some(self.apply(defaults))
    }

    pub fn apply(self, current: IntegrationSettings) -> IntegrationSettings {
        IntegrationSettings {
            enabled: self.enabled.unwrap_or(current.enabled),
            account_id: self.account_id.unwrap_or(current.account_id),
            inbox_id: self.inbox_id.unwrap_or(current.inbox_id),
            chatwoot_url: self.chatwoot_url.unwrap_or(current.chatwoot_url),
            access_token: self.access_token.unwrap_or(current.access_token),
            n8n_webhook: self.n8n_webhook.unwrap_or(current.n8n_webhook),
            options: IntegrationOptions {
                enabled_group: self.enabled_group.unwrap_or(current.options.enabled_group),
                display_attendant: self
                    .display_attendant
                    .unwrap_or(current.options.display_attendant),
                start_conversation_as: self
                    .start_conversation_as
                    .unwrap_or(current.options.start_conversation_as),
            },
        }
    }
}

crate::ids::uuid_id! {
    /// The id of an instance's integration: a UUID, written hyphenated and lower-case.
    IntegrationId
}

/// The stored integration of one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    pub id: IntegrationId,
    pub instance_id: InstanceId,
    pub settings: IntegrationSettings,
    /// Reserved for the gateway; returned as stored, never invented.
    pub query: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

impl Integration {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required() -> IntegrationPatch {
        IntegrationPatch {
            account_id: AccountId::new(12).ok(),
            chatwoot_url: HttpUrl::parse("https://chat.example.com").ok(),
            access_token: ChatwootAccessToken::parse("t").ok(),
            ..IntegrationPatch::default()
        }
    }

    #[test]
    fn a_set_starts_from_the_defaults() {
        let settings = required().into_settings().expect("settings");
        assert!(settings.enabled);
        assert_eq!(settings.account_id.get(), 12);
        assert_eq!(settings.inbox_id, None);
        assert_eq!(settings.n8n_webhook, None);
        assert_eq!(settings.options, IntegrationOptions::default());
    }

    #[test]
    fn a_set_keeps_what_it_gives() {
        let settings = IntegrationPatch {
            enabled: Some(false),
            inbox_id: Some(InboxId::new(3).ok()),
            start_conversation_as: Some(StartConversationAs::Pending),
            ..required()
        }
        .into_settings()
        .expect("settings");
        assert!(!settings.enabled);
        assert_eq!(settings.inbox_id, InboxId::new(3).ok());
        assert_eq!(
            settings.options.start_conversation_as,
            StartConversationAs::Pending
        );
    }

    #[test]
    fn a_set_without_account_url_or_token_is_no_configuration() {
        for missing in [
            IntegrationPatch {
                account_id: None,
                ..required()
            },
            IntegrationPatch {
                chatwoot_url: None,
                ..required()
            },
            IntegrationPatch {
                access_token: None,
                ..required()
            },
        ] {
            assert_eq!(missing.into_settings(), None);
        }
    }

    #[test]
    fn conversation_states_are_their_exact_wire_words() {
        for (state, word) in [
            (StartConversationAs::Open, "open"),
            (StartConversationAs::Pending, "pending"),
        ] {
            assert_eq!(state.as_str(), word);
            assert_eq!(StartConversationAs::parse(word), Some(state));
        }
        for other in ["Open", "PENDING", "resolved", ""] {
            assert_eq!(StartConversationAs::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn an_integration_is_deleted_once_it_has_a_deletion_time() {
        let at = Timestamp::from_millis(1_750_000_000_000).expect("timestamp");
        let mut integration = Integration {
            id: IntegrationId::new(uuid::Uuid::nil()),
            instance_id: InstanceId::new(uuid::Uuid::nil()),
            settings: required().into_settings().expect("settings"),
            query: None,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        };
        assert!(!integration.is_deleted());
        integration.deleted_at = Some(at);
        assert!(integration.is_deleted());
    }
}
