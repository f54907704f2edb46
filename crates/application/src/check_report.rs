//! What one Chatwoot check found, step by step: Set and PUT answer its first
//! failure, the status route shows all of it.

use crate::chatwoot::CheckFailure;

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
}

impl CheckName {
    pub const ALL: [CheckName; 6] = [
        Self::Reachable,
        Self::Chatwoot,
        Self::Token,
        Self::Account,
        Self::Inbox,
        Self::Webhook,
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
        }
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
}

impl StepOutcome {
    /// `Some(true)` passed, `Some(false)` failed, `None` not run.
    pub fn ok(&self) -> Option<bool> {
        match self {
            Self::Passed => Some(true),
            Self::Failed(_) => Some(false),
            Self::NotRun => None,
        }
    }

    /// The message Set would answer, for a failed check.
    pub fn message(&self) -> Option<String> {
        match self {
            Self::Failed(failure) => Some(failure.to_string()),
            Self::Passed | Self::NotRun => None,
        }
    }
}

/// The six checks of one run, in order, and the Chatwoot version found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    outcomes: [StepOutcome; 6],
    version: Option<String>,
    /// False when checking is turned off (`CHATWOOT_VERIFY=false`).
    verified: bool,
}

impl CheckReport {
    /// A run that has not passed any check yet; checkers fill it in order.
    pub fn new() -> Self {
        Self {
            outcomes: std::array::from_fn(|_| StepOutcome::NotRun),
            version: None,
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

    /// `Some(true)` when no check failed; `None` when checking is turned off.
    pub fn healthy(&self) -> Option<bool> {
        self.verified.then(|| self.first_failure().is_none())
    }

    /// The failure Set and PUT answer: the first in order.
    pub fn first_failure(&self) -> Option<&CheckFailure> {
        self.outcomes.iter().find_map(|outcome| match outcome {
            StepOutcome::Failed(failure) => Some(failure),
            StepOutcome::Passed | StepOutcome::NotRun => None,
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
                "webhook"
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
            report.outcome(CheckName::Token).message(),
            Some(failure().to_string())
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
    fn a_skipped_run_knows_nothing_and_refuses_nothing() {
        let report = CheckReport::skipped();
        assert_eq!(report.healthy(), None);
        assert!(report.steps().all(|(_, outcome)| outcome.ok().is_none()));
        assert_eq!(report.chatwoot_version(), None);
        assert_eq!(report.into_result(), Ok(()));
    }
}
