//! The message of each check failure: what Set and PUT answer, and what the
//! status shows in the failed check.

use application::{CheckFailure, Named};

use super::found::{address_kind, body, not_chatwoot, redirect_to, role, unreachable};
use super::setting;

/// The failure, worded precisely enough for a user to fix the settings
/// without reading our code.
pub fn check_failure(failure: &CheckFailure) -> String {
    let name = setting(failure.setting());
    match failure {
        CheckFailure::Unreachable { reason } => format!(
            "{name} is unreachable ({}): check the address and that Chatwoot is running",
            unreachable(reason)
        ),
        CheckFailure::TimedOut { timeout_ms } => {
            format!("{name} did not answer within {timeout_ms} ms")
        }
        CheckFailure::Redirected {
            method,
            path,
            location,
        } => format!(
            "{name} answered {method} {path} with a redirect to {}: set {name} to the address Chatwoot is served at (redirects are not followed)",
            redirect_to(location)
        ),
        CheckFailure::NotChatwoot { path, found } => format!(
            "{name} is not a Chatwoot server: GET {path} {}, where Chatwoot answers JSON with a version",
            not_chatwoot(found)
        ),
        CheckFailure::AddressNotAllowed { address } => format!(
            "{name} resolves to {address}, a loopback, private, link-local or otherwise non-public address, which this service is configured to refuse: use the public address of Chatwoot"
        ),
        CheckFailure::TokenRejected { version } => format!(
            "{name} was rejected by Chatwoot {version} (Invalid Access Token): copy the access token from the user's Profile Settings > Access Token"
        ),
        CheckFailure::BotToken { version } => format!(
            "{name} is an agent bot or platform token, which Chatwoot {version} does not accept here: use a user's access token (Profile Settings > Access Token)"
        ),
        CheckFailure::TokenHeaderDropped { version } => format!(
            "{name} never reached Chatwoot {version}: it answered as if no token was sent. A proxy in front of it may drop headers with underscores such as api_access_token; with nginx, set `underscores_in_headers on`"
        ),
        CheckFailure::AccountNotAccessible {
            account_id,
            accessible,
        } => format!(
            "{name} {account_id} is not an account of the token's user (the user's accounts: {})",
            accounts(accessible)
        ),
        CheckFailure::AccountSuspended { account_id } => format!(
            "{name} {account_id} is suspended in Chatwoot, which refuses every request in it (Account is suspended): ask the super admin of the Chatwoot installation to unsuspend it (Super Admin console, then Accounts, then the account, then Unsuspend), or set {name} to an active account"
        ),
        CheckFailure::InboxNotFound {
            account_id,
            inbox_id,
        } => format!("{name} {inbox_id} does not exist in Chatwoot account {account_id}"),
        CheckFailure::InboxNotAssigned { inbox_id } => format!(
            "{name} {inbox_id} is not assigned to the token's user: add the user as an agent of that inbox in Chatwoot"
        ),
        CheckFailure::NotApiInbox {
            inbox_id,
            channel_type,
        } => format!(
            "{name} {inbox_id} is a {channel_type} inbox, but the gateway needs an API inbox (Channel::Api) and Chatwoot cannot change an inbox's type: add an API inbox in Chatwoot (Settings, then Inboxes, then Add Inbox, then API) and set {name} to its id"
        ),
        CheckFailure::WebhookMismatch {
            inbox_id,
            found,
            expected,
        } => {
            let found = match found {
                Some(found) => format!("sends replies to {found}, not to {expected}"),
                None => format!("has no webhook URL set, where {expected} is expected"),
            };
            format!(
                "{name} {inbox_id} {found}; in Chatwoot, set its Webhook URL under Settings, then Inboxes, then the inbox, then its Settings tab"
            )
        }
        CheckFailure::PrivateWebhookTarget {
            host,
            addresses,
            kind,
            version,
        } => {
            let address = listed(addresses.iter().map(ToString::to_string), MAX_LISTED_ADDRESSES);
            let resolved = if host.trim_matches(['[', ']']) == address {
                format!("is {address}")
            } else {
                format!("resolves (from this service) to {address}")
            };
            let kind = address_kind(*kind);
            format!(
                "{name} replies would never reach the gateway: the host {host} of CHATWOOT_WEBHOOK_URL {resolved}, a {kind} address, and Chatwoot {version} refuses to send webhooks to addresses that are not public (it marks every agent reply failed: Hostname '{host}' has no public ip addresses). Either set CHATWOOT_WEBHOOK_URL in this service's settings to a URL whose host is public, or run Chatwoot with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true on its web and Sidekiq processes and set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true in this service's settings"
            )
        }
        CheckFailure::SigningSecretChanged { inbox_id } => format!(
            "{name} {inbox_id}: the inbox's signing secret changed in Chatwoot; PUT the integration to store the new one and give it to the gateway (GET .../chatwoot-integration/webhook-secret)"
        ),
        CheckFailure::SigningSecretNotStored { inbox_id } => format!(
            "{name} {inbox_id}: the inbox's signing secret is not stored in this service, so the gateway cannot verify Chatwoot's webhooks; PUT the integration to store it and give it to the gateway (GET .../chatwoot-integration/webhook-secret)"
        ),
        CheckFailure::AgentBotForcesPending { inbox_id, bot } => format!(
            "{name} is open, but inbox {inbox_id} has the agent bot {}, so Chatwoot opens every new conversation there as pending: set {name} to pending with a PUT of the integration, or remove the bot from the inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Bot Configuration)",
            agent_bot(bot)
        ),
        CheckFailure::Throttled { url, method, path } => format!(
            "{name} {url} is limiting requests from this service: {method} {path} answered HTTP 429, from Chatwoot's rate limiter (rack-attack, 3000 requests per minute per IP unless RACK_ATTACK_LIMIT says otherwise). Try again in a minute; to lift the limit, add this service's IP address to RACK_ATTACK_ALLOWED_IPS (comma-separated) or raise RACK_ATTACK_LIMIT in Chatwoot's environment and restart Chatwoot"
        ),
        CheckFailure::NotAdministrator {
            account_id,
            role: found,
        } => format!(
            "{name} has the role {} in account {account_id}, and creating inboxes needs an administrator's token: use the access token of an administrator of the account (Profile Settings > Access Token), or create the inbox in Chatwoot and set inbox to its id",
            role(found)
        ),
        CheckFailure::InboxNameTaken {
            name: taken,
            inbox_id,
            channel_type,
        } => format!(
            "{name} \"{taken}\" is the name of inbox {inbox_id}, a {channel_type} inbox, and the gateway needs an API inbox: choose another {name}, or rename that inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Settings)"
        ),
        CheckFailure::InboxRefused {
            name: refused,
            reason,
        } => format!(
            "{name} \"{refused}\" was refused by Chatwoot when creating the inbox: {}",
            // Chatwoot's own text, else the status it answered.
            reason.as_deref().unwrap_or("HTTP 422")
        ),
        CheckFailure::ProvisioningOff => format!(
            "{name} cannot find or create an inbox while this service does not talk to Chatwoot (CHATWOOT_VERIFY=false): create an API inbox in Chatwoot and set inbox to its id"
        ),
        CheckFailure::UnexpectedAnswer {
            method,
            path,
            status,
        } => format!("{name} answered {method} {path} with an unexpected HTTP {status}"),
        CheckFailure::UnexpectedBody {
            method,
            path,
            found,
        } => format!(
            "{name} answered {method} {path} with {}, which is not an answer Chatwoot gives",
            body(found)
        ),
        CheckFailure::TokenUnsendable => format!(
            "{name} cannot be sent in an HTTP header: copy the access token from the user's Profile Settings > Access Token"
        ),
    }
}

/// Accounts listed in a message; a user rarely has more.
const MAX_LISTED_ACCOUNTS: usize = 20;
/// Addresses named in a message; a host rarely has more.
const MAX_LISTED_ADDRESSES: usize = 3;

/// `1 (Acme), 2 (Support)`, or `none`.
fn accounts(accounts: &[Named]) -> String {
    if accounts.is_empty() {
        return "none".to_owned();
    }
    let named = accounts.iter().map(|account| match &account.name {
        Some(name) => format!("{} ({name})", account.id),
        None => account.id.to_string(),
    });
    listed(named, MAX_LISTED_ACCOUNTS)
}

/// `"Captain" (id 7)`, or `id 7` when it has no name.
fn agent_bot(bot: &Named) -> String {
    match &bot.name {
        Some(name) => format!("\"{name}\" (id {})", bot.id),
        None => format!("id {}", bot.id),
    }
}

/// The first `max` of `items`, then how many more: `a, b, and 3 more`.
fn listed(items: impl ExactSizeIterator<Item = String>, max: usize) -> String {
    let more = items.len().saturating_sub(max);
    let mut shown: Vec<String> = items.take(max).collect();
    if more > 0 {
        shown.push(format!("and {more} more"));
    }
    shown.join(", ")
}
