use std::time::Duration;

use domain::{InstanceId, TokenHash, WebhookUrlTemplate};

use crate::chatwoot::{ChatwootChecker, CheckTarget, Deadline};
use crate::check_failure::CheckFailure;
use crate::check_report::CheckReport;
use crate::error::AppError;
use crate::ports::{InstanceRecord, InstanceRepository, Ports};
use crate::principal::Principal;
use domain::Instance;

/// Whether the services ask Chatwoot (`CHATWOOT_VERIFY`), and how long the
/// status may wait for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Settings are saved unchecked, the status knows nothing
    /// ([`CheckReport::skipped`]) and `autoCreate` is refused
    /// ([`CheckFailure::ProvisioningOff`]): no request reaches Chatwoot.
    Off,
    /// Set and PUT check with Chatwoot, each request bounded by the
    /// checker; the status run as a whole ends within `status_budget`.
    On { status_budget: Duration },
}

/// The application: every use case, generic over the adapters it runs on.
pub struct Services<P: Ports> {
    pub(crate) repo: P::Repository,
    checker: P::Checker,
    provisioner: P::Provisioner,
    verification: Verification,
    pub(crate) clock: P::Clock,
    pub(crate) ids: P::Ids,
    admin_token: TokenHash,
    /// `CHATWOOT_WEBHOOK_URL`: where an instance's inbox must send replies.
    pub(crate) webhook: Option<WebhookUrlTemplate>,
}

impl<P: Ports> Services<P> {
    pub fn new(
        repo: P::Repository,
        checker: P::Checker,
        provisioner: P::Provisioner,
        verification: Verification,
        clock: P::Clock,
        ids: P::Ids,
        admin_token: TokenHash,
    ) -> Self {
        Self {
            repo,
            checker,
            provisioner,
            verification,
            clock,
            ids,
            admin_token,
            webhook: None,
        }
    }

    /// The check of settings about to be written: each request bounded on
    /// its own. Skipped, with no request, while checking is turned off.
    pub(crate) async fn check_before_write(&self, target: &CheckTarget<'_>) -> CheckReport {
        match self.verification {
            Verification::Off => CheckReport::skipped(),
            Verification::On { .. } => self.checker.check(target, None).await,
        }
    }

    /// The check of the status, which must answer even when Chatwoot is
    /// slow: the run as a whole ends within the status budget. Skipped,
    /// with no request, while checking is turned off.
    pub(crate) async fn check_for_status(&self, target: &CheckTarget<'_>) -> CheckReport {
        match self.verification {
            Verification::Off => CheckReport::skipped(),
            Verification::On { status_budget } => {
                let deadline = Deadline::after(status_budget);
                self.checker.check(target, Some(deadline)).await
            }
        }
    }

    /// The provisioner, unless checking is turned off: `autoCreate` needs
    /// Chatwoot.
    pub(crate) fn provisioner(&self) -> Result<&P::Provisioner, CheckFailure> {
        match self.verification {
            Verification::Off => Err(CheckFailure::ProvisioningOff),
            Verification::On { .. } => Ok(&self.provisioner),
        }
    }

    /// Sets `CHATWOOT_WEBHOOK_URL`: inboxes are then checked against it and
    /// `autoCreate` may wire new ones to it.
    pub fn with_webhook_template(mut self, template: Option<WebhookUrlTemplate>) -> Self {
        self.webhook = template;
        self
    }

    /// The URL the inbox of `instance` must send replies to, when
    /// `CHATWOOT_WEBHOOK_URL` is set.
    pub fn expected_webhook(&self, instance: &Instance) -> Option<String> {
        self.webhook
            .as_ref()
            .map(|template| template.expand(instance.id, &instance.name))
    }

    /// Step 1 of the order of checks: who holds this token?
    /// [`AppError::Unauthenticated`] when it matches nothing.
    pub async fn authenticate(&self, presented: &str) -> Result<Principal, AppError> {
        let hash = TokenHash::of(presented);
        if hash.matches(&self.admin_token) {
            return Ok(Principal::Admin);
        }
        match self.repo.find_instance_by_token(&hash).await? {
            Some(record) => Ok(Principal::Instance(record.instance)),
            None => Err(AppError::Unauthenticated),
        }
    }

    /// Steps 1 to 3 for a route of one instance, named by the raw path
    /// segment: the principal, and the instance as read with its
    /// integration. An instance token is looked up with its instance's
    /// integration, the admin's instance by id with it: one statement each.
    pub async fn authorize(
        &self,
        presented: &str,
        raw_id: &str,
    ) -> Result<(Principal, InstanceRecord), AppError> {
        let hash = TokenHash::of(presented);
        if hash.matches(&self.admin_token) {
            let id = InstanceId::parse(raw_id).ok_or(AppError::NotFound("instance not found"))?;
            let record = self.repo.find_instance(id).await?;
            return Ok((
                Principal::Admin,
                record.ok_or(AppError::NotFound("instance not found"))?,
            ));
        }
        let record = self
            .repo
            .find_instance_by_token(&hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let principal = Principal::Instance(record.instance.clone());
        self.authorize_instance(&principal, raw_id).await?;
        Ok((principal, record))
    }

    /// Steps 2 and 3: may this principal act on the instance named by the
    /// raw path segment, and does it exist? 403 comes before 404 so an
    /// instance token learns nothing about other instances.
    pub async fn authorize_instance(
        &self,
        principal: &Principal,
        raw_id: &str,
    ) -> Result<Instance, AppError> {
        let id = InstanceId::parse(raw_id);
        match principal {
            Principal::Instance(own) => {
                if id == Some(own.id) {
                    Ok(own.clone())
                } else {
                    Err(AppError::Forbidden(
                        "this token may act only on its own instance",
                    ))
                }
            }
            Principal::Admin => {
                let id = id.ok_or(AppError::NotFound("instance not found"))?;
                self.repo
                    .find_instance(id)
                    .await?
                    .map(|record| record.instance)
                    .ok_or(AppError::NotFound("instance not found"))
            }
        }
    }

    /// Readiness: the database answers.
    pub async fn ready(&self) -> Result<(), AppError> {
        self.repo.ping().await.map_err(AppError::from)
    }
}
