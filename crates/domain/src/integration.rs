use crate::ids::{AccountId, InboxId};
use crate::instance::InstanceId;
use crate::signing_secret::SecretRecord;
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
    pub fn parse(raw: &str) -> Result<Self, NotAStart> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == raw)
            .ok_or(NotAStart)
    }
}

/// Not a [`StartConversationAs`]; completes a sentence about the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAStart;

impl std::fmt::Display for NotAStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let values: Vec<&str> = StartConversationAs::ALL
            .map(StartConversationAs::as_str)
            .into();
        write!(
            f,
            "must be one of the following values: {}",
            values.join(", ")
        )
    }
}

impl std::error::Error for NotAStart {}

/// Declares the options once, each with its default: `IntegrationOptions`,
/// its `Default`, and `IntegrationOptionsPatch`, whose `None` keeps the
/// current value, with its `apply`.
macro_rules! options {
    ($($(#[$doc:meta])* $field:ident: $type:ty = $default:expr,)*) => {
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct IntegrationOptions {
            $($(#[$doc])* pub $field: $type,)*
        }

        impl Default for IntegrationOptions {
            fn default() -> Self {
                Self { $($field: $default,)* }
            }
        }

        /// A change of the options: `None` keeps the current value.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct IntegrationOptionsPatch {
            $(pub $field: Option<$type>,)*
        }

        impl IntegrationOptionsPatch {
            pub fn apply(self, current: IntegrationOptions) -> IntegrationOptions {
                IntegrationOptions { $($field: self.$field.unwrap_or(current.$field),)* }
            }
        }
    };
}

// The contract's defaults.
options! {
    /// Send group messages to Chatwoot.
    enabled_group: bool = false,
    /// Show the attendant's name in the message header.
    display_attendant: bool = true,
    /// How Chatwoot opens the conversations the gateway starts.
    start_conversation_as: StartConversationAs = StartConversationAs::Open,
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

impl IntegrationSettings {
    /// The settings of a Set that gives only what has no default: enabled,
    /// no inbox, no webhook, the default options.
    pub fn new(
        account_id: AccountId,
        chatwoot_url: HttpUrl,
        access_token: ChatwootAccessToken,
    ) -> Self {
        Self {
            enabled: true,
            account_id,
            inbox_id: None,
            chatwoot_url,
            access_token,
            n8n_webhook: None,
            options: IntegrationOptions::default(),
        }
    }
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
    pub options: IntegrationOptionsPatch,
}

impl IntegrationPatch {
    pub fn apply(self, current: IntegrationSettings) -> IntegrationSettings {
        IntegrationSettings {
            enabled: self.enabled.unwrap_or(current.enabled),
            account_id: self.account_id.unwrap_or(current.account_id),
            inbox_id: self.inbox_id.unwrap_or(current.inbox_id),
            chatwoot_url: self.chatwoot_url.unwrap_or(current.chatwoot_url),
            access_token: self.access_token.unwrap_or(current.access_token),
            n8n_webhook: self.n8n_webhook.unwrap_or(current.n8n_webhook),
            options: self.options.apply(current.options),
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
    /// What the last write learnt of the inbox's signing secret; never
    /// part of the integration's body.
    pub signing_secret: SecretRecord,
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

    fn settings() -> IntegrationSettings {
        IntegrationSettings::new(
            AccountId::new(12).expect("account"),
            HttpUrl::parse("https://chat.example.com").expect("url"),
            ChatwootAccessToken::parse("t").expect("token"),
        )
    }

    #[test]
    fn start_conversation_as_takes_its_exact_wire_values_and_lists_them() {
        assert_eq!(
            StartConversationAs::parse("pending"),
            Ok(StartConversationAs::Pending)
        );
        assert_eq!(StartConversationAs::parse("Open"), Err(NotAStart));
        assert_eq!(
            NotAStart.to_string(),
            "must be one of the following values: open, pending"
        );
    }

    #[test]
    fn a_set_starts_from_the_defaults() {
        let settings = settings();
        assert!(settings.enabled);
        assert_eq!(settings.account_id.get(), 12);
        assert_eq!(settings.inbox_id, None);
        assert_eq!(settings.n8n_webhook, None);
        assert_eq!(settings.options, IntegrationOptions::default());
    }

    #[test]
    fn an_options_patch_changes_what_it_gives_and_keeps_the_rest() {
        let current = IntegrationOptions {
            enabled_group: true,
            ..IntegrationOptions::default()
        };
        let patch = IntegrationOptionsPatch {
            start_conversation_as: Some(StartConversationAs::Pending),
            ..IntegrationOptionsPatch::default()
        };
        assert_eq!(
            patch.apply(current.clone()),
            IntegrationOptions {
                start_conversation_as: StartConversationAs::Pending,
                ..current.clone()
            }
        );
        assert_eq!(
            IntegrationOptionsPatch::default().apply(current.clone()),
            current
        );
    }

    #[test]
    fn conversation_states_are_their_exact_wire_words() {
        for (state, word) in [
            (StartConversationAs::Open, "open"),
            (StartConversationAs::Pending, "pending"),
        ] {
            assert_eq!(state.as_str(), word);
            assert_eq!(StartConversationAs::parse(word).ok(), Some(state));
        }
        for other in ["Open", "PENDING", "resolved", ""] {
            assert!(StartConversationAs::parse(other).is_err(), "{other:?}");
        }
    }

    #[test]
    fn an_integration_is_deleted_once_it_has_a_deletion_time() {
        let at = Timestamp::from_millis(1_750_000_000_000).expect("timestamp");
        let mut integration = Integration {
            id: IntegrationId::new(uuid::Uuid::nil()),
            instance_id: InstanceId::new(uuid::Uuid::nil()),
            settings: settings(),
            signing_secret: SecretRecord::NotRead,
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
