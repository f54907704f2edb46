use std::future::Future;

use domain::{
    Instance, InstanceId, InstanceToken, Integration, IntegrationId, IntegrationSettings,
    SecretRecord, Timestamp, TokenHash,
};

use crate::chatwoot::{ChatwootChecker, InboxProvisioner};
use crate::error::RepoError;

/// Storage of instances and their token hashes.
pub trait InstanceRepository: Send + Sync + 'static {
    /// Stores a new instance with the hash of its token.
    /// MUST return [`RepoError::Duplicate`] when the name is taken.
    fn create_instance(
        &self,
        instance: &Instance,
        token: &TokenHash,
    ) -> impl Future<Output = Result<(), RepoError>> + Send;

    /// All instances, oldest first.
    fn list_instances(&self) -> impl Future<Output = Result<Vec<Instance>, RepoError>> + Send;

    /// The instance with its integration, read in one statement.
    fn find_instance(
        &self,
        id: InstanceId,
    ) -> impl Future<Output = Result<Option<InstanceRecord>, RepoError>> + Send;

    /// The instance whose token has this hash, if any, with its
    /// integration, read in one statement.
    fn find_instance_by_token(
        &self,
        token: &TokenHash,
    ) -> impl Future<Output = Result<Option<InstanceRecord>, RepoError>> + Send;

    /// Deletes the instance and its integration in one transaction.
    /// MUST return `Ok(false)` when there is no such instance.
    fn delete_instance(
        &self,
        id: InstanceId,
    ) -> impl Future<Output = Result<bool, RepoError>> + Send;

    /// Replaces the token hash; the old token stops working when this returns.
    /// MUST return `Ok(false)` when there is no such instance.
    fn replace_token(
        &self,
        id: InstanceId,
        token: &TokenHash,
        at: Timestamp,
    ) -> impl Future<Output = Result<bool, RepoError>> + Send;

    /// Succeeds when the database answers a trivial query.
    fn ping(&self) -> impl Future<Output = Result<(), RepoError>> + Send;
}

/// Storage of the one integration an instance may have.
pub trait IntegrationRepository: Send + Sync + 'static {
    /// Creates or replaces the instance's integration in one atomic
    /// statement (never read-then-write). On replace it MUST keep the stored
    /// id and `created_at`, set `updated_at` to `at`, clear `deleted_at` and
    /// keep `query`; `new_id` is used only when a row is created. `secret`
    /// replaces the stored signing secret record (sealed like the access
    /// token). Returns the stored integration as this call left it.
    /// MUST return [`RepoError::InboxTaken`] when another instance's live
    /// integration has the same `chatwoot_url`, `account_id` and `inbox_id`
    /// (enabled or not), decided by the database so that concurrent writes
    /// cannot both succeed.
    fn upsert_integration(
        &self,
        instance: InstanceId,
        new_id: IntegrationId,
        settings: &IntegrationSettings,
        secret: &SecretRecord,
        at: Timestamp,
    ) -> impl Future<Output = Result<Integration, RepoError>> + Send;

    /// The instance's integration with its revision, deleted or not.
    fn find_integration(
        &self,
        instance: InstanceId,
    ) -> impl Future<Output = Result<Option<(Integration, Revision)>, RepoError>> + Send;

    /// Replaces the settings of a live integration only if it is still at
    /// `revision`. MUST return [`RepoError::Conflict`] when it changed (or was
    /// deleted) since it was read, and [`RepoError::InboxTaken`] as
    /// [`Self::upsert_integration`] does.
    fn update_integration(
        &self,
        instance: InstanceId,
        revision: Revision,
        settings: &IntegrationSettings,
        secret: &SecretRecord,
        at: Timestamp,
    ) -> impl Future<Output = Result<Integration, RepoError>> + Send;

    /// The instance, other than `except`, whose live integration uses the
    /// inbox of `settings` (same `chatwoot_url`, `account_id`, `inbox_id`);
    /// `None` when there is none or `settings` has no inbox.
    fn find_inbox_holder(
        &self,
        except: InstanceId,
        settings: &IntegrationSettings,
    ) -> impl Future<Output = Result<Option<InstanceId>, RepoError>> + Send;

    /// Marks the live integration deleted at `at` and returns it. Its inbox
    /// is free for another instance from then on.
    /// MUST return `Ok(None)` when there is none or it is already deleted.
    fn soft_delete_integration(
        &self,
        instance: InstanceId,
        at: Timestamp,
    ) -> impl Future<Output = Result<Option<Integration>, RepoError>> + Send;
}

/// An instance and its integration (deleted or not) with that
/// integration's revision, as one read found them: the read that
/// authenticates a request also serves the request's own reads, so a GET
/// is one statement. Never kept beyond the request that read it.
#[derive(Debug, Clone)]
pub struct InstanceRecord {
    pub instance: Instance,
    /// `Some(None)`: it has none. `None`: not at hand (its row could not
    /// be read, e.g. a token sealed under another key), so a use case
    /// reads it alone and reports why, and the instance still
    /// authenticates, to set it again.
    pub integration: Option<Option<(Integration, Revision)>>,
}

/// A counter moved by every write of an integration: the optimistic lock of
/// partial updates, which must read before they write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision(pub i64);

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// Fresh identifiers and secrets.
pub trait IdGenerator: Send + Sync + 'static {
    fn instance_id(&self) -> InstanceId;
    fn integration_id(&self) -> IntegrationId;
    /// MUST carry at least 256 bits from a cryptographically secure source.
    fn instance_token(&self) -> InstanceToken;
}

/// The set of adapters one running service uses, so the service and the
/// HTTP handlers take one type parameter instead of five.
pub trait Ports: Send + Sync + 'static {
    type Repository: InstanceRepository + IntegrationRepository;
    type Checker: ChatwootChecker;
    type Provisioner: InboxProvisioner;
    type Clock: Clock;
    type Ids: IdGenerator;
}
