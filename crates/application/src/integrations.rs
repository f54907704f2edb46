//! Set Integration and the read, update and delete around it.

use domain::{Instance, Integration, IntegrationPatch, IntegrationSettings};

use crate::chatwoot::ChatwootChecker;
use crate::error::{AppError, RepoError};
use crate::ports::{Clock, IdGenerator, IntegrationRepository, Ports};
use crate::services::Services;

const NOT_FOUND: &str = "chatwoot integration not found";

/// Partial updates that lose a race with another write read again and retry
/// this many times before answering 409.
const UPDATE_ATTEMPTS: usize = 3;

impl<P: Ports> Services<P> {
    /// The whole desired configuration replaces whatever was there: created
    /// if absent, revived if deleted. Checked with Chatwoot first when enabled.
    pub async fn set_integration(
        &self,
        instance: &Instance,
        settings: IntegrationSettings,
    ) -> Result<Integration, AppError> {
        self.check_if_enabled(&settings).await?;
        let stored = self
            .repo
            .upsert_integration(
                instance.id,
                self.ids.integration_id(),
                &settings,
                self.clock.now(),
            )
            .await?;
        Ok(stored)
    }

    /// The live integration; deleted ones are not found.
    pub async fn get_integration(&self, instance: &Instance) -> Result<Integration, AppError> {
        match self.repo.find_integration(instance.id).await? {
            Some((integration, _)) if !integration.is_deleted() => Ok(integration),
            _ => Err(AppError::NotFound(NOT_FOUND)),
        }
    }

    /// Applies the patch to the live integration. The result is checked with
    /// Chatwoot when enabled, then written only if nobody wrote in between.
    pub async fn update_integration(
        &self,
        instance: &Instance,
        patch: IntegrationPatch,
    ) -> Result<Integration, AppError> {
        for _ in 0..UPDATE_ATTEMPTS {
            let (current, revision) = match self.repo.find_integration(instance.id).await? {
                Some((integration, revision)) if !integration.is_deleted() => {
                    (integration, revision)
                }
                _ => return Err(AppError::NotFound(NOT_FOUND)),
            };
            let settings = patch.clone().apply(current.settings);
            self.check_if_enabled(&settings).await?;
            match self
                .repo
                .update_integration(instance.id, revision, &settings, self.clock.now())
                .await
            {
                Ok(updated) => return Ok(updated),
                Err(RepoError::Conflict) => continue,
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

    async fn check_if_enabled(&self, settings: &IntegrationSettings) -> Result<(), AppError> {
        if settings.enabled {
            self.checker
                .check(settings)
                .await
                .map_err(AppError::Chatwoot)?;
        }
        Ok(())
    }
}
