//! What one Chatwoot check found, step by step: Set and PUT answer its first
//! failure, the status route shows all of it.

use crate::chatwoot::SecretSeen;
use crate::check_failure::CheckFailure;
use crate::undetermined::Undetermined;

/// How many checks a run has.
const COUNT: usize = 9;

/// The checks, in the order they run (and compare). Each needs the ones
/// before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckName {
    /// `GET /api` got an HTTP answer (the address is allowed and answers).
    Reachable,
    /// That answer is Chatwoot's: JSON with a `version`.
    Chatwoot,
    /// `GET /api/v1/profile` accepts the token.
    Token,
    /// The account is one of the token's user's.
    Account,
    /// The inbox exists in the account, is assigned to the user and is an
    /// API inbox. Not run without an inbox.
    Inbox,
    /// The inbox sends replies to the expected URL. Not run without an
    /// inbox or without a webhook template.
    Webhook,
    /// Chatwoot may call the webhook URL: from 4.14 it refuses addresses
    /// that are not public. Not run without a webhook template.
    WebhookTarget,
    /// The inbox's signing secret is the one stored. Only the status runs
    /// it; it never refuses a Set.
    Signature,
    /// No agent bot makes Chatwoot open the gateway's conversations as
    /// `pending` while `startConversationAs` asks for `open`. Not run
    /// without an inbox. Advisory: a bot is a legitimate choice, so its
    /// failure never refuses a Set.
    AgentBot,
}

impl CheckName {
    pub const ALL: [CheckName; COUNT] = [
        Self::Reachable,
        Self::Chatwoot,
        Self::Token,
        Self::Account,
        Self::Inbox,
        Self::Webhook,
        Self::WebhookTarget,
        Self::Signature,
        Self::AgentBot,
    ];

    /// The wire name (`reachable`, `chatwoot`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reachable => "reachable",
            Self::Chatwoot => "chatwoot",
            Self::Token => "token",
            Self::Account => "account",
            Self::Inbox => "inbox",
            Self::Webhook => "webhook",
            Self::WebhookTarget => "webhookTarget",
            Self::Signature => "signature",
            Self::AgentBot => "agentBot",
        }
    }

    /// Whether a failure of this check refuses Set and PUT. Advisory checks
    /// only make the status unhealthy.
    pub fn refuses_settings(self) -> bool {
        !matches!(self, Self::Signature | Self::AgentBot)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How one check ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Passed,
    Failed(CheckFailure),
    /// An earlier check failed, the check does not apply (no inbox, no
    /// webhook template), or checking is turned off.
    NotRun,
    /// Run, and its answer cannot be known, for this reason.
    Undetermined(Undetermined),
}

impl StepOutcome {
    /// `Some(true)` passed, `Some(false)` failed, `None` not run or not
    /// known.
    pub fn ok(&self) -> Option<bool> {
        match self {
            Self::Passed => Some(true),
            Self::Failed(_) => Some(false),
            Self::NotRun | Self::Undetermined(_) => None,
        }
    }
}

/// The checks of one run, in order, and the Chatwoot version found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    outcomes: [StepOutcome; COUNT],
    version: Option<String>,
    /// What the inbox's JSON showed of its signing secret; `None` when the
    /// inbox was not read.
    signing_secret: Option<SecretSeen>,
    /// False when checking is turned off (`CHATWOOT_VERIFY=false`).
    verified: bool,
}

impl CheckReport {
    /// A run that has not passed any check yet; checkers fill it in order.
    pub fn new() -> Self {
        Self {
            outcomes: std::array::from_fn(|_| StepOutcome::NotRun),
            version: None,
            signing_secret: None,
            verified: true,
        }
    }

    /// No check run, because checking is turned off: nothing is known.
    pub fn skipped() -> Self {
        Self {
            verified: false,
            ..Self::new()
        }
    }

    pub fn pass(&mut self, name: CheckName) {
        self.outcomes[name.index()] = StepOutcome::Passed;
    }

    pub fn fail(&mut self, name: CheckName, failure: CheckFailure) {
        self.outcomes[name.index()] = StepOutcome::Failed(failure);
    }

    /// Run, with an answer that cannot be known.
    pub fn undetermined(&mut self, name: CheckName, reason: Undetermined) {
        self.outcomes[name.index()] = StepOutcome::Undetermined(reason);
    }

    /// What the inbox's JSON showed of its signing secret.
    pub fn see_signing_secret(&mut self, seen: SecretSeen) {
        self.signing_secret = Some(seen);
    }

    pub fn signing_secret(&self) -> Option<&SecretSeen> {
        self.signing_secret.as_ref()
    }

    /// The version `GET /api` announced.
    pub fn set_version(&mut self, version: String) {
        self.version = Some(version);
    }

    pub fn outcome(&self, name: CheckName) -> &StepOutcome {
        &self.outcomes[name.index()]
    }

    /// Every check with its outcome, in order.
    pub fn steps(&self) -> impl Iterator<Item = (CheckName, &StepOutcome)> {
        CheckName::ALL.into_iter().zip(self.outcomes.iter())
    }

    /// `None` until `GET /api` answered with a version.
    pub fn chatwoot_version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// `Some(true)` when no check failed, advisory ones included; `None`
    /// when checking is turned off.
    pub fn healthy(&self) -> Option<bool> {
        self.verified.then(|| self.failures().next().is_none())
    }

    /// The failure Set and PUT answer: the first in order of a check that
    /// refuses settings. Chatwoot limiting requests refuses whichever check
    /// met it: nothing is known of the settings then.
    pub fn first_failure(&self) -> Option<&CheckFailure> {
        self.failures()
            .find(|(name, failure)| name.refuses_settings() || failure.is_throttled())
            .map(|(_, failure)| failure)
    }

    /// Whether a check met Chatwoot's rate limiter, so that a later run may
    /// find what this one could not.
    pub fn throttled(&self) -> bool {
        self.failures().any(|(_, failure)| failure.is_throttled())
    }

    /// Every failed check with its failure, in order, advisory ones
    /// included.
    pub fn failures(&self) -> impl Iterator<Item = (CheckName, &CheckFailure)> {
        self.steps().filter_map(|(name, outcome)| match outcome {
            StepOutcome::Failed(failure) => Some((name, failure)),
            StepOutcome::Passed | StepOutcome::NotRun | StepOutcome::Undetermined(_) => None,
        })
    }

    /// `Err` with the first failure, for the use cases that refuse settings
    /// that do not work. A skipped check is `Ok`: nothing was refused.
    pub fn into_result(self) -> Result<(), CheckFailure> {
        match self.first_failure() {
            Some(failure) => Err(failure.clone()),
            None => Ok(()),
        }
    }
}

impl Default for CheckReport {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure() -> CheckFailure {
        CheckFailure::TokenRejected {
            version: "4.1.0".into(),
        }
    }

    #[test]
    fn checks_are_listed_in_order_with_their_wire_names() {
        let names: Vec<_> = CheckReport::new()
            .steps()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "reachable",
                "chatwoot",
                "token",
                "account",
                "inbox",
                "webhook",
                "webhookTarget",
                "signature",
                "agentBot"
            ]
        );
    }

    #[test]
    fn the_first_failure_is_what_set_answers_and_makes_the_run_unhealthy() {
        let mut report = CheckReport::new();
        report.pass(CheckName::Reachable);
        report.pass(CheckName::Chatwoot);
        report.fail(CheckName::Token, failure());
        report.set_version("4.1.0".into());

        assert_eq!(report.healthy(), Some(false));
        assert_eq!(report.first_failure(), Some(&failure()));
        assert_eq!(report.outcome(CheckName::Token).ok(), Some(false));
        assert_eq!(
            report.outcome(CheckName::Token),
            &StepOutcome::Failed(failure())
        );
        assert_eq!(report.outcome(CheckName::Chatwoot), &StepOutcome::Passed);
        assert_eq!(report.outcome(CheckName::Account).ok(), None);
        assert_eq!(report.chatwoot_version(), Some("4.1.0"));
        assert_eq!(report.into_result(), Err(failure()));
    }

    #[test]
    fn a_run_without_failures_is_healthy_even_with_checks_not_run() {
        let mut report = CheckReport::new();
        for name in [
            CheckName::Reachable,
            CheckName::Chatwoot,
            CheckName::Token,
            CheckName::Account,
        ] {
            report.pass(name);
        }
        assert_eq!(report.healthy(), Some(true));
        assert_eq!(report.outcome(CheckName::Inbox), &StepOutcome::NotRun);
        assert_eq!(report.into_result(), Ok(()));
    }

    #[test]
    fn an_undetermined_check_is_null_with_its_reason_and_fails_nothing() {
        let mut report = CheckReport::new();
        let reason = Undetermined::HostUnresolved {
            host: "gateway".into(),
        };
        report.undetermined(CheckName::WebhookTarget, reason.clone());
        let outcome = report.outcome(CheckName::WebhookTarget);
        assert_eq!(outcome.ok(), None);
        assert_eq!(outcome, &StepOutcome::Undetermined(reason));
        assert_eq!(report.healthy(), Some(true));
        assert_eq!(report.into_result(), Ok(()));
    }

    #[test]
    fn a_skipped_run_knows_nothing_and_refuses_nothing() {
        let report = CheckReport::skipped();
        assert_eq!(report.healthy(), None);
        assert!(report.steps().all(|(_, outcome)| outcome.ok().is_none()));
        assert_eq!(report.chatwoot_version(), None);
        assert_eq!(report.into_result(), Ok(()));
    }

    fn passed_up_to_the_agent_bot() -> CheckReport {
        let mut report = CheckReport::new();
        for name in &CheckName::ALL[..CheckName::ALL.len() - 1] {
            report.pass(*name);
        }
        report
    }

    #[test]
    fn an_agent_bot_makes_the_run_unhealthy_without_refusing_the_settings() {
        let mut report = passed_up_to_the_agent_bot();
        let bot = CheckFailure::AgentBotForcesPending {
            inbox_id: 3,
            bot: crate::check_failure::Named { id: 7, name: None },
        };
        report.fail(CheckName::AgentBot, bot);

        assert_eq!(report.healthy(), Some(false));
        assert!(!report.throttled());
        assert_eq!(report.first_failure(), None);
        assert_eq!(report.into_result(), Ok(()));
    }

    #[test]
    fn chatwoot_limiting_requests_refuses_whichever_check_met_it() {
        let throttled = CheckFailure::Throttled {
            url: "https://chat.example.com".into(),
            method: "GET",
            path: "/api/v1/accounts/12/inboxes/3/agent_bot".into(),
        };
        let mut report = passed_up_to_the_agent_bot();
        report.fail(CheckName::AgentBot, throttled.clone());

        assert!(report.throttled());
        assert_eq!(report.healthy(), Some(false));
        assert_eq!(report.into_result(), Err(throttled));
    }
}
