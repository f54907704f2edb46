use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use application::ports::Revision;
use application::{InstanceRecord, InstanceRepository, IntegrationRepository, RepoError};
use domain::{
    Instance, InstanceId, Integration, IntegrationId, IntegrationSettings, SecretRecord, Timestamp,
    TokenHash,
};

use super::{lock, Event, Journal};

/// A method of the repository ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    CreateInstance,
    ListInstances,
    FindInstance,
    FindInstanceByToken,
    DeleteInstance,
    ReplaceToken,
    Ping,
    UpsertIntegration,
    FindIntegration,
    UpdateIntegration,
    SoftDeleteIntegration,
    FindInboxHolder,
}

/// A write by someone else that lands between a use case's read of an
/// integration and its conditional update.
#[derive(Debug, Clone)]
pub enum Interference {
    Set(Box<IntegrationSettings>),
    Delete,
}

/// Someone else's Set of these settings.
impl From<IntegrationSettings> for Interference {
    fn from(settings: IntegrationSettings) -> Self {
        Self::Set(Box::new(settings))
    }
}

#[derive(Default)]
struct State {
    instances: Vec<(Instance, TokenHash)>,
    integrations: HashMap<InstanceId, (Integration, Revision)>,
    failures: HashMap<Op, fn() -> RepoError>,
    interference: Vec<Interference>,
}

/// Instances and integrations in a map, with the database's rules: unique
/// names, the integration's reference to its instance, a revision moved by
/// every write. A test can make any method fail, or queue writes that other
/// callers make while an update is under way.
#[derive(Clone)]
pub struct InMemoryRepository {
    state: Arc<Mutex<State>>,
    journal: Journal,
}

impl InMemoryRepository {
    pub fn new(journal: Journal) -> Self {
        Self {
            state: Arc::default(),
            journal,
        }
    }

    /// Every later call of `op` fails with what `error` makes.
    pub fn fail(&self, op: Op, error: fn() -> RepoError) {
        lock(&self.state).failures.insert(op, error);
    }

    /// Each of the next `update_integration` calls first lets one of these
    /// writes land, as a concurrent request would.
    pub fn interfere(&self, writes: impl IntoIterator<Item = Interference>) {
        lock(&self.state).interference.extend(writes);
    }

    /// The stored integration of an instance, deleted or not, as a database
    /// query would show it.
    pub fn stored_integration(&self, instance: InstanceId) -> Option<Integration> {
        let state = lock(&self.state);
        state
            .integrations
            .get(&instance)
            .map(|(integration, _)| integration.clone())
    }

    pub fn stored_instance(&self, id: InstanceId) -> Option<(Instance, TokenHash)> {
        lock(&self.state)
            .instances
            .iter()
            .find(|(instance, _)| instance.id == id)
            .cloned()
    }

    /// Writes the gateway's `query` column, which no use case writes.
    pub fn set_query(&self, instance: InstanceId, query: &str) {
        if let Some((integration, _)) = lock(&self.state).integrations.get_mut(&instance) {
            integration.query = Some(query.to_owned());
        }
    }

    /// Records the call, then answers with the failure set for `op`, if any.
    fn enter(&self, op: Op) -> Result<MutexGuard<'_, State>, RepoError> {
        self.journal.record(Event::Repo(op));
        let state = lock(&self.state);
        match state.failures.get(&op) {
            Some(error) => Err(error()),
            None => Ok(state),
        }
    }
}

impl State {
    fn has_instance(&self, id: InstanceId) -> bool {
        self.instances.iter().any(|(instance, _)| instance.id == id)
    }

    /// Another instance whose live integration uses the inbox of `settings`.
    fn inbox_holder(
        &self,
        except: InstanceId,
        settings: &IntegrationSettings,
    ) -> Option<InstanceId> {
        settings.inbox_id?;
        let same_inbox = |other: &IntegrationSettings| {
            (&other.chatwoot_url, other.account_id, other.inbox_id)
                == (
                    &settings.chatwoot_url,
                    settings.account_id,
                    settings.inbox_id,
                )
        };
        self.integrations
            .iter()
            .find(|(id, (integration, _))| {
                **id != except && !integration.is_deleted() && same_inbox(&integration.settings)
            })
            .map(|(id, _)| *id)
    }

    /// Replaces the instance's integration, or creates it with `new_id`:
    /// one step, as the contract of `upsert_integration` asks.
    fn upsert(
        &mut self,
        instance: InstanceId,
        new_id: IntegrationId,
        settings: &IntegrationSettings,
        secret: &SecretRecord,
        at: Timestamp,
    ) -> Result<Integration, RepoError> {
        if !self.has_instance(instance) {
            return Err(RepoError::ReferenceMissing);
        }
        if self.inbox_holder(instance, settings).is_some() {
            return Err(RepoError::InboxTaken);
        }
        let (integration, _) = self
            .integrations
            .entry(instance)
            .and_modify(|(integration, revision)| {
                integration.settings = settings.clone();
                integration.signing_secret = secret.clone();
                integration.updated_at = at;
                integration.deleted_at = None;
                revision.0 += 1;
            })
            .or_insert_with(|| {
                let integration = Integration {
                    id: new_id,
                    instance_id: instance,
                    settings: settings.clone(),
                    signing_secret: secret.clone(),
                    query: None,
                    created_at: at,
                    updated_at: at,
                    deleted_at: None,
                };
                (integration, Revision(1))
            });
        Ok(integration.clone())
    }

    fn soft_delete(&mut self, instance: InstanceId, at: Timestamp) -> Option<Integration> {
        let (integration, revision) = self.integrations.get_mut(&instance)?;
        if integration.is_deleted() {
            return None;
        }
        integration.deleted_at = Some(at);
        integration.updated_at = at;
        revision.0 += 1;
        Some(integration.clone())
    }

    fn interfere(&mut self, instance: InstanceId, at: Timestamp) {
        if self.interference.is_empty() {
            return;
        }
        match self.interference.remove(0) {
            Interference::Set(settings) => {
                let id = IntegrationId::new(uuid::Uuid::nil());
                let _ = self.upsert(instance, id, &settings, &SecretRecord::NotRead, at);
            }
            Interference::Delete => {
                let _ = self.soft_delete(instance, at);
            }
        }
    }
}

impl InstanceRepository for InMemoryRepository {
    async fn create_instance(
        &self,
        instance: &Instance,
        token: &TokenHash,
    ) -> Result<(), RepoError> {
        let mut state = self.enter(Op::CreateInstance)?;
        let taken = state
            .instances
            .iter()
            .any(|(other, _)| other.name == instance.name || other.id == instance.id);
        if taken {
            return Err(RepoError::Duplicate);
        }
        state.instances.push((instance.clone(), *token));
        Ok(())
    }

    async fn list_instances(&self) -> Result<Vec<Instance>, RepoError> {
        let state = self.enter(Op::ListInstances)?;
        let mut listed: Vec<Instance> = state
            .instances
            .iter()
            .map(|(instance, _)| instance.clone())
            .collect();
        // The database's order: creation time, then name.
        listed
            .sort_by(|a, b| (a.created_at, a.name.as_str()).cmp(&(b.created_at, b.name.as_str())));
        Ok(listed)
    }

    async fn find_instance(&self, id: InstanceId) -> Result<Option<InstanceRecord>, RepoError> {
        let state = self.enter(Op::FindInstance)?;
        Ok(state
            .instances
            .iter()
            .find(|(instance, _)| instance.id == id)
            .map(|(instance, _)| InstanceRecord {
                instance: instance.clone(),
                integration: Some(state.integrations.get(&instance.id).cloned()),
            }))
    }

    async fn find_instance_by_token(
        &self,
        token: &TokenHash,
    ) -> Result<Option<InstanceRecord>, RepoError> {
        let state = self.enter(Op::FindInstanceByToken)?;
        Ok(state
            .instances
            .iter()
            .find(|(_, hash)| hash.matches(token))
            .map(|(instance, _)| InstanceRecord {
                instance: instance.clone(),
                integration: Some(state.integrations.get(&instance.id).cloned()),
            }))
    }

    async fn delete_instance(&self, id: InstanceId) -> Result<bool, RepoError> {
        let mut state = self.enter(Op::DeleteInstance)?;
        state.integrations.remove(&id);
        let before = state.instances.len();
        state.instances.retain(|(instance, _)| instance.id != id);
        Ok(state.instances.len() < before)
    }

    async fn replace_token(
        &self,
        id: InstanceId,
        token: &TokenHash,
        at: Timestamp,
    ) -> Result<bool, RepoError> {
        let mut state = self.enter(Op::ReplaceToken)?;
        match state
            .instances
            .iter_mut()
            .find(|(instance, _)| instance.id == id)
        {
            Some((instance, hash)) => {
                *hash = *token;
                instance.updated_at = at;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn ping(&self) -> Result<(), RepoError> {
        self.enter(Op::Ping).map(drop)
    }
}

impl IntegrationRepository for InMemoryRepository {
    async fn upsert_integration(
        &self,
        instance: InstanceId,
        new_id: IntegrationId,
        settings: &IntegrationSettings,
        secret: &SecretRecord,
        at: Timestamp,
    ) -> Result<Integration, RepoError> {
        self.enter(Op::UpsertIntegration)?
            .upsert(instance, new_id, settings, secret, at)
    }

    async fn find_integration(
        &self,
        instance: InstanceId,
    ) -> Result<Option<(Integration, Revision)>, RepoError> {
        let state = self.enter(Op::FindIntegration)?;
        Ok(state.integrations.get(&instance).cloned())
    }

    async fn update_integration(
        &self,
        instance: InstanceId,
        revision: Revision,
        settings: &IntegrationSettings,
        secret: &SecretRecord,
        at: Timestamp,
    ) -> Result<Integration, RepoError> {
        let mut state = self.enter(Op::UpdateIntegration)?;
        state.interfere(instance, at);
        // A stale revision matches no row, so the database never gets to
        // the inbox's unique key: the conflict comes first.
        let current = state.integrations.get(&instance);
        if !current.is_some_and(|(stored, current)| *current == revision && !stored.is_deleted()) {
            return Err(RepoError::Conflict);
        }
        if state.inbox_holder(instance, settings).is_some() {
            return Err(RepoError::InboxTaken);
        }
        let (integration, current) = state
            .integrations
            .get_mut(&instance)
            .expect("checked above");
        integration.settings = settings.clone();
        integration.signing_secret = secret.clone();
        integration.updated_at = at;
        current.0 += 1;
        Ok(integration.clone())
    }

    async fn find_inbox_holder(
        &self,
        except: InstanceId,
        settings: &IntegrationSettings,
    ) -> Result<Option<InstanceId>, RepoError> {
        Ok(self
            .enter(Op::FindInboxHolder)?
            .inbox_holder(except, settings))
    }

    async fn soft_delete_integration(
        &self,
        instance: InstanceId,
        at: Timestamp,
    ) -> Result<Option<Integration>, RepoError> {
        Ok(self
            .enter(Op::SoftDeleteIntegration)?
            .soft_delete(instance, at))
    }
}
