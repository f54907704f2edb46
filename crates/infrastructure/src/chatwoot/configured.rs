use application::{
    ChatwootChecker, CheckFailure, CheckReport, CheckTarget, InboxRequest, ProvisionedInbox,
};

use super::config::ChatwootCheckConfig;
use super::disabled::DisabledChatwootChecker;
use super::http_checker::{CheckerBuildError, HttpChatwootChecker};

/// The checker chosen by configuration at start-up; the port is implemented
/// by static delegation, so the services stay generic over one type.
#[derive(Debug, Clone)]
pub enum ConfiguredChecker {
    Http(HttpChatwootChecker),
    Disabled(DisabledChatwootChecker),
}

impl ConfiguredChecker {
    /// The HTTP checker when `verify` is on, else the disabled one.
    pub fn new(verify: bool, config: ChatwootCheckConfig) -> Result<Self, CheckerBuildError> {
        if verify {
            HttpChatwootChecker::new(config).map(Self::Http)
        } else {
            Ok(Self::Disabled(DisabledChatwootChecker))
        }
    }
}

impl From<HttpChatwootChecker> for ConfiguredChecker {
    fn from(checker: HttpChatwootChecker) -> Self {
        Self::Http(checker)
    }
}

impl From<DisabledChatwootChecker> for ConfiguredChecker {
    fn from(checker: DisabledChatwootChecker) -> Self {
        Self::Disabled(checker)
    }
}

impl ChatwootChecker for ConfiguredChecker {
    async fn check(&self, target: &CheckTarget<'_>) -> CheckReport {
        match self {
            Self::Http(checker) => checker.check(target).await,
            Self::Disabled(checker) => checker.check(target).await,
        }
    }

    async fn check_within_timeout(&self, target: &CheckTarget<'_>) -> CheckReport {
        match self {
            Self::Http(checker) => checker.check_within_timeout(target).await,
            Self::Disabled(checker) => checker.check_within_timeout(target).await,
        }
    }

    async fn provision_inbox(
        &self,
        request: &InboxRequest<'_>,
    ) -> Result<ProvisionedInbox, CheckFailure> {
        match self {
            Self::Http(checker) => checker.provision_inbox(request).await,
            Self::Disabled(checker) => checker.provision_inbox(request).await,
        }
    }
}
