use std::sync::{Arc, Mutex};

use application::{
    ChatwootChecker, CheckFailure, CheckName, CheckReport, CheckTarget, Deadline, InboxProvisioner,
    InboxRequest, ProvisionedInbox, RoleFound, SecretSeen, Setting,
};
use domain::{InboxId, InboxName, IntegrationSettings, SecretHidden};

use super::{lock, Event, Journal};

/// What a check was asked about.
#[derive(Clone)]
struct CheckAsked {
    settings: IntegrationSettings,
    expected_webhook: Option<String>,
}

/// What a provisioning was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionAsked {
    pub settings: IntegrationSettings,
    pub name: InboxName,
    pub webhook_url: String,
}

#[derive(Default)]
struct Script {
    /// `None`: pass every check the target calls for.
    report: Option<CheckReport>,
    /// The inbox found or created, and whether its webhook needs changing;
    /// `None`: the account has no administrator's token.
    provisioned: Option<Result<(InboxId, bool), CheckFailure>>,
    /// `None`: every webhook change succeeds.
    pointed: Option<CheckFailure>,
    checks: Vec<CheckAsked>,
    provisions: Vec<ProvisionAsked>,
}

/// Both Chatwoot ports: answers what the test told it to, and keeps every
/// request it got. Until told otherwise it passes every check the target
/// calls for, and refuses provisioning as a token that is not an
/// administrator's.
#[derive(Clone)]
pub struct FakeChecker {
    script: Arc<Mutex<Script>>,
    journal: Journal,
}

/// The version every report of this checker announces.
const CHATWOOT_VERSION: &str = "4.1.0";

/// A run that passed every check before `step`, as a real checker fills it.
pub fn passed_before(step: CheckName) -> CheckReport {
    passed(
        CheckName::ALL
            .into_iter()
            .take_while(|&earlier| earlier != step),
    )
}

fn passed(steps: impl IntoIterator<Item = CheckName>) -> CheckReport {
    let mut report = CheckReport::new();
    report.set_version(CHATWOOT_VERSION.to_owned());
    for step in steps {
        report.pass(step);
    }
    report
}

/// The check a real checker fails with `failure`.
fn step_of(failure: &CheckFailure) -> CheckName {
    match failure {
        CheckFailure::NotChatwoot { .. } => CheckName::Chatwoot,
        CheckFailure::WebhookMismatch { .. } => CheckName::Webhook,
        CheckFailure::PrivateWebhookTarget { .. } => CheckName::WebhookTarget,
        CheckFailure::SigningSecretChanged { .. } | CheckFailure::SigningSecretNotStored { .. } => {
            CheckName::Signature
        }
        CheckFailure::AgentBotForcesPending { .. } => CheckName::AgentBot,
        other => match other.setting() {
            Setting::AccessToken => CheckName::Token,
            Setting::AccountId => CheckName::Account,
            Setting::Inbox => CheckName::Inbox,
            _ => CheckName::Reachable,
        },
    }
}

/// The checks a real checker runs for `target`, all passing.
fn passing(target: &CheckTarget<'_>) -> CheckReport {
    passed(CheckName::ALL.into_iter().filter(|&step| target.runs(step)))
}

impl FakeChecker {
    pub fn new(journal: Journal) -> Self {
        Self {
            script: Arc::default(),
            journal,
        }
    }

    /// Every later check answers `report`.
    pub fn answer(&self, report: CheckReport) {
        lock(&self.script).report = Some(report);
    }

    /// Every later check fails with `failure`, at the step a real checker
    /// meets it, after passing the steps before it.
    pub fn refuse_with(&self, failure: CheckFailure) {
        let step = step_of(&failure);
        let mut report = passed_before(step);
        report.fail(step, failure);
        self.answer(report);
    }

    /// Every later provisioning answers `result`, an inbox just created.
    pub fn provision(&self, result: Result<InboxId, CheckFailure>) {
        let result = result.map(|id| (id, false));
        lock(&self.script).provisioned = Some(result);
    }

    /// Every later provisioning finds inbox `id`, whose webhook points
    /// elsewhere.
    pub fn provision_existing(&self, id: InboxId) {
        lock(&self.script).provisioned = Some(Ok((id, true)));
    }

    /// Every later webhook change fails with `failure`.
    pub fn refuse_webhook_change(&self, failure: CheckFailure) {
        lock(&self.script).pointed = Some(failure);
    }

    /// Forgets what it was asked so far.
    pub fn forget(&self) {
        let mut script = lock(&self.script);
        script.checks.clear();
        script.provisions.clear();
    }

    fn checks(&self) -> Vec<CheckAsked> {
        lock(&self.script).checks.clone()
    }

    /// The settings of each check asked, in order.
    pub fn asked(&self) -> Vec<IntegrationSettings> {
        self.checks()
            .into_iter()
            .map(|asked| asked.settings)
            .collect()
    }

    /// The expected webhook of each check asked, in order.
    pub fn expected_webhooks(&self) -> Vec<Option<String>> {
        self.checks()
            .into_iter()
            .map(|asked| asked.expected_webhook)
            .collect()
    }

    /// The provisionings asked, in order.
    pub fn provisions(&self) -> Vec<ProvisionAsked> {
        lock(&self.script).provisions.clone()
    }
}

impl ChatwootChecker for FakeChecker {
    async fn check(&self, target: &CheckTarget<'_>, deadline: Option<Deadline>) -> CheckReport {
        self.journal
            .record(Event::Check(deadline.map(|deadline| deadline.budget)));
        let mut script = lock(&self.script);
        script.checks.push(CheckAsked {
            settings: target.settings.clone(),
            expected_webhook: target.expected_webhook.map(str::to_owned),
        });
        script.report.clone().unwrap_or_else(|| passing(target))
    }
}

impl InboxProvisioner for FakeChecker {
    async fn provision_inbox(
        &self,
        request: &InboxRequest<'_>,
    ) -> Result<ProvisionedInbox, CheckFailure> {
        self.journal.record(Event::Provision);
        let mut script = lock(&self.script);
        script.provisions.push(ProvisionAsked {
            settings: request.settings.clone(),
            name: request.name.clone(),
            webhook_url: request.webhook_url.to_owned(),
        });
        let not_administrator = CheckFailure::NotAdministrator {
            account_id: request.settings.account_id.get(),
            role: RoleFound::Named("agent".to_owned()),
        };
        let (id, needs_webhook) = script
            .provisioned
            .clone()
            .unwrap_or(Err(not_administrator))?;
        // Chatwoot before 4.13, as the reports of this checker announce.
        let hidden = SecretHidden::ChatwootTooOld {
            version: CHATWOOT_VERSION.to_owned(),
        };
        Ok(ProvisionedInbox {
            id,
            needs_webhook,
            signing_secret: SecretSeen::Hidden(hidden),
        })
    }

    async fn point_webhook(
        &self,
        _request: &InboxRequest<'_>,
        inbox: InboxId,
    ) -> Result<(), CheckFailure> {
        self.journal.record(Event::PointWebhook(inbox));
        lock(&self.script).pointed.clone().map_or(Ok(()), Err)
    }
}
