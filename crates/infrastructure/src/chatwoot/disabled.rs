use application::{
    ChatwootChecker, CheckFailure, CheckReport, CheckTarget, InboxRequest, ProvisionedInbox,
};

/// Never talks to Chatwoot: for deployments that turn the check off
/// (`CHATWOOT_VERIFY=false`), e.g. when Chatwoot is not reachable from the
/// service's network. Every setting is accepted and nothing is known.
#[derive(Debug, Clone, Copy, Default)]
pub struct DisabledChatwootChecker;

impl ChatwootChecker for DisabledChatwootChecker {
    async fn check(&self, target: &CheckTarget<'_>) -> CheckReport {
        log::debug!(
            "chatwoot check of {} skipped: checking is turned off",
            target.settings.chatwoot_url.as_str()
        );
        CheckReport::skipped()
    }

    async fn check_within_timeout(&self, target: &CheckTarget<'_>) -> CheckReport {
        self.check(target).await
    }

    async fn provision_inbox(
        &self,
        _request: &InboxRequest<'_>,
    ) -> Result<ProvisionedInbox, CheckFailure> {
        Err(CheckFailure::ProvisioningOff)
    }
}
