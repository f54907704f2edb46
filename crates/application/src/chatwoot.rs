use std::future::Future;
use std::time::{Duration, Instant};

use domain::{
    ChatwootVersion, InboxId, InboxName, IntegrationSettings, SecretHidden, SigningSecret,
};

use crate::check_failure::CheckFailure;
use crate::check_report::{CheckName, CheckReport};

/// Asks a Chatwoot server whether integration settings work.
///
/// MUST NOT send the token to a server that has not first proved to be
/// Chatwoot (`GET /api` answering JSON with a `version`), MUST NOT follow
/// redirects, MUST bound every request in time and in bytes read, and MUST
/// NOT log the token. [`InboxProvisioner`] is held to the same.
pub trait ChatwootChecker: Send + Sync + 'static {
    /// Runs the checks of [`CheckName::ALL`](crate::CheckName::ALL) in order
    /// and stops at the first failure, leaving the later ones not run:
    /// the URL answers and is Chatwoot, the token is a user access token it
    /// accepts, the account is one of that user's, the inbox (if any)
    /// exists in the account, is assigned to the user and is an API inbox,
    /// and its webhook is `target.expected_webhook` (when given).
    ///
    /// `deadline` bounds the run as a whole. `None` (Set and PUT): each
    /// request is bounded by the checker's own timeout, and nothing more.
    /// `Some` (the status, which must answer even when Chatwoot is slow):
    /// the run MUST end by [`Deadline::at`]; the check under way then fails
    /// as [`CheckFailure::TimedOut`] naming [`Deadline::budget`] (the
    /// `webhookTarget` check, which waits for DNS and not for Chatwoot, is
    /// [`Undetermined::LookupTimedOut`](crate::Undetermined::LookupTimedOut)
    /// instead), and the later ones are not run.
    ///
    /// Never fails as a whole: every failure, the checker's own faults
    /// included, is a [`CheckFailure`] in the step where it happened, and
    /// the caller answers 400 with the first one.
    fn check(
        &self,
        target: &CheckTarget<'_>,
        deadline: Option<Deadline>,
    ) -> impl Future<Output = CheckReport> + Send;
}

/// Finds or creates the API inbox of an instance in Chatwoot (`autoCreate`)
/// and points its webhook at the gateway. Each request is bounded as the
/// checker's are.
///
/// Errors: every reason is a [`CheckFailure`], answered as 400 like those
/// of [`ChatwootChecker::check`] (a 429 from Chatwoot as 503). Never
/// [`CheckFailure::ProvisioningOff`]: the services answer that themselves,
/// without calling the port, while checking is turned off.
pub trait InboxProvisioner: Send + Sync + 'static {
    /// Runs the checks up to the account (same failures as
    /// [`ChatwootChecker::check`]), then requires the token's role in the
    /// account to be `administrator`, then refuses a webhook URL Chatwoot
    /// would not call (the `webhookTarget` check) before it writes anything
    /// to Chatwoot, then finds the account's API inbox named `request.name`
    /// (the oldest one when several have that name), or creates one with
    /// its webhook set to `request.webhook_url`.
    ///
    /// MUST NOT change an existing inbox: whether this instance may have it
    /// is decided by the database afterwards, and only then
    /// [`Self::point_webhook`] changes its webhook. The answer says whether
    /// that is needed.
    ///
    /// `request.settings.inbox_id` is ignored. A same-name inbox of another
    /// type, a refused creation and a token that is not an administrator's
    /// are [`CheckFailure`]s.
    fn provision_inbox(
        &self,
        request: &InboxRequest<'_>,
    ) -> impl Future<Output = Result<ProvisionedInbox, CheckFailure>> + Send;

    /// Sets the webhook of inbox `inbox` to `request.webhook_url`, after the
    /// same steps as [`Self::provision_inbox`] up to the administrator's
    /// role; the answer must show the new webhook, else it is a
    /// [`CheckFailure::WebhookMismatch`]. Called only once this instance's
    /// integration holds the inbox.
    fn point_webhook(
        &self,
        request: &InboxRequest<'_>,
        inbox: InboxId,
    ) -> impl Future<Output = Result<(), CheckFailure>> + Send;
}

/// When a check run must end: a moment, and the time it was given from its
/// start, which a run cut short names (`did not answer within … ms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub at: Instant,
    pub budget: Duration,
}

impl Deadline {
    /// `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Self {
            at: Instant::now() + budget,
            budget,
        }
    }
}

/// The inbox [`InboxProvisioner::provision_inbox`] found or created.
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
                role: role.map(str::to_owned),
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

impl CheckTarget<'_> {
    /// Whether a checker runs `name` for this target: the inbox's checks
    /// need an inbox, the webhook's a template, and the signature is judged
    /// by the application from what the checker saw.
    pub fn runs(&self, name: CheckName) -> bool {
        let inbox = self.settings.inbox_id.is_some();
        let template = self.expected_webhook.is_some();
        match name {
            CheckName::Inbox | CheckName::AgentBot => inbox,
            CheckName::Webhook => inbox && template,
            CheckName::WebhookTarget => template,
            CheckName::Signature => false,
            CheckName::Reachable | CheckName::Chatwoot | CheckName::Token | CheckName::Account => {
                true
            }
        }
    }
}

/// The API inbox to find or create for an instance.
#[derive(Debug, Clone, Copy)]
pub struct InboxRequest<'a> {
    pub settings: &'a IntegrationSettings,
    pub name: &'a InboxName,
    /// The expanded `CHATWOOT_WEBHOOK_URL`.
    pub webhook_url: &'a str,
}

#[cfg(test)]
mod tests {
    use domain::{AccountId, ChatwootAccessToken, HttpUrl, InboxId, IntegrationOptions};

    use super::*;

    fn runs(inbox: bool, template: bool) -> Vec<&'static str> {
        let settings = IntegrationSettings {
            enabled: true,
            account_id: AccountId::new(1).unwrap(),
            inbox_id: inbox.then(|| InboxId::new(2).unwrap()),
            chatwoot_url: HttpUrl::parse("https://chat.example.com").unwrap(),
            access_token: ChatwootAccessToken::parse("token").unwrap(),
            n8n_webhook: None,
            options: IntegrationOptions::default(),
        };
        let target = CheckTarget {
            settings: &settings,
            expected_webhook: template.then_some("https://gw.example.com/hook"),
        };
        let ran = CheckName::ALL.into_iter().filter(|&name| target.runs(name));
        ran.map(CheckName::as_str).collect()
    }

    #[test]
    fn a_checker_runs_the_inbox_checks_with_an_inbox_and_the_webhook_ones_with_a_template() {
        let always = ["reachable", "chatwoot", "token", "account"];
        assert_eq!(runs(false, false), always);
        assert_eq!(
            runs(true, false),
            [&always[..], &["inbox", "agentBot"]].concat()
        );
        assert_eq!(
            runs(false, true),
            [&always[..], &["webhookTarget"]].concat()
        );
        let all_but_signature = ["inbox", "webhook", "webhookTarget", "agentBot"];
        assert_eq!(runs(true, true), [&always[..], &all_but_signature].concat());
    }

    #[test]
    fn a_deadline_is_its_budget_from_now() {
        let budget = Duration::from_millis(1_500);
        let before = Instant::now();
        let deadline = Deadline::after(budget);
        assert_eq!(deadline.budget, budget);
        assert!(deadline.at >= before + budget);
        assert!(deadline.at <= Instant::now() + budget);
    }
}
