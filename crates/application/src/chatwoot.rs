use std::future::Future;

use domain::IntegrationSettings;

/// Asks a Chatwoot server whether integration settings work.
pub trait ChatwootChecker: Send + Sync + 'static {
    /// `Ok(())` when the URL is a Chatwoot server, the token is a user access
    /// token it accepts, the account is one of that user's, and the inbox (if
    /// any) exists in the account and is assigned to the user.
    ///
    /// MUST NOT send the token to a server that has not first proved to be
    /// Chatwoot (`GET /api` answering JSON with a `version`), MUST NOT follow
    /// redirects, and MUST NOT log the token. Every failure, the checker's own
    /// faults included, is a [`CheckFailure`]: the caller answers 400 with it.
    fn check(
        &self,
        settings: &IntegrationSettings,
    ) -> impl Future<Output = Result<(), CheckFailure>> + Send;
}

/// Why settings do not work, precisely enough for a user to fix them without
/// reading our code. `Display` is the message shown to the user; it starts
/// with the wire name of the setting that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckFailure {
    #[error(
        "chatwootURL is unreachable ({detail}): check the address and that Chatwoot is running"
    )]
    Unreachable { detail: String },

    #[error("chatwootURL did not answer within {timeout_ms} ms")]
    TimedOut { timeout_ms: u64 },

    #[error("chatwootURL answered GET {path} with a redirect to {location}: set chatwootURL to the address Chatwoot is served at (redirects are not followed)")]
    Redirected { path: String, location: String },

    #[error("chatwootURL is not a Chatwoot server: GET {path} {detail}, where Chatwoot answers JSON with a version")]
    NotChatwoot { path: String, detail: String },

    #[error("chatwootURL resolves to {address}, a loopback, private, link-local or otherwise non-public address, which this service is configured to refuse: use the public address of Chatwoot")]
    AddressNotAllowed { address: String },

    #[error("chatwootAccessToken was rejected by Chatwoot {version} (Invalid Access Token): copy the access token from the user's Profile Settings > Access Token")]
    TokenRejected { version: String },

    #[error("chatwootAccessToken is an agent bot or platform token, which Chatwoot {version} does not accept here: use a user's access token (Profile Settings > Access Token)")]
    BotToken { version: String },

    #[error("chatwootAccessToken never reached Chatwoot {version}: it answered as if no token was sent. A proxy in front of it may drop headers with underscores such as api_access_token; with nginx, set `underscores_in_headers on`")]
    TokenHeaderDropped { version: String },

    #[error("accountId {account_id} is not an account of the token's user (the user's accounts: {accessible})")]
    AccountNotAccessible { account_id: i64, accessible: String },

    #[error("inbox {inbox_id} does not exist in Chatwoot account {account_id}")]
    InboxNotFound { account_id: i64, inbox_id: i64 },

    #[error("inbox {inbox_id} is not assigned to the token's user: add the user as an agent of that inbox in Chatwoot")]
    InboxNotAssigned { inbox_id: i64 },

    #[error("chatwootURL answered GET {path} with an unexpected HTTP {status}")]
    UnexpectedAnswer { path: String, status: u16 },

    /// The server proved to be Chatwoot, then answered a request with a body
    /// Chatwoot does not send.
    #[error(
        "chatwootURL answered GET {path} with {detail}, which is not an answer Chatwoot gives"
    )]
    UnexpectedBody { path: String, detail: String },

    /// The token holds bytes an HTTP header cannot carry, so it was not sent.
    #[error("chatwootAccessToken cannot be sent in an HTTP header: copy the access token from the user's Profile Settings > Access Token")]
    TokenUnsendable,

    /// The checker's own fault, not the settings'; logged where it happens.
    #[error("chatwootURL could not be checked: {detail} (a fault of this service, not of the settings); try again later")]
    CheckerFault { detail: String },
}

impl CheckFailure {
    /// The wire name of the setting to change.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Unreachable { .. }
            | Self::TimedOut { .. }
            | Self::Redirected { .. }
            | Self::NotChatwoot { .. }
            | Self::AddressNotAllowed { .. }
            | Self::UnexpectedAnswer { .. }
            | Self::UnexpectedBody { .. }
            | Self::CheckerFault { .. } => "chatwootURL",
            Self::TokenRejected { .. }
            | Self::BotToken { .. }
            | Self::TokenHeaderDropped { .. }
            | Self::TokenUnsendable => "chatwootAccessToken",
            Self::AccountNotAccessible { .. } => "accountId",
            Self::InboxNotFound { .. } | Self::InboxNotAssigned { .. } => "inbox",
        }
    }
}
