//! Why settings do not work, as the Chatwoot check found it.

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

    #[error("chatwootURL answered {method} {path} with a redirect to {location}: set chatwootURL to the address Chatwoot is served at (redirects are not followed)")]
    Redirected {
        method: &'static str,
        path: String,
        location: String,
    },

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

    /// Chatwoot answers every route of a suspended account 401 `Account is
    /// suspended`, so no message would reach it.
    #[error("accountId {account_id} is suspended in Chatwoot, which refuses every request in it (Account is suspended): ask the super admin of the Chatwoot installation to unsuspend it (Super Admin console, then Accounts, then the account, then Unsuspend), or set accountId to an active account")]
    AccountSuspended { account_id: i64 },

    #[error("inbox {inbox_id} does not exist in Chatwoot account {account_id}")]
    InboxNotFound { account_id: i64, inbox_id: i64 },

    #[error("inbox {inbox_id} is not assigned to the token's user: add the user as an agent of that inbox in Chatwoot")]
    InboxNotAssigned { inbox_id: i64 },

    /// Only API inboxes take messages from outside Chatwoot and send agents'
    /// replies to a webhook.
    #[error("inbox {inbox_id} is a {channel_type} inbox, but the gateway needs an API inbox (Channel::Api) and Chatwoot cannot change an inbox's type: add an API inbox in Chatwoot (Settings, then Inboxes, then Add Inbox, then API) and set inbox to its id")]
    NotApiInbox { inbox_id: i64, channel_type: String },

    /// Chatwoot sends agents' replies to the inbox's webhook; anywhere else,
    /// they never reach WhatsApp.
    #[error("inbox {inbox_id} {}; in Chatwoot, set its Webhook URL under Settings, then Inboxes, then the inbox, then its Settings tab", webhook_found(.found.as_deref(), .expected))]
    WebhookMismatch {
        inbox_id: i64,
        /// `None` when the inbox has no webhook.
        found: Option<String>,
        expected: String,
    },

    /// Chatwoot 4.14+ refuses to call a webhook whose host has no public
    /// address: every agent reply is marked failed there.
    #[error("inbox replies would never reach the gateway: the host {host} of CHATWOOT_WEBHOOK_URL {}, a {kind} address, and Chatwoot {version} refuses to send webhooks to addresses that are not public (it marks every agent reply failed: Hostname '{host}' has no public ip addresses). Either set CHATWOOT_WEBHOOK_URL in this service's settings to a URL whose host is public, or run Chatwoot with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true on its web and Sidekiq processes and set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true in this service's settings", resolved(.host, .address))]
    PrivateWebhookTarget {
        host: String,
        address: String,
        kind: &'static str,
        version: String,
    },

    /// Status only: the gateway verifies with a secret that no longer holds.
    #[error("inbox {inbox_id}: the inbox's signing secret changed in Chatwoot; PUT the integration to store the new one and give it to the gateway (GET .../chatwoot-integration/webhook-secret)")]
    SigningSecretChanged { inbox_id: i64 },

    /// Status only: Chatwoot shows a secret this service never stored.
    #[error("inbox {inbox_id}: the inbox's signing secret is not stored in this service, so the gateway cannot verify Chatwoot's webhooks; PUT the integration to store it and give it to the gateway (GET .../chatwoot-integration/webhook-secret)")]
    SigningSecretNotStored { inbox_id: i64 },
    /// Chatwoot opens every new conversation of an inbox with an agent bot
    /// as `pending`, whatever the gateway asks.
    #[error("integrationOptions.startConversationAs is open, but inbox {inbox_id} has the agent bot {bot}, so Chatwoot opens every new conversation there as pending: set integrationOptions.startConversationAs to pending with a PUT of the integration, or remove the bot from the inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Bot Configuration)")]
    AgentBotForcesPending {
        inbox_id: i64,
        /// `"Name" (id 7)`, or `id 7` without a name.
        bot: String,
    },

    /// Chatwoot's rate limiter (rack-attack) answered 429: the settings were
    /// not judged.
    #[error("chatwootURL {url} is limiting requests from this service: {method} {path} answered HTTP 429, from Chatwoot's rate limiter (rack-attack, 3000 requests per minute per IP unless RACK_ATTACK_LIMIT says otherwise). Try again in a minute; to lift the limit, add this service's IP address to RACK_ATTACK_ALLOWED_IPS (comma-separated) or raise RACK_ATTACK_LIMIT in Chatwoot's environment and restart Chatwoot")]
    Throttled {
        /// The `chatwootURL` the request went to.
        url: String,
        method: &'static str,
        path: String,
    },

    #[error("chatwootAccessToken has the role {role} in account {account_id}, and creating inboxes needs an administrator's token: use the access token of an administrator of the account (Profile Settings > Access Token), or create the inbox in Chatwoot and set inbox to its id")]
    NotAdministrator { account_id: i64, role: String },

    #[error("nameInbox \"{name}\" is the name of inbox {inbox_id}, a {channel_type} inbox, and the gateway needs an API inbox: choose another nameInbox, or rename that inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Settings)")]
    InboxNameTaken {
        name: String,
        inbox_id: i64,
        channel_type: String,
    },

    /// Chatwoot refused to create the inbox; `detail` is its reason.
    #[error("nameInbox \"{name}\" was refused by Chatwoot when creating the inbox: {detail}")]
    InboxRefused { name: String, detail: String },

    /// `CHATWOOT_VERIFY=false`: the service does not talk to Chatwoot.
    #[error("autoCreate cannot find or create an inbox while this service does not talk to Chatwoot (CHATWOOT_VERIFY=false): create an API inbox in Chatwoot and set inbox to its id")]
    ProvisioningOff,

    #[error("chatwootURL answered {method} {path} with an unexpected HTTP {status}")]
    UnexpectedAnswer {
        method: &'static str,
        path: String,
        status: u16,
    },

    /// The server proved to be Chatwoot, then answered a request with a body
    /// Chatwoot does not send.
    #[error(
        "chatwootURL answered {method} {path} with {detail}, which is not an answer Chatwoot gives"
    )]
    UnexpectedBody {
        method: &'static str,
        path: String,
        detail: String,
    },

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
            | Self::Throttled { .. }
            | Self::CheckerFault { .. } => "chatwootURL",
            Self::TokenRejected { .. }
            | Self::BotToken { .. }
            | Self::TokenHeaderDropped { .. }
            | Self::TokenUnsendable
            | Self::NotAdministrator { .. } => "chatwootAccessToken",
            Self::AccountNotAccessible { .. } | Self::AccountSuspended { .. } => "accountId",
            Self::AgentBotForcesPending { .. } => "integrationOptions.startConversationAs",
            Self::InboxNotFound { .. }
            | Self::InboxNotAssigned { .. }
            | Self::NotApiInbox { .. }
            | Self::WebhookMismatch { .. }
            | Self::PrivateWebhookTarget { .. }
            | Self::SigningSecretChanged { .. }
            | Self::SigningSecretNotStored { .. } => "inbox",
            Self::InboxNameTaken { .. } | Self::InboxRefused { .. } => "nameInbox",
            Self::ProvisioningOff => "autoCreate",
        }
    }

    /// Chatwoot limited requests: not the settings' fault, and a later try
    /// may pass. Set and PUT answer it as 503 with [`THROTTLE_RETRY_AFTER`].
    pub fn is_throttled(&self) -> bool {
        matches!(self, Self::Throttled { .. })
    }
}

fn resolved(host: &str, address: &str) -> String {
    if host.trim_matches(['[', ']']) == address {
        format!("is {address}")
    } else {
        format!("resolves (from this service) to {address}")
    }
}
/// How long a caller refused because Chatwoot limited requests should wait
/// (`Retry-After`). Chatwoot's rack-attack counts requests per IP in fixed
/// one-minute periods and sends no `Retry-After` itself, so the count starts
/// over within a minute.
pub const THROTTLE_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

fn webhook_found(found: Option<&str>, expected: &str) -> String {
    match found {
        Some(found) => format!("sends replies to {found}, not to {expected}"),
        None => format!("has no webhook URL set, where {expected} is expected"),
    }
}
