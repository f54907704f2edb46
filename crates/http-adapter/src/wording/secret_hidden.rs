//! Why Chatwoot hid an inbox's signing secret, and why the webhook-secret
//! route has none to give.

use application::signature::NoSigningSecret;
use application::undetermined::hidden_setting;
use domain::SecretHidden;

use super::found::NO_ROLE;
use super::setting;

/// What a Chatwoot too old to sign asks for.
const UPGRADE: &str = "which signs no webhooks (signing came with 4.13), so there is no signing secret: upgrade Chatwoot to 4.13 or later to have its webhooks signed, then PUT the integration";

/// What a token that is not an administrator's asks for.
const ADMINS: &str = "and Chatwoot shows an inbox's signing secret to administrators only: Set or PUT the integration with an administrator's access token (Profile Settings > Access Token)";

/// What an inbox that shows no secret to an administrator asks for.
const LOOK: &str = "showed no signing secret for the inbox to an administrator: look at the inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Configuration), then PUT the integration";

/// Why the secret is not known, and what to do about it.
pub fn secret_hidden(hidden: &SecretHidden) -> String {
    let name = setting(hidden_setting(hidden));
    match hidden {
        SecretHidden::ChatwootTooOld { version } => {
            format!("{name} serves Chatwoot {version}, {UPGRADE}")
        }
        SecretHidden::NotAdministrator { role } => {
            let role = role.as_deref().unwrap_or(NO_ROLE);
            format!("{name} has the role {role}, {ADMINS}")
        }
        SecretHidden::NotShown { version } => format!("{name}: Chatwoot {version} {LOOK}"),
    }
}

/// The 404 of the webhook-secret route.
pub fn no_signing_secret(why: &NoSigningSecret) -> String {
    match &why.0 {
        Some(hidden) => format!("no signing secret is stored: {}", secret_hidden(hidden)),
        None => "no signing secret is stored: the last Set or PUT did not read the inbox from Chatwoot (the integration is disabled, has no inbox, or CHATWOOT_VERIFY=false), or was made before this service stored secrets: Set or PUT the enabled integration, with its inbox and an administrator's access token".to_owned(),
    }
}
