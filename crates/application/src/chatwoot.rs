use std::future::Future;

use domain::{
    ChatwootVersion, InboxId, InboxName, IntegrationSettings, SecretHidden, SigningSecret,
};

use crate::check_report::CheckReport;

/// Asks a Chatwoot server whether integration settings work, and finds or
/// creates the API inbox of an instance.
///
/// Both methods MUST NOT send the token to a server that has not first
/// proved to be Chatwoot (`GET /api` answering JSON with a `version`), MUST
/// NOT follow redirects, MUST bound every request in time and in bytes read,
/// and MUST NOT log the token.
pub trait ChatwootChecker: Send + Sync + 'static {
    /// Runs the checks of [`CheckName::ALL`](crate::CheckName::ALL) in order
    /// and stops at the first failure, leaving the later ones not run:
    /// the URL answers and is Chatwoot, the token is a user access token it
    /// accepts, the account is one of that user's, the inbox (if any)
    /// exists in the account, is assigned to the user and is an API inbox,
    /// and its webhook is `target.expected_webhook` (when given).
    ///
    /// Never fails as a whole: every failure, the checker's own faults
    /// included, is a [`CheckFailure`] in the step where it happened, and
    /// the caller answers 400 with the first one. A checker that is turned
    /// off answers [`CheckReport::skipped`] without any request.
    fn check(&self, target: &CheckTarget<'_>) -> impl Future<Output = CheckReport> + Send;

    /// [`Self::check`] bounded as a whole, for the status, which must answer
    /// even when Chatwoot is slow: the run MUST end within the checker's
    /// timeout for one request. The check under way when that time is up
    /// fails as timed out, and the later ones are not run.
    fn check_within_timeout(
        &self,
        target: &CheckTarget<'_>,
    ) -> impl Future<Output = CheckReport> + Send;

    /// Runs the checks up to the account (same failures as [`Self::check`]),
    /// then requires the token's role in the account to be `administrator`,
    /// then refuses a webhook URL Chatwoot would not call (the
    /// `webhookTarget` check) before it writes anything to Chatwoot,
    /// then finds the account's API inbox named `request.name` (the oldest
    /// one when several have that name), or creates one with its webhook set
    /// to `request.webhook_url`.
    ///
    /// MUST NOT change an existing inbox: whether this instance may have it
    /// is decided by the database afterwards, and only then
    /// [`Self::point_webhook`] changes its webhook. The answer says whether
    /// that is needed.
    ///
    /// `request.settings.inbox_id` is ignored. A same-name inbox of another
    /// type, a refused creation and a token that is not an administrator's
    /// are [`CheckFailure`]s, answered as 400 like those of [`Self::check`].
    /// A checker that is turned off MUST answer
    /// [`CheckFailure::ProvisioningOff`] without any request.
    fn provision_inbox(
        &self,
        request: &InboxRequest<'_>,
    ) -> impl Future<Output = Result<ProvisionedInbox, CheckFailure>> + Send;

    /// Sets the webhook of inbox `inbox` to `request.webhook_url`, after the
    /// same steps as [`Self::provision_inbox`] up to the administrator's
    /// role; the answer must show the new webhook. Called only once this
    /// instance's integration holds the inbox. A checker that is turned off
    /// MUST answer [`CheckFailure::ProvisioningOff`] without any request.
    fn point_webhook(
        &self,
        request: &InboxRequest<'_>,
        inbox: InboxId,
    ) -> impl Future<Output = Result<(), CheckFailure>> + Send;
}

/// The inbox [`ChatwootChecker::provision_inbox`] found or created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionedInbox {
    pub id: InboxId,
    /// An existing inbox whose webhook is not `request.webhook_url` yet.
    pub needs_webhook: bool,
    pub signing_secret: SecretSeen,
}

/// What an inbox's JSON showed of its webhook signing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSeen {
    Shown(SigningSecret),
    Hidden(SecretHidden),
}

impl SecretSeen {
    /// What Chatwoot `version` showed to a user of `role` in the account,
    /// and, when nothing, why: before 4.13 there is no secret, later it is
    /// shown to administrators only.
    pub fn of(shown: Option<SigningSecret>, version: &str, role: Option<&str>) -> Self {
        if let Some(secret) = shown {
            return Self::Shown(secret);
        }
        let version = version.to_owned();
        let (major, minor) = SIGNED_WEBHOOKS_SINCE;
        if ChatwootVersion::parse(&version).is_some_and(|v| !v.at_least(major, minor)) {
            return Self::Hidden(SecretHidden::ChatwootTooOld { version });
        }
        match role {
            Some(ADMINISTRATOR) => Self::Hidden(SecretHidden::NotShown { version }),
            role => Self::Hidden(SecretHidden::NotAdministrator {
                role: role.unwrap_or("(none given)").to_owned(),
            }),
        }
    }
}

/// The role Chatwoot's `InboxPolicy` requires to create or change inboxes,
/// and the one its inbox view shows the signing secret to.
pub const ADMINISTRATOR: &str = "administrator";

/// Chatwoot signs API inboxes' webhooks from this version (chatwoot #13892).
pub const SIGNED_WEBHOOKS_SINCE: (u32, u32) = (4, 13);
/// Chatwoot refuses webhooks to non-public addresses from this version
/// (chatwoot #14489, #14494), unless `SAFE_FETCH_ALLOW_PRIVATE_NETWORK`.
pub const SAFE_FETCH_SINCE: (u32, u32) = (4, 14);

/// What to check: the settings, and the URL the inbox must send replies to.
#[derive(Debug, Clone, Copy)]
pub struct CheckTarget<'a> {
    pub settings: &'a IntegrationSettings,
    /// The expanded `CHATWOOT_WEBHOOK_URL`; `None` skips the webhook check.
    pub expected_webhook: Option<&'a str>,
}

/// The API inbox to find or create for an instance.
#[derive(Debug, Clone, Copy)]
pub struct InboxRequest<'a> {
    pub settings: &'a IntegrationSettings,
    pub name: &'a InboxName,
    /// The expanded `CHATWOOT_WEBHOOK_URL`.
    pub webhook_url: &'a str,
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
