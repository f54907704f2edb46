//! The live status of an integration: the checks run now, nothing written.

use domain::{Instance, Integration, Timestamp};

use crate::chatwoot::CheckTarget;
use crate::check_report::CheckReport;
use crate::error::AppError;
use crate::ports::{Clock, InstanceRecord, Ports};
use crate::services::Services;

/// What the status route and the `check` command show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationStatus {
    pub enabled: bool,
    /// When the check started.
    pub checked_at: Timestamp,
    pub report: CheckReport,
}

impl IntegrationStatus {
    /// `Some(true)` when no check failed; `None` when checking is turned off.
    pub fn healthy(&self) -> Option<bool> {
        self.report.healthy()
    }
}

impl<P: Ports> Services<P> {
    /// Runs the checks of the live integration now, enabled or not, and
    /// writes nothing. Chatwoot being down or slow is a failed check, not an
    /// error, and the run is bounded by the status budget: the only
    /// errors are those of reading the integration
    /// ([`AppError::NotFound`] when there is none).
    pub async fn integration_status(
        &self,
        instance: &Instance,
    ) -> Result<IntegrationStatus, AppError> {
        let integration = self.get_integration(instance).await?;
        Ok(self.status_of(instance, integration).await)
    }

    /// [`Self::integration_status`] of the integration as read with the
    /// instance, no statement more.
    pub async fn integration_status_of(
        &self,
        target: &InstanceRecord,
    ) -> Result<IntegrationStatus, AppError> {
        let integration = self.integration_of(target).await?;
        Ok(self.status_of(&target.instance, integration).await)
    }

    async fn status_of(&self, instance: &Instance, integration: Integration) -> IntegrationStatus {
        let checked_at = self.clock.now();
        let expected_webhook = self.expected_webhook(instance);
        let target = CheckTarget {
            settings: &integration.settings,
            expected_webhook: expected_webhook.as_deref(),
        };
        let mut report = self.check_for_status(&target).await;
        report.judge_signature(integration.settings.inbox_id, &integration.signing_secret);
        IntegrationStatus {
            enabled: integration.settings.enabled,
            checked_at,
            report,
        }
    }
}
