//! Why settings do not work, as the Chatwoot check found it.

use std::net::IpAddr;

use crate::found::{
    AddressKind, BodyFound, NotChatwootAnswer, RedirectTo, RoleFound, UnreachableReason,
};
use crate::setting::Setting;

/// Why settings do not work, as data: the setting to change
/// ([`CheckFailure::setting`]), what was found and, where one is, what was
/// expected. Adapters word it for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckFailure {
    /// No connection to Chatwoot, or no HTTP answer.
    Unreachable {
        reason: UnreachableReason,
    },

    /// No answer within the check's bound.
    TimedOut {
        timeout_ms: u64,
    },

    /// Answered with a redirect, which is not followed.
    Redirected {
        method: &'static str,
        path: String,
        location: RedirectTo,
    },

    /// `GET path` did not answer JSON with a version; `found` is what it
    /// answered instead.
    NotChatwoot {
        path: String,
        found: NotChatwootAnswer,
    },

    /// The URL resolves to an address this service is configured to refuse.
    AddressNotAllowed {
        address: String,
    },

    /// Chatwoot answered `Invalid Access Token`.
    TokenRejected {
        version: String,
    },

    /// An agent bot or platform token, where a user's token is needed.
    BotToken {
        version: String,
    },

    /// Chatwoot answered as if no token was sent: a proxy in front of it
    /// may drop headers with underscores, such as `api_access_token`.
    TokenHeaderDropped {
        version: String,
    },

    /// The account is not among the token's user's (`accessible`).
    AccountNotAccessible {
        account_id: i64,
        accessible: Vec<Named>,
    },

    /// Chatwoot answers every route of a suspended account 401 `Account is
    /// suspended`, so no message would reach it.
    AccountSuspended {
        account_id: i64,
    },

    InboxNotFound {
        account_id: i64,
        inbox_id: i64,
    },

    /// The token's user is not an agent of the inbox.
    InboxNotAssigned {
        inbox_id: i64,
    },

    /// Only API inboxes take messages from outside Chatwoot and send agents'
    /// replies to a webhook; Chatwoot cannot change an inbox's type.
    NotApiInbox {
        inbox_id: i64,
        channel_type: String,
    },

    /// Chatwoot sends agents' replies to the inbox's webhook; anywhere else,
    /// they never reach WhatsApp.
    WebhookMismatch {
        inbox_id: i64,
        /// `None` when the inbox has no webhook.
        found: Option<String>,
        expected: String,
    },

    /// Chatwoot 4.14+ refuses to call a webhook whose host has no public
    /// address: every agent reply is marked failed there.
    PrivateWebhookTarget {
        /// The host of the service's webhook URL.
        host: String,
        /// What it is or resolves to, and the kind of the first of them.
        addresses: Vec<IpAddr>,
        kind: AddressKind,
        version: String,
    },

    /// Status only: the gateway verifies with a secret that no longer holds.
    SigningSecretChanged {
        inbox_id: i64,
    },

    /// Status only: Chatwoot shows a secret this service never stored.
    SigningSecretNotStored {
        inbox_id: i64,
    },

    /// Chatwoot opens every new conversation of an inbox with an agent bot
    /// as `pending`, whatever the gateway asks; `open` was asked.
    AgentBotForcesPending {
        inbox_id: i64,
        bot: Named,
    },

    /// Chatwoot's rate limiter (rack-attack) answered 429: the settings were
    /// not judged.
    Throttled {
        /// The Chatwoot URL the request went to.
        url: String,
        method: &'static str,
        path: String,
    },

    /// Creating inboxes needs an administrator; the token's user has `role`.
    NotAdministrator {
        account_id: i64,
        role: RoleFound,
    },

    /// The name is taken by an inbox that is not an API inbox.
    InboxNameTaken {
        name: String,
        inbox_id: i64,
        channel_type: String,
    },

    /// Chatwoot refused to create the inbox (HTTP 422); `reason` is its
    /// own text, when it gave one.
    InboxRefused {
        name: String,
        reason: Option<String>,
    },

    /// `CHATWOOT_VERIFY=false`: the service does not talk to Chatwoot, so
    /// it can neither find nor create an inbox.
    ProvisioningOff,

    /// An HTTP status Chatwoot does not answer there.
    UnexpectedAnswer {
        method: &'static str,
        path: String,
        status: u16,
    },

    /// The server proved to be Chatwoot, then answered a request with a body
    /// Chatwoot does not send.
    UnexpectedBody {
        method: &'static str,
        path: String,
        found: BodyFound,
    },

    /// The token holds bytes an HTTP header cannot carry, so it was not sent.
    TokenUnsendable,
}

impl CheckFailure {
    /// The setting to change.
    pub fn setting(&self) -> Setting {
        match self {
            Self::Unreachable { .. }
            | Self::TimedOut { .. }
            | Self::Redirected { .. }
            | Self::NotChatwoot { .. }
            | Self::AddressNotAllowed { .. }
            | Self::UnexpectedAnswer { .. }
            | Self::UnexpectedBody { .. }
            | Self::Throttled { .. } => Setting::ChatwootUrl,
            Self::TokenRejected { .. }
            | Self::BotToken { .. }
            | Self::TokenHeaderDropped { .. }
            | Self::TokenUnsendable
            | Self::NotAdministrator { .. } => Setting::AccessToken,
            Self::AccountNotAccessible { .. } | Self::AccountSuspended { .. } => Setting::AccountId,
            Self::AgentBotForcesPending { .. } => Setting::StartConversationAs,
            Self::InboxNotFound { .. }
            | Self::InboxNotAssigned { .. }
            | Self::NotApiInbox { .. }
            | Self::WebhookMismatch { .. }
            | Self::PrivateWebhookTarget { .. }
            | Self::SigningSecretChanged { .. }
            | Self::SigningSecretNotStored { .. } => Setting::Inbox,
            Self::InboxNameTaken { .. } | Self::InboxRefused { .. } => Setting::NameInbox,
            Self::ProvisioningOff => Setting::AutoCreate,
        }
    }

    /// Chatwoot limited requests: not the settings' fault, and a later try
    /// may pass. Set and PUT answer it as 503 with [`THROTTLE_RETRY_AFTER`].
    pub fn is_throttled(&self) -> bool {
        matches!(self, Self::Throttled { .. })
    }
}

/// How long a caller refused because Chatwoot limited requests should wait
/// (`Retry-After`). Chatwoot's rack-attack counts requests per IP in fixed
/// one-minute periods and sends no `Retry-After` itself, so the count starts
/// over within a minute.
pub const THROTTLE_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Something Chatwoot showed: its id, and its name when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub name: Option<String>,
}
