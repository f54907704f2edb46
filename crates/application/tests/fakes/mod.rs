//! In-memory fakes of the application's ports, for use-case tests that
//! need no database and no Chatwoot.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use application::ports::Revision;
use application::{
    ChatwootChecker, CheckFailure, CheckReport, CheckTarget, Clock, IdGenerator, InboxRequest,
    InstanceRepository, IntegrationRepository, Ports, RepoError, Services,
};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, Instance, InstanceId, InstanceName,
    InstanceToken, Integration, IntegrationId, IntegrationOptions, IntegrationSettings, Timestamp,
    TokenHash, WebhookUrlTemplate,
};
use uuid::Uuid;

pub const NOW: i64 = 1_765_000_000_000;
pub const TEMPLATE: &str = "https://gw.example.com/chatwoot/webhook/{instanceName}";

/// Keeps integrations in memory and counts writes; clones share them, so a
/// test keeps a handle on what the services wrote.
#[derive(Clone, Default)]
pub struct MemoryRepository {
    pub integrations: Arc<Mutex<Vec<(Integration, Revision)>>>,
    pub writes: Arc<Mutex<usize>>,
}

impl InstanceRepository for MemoryRepository {
    async fn create_instance(&self, _: &Instance, _: &TokenHash) -> Result<(), RepoError> {
        Ok(())
    }
    async fn list_instances(&self) -> Result<Vec<Instance>, RepoError> {
        Ok(Vec::new())
    }
    async fn find_instance(&self, _: InstanceId) -> Result<Option<Instance>, RepoError> {
        Ok(None)
    }
    async fn find_instance_by_token(&self, _: &TokenHash) -> Result<Option<Instance>, RepoError> {
        Ok(None)
    }
    async fn delete_instance(&self, _: InstanceId) -> Result<bool, RepoError> {
        Ok(false)
    }
    async fn replace_token(
        &self,
        _: InstanceId,
        _: &TokenHash,
        _: Timestamp,
    ) -> Result<bool, RepoError> {
        Ok(false)
    }
    async fn ping(&self) -> Result<(), RepoError> {
        Ok(())
    }
}

impl IntegrationRepository for MemoryRepository {
    async fn upsert_integration(
        &self,
        instance: InstanceId,
        new_id: IntegrationId,
        settings: &IntegrationSettings,
        at: Timestamp,
    ) -> Result<Integration, RepoError> {
        *self.writes.lock().unwrap() += 1;
        let mut rows = self.integrations.lock().unwrap();
        rows.retain(|(row, _)| row.instance_id != instance);
        let integration = Integration {
            id: new_id,
            instance_id: instance,
            settings: settings.clone(),
            query: None,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        };
        rows.push((integration.clone(), Revision(1)));
        Ok(integration)
    }

    async fn find_integration(
        &self,
        instance: InstanceId,
    ) -> Result<Option<(Integration, Revision)>, RepoError> {
        let rows = self.integrations.lock().unwrap();
        Ok(rows
            .iter()
            .find(|(row, _)| row.instance_id == instance)
            .cloned())
    }

    async fn update_integration(
        &self,
        _: InstanceId,
        _: Revision,
        _: &IntegrationSettings,
        _: Timestamp,
    ) -> Result<Integration, RepoError> {
        Err(RepoError::Other("not used".into()))
    }

    async fn soft_delete_integration(
        &self,
        _: InstanceId,
        _: Timestamp,
    ) -> Result<Option<Integration>, RepoError> {
        Ok(None)
    }
}

/// Answers what it was given and records what it was asked; clones share
/// the records.
#[derive(Clone)]
pub struct ScriptedChecker {
    pub report: CheckReport,
    pub provisioned: Result<InboxId, CheckFailure>,
    /// `expected_webhook` of each check, in order.
    pub checked: Arc<Mutex<Vec<Option<String>>>>,
    /// `(name, webhook_url)` of each provisioning, in order.
    pub provisions: Arc<Mutex<Vec<(String, String)>>>,
}

impl ScriptedChecker {
    pub fn answering(report: CheckReport) -> Self {
        Self {
            report,
            provisioned: Err(CheckFailure::ProvisioningOff),
            checked: Arc::default(),
            provisions: Arc::default(),
        }
    }

    pub fn checked(&self) -> Vec<Option<String>> {
        self.checked.lock().unwrap().clone()
    }

    pub fn provisions(&self) -> Vec<(String, String)> {
        self.provisions.lock().unwrap().clone()
    }
}

impl ChatwootChecker for ScriptedChecker {
    async fn check(&self, target: &CheckTarget<'_>) -> CheckReport {
        self.checked
            .lock()
            .unwrap()
            .push(target.expected_webhook.map(str::to_owned));
        self.report.clone()
    }

    async fn provision_inbox(&self, request: &InboxRequest<'_>) -> Result<InboxId, CheckFailure> {
        self.provisions.lock().unwrap().push((
            request.name.as_str().to_owned(),
            request.webhook_url.to_owned(),
        ));
        self.provisioned.clone()
    }
}

pub struct FixedClock;

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_millis(NOW).unwrap()
    }
}

pub struct SequentialIds;

impl IdGenerator for SequentialIds {
    fn instance_id(&self) -> InstanceId {
        InstanceId::new(Uuid::from_u128(1))
    }
    fn integration_id(&self) -> IntegrationId {
        IntegrationId::new(Uuid::from_u128(2))
    }
    fn instance_token(&self) -> InstanceToken {
        InstanceToken::from_random_bytes([7; 32])
    }
}

pub struct Fakes;

impl Ports for Fakes {
    type Repository = MemoryRepository;
    type Checker = ScriptedChecker;
    type Clock = FixedClock;
    type Ids = SequentialIds;
}

impl MemoryRepository {
    pub fn writes(&self) -> usize {
        *self.writes.lock().unwrap()
    }
}

/// Services over `repo` and `checker` (clones: the caller keeps handles),
/// with `CHATWOOT_WEBHOOK_URL` set to `template`.
pub fn services(
    repo: &MemoryRepository,
    checker: &ScriptedChecker,
    template: Option<&str>,
) -> Services<Fakes> {
    Services::new(
        repo.clone(),
        checker.clone(),
        FixedClock,
        SequentialIds,
        TokenHash::of("admin"),
    )
    .with_webhook_template(template.map(|raw| WebhookUrlTemplate::parse(raw).unwrap()))
}

pub fn instance() -> Instance {
    let at = Timestamp::from_millis(NOW).unwrap();
    Instance {
        id: InstanceId::new(Uuid::from_u128(9)),
        name: InstanceName::parse("sales").unwrap(),
        description: None,
        created_at: at,
        updated_at: at,
    }
}

pub fn settings(inbox: Option<i64>) -> IntegrationSettings {
    IntegrationSettings {
        enabled: true,
        account_id: AccountId::new(12).unwrap(),
        inbox_id: inbox.map(|id| InboxId::new(id).unwrap()),
        chatwoot_url: HttpUrl::parse("https://chat.example.com").unwrap(),
        access_token: ChatwootAccessToken::parse("user-token").unwrap(),
        n8n_webhook: None,
        options: IntegrationOptions::default(),
    }
}

/// A run where every check up to the account passed.
pub fn passing_report() -> CheckReport {
    use application::CheckName::*;
    let mut report = CheckReport::new();
    for name in [Reachable, Chatwoot, Token, Account] {
        report.pass(name);
    }
    report.set_version("4.1.0".into());
    report
}
