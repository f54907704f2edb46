//! Why a check's answer cannot be known, and the message of a check in the
//! status.

use application::{StepOutcome, Undetermined};

use super::{check_failure, secret_hidden, setting};

/// The status message of a check that cannot be judged.
pub fn undetermined(reason: &Undetermined) -> String {
    let name = setting(reason.setting());
    match reason {
        Undetermined::HostUnresolved { host } => format!(
            "{name} replies go to CHATWOOT_WEBHOOK_URL, whose host {host} does not resolve from this service, so whether Chatwoot 4.14 or later may call it cannot be judged here: make sure Chatwoot resolves it to a public address, or run Chatwoot with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true and set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true in this service's settings"
        ),
        Undetermined::LookupTimedOut { host, timeout_ms } => format!(
            "{name} replies go to CHATWOOT_WEBHOOK_URL, whose host {host} did not resolve within {timeout_ms} ms, so whether Chatwoot 4.14 or later may call it cannot be judged here: check this service's DNS, or set CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true when Chatwoot runs with SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true"
        ),
        Undetermined::VersionUnreadable { version } => format!(
            "{name} announced the version \"{version}\", which does not start with a number, so whether Chatwoot refuses webhooks to private addresses (4.14 and later) cannot be judged: check what GET {{{name}}}/api answers"
        ),
        Undetermined::SecretHidden(hidden) => secret_hidden(hidden),
    }
}

/// The message of a check in the status: the failure Set would answer, or
/// why the answer cannot be known; none for a check passed or not run.
pub fn outcome(outcome: &StepOutcome) -> Option<String> {
    match outcome {
        StepOutcome::Failed(failure) => Some(check_failure(failure)),
        StepOutcome::Undetermined(reason) => Some(undetermined(reason)),
        StepOutcome::Passed | StepOutcome::NotRun => None,
    }
}
