//! Why a check ran and still cannot say yes or no (`ok: null` with a
//! message), and why Chatwoot hid an inbox's signing secret.

use domain::SecretHidden;

/// Why a check's answer cannot be known. `Display` is the status message;
/// it starts with the wire name of the setting it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Undetermined {
    /// The webhook's host does not resolve from this service, so its
    /// addresses are unknown here (Chatwoot may still resolve it).
    #[error("inbox replies go to CHATWOOT_WEBHOOK_URL, whose host {host} does not resolve from this service, so whether Chatwoot 4.14 or later may call it cannot be judged here: make sure Chatwoot resolves it to a public address, or run Chatwoot with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true and set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true in this service's settings")]
    HostUnresolved { host: String },

    #[error("inbox replies go to CHATWOOT_WEBHOOK_URL, whose host {host} did not resolve within {timeout_ms} ms, so whether Chatwoot 4.14 or later may call it cannot be judged here: check this service's DNS, or set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true when Chatwoot runs with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true")]
    LookupTimedOut { host: String, timeout_ms: u64 },

    /// The version does not start with a number, so the rules that came
    /// with a version cannot be applied.
    #[error("chatwootURL announced the version \"{version}\", which does not start with a number, so whether Chatwoot refuses webhooks to private addresses (4.14 and later) cannot be judged: check what GET {{chatwootURL}}/api answers")]
    VersionUnreadable { version: String },

    #[error("{}", hidden_reason(.0))]
    SecretHidden(SecretHidden),
}

/// Why the secret is not known, and what to do about it.
pub(crate) fn hidden_reason(hidden: &SecretHidden) -> String {
    match hidden {
        SecretHidden::ChatwootTooOld { version } => format!(
            "chatwootURL serves Chatwoot {version}, which signs no webhooks (signing came with 4.13), so there is no signing secret: upgrade Chatwoot to 4.13 or later to have its webhooks signed, then PUT the integration"
        ),
        SecretHidden::NotAdministrator { role } => format!(
            "chatwootAccessToken has the role {role}, and Chatwoot shows an inbox's signing secret to administrators only: Set or PUT the integration with an administrator's access token (Profile Settings > Access Token)"
        ),
        SecretHidden::NotShown { version } => format!(
            "inbox: Chatwoot {version} showed no signing secret for the inbox to an administrator: look at the inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Configuration), then PUT the integration"
        ),
    }
}
