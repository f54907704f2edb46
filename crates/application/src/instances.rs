//! Instances and their tokens: the admin side of the service.

use domain::{Instance, InstanceId, InstanceToken, NewInstance};

use crate::error::{AppError, RepoError};
use crate::ports::{Clock, IdGenerator, InstanceRepository, Ports};
use crate::services::Services;

impl<P: Ports> Services<P> {
    /// Creates an instance and returns it with its token, shown only now.
    pub async fn create_instance(
        &self,
        new: NewInstance,
    ) -> Result<(Instance, InstanceToken), AppError> {
        let now = self.clock.now();
        let instance = Instance {
            id: self.ids.instance_id(),
            name: new.name,
            description: new.description,
            created_at: now,
            updated_at: now,
        };
        let token = self.ids.instance_token();
        match self.repo.create_instance(&instance, &token.hash()).await {
            Ok(()) => Ok((instance, token)),
            Err(RepoError::Duplicate) => Err(AppError::Conflict(format!(
                "an instance named {} already exists",
                instance.name.as_str()
            ))),
            Err(other) => Err(other.into()),
        }
    }

    pub async fn list_instances(&self) -> Result<Vec<Instance>, AppError> {
        Ok(self.repo.list_instances().await?)
    }

    /// Deletes the instance and its integration.
    pub async fn delete_instance(&self, id: InstanceId) -> Result<(), AppError> {
        if self.repo.delete_instance(id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound("instance not found"))
        }
    }

    /// Issues a new token; the old one stops working at once.
    pub async fn rotate_token(&self, id: InstanceId) -> Result<InstanceToken, AppError> {
        let token = self.ids.instance_token();
        if self
            .repo
            .replace_token(id, &token.hash(), self.clock.now())
            .await?
        {
            Ok(token)
        } else {
            Err(AppError::NotFound("instance not found"))
        }
    }

    /// Looks an instance up by the raw id an admin typed (CLI).
    pub async fn find_instance(&self, raw_id: &str) -> Result<Instance, AppError> {
        let id = InstanceId::parse(raw_id).ok_or(AppError::NotFound("instance not found"))?;
        self.repo
            .find_instance(id)
            .await?
            .map(|record| record.instance)
            .ok_or(AppError::NotFound("instance not found"))
    }
}
