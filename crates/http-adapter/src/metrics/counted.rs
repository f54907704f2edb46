//! The Chatwoot ports with each run's outcome counted where it runs, in
//! `chatwoot_checks_total`.

use actix_web::web;
use application::{
    ChatwootChecker, CheckFailure, CheckReport, CheckTarget, Deadline, InboxProvisioner,
    InboxRequest, ProvisionedInbox,
};
use domain::InboxId;

use super::{labels, Metrics};

/// Wraps a Chatwoot port and counts the outcome of every run it makes:
/// `ok` when no check failed, else the first failure's label. A skipped
/// check is no run. Without metrics it only passes the calls on.
#[derive(Debug, Clone)]
pub struct Counted<T> {
    inner: T,
    metrics: Option<web::Data<Metrics>>,
}

impl<T> Counted<T> {
    pub fn new(inner: T, metrics: Option<web::Data<Metrics>>) -> Self {
        Self { inner, metrics }
    }

    fn count(&self, failure: Option<&CheckFailure>) {
        if let Some(metrics) = &self.metrics {
            metrics.count_check(failure.map_or(labels::CHECK_OK, labels::check_failure));
        }
    }
}

impl<C: ChatwootChecker> ChatwootChecker for Counted<C> {
    async fn check(&self, target: &CheckTarget<'_>, deadline: Option<Deadline>) -> CheckReport {
        let report = self.inner.check(target, deadline).await;
        if report.healthy().is_some() {
            self.count(report.failures().next().map(|(_, failure)| failure));
        }
        report
    }
}

impl<P: InboxProvisioner> InboxProvisioner for Counted<P> {
    async fn provision_inbox(
        &self,
        request: &InboxRequest<'_>,
    ) -> Result<ProvisionedInbox, CheckFailure> {
        let provided = self.inner.provision_inbox(request).await;
        self.count(provided.as_ref().err());
        provided
    }

    async fn point_webhook(
        &self,
        request: &InboxRequest<'_>,
        inbox: InboxId,
    ) -> Result<(), CheckFailure> {
        let pointed = self.inner.point_webhook(request, inbox).await;
        self.count(pointed.as_ref().err());
        pointed
    }
}

#[cfg(test)]
mod tests {
    use application::CheckName;
    use domain::{
        AccountId, ChatwootAccessToken, HttpUrl, IntegrationOptions, IntegrationSettings,
    };

    use super::*;
    use crate::metrics::PoolStats;

    /// Answers every check with its report.
    struct Answering(CheckReport);

    impl ChatwootChecker for Answering {
        async fn check(&self, _: &CheckTarget<'_>, _: Option<Deadline>) -> CheckReport {
            self.0.clone()
        }
    }

    async fn counted_after(reports: Vec<CheckReport>) -> String {
        let metrics = web::Data::new(Metrics::new(Box::new(PoolStats::default)));
        let settings = IntegrationSettings {
            enabled: true,
            account_id: AccountId::new(1).expect("positive"),
            inbox_id: None,
            chatwoot_url: HttpUrl::parse("https://chat.example.com").expect("a URL"),
            access_token: ChatwootAccessToken::parse("token").expect("a token"),
            n8n_webhook: None,
            options: IntegrationOptions::default(),
        };
        let target = CheckTarget {
            settings: &settings,
            expected_webhook: None,
        };
        for report in reports {
            let counted = Counted::new(Answering(report.clone()), Some(metrics.clone()));
            assert_eq!(counted.check(&target, None).await, report, "passed on");
        }
        metrics.encode().expect("encodes")
    }

    #[actix_web::test]
    async fn each_run_counts_its_first_failure_or_ok_and_a_skipped_one_nothing() {
        let mut passed = CheckReport::new();
        passed.pass(CheckName::Reachable);
        let mut rejected = passed.clone();
        let version = "4.1.0".to_owned();
        rejected.fail(CheckName::Token, CheckFailure::TokenRejected { version });

        let text = counted_after(vec![
            passed.clone(),
            passed,
            rejected,
            CheckReport::skipped(),
        ])
        .await;

        let ok = "chatwoot_checks_total{outcome=\"ok\"} 2\n";
        assert!(text.contains(ok), "{text}");
        let rejected = "chatwoot_checks_total{outcome=\"token_rejected\"} 1\n";
        assert!(text.contains(rejected), "{text}");
        assert_eq!(text.matches("chatwoot_checks_total{").count(), 2, "{text}");
    }

    #[actix_web::test]
    async fn a_skipped_run_alone_counts_nothing() {
        let text = counted_after(vec![CheckReport::skipped()]).await;
        assert!(!text.contains("chatwoot_checks_total{"), "{text}");
    }
}
