//! The check itself, over HTTP: prove the server is Chatwoot, then ask it
//! about the token, the account, the inbox and its webhook.

use std::sync::Arc;

use application::{
    ChatwootChecker, CheckFailure, CheckName, CheckReport, CheckTarget, Deadline, StepOutcome,
    Undetermined,
};
use domain::{InboxId, IntegrationSettings, StartConversationAs};
use reqwest::{redirect, Client, Method};
use url::Url;

use super::address_policy::{self, PublicOnly};
use super::config::{millis, ChatwootCheckConfig};
use super::exchange::Exchange;
use super::session::{self, Session};

const USER_AGENT: &str = concat!(
    "chatwoot-integration/",
    env!("CARGO_PKG_VERSION"),
    " (settings check)"
);

/// Checks settings against the Chatwoot server they name, and finds or
/// creates inboxes there: both Chatwoot ports over one HTTP client.
#[derive(Debug, Clone)]
pub struct HttpChatwootChecker {
    client: Client,
    config: ChatwootCheckConfig,
}

/// Why the checker could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CheckerBuildError {
    /// A zero bound would fail every check, or none.
    #[error("the Chatwoot check's {0} must be greater than zero")]
    ZeroBound(&'static str),
    #[error("the HTTP client of the Chatwoot check could not be built: {0}")]
    Client(#[source] reqwest::Error),
}

/// The check that failed, and why.
pub(super) type StepFailure = (CheckName, CheckFailure);

fn at(name: CheckName) -> impl FnOnce(CheckFailure) -> StepFailure {
    move |failure| (name, failure)
}

impl HttpChatwootChecker {
    pub fn new(config: ChatwootCheckConfig) -> Result<Self, CheckerBuildError> {
        let zero = [
            (config.connect_timeout.is_zero(), "connect timeout"),
            (config.timeout.is_zero(), "timeout"),
            (config.max_body_bytes == 0, "body size limit"),
        ];
        if let Some((_, bound)) = zero.into_iter().find(|(zero, _)| *zero) {
            return Err(CheckerBuildError::ZeroBound(bound));
        }
        let builder = Client::builder()
            // A redirect could carry the token to a host that never proved
            // to be Chatwoot; the user is told where it points instead.
            .redirect(redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(USER_AGENT)
            // An HTTP(S)_PROXY meant for other traffic must not see the
            // token or answer in Chatwoot's place.
            .no_proxy();
        let builder = if config.refuse_private_addresses {
            builder.dns_resolver(Arc::new(PublicOnly))
        } else {
            builder
        };
        let client = builder.build().map_err(CheckerBuildError::Client)?;
        Ok(Self { client, config })
    }

    /// The checks up to the account, each recorded in `report` once passed:
    /// what both the check and provisioning start with.
    pub(super) async fn open<'a>(
        &'a self,
        settings: &'a IntegrationSettings,
        report: &mut CheckReport,
    ) -> Result<Session<'a>, StepFailure> {
        let api = settings.chatwoot_url.endpoint(&["api"]);
        if self.config.refuse_private_addresses {
            address_policy::vet_literal(&api).map_err(at(CheckName::Reachable))?;
        }
        let exchange = Exchange {
            client: &self.client,
            config: &self.config,
            chatwoot_url: settings.chatwoot_url.as_str().to_owned(),
        };
        let answer = match exchange.send(Method::GET, api, None, None).await {
            Ok(answer) => answer,
            // It answered, just not as Chatwoot does, or not yet.
            Err(answered @ (CheckFailure::Redirected { .. } | CheckFailure::Throttled { .. })) => {
                report.pass(CheckName::Reachable);
                return Err((CheckName::Chatwoot, answered));
            }
            Err(failure) => return Err((CheckName::Reachable, failure)),
        };
        report.pass(CheckName::Reachable);

        let version = session::version(answer)
            .await
            .map_err(at(CheckName::Chatwoot))?;
        report.set_version(version.clone());
        report.pass(CheckName::Chatwoot);

        let mut session = Session {
            exchange,
            settings,
            version,
            accounts: Vec::new(),
        };
        session.accounts = session.profile().await.map_err(at(CheckName::Token))?;
        report.pass(CheckName::Token);

        let account_id = settings.account_id.get();
        let failure = match session.accounts.iter().find(|a| a.id == account_id) {
            Some(account) if !account.suspended => {
                report.pass(CheckName::Account);
                return Ok(session);
            }
            Some(_) => CheckFailure::AccountSuspended { account_id },
            None => session.not_accessible(),
        };
        Err((CheckName::Account, failure))
    }

    async fn run(
        &self,
        target: &CheckTarget<'_>,
        report: &mut CheckReport,
    ) -> Result<(), StepFailure> {
        let session = self.open(target.settings, report).await?;
        let inbox_id = target.settings.inbox_id.map(InboxId::get);
        if let Some(inbox_id) = inbox_id {
            let inbox = session
                .inbox(inbox_id)
                .await
                .map_err(at(CheckName::Inbox))?;
            report.pass(CheckName::Inbox);
            report.see_signing_secret(session.secret_seen(inbox.signing_secret.clone()));
            if let Some(expected) = target.expected_webhook {
                inbox.sends_to(expected).map_err(at(CheckName::Webhook))?;
                report.pass(CheckName::Webhook);
            }
        }
        if let Some(expected) = target.expected_webhook {
            // Does not need the inbox: the URL is the one any inbox of the
            // instance must call.
            match session.webhook_target(expected).await {
                Ok(None) => report.pass(CheckName::WebhookTarget),
                Ok(Some(unknown)) => report.undetermined(CheckName::WebhookTarget, unknown),
                Err(failure) => return Err((CheckName::WebhookTarget, failure)),
            }
        }
        let Some(inbox_id) = inbox_id else {
            return Ok(());
        };
        let bot = session.agent_bot(inbox_id).await;
        let open = target.settings.options.start_conversation_as == StartConversationAs::Open;
        if let Some(bot) = bot.map_err(at(CheckName::AgentBot))?.filter(|_| open) {
            let bot = bot.named();
            let forced = CheckFailure::AgentBotForcesPending { inbox_id, bot };
            return Err((CheckName::AgentBot, forced));
        }
        report.pass(CheckName::AgentBot);
        Ok(())
    }
}

impl ChatwootChecker for HttpChatwootChecker {
    /// Checks pass into the report as they pass, so when the deadline
    /// comes the first one not passed is the one under way.
    async fn check(&self, target: &CheckTarget<'_>, deadline: Option<Deadline>) -> CheckReport {
        let mut report = CheckReport::new();
        let ran = match deadline {
            None => self.run(target, &mut report).await,
            Some(deadline) => {
                let until = tokio::time::Instant::from_std(deadline.at);
                match tokio::time::timeout_at(until, self.run(target, &mut report)).await {
                    Ok(ran) => ran,
                    Err(_) => cut_short(target, &mut report, deadline),
                }
            }
        };
        let url = target.settings.chatwoot_url.as_str();
        match ran {
            Ok(()) => log::debug!("chatwoot check of {url} passed"),
            Err((name, failure)) => {
                log::debug!("chatwoot check of {url} failed at {name:?}: {failure:?}");
                report.fail(name, failure);
            }
        }
        report
    }
}

/// The end of a run the deadline cut short: the check under way failed.
fn cut_short(
    target: &CheckTarget<'_>,
    report: &mut CheckReport,
    deadline: Deadline,
) -> Result<(), StepFailure> {
    let under_way = CheckName::ALL
        .into_iter()
        .find(|&name| target.runs(name) && *report.outcome(name) == StepOutcome::NotRun)
        .unwrap_or(CheckName::Reachable);
    let timeout_ms = millis(deadline.budget);
    if under_way != CheckName::WebhookTarget {
        return Err((under_way, CheckFailure::TimedOut { timeout_ms }));
    }
    // Resolving the webhook's host, not waiting for Chatwoot.
    let host = target
        .expected_webhook
        .and_then(|url| Url::parse(url).ok())
        .and_then(|url| url.host_str().map(str::to_owned))
        .unwrap_or_default();
    let unknown = Undetermined::LookupTimedOut { host, timeout_ms };
    report.undetermined(CheckName::WebhookTarget, unknown);
    Ok(())
}
