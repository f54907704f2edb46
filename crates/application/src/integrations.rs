//! Set Integration and the read, update and delete around it.

use domain::{Instance, Integration, IntegrationPatch, IntegrationSettings, SecretRecord};

use crate::chatwoot::CheckTarget;
use crate::error::{AppError, RepoError};
use crate::ports::{Clock, IdGenerator, InstanceRecord, IntegrationRepository, Ports, Revision};
use crate::services::Services;
use crate::shared_inbox::InboxInUse;
use crate::signature;

const NOT_FOUND: &str = "chatwoot integration not found";

/// Writes that lose a race with another write (a partial update whose row
/// moved on, a set refused for an inbox that no live integration holds
/// any more) try again this many times before answering 409.
const UPDATE_ATTEMPTS: usize = 3;

impl<P: Ports> Services<P> {
    /// The whole desired configuration replaces whatever was there: created
    /// if absent, revived if deleted. Checked with Chatwoot first when enabled.
    pub async fn set_integration(
        &self,
        instance: &Instance,
        settings: IntegrationSettings,
    ) -> Result<Integration, AppError> {
        let secret = self.check_if_enabled(instance, &settings).await?;
        self.store(instance, &settings, &secret).await
    }

    /// Creates, replaces or revives the instance's integration.
    pub(crate) async fn store(
        &self,
        instance: &Instance,
        settings: &IntegrationSettings,
        secret: &SecretRecord,
    ) -> Result<Integration, AppError> {
        for _ in 0..UPDATE_ATTEMPTS {
            let stored = self
                .repo
                .upsert_integration(
                    instance.id,
                    self.ids.integration_id(),
                    settings,
                    secret,
                    self.clock.now(),
                )
                .await;
            match stored {
                Err(RepoError::InboxTaken) => match self.inbox_in_use(instance, settings).await? {
                    Some(in_use) => return Err(in_use),
                    None => continue,
                },
                stored => return Ok(stored?),
            }
        }
        Err(RepoError::Conflict.into())
    }

    /// The 409 of an inbox another instance's live integration holds, naming
    /// that instance. `None` when none holds it now: the write was refused
    /// by one that has let go of the inbox since, and may be tried again.
    async fn inbox_in_use(
        &self,
        instance: &Instance,
        settings: &IntegrationSettings,
    ) -> Result<Option<AppError>, AppError> {
        let holder = self.repo.find_inbox_holder(instance.id, settings).await?;
        Ok(holder
            .and_then(|holder| InboxInUse::of(settings, Some(holder)))
            .map(AppError::InboxInUse))
    }

    /// The live integration; deleted ones are not found.
    pub async fn get_integration(&self, instance: &Instance) -> Result<Integration, AppError> {
        let found = self.repo.find_integration(instance.id).await?;
        live(found).map(|(integration, _)| integration)
    }

    /// The live integration as read with the instance, no statement more
    /// (unless it was not at hand).
    pub async fn integration_of(&self, target: &InstanceRecord) -> Result<Integration, AppError> {
        let found = match &target.integration {
            Some(found) => found.clone(),
            None => self.repo.find_integration(target.instance.id).await?,
        };
        live(found).map(|(integration, _)| integration)
    }

    /// Applies the patch to the live integration. The result is checked with
    /// Chatwoot when enabled, then written only if nobody wrote in between.
    pub async fn update_integration(
        &self,
        instance: &Instance,
        patch: IntegrationPatch,
    ) -> Result<Integration, AppError> {
        self.update_from(instance, None, patch).await
    }

    /// [`Self::update_integration`], starting from the integration as read
    /// with the instance: a read again only when a write came in between.
    pub async fn update_integration_of(
        &self,
        target: &InstanceRecord,
        patch: IntegrationPatch,
    ) -> Result<Integration, AppError> {
        let read = target.integration.clone();
        self.update_from(&target.instance, read, patch).await
    }

    /// `read`: the integration as last read, if it was.
    async fn update_from(
        &self,
        instance: &Instance,
        mut read: Option<Option<(Integration, Revision)>>,
        patch: IntegrationPatch,
    ) -> Result<Integration, AppError> {
        for _ in 0..UPDATE_ATTEMPTS {
            let found = match read.take() {
                Some(found) => found,
                None => self.repo.find_integration(instance.id).await?,
            };
            let (current, revision) = live(found)?;
            let settings = patch.clone().apply(current.settings);
            let secret = self.check_if_enabled(instance, &settings).await?;
            match self
                .repo
                .update_integration(instance.id, revision, &settings, &secret, self.clock.now())
                .await
            {
                Ok(updated) => return Ok(updated),
                Err(RepoError::Conflict) => continue,
                Err(RepoError::InboxTaken) => {
                    if let Some(in_use) = self.inbox_in_use(instance, &settings).await? {
                        return Err(in_use);
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(RepoError::Conflict.into())
    }

    /// Soft delete: the row stays with `deletedAt` set, and a later set revives it.
    pub async fn delete_integration(&self, instance: &Instance) -> Result<Integration, AppError> {
        self.repo
            .soft_delete_integration(instance.id, self.clock.now())
            .await?
            .ok_or(AppError::NotFound(NOT_FOUND))
    }

    /// Answers the first failure of the check, so Set and PUT refuse
    /// settings with the same message the status shows. What the inbox
    /// showed of its signing secret is what the write stores.
    async fn check_if_enabled(
        &self,
        instance: &Instance,
        settings: &IntegrationSettings,
    ) -> Result<SecretRecord, AppError> {
        if !settings.enabled {
            return Ok(SecretRecord::NotRead);
        }
        let expected_webhook = self.expected_webhook(instance);
        let target = CheckTarget {
            settings,
            expected_webhook: expected_webhook.as_deref(),
        };
        let report = self.check_before_write(&target).await;
        let secret = signature::record(report.signing_secret(), self.clock.now());
        report.into_result().map_err(AppError::Chatwoot)?;
        Ok(secret)
    }
}

/// The integration if it is live; deleted ones are not found.
fn live(found: Option<(Integration, Revision)>) -> Result<(Integration, Revision), AppError> {
    match found {
        Some((integration, revision)) if !integration.is_deleted() => Ok((integration, revision)),
        _ => Err(AppError::NotFound(NOT_FOUND)),
    }
}
