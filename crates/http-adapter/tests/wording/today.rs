//! Every message, to the byte, as the contract, README and the API tests
//! know it: the wording is the adapters' now, and what it says must not
//! change with where it lives.

use application::signature::NoSigningSecret;
use application::{AppError, CheckFailure, StepOutcome};
use http_adapter::error::ApiError;
use http_adapter::wording;

use crate::{every_failure, every_hidden, every_undetermined};

/// `every_failure()`, in its order.
const FAILURES: [&str; 28] = [
    "chatwootURL is unreachable (connection refused): check the address and that Chatwoot is running",
    "chatwootURL did not answer within 5000 ms",
    "chatwootURL answered GET /api with a redirect to https://chat.example.com/api: set chatwootURL to the address Chatwoot is served at (redirects are not followed)",
    "chatwootURL is not a Chatwoot server: GET /api answered HTML, where Chatwoot answers JSON with a version",
    "chatwootURL resolves to 10.0.0.5, a loopback, private, link-local or otherwise non-public address, which this service is configured to refuse: use the public address of Chatwoot",
    "chatwootAccessToken was rejected by Chatwoot 4.1.0 (Invalid Access Token): copy the access token from the user's Profile Settings > Access Token",
    "chatwootAccessToken is an agent bot or platform token, which Chatwoot 4.1.0 does not accept here: use a user's access token (Profile Settings > Access Token)",
    "chatwootAccessToken never reached Chatwoot 4.1.0: it answered as if no token was sent. A proxy in front of it may drop headers with underscores such as api_access_token; with nginx, set `underscores_in_headers on`",
    "accountId 12 is not an account of the token's user (the user's accounts: 1, 2)",
    "inbox 3 does not exist in Chatwoot account 12",
    "inbox 3 is not assigned to the token's user: add the user as an agent of that inbox in Chatwoot",
    "inbox 3 is a Channel::WebWidget inbox, but the gateway needs an API inbox (Channel::Api) and Chatwoot cannot change an inbox's type: add an API inbox in Chatwoot (Settings, then Inboxes, then Add Inbox, then API) and set inbox to its id",
    "inbox 3 sends replies to https://old.example.com/hook, not to https://gateway.example.com/hook/1; in Chatwoot, set its Webhook URL under Settings, then Inboxes, then the inbox, then its Settings tab",
    "inbox 3 has no webhook URL set, where https://gateway.example.com/hook/1 is expected; in Chatwoot, set its Webhook URL under Settings, then Inboxes, then the inbox, then its Settings tab",
    "inbox replies would never reach the gateway: the host gateway of CHATWOOT_WEBHOOK_URL resolves (from this service) to 172.18.0.5, a private address, and Chatwoot 4.16.2-ce refuses to send webhooks to addresses that are not public (it marks every agent reply failed: Hostname 'gateway' has no public ip addresses). Either set CHATWOOT_WEBHOOK_URL in this service's settings to a URL whose host is public, or run Chatwoot with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true on its web and Sidekiq processes and set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true in this service's settings",
    "inbox 3: the inbox's signing secret changed in Chatwoot; PUT the integration to store the new one and give it to the gateway (GET .../chatwoot-integration/webhook-secret)",
    "accountId 12 is suspended in Chatwoot, which refuses every request in it (Account is suspended): ask the super admin of the Chatwoot installation to unsuspend it (Super Admin console, then Accounts, then the account, then Unsuspend), or set accountId to an active account",
    "integrationOptions.startConversationAs is open, but inbox 3 has the agent bot \"Triage\" (id 7), so Chatwoot opens every new conversation there as pending: set integrationOptions.startConversationAs to pending with a PUT of the integration, or remove the bot from the inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Bot Configuration)",
    "chatwootURL https://chat.example.com is limiting requests from this service: GET /api answered HTTP 429, from Chatwoot's rate limiter (rack-attack, 3000 requests per minute per IP unless RACK_ATTACK_LIMIT says otherwise). Try again in a minute; to lift the limit, add this service's IP address to RACK_ATTACK_ALLOWED_IPS (comma-separated) or raise RACK_ATTACK_LIMIT in Chatwoot's environment and restart Chatwoot",
    "inbox 3: the inbox's signing secret is not stored in this service, so the gateway cannot verify Chatwoot's webhooks; PUT the integration to store it and give it to the gateway (GET .../chatwoot-integration/webhook-secret)",
    "chatwootAccessToken has the role agent in account 12, and creating inboxes needs an administrator's token: use the access token of an administrator of the account (Profile Settings > Access Token), or create the inbox in Chatwoot and set inbox to its id",
    "nameInbox \"WhatsApp sales\" is the name of inbox 4, a Channel::Email inbox, and the gateway needs an API inbox: choose another nameInbox, or rename that inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Settings)",
    "nameInbox \"WhatsApp sales\" was refused by Chatwoot when creating the inbox: Name is too long",
    "autoCreate cannot find or create an inbox while this service does not talk to Chatwoot (CHATWOOT_VERIFY=false): create an API inbox in Chatwoot and set inbox to its id",
    "chatwootURL answered GET /api/v1/profile with an unexpected HTTP 502",
    "chatwootURL answered GET /api/v1/profile with a body that is not JSON, which is not an answer Chatwoot gives",
    "chatwootAccessToken cannot be sent in an HTTP header: copy the access token from the user's Profile Settings > Access Token",
    "chatwootURL could not be checked: the TLS setup failed (a fault of this service, not of the settings); try again later",
];

/// A webhook host that is an address literal: the address is not said to be
/// resolved.
const LITERAL_HOST: &str = "inbox replies would never reach the gateway: the host [fd00::5] of CHATWOOT_WEBHOOK_URL is fd00::5, a unique local address, and Chatwoot 4.14.0 refuses to send webhooks to addresses that are not public (it marks every agent reply failed: Hostname '[fd00::5]' has no public ip addresses). Either set CHATWOOT_WEBHOOK_URL in this service's settings to a URL whose host is public, or run Chatwoot with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true on its web and Sidekiq processes and set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true in this service's settings";

/// `every_undetermined()`, in its order.
const UNDETERMINED: [&str; 6] = [
    "inbox replies go to CHATWOOT_WEBHOOK_URL, whose host gateway.internal does not resolve from this service, so whether Chatwoot 4.14 or later may call it cannot be judged here: make sure Chatwoot resolves it to a public address, or run Chatwoot with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true and set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true in this service's settings",
    "inbox replies go to CHATWOOT_WEBHOOK_URL, whose host gateway.internal did not resolve within 2000 ms, so whether Chatwoot 4.14 or later may call it cannot be judged here: check this service's DNS, or set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true when Chatwoot runs with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true",
    "chatwootURL announced the version \"nightly\", which does not start with a number, so whether Chatwoot refuses webhooks to private addresses (4.14 and later) cannot be judged: check what GET {chatwootURL}/api answers",
    "chatwootURL serves Chatwoot 4.12.1, which signs no webhooks (signing came with 4.13), so there is no signing secret: upgrade Chatwoot to 4.13 or later to have its webhooks signed, then PUT the integration",
    "chatwootAccessToken has the role agent, and Chatwoot shows an inbox's signing secret to administrators only: Set or PUT the integration with an administrator's access token (Profile Settings > Access Token)",
    "inbox: Chatwoot 4.13.0 showed no signing secret for the inbox to an administrator: look at the inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Configuration), then PUT the integration",
];

/// `every_hidden()`, in its order, then a write that did not read the inbox.
const NO_SIGNING_SECRET: [&str; 4] = [
    "no signing secret is stored: chatwootURL serves Chatwoot 4.12.1, which signs no webhooks (signing came with 4.13), so there is no signing secret: upgrade Chatwoot to 4.13 or later to have its webhooks signed, then PUT the integration",
    "no signing secret is stored: chatwootAccessToken has the role agent, and Chatwoot shows an inbox's signing secret to administrators only: Set or PUT the integration with an administrator's access token (Profile Settings > Access Token)",
    "no signing secret is stored: inbox: Chatwoot 4.13.0 showed no signing secret for the inbox to an administrator: look at the inbox in Chatwoot (Settings, then Inboxes, then the inbox, then Configuration), then PUT the integration",
    "no signing secret is stored: the last Set or PUT did not read the inbox from Chatwoot (the integration is disabled, has no inbox, or CHATWOOT_VERIFY=false), or was made before this service stored secrets: Set or PUT the enabled integration, with its inbox and an administrator's access token",
];

/// `InboxNotAssigned` for inbox 3, saved with inbox 3 unpointed.
const WEBHOOK_NOT_POINTED: &str = "inbox 3 is not assigned to the token's user: add the user as an agent of that inbox in Chatwoot; the integration is saved with inbox 3, which is this instance's now, but the inbox's webhook still points elsewhere: send the same Set again, or set its Webhook URL in Chatwoot (Settings, then Inboxes, then the inbox, then its Settings tab)";

const TOKEN_KEY: &str = "a stored Chatwoot access token does not decrypt with APP_SECURITY__TOKEN_ENCRYPTION_KEY nor with any key of APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS: the operator must configure the key it was written with (as APP_SECURITY__TOKEN_ENCRYPTION_KEY, or in APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS beside the current key) and restart, or the integration must be set again";

#[test]
fn every_check_failure_reads_as_before() {
    let failures = every_failure();
    assert_eq!(failures.len(), FAILURES.len());
    for (failure, today) in failures.iter().zip(FAILURES) {
        assert_eq!(wording::check_failure(failure), today, "{failure:?}");
    }
    let literal = CheckFailure::PrivateWebhookTarget {
        host: "[fd00::5]".into(),
        address: "fd00::5".into(),
        kind: "unique local",
        version: "4.14.0".into(),
    };
    assert_eq!(wording::check_failure(&literal), LITERAL_HOST);
}

#[test]
fn every_undetermined_check_reads_as_before() {
    let reasons = every_undetermined();
    assert_eq!(reasons.len(), UNDETERMINED.len());
    for (reason, today) in reasons.into_iter().zip(UNDETERMINED) {
        assert_eq!(wording::undetermined(&reason), today, "{reason:?}");
        let outcome = StepOutcome::Undetermined(reason);
        assert_eq!(wording::outcome(&outcome).as_deref(), Some(today));
    }
}

#[test]
fn a_failed_check_shows_what_set_would_answer_and_others_show_nothing() {
    for (failure, today) in every_failure().into_iter().zip(FAILURES) {
        let outcome = StepOutcome::Failed(failure);
        assert_eq!(wording::outcome(&outcome).as_deref(), Some(today));
    }
    assert_eq!(wording::outcome(&StepOutcome::Passed), None);
    assert_eq!(wording::outcome(&StepOutcome::NotRun), None);
}

#[test]
fn every_missing_signing_secret_reads_as_before() {
    let whys = every_hidden().into_iter().map(Some).chain([None]);
    for (why, today) in whys.zip(NO_SIGNING_SECRET) {
        let why = NoSigningSecret(why);
        assert_eq!(wording::no_signing_secret(&why), today, "{why:?}");
        let answer = ApiError::from(AppError::NoSigningSecret(why));
        assert_eq!(answer.messages(), [today]);
    }
}

#[test]
fn an_unpointed_webhook_and_an_unreadable_token_read_as_before() {
    let unpointed = AppError::WebhookNotPointed {
        inbox_id: 3,
        failure: CheckFailure::InboxNotAssigned { inbox_id: 3 },
    };
    assert_eq!(ApiError::from(unpointed).messages(), [WEBHOOK_NOT_POINTED]);
    assert_eq!(wording::TOKEN_KEY, TOKEN_KEY);
    assert_eq!(ApiError::from(AppError::TokenKey).messages(), [TOKEN_KEY]);
}
