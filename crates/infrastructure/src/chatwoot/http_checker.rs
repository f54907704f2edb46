//! The check itself, over HTTP: prove the server is Chatwoot, then ask it
//! about the token, the account, the inbox and its webhook.

use application::{
    ChatwootChecker, CheckFailure, CheckName, CheckReport, CheckTarget, InboxRequest,
    ProvisionedInbox, SecretSeen, StepOutcome, Undetermined,
};
use domain::{HttpUrl, InboxId, IntegrationSettings, SigningSecret, StartConversationAs};
use reqwest::{Client, StatusCode};
use url::Url;

use super::address_policy::{self, Vetted};
use super::answers::{self, Account, AgentBot, Inbox, Refusal};
use super::client;
use super::config::{human_size, ChatwootCheckConfig};
use super::exchange::{Answer, Body, Exchange};
use super::webhook_target;

/// Checks settings against the Chatwoot server they name.
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

impl HttpChatwootChecker {
    pub fn new(config: ChatwootCheckConfig) -> Result<Self, CheckerBuildError> {
        if config.connect_timeout.is_zero() {
            return Err(CheckerBuildError::ZeroBound("connect timeout"));
        }
        if config.timeout.is_zero() {
            return Err(CheckerBuildError::ZeroBound("timeout"));
        }
        if config.max_body_bytes == 0 {
            return Err(CheckerBuildError::ZeroBound("body size limit"));
        }
        let client = client::shared(&config).map_err(CheckerBuildError::Client)?;
        Ok(Self { client, config })
    }

    pub fn config(&self) -> &ChatwootCheckConfig {
        &self.config
    }

    /// The client of one run: the shared one, or, when private addresses
    /// are refused, one pinned to the addresses just vetted.
    async fn exchange(&self, base: &HttpUrl) -> Result<Exchange<'_>, CheckFailure> {
        let client = if self.config.refuse_private_addresses {
            let url = base.endpoint(&["api"]);
            match address_policy::vet(&url, self.config.connect_timeout).await? {
                Vetted::IpLiteral => self.client.clone(),
                Vetted::Domain { host, addrs } => client::pinned(&self.config, &host, &addrs)
                    .map_err(|error| {
                        log::error!(
                            "chatwoot check: could not build a client pinned to {host}: {error}"
                        );
                        CheckFailure::CheckerFault {
                            detail: "its HTTP client could not be built".to_owned(),
                        }
                    })?,
            }
        } else {
            self.client.clone()
        };
        Ok(Exchange {
            client,
            config: &self.config,
            chatwoot_url: base.as_str().to_owned(),
        })
    }

    /// The checks up to the account, each recorded in `report` once passed:
    /// what both the check and provisioning start with.
    pub(super) async fn open(
        &self,
        settings: &IntegrationSettings,
        report: &mut CheckReport,
    ) -> Result<Session<'_>, StepFailure> {
        let exchange = self
            .exchange(&settings.chatwoot_url)
            .await
            .map_err(at(CheckName::Reachable))?;
        let api = settings.chatwoot_url.endpoint(&["api"]);
        let answer = match exchange.get(api, None).await {
            Ok(answer) => answer,
            // It answered, just not as Chatwoot does, or not yet.
            Err(answered @ (CheckFailure::Redirected { .. } | CheckFailure::Throttled { .. })) => {
                report.pass(CheckName::Reachable);
                return Err((CheckName::Chatwoot, answered));
            }
            Err(failure) => return Err((CheckName::Reachable, failure)),
        };
        report.pass(CheckName::Reachable);

        let version = self
            .version(answer)
            .await
            .map_err(at(CheckName::Chatwoot))?;
        report.set_version(version.clone());
        report.pass(CheckName::Chatwoot);

        let accounts = self
            .profile(&exchange, settings, &version)
            .await
            .map_err(at(CheckName::Token))?;
        report.pass(CheckName::Token);

        let account_id = settings.account_id.get();
        match accounts.iter().find(|account| account.id == account_id) {
            None => {
                return Err((
                    CheckName::Account,
                    CheckFailure::AccountNotAccessible {
                        account_id,
                        accessible: answers::describe_accounts(&accounts),
                    },
                ))
            }
            Some(account) if account.suspended => {
                return Err((
                    CheckName::Account,
                    CheckFailure::AccountSuspended { account_id },
                ))
            }
            Some(_) => report.pass(CheckName::Account),
        }
        Ok(Session {
            exchange,
            version,
            accounts,
        })
    }

    async fn run(
        &self,
        target: &CheckTarget<'_>,
        report: &mut CheckReport,
    ) -> Result<(), StepFailure> {
        let settings = target.settings;
        let session = self.open(settings, report).await?;
        if let Some(inbox_id) = settings.inbox_id {
            let inbox = self
                .inbox(&session, settings, inbox_id.get())
                .await
                .map_err(at(CheckName::Inbox))?;
            if !inbox.is_api() {
                return Err((
                    CheckName::Inbox,
                    CheckFailure::NotApiInbox {
                        inbox_id: inbox_id.get(),
                        channel_type: inbox.channel_type,
                    },
                ));
            }
            report.pass(CheckName::Inbox);
            report.see_signing_secret(session.secret_seen(settings, inbox.signing_secret.clone()));

            if let Some(expected) = target.expected_webhook {
                webhook_matches(&inbox, expected).map_err(at(CheckName::Webhook))?;
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
        let Some(inbox_id) = settings.inbox_id else {
            return Ok(());
        };
        let bot = self
            .agent_bot(&session, settings, inbox_id.get())
            .await
            .map_err(at(CheckName::AgentBot))?;
        match bot {
            Some(bot) if settings.options.start_conversation_as == StartConversationAs::Open => {
                Err((
                    CheckName::AgentBot,
                    CheckFailure::AgentBotForcesPending {
                        inbox_id: inbox_id.get(),
                        bot: bot.describe(),
                    },
                ))
            }
            _ => {
                report.pass(CheckName::AgentBot);
                Ok(())
            }
        }
    }

    /// The inbox's agent bot, if it has one: with one, Chatwoot opens every
    /// new conversation there as `pending`.
    async fn agent_bot(
        &self,
        session: &Session<'_>,
        settings: &IntegrationSettings,
        inbox_id: i64,
    ) -> Result<Option<AgentBot>, CheckFailure> {
        let url = settings.chatwoot_url.endpoint(&[
            "api",
            "v1",
            "accounts",
            &settings.account_id.get().to_string(),
            "inboxes",
            &inbox_id.to_string(),
            "agent_bot",
        ]);
        let answer = session
            .exchange
            .get(url, Some(&settings.access_token))
            .await?;
        if answer.status.is_success() {
            return self.read(answer, answers::agent_bot).await;
        }
        let unexpected = unexpected_status(&answer);
        if answer.status == StatusCode::UNAUTHORIZED {
            return Err(session.refused(answer, settings, || unexpected).await);
        }
        Err(unexpected)
    }

    /// Step 2, without the token: is the answer to `GET /api` Chatwoot's,
    /// and which version?
    async fn version(&self, answer: Answer<'_>) -> Result<String, CheckFailure> {
        let path = answer.path.clone();
        if !answer.status.is_success() {
            return Err(CheckFailure::NotChatwoot {
                path,
                detail: format!("answered HTTP {}", status_text(answer.status)),
            });
        }
        let content_type = answer.content_type();
        match answer.body().await? {
            Body::TooLarge => Err(CheckFailure::NotChatwoot {
                path,
                detail: format!(
                    "answered more than {}",
                    human_size(self.config.max_body_bytes)
                ),
            }),
            Body::Complete(body) => answers::version(content_type.as_deref(), &body)
                .map_err(|detail| CheckFailure::NotChatwoot { path, detail }),
        }
    }

    /// Step 3: does Chatwoot accept the token, and which accounts may its
    /// user act on?
    async fn profile(
        &self,
        exchange: &Exchange<'_>,
        settings: &IntegrationSettings,
        version: &str,
    ) -> Result<Vec<Account>, CheckFailure> {
        let url = settings.chatwoot_url.endpoint(&["api", "v1", "profile"]);
        let answer = exchange.get(url, Some(&settings.access_token)).await?;
        let status = answer.status;
        if status == StatusCode::UNAUTHORIZED {
            let refusal = refusal_of(answer).await?;
            return Err(token_failure(refusal, version));
        }
        if !status.is_success() {
            return Err(unexpected_status(&answer));
        }
        self.read(answer, answers::profile_accounts).await
    }

    /// Step 5: does the inbox exist in the account, and may the user see it?
    async fn inbox(
        &self,
        session: &Session<'_>,
        settings: &IntegrationSettings,
        inbox_id: i64,
    ) -> Result<Inbox, CheckFailure> {
        let url = inboxes_endpoint(settings, Some(inbox_id));
        let answer = session
            .exchange
            .get(url, Some(&settings.access_token))
            .await?;
        match answer.status {
            status if status.is_success() => self.read(answer, answers::inbox).await,
            StatusCode::NOT_FOUND => Err(CheckFailure::InboxNotFound {
                account_id: settings.account_id.get(),
                inbox_id,
            }),
            StatusCode::UNAUTHORIZED => Err(session
                .refused(answer, settings, || CheckFailure::InboxNotAssigned {
                    inbox_id,
                })
                .await),
            _ => Err(unexpected_status(&answer)),
        }
    }

    /// The body of a successful answer, as `parse` reads it.
    pub(super) async fn read<T>(
        &self,
        answer: Answer<'_>,
        parse: fn(&[u8]) -> Result<T, String>,
    ) -> Result<T, CheckFailure> {
        let (method, path) = (answer.method, answer.path.clone());
        match answer.body().await? {
            Body::TooLarge => Err(CheckFailure::UnexpectedBody {
                method,
                path,
                detail: format!("more than {}", human_size(self.config.max_body_bytes)),
            }),
            Body::Complete(body) => parse(&body).map_err(|detail| CheckFailure::UnexpectedBody {
                method,
                path,
                detail,
            }),
        }
    }
}

/// A run against a server that proved to be Chatwoot and accepted the token
/// for the account.
pub(super) struct Session<'a> {
    pub(super) exchange: Exchange<'a>,
    pub(super) version: String,
    pub(super) accounts: Vec<Account>,
}

impl Session<'_> {
    /// The `webhookTarget` check of `webhook_url` against this Chatwoot.
    pub(super) async fn webhook_target(
        &self,
        webhook_url: &str,
    ) -> Result<Option<Undetermined>, CheckFailure> {
        webhook_target::judge(self.exchange.config, &self.version, webhook_url).await
    }

    /// What an inbox's JSON showed of its signing secret, and why not.
    pub(super) fn secret_seen(
        &self,
        settings: &IntegrationSettings,
        shown: Option<SigningSecret>,
    ) -> SecretSeen {
        SecretSeen::of(shown, &self.version, self.role_in(settings).as_deref())
    }

    /// The token's role in the settings' account, as the profile gave it.
    pub(super) fn role_in(&self, settings: &IntegrationSettings) -> Option<String> {
        let account_id = settings.account_id.get();
        self.accounts
            .iter()
            .find(|account| account.id == account_id)
            .and_then(|account| account.role.clone())
    }

    /// What a 401 to a request in the account means: about the token or the
    /// account when Chatwoot says so, else about the request itself
    /// (`You are not authorized to do this action`, or an unknown text),
    /// which `otherwise` names.
    pub(super) async fn refused(
        &self,
        answer: Answer<'_>,
        settings: &IntegrationSettings,
        otherwise: impl FnOnce() -> CheckFailure,
    ) -> CheckFailure {
        let refusal = match refusal_of(answer).await {
            Ok(refusal) => refusal,
            Err(failure) => return failure,
        };
        match refusal {
            Refusal::AccountForbidden => CheckFailure::AccountNotAccessible {
                account_id: settings.account_id.get(),
                accessible: answers::describe_accounts(&self.accounts),
            },
            Refusal::AccountSuspended => CheckFailure::AccountSuspended {
                account_id: settings.account_id.get(),
            },
            Refusal::InvalidToken | Refusal::BotToken | Refusal::SignIn => {
                token_failure(refusal, &self.version)
            }
            Refusal::ActionForbidden | Refusal::Unknown => otherwise(),
        }
    }
}

/// Whether the run of `target` has `name` to do: the inbox's checks need
/// an inbox, the webhook's a template; the signature is the application's.
fn applies(target: &CheckTarget<'_>, name: CheckName) -> bool {
    let inbox = target.settings.inbox_id.is_some();
    let template = target.expected_webhook.is_some();
    match name {
        CheckName::Inbox | CheckName::AgentBot => inbox,
        CheckName::Webhook => inbox && template,
        CheckName::WebhookTarget => template,
        CheckName::Signature => false,
        _ => true,
    }
}

/// The check that failed, and why.
pub(super) type StepFailure = (CheckName, CheckFailure);

fn at(name: CheckName) -> impl FnOnce(CheckFailure) -> StepFailure {
    move |failure| (name, failure)
}

/// Step 6: the inbox sends replies to the instance's URL, exactly.
fn webhook_matches(inbox: &Inbox, expected: &str) -> Result<(), CheckFailure> {
    if inbox.webhook_url.as_deref() == Some(expected) {
        return Ok(());
    }
    Err(CheckFailure::WebhookMismatch {
        inbox_id: inbox.id.get(),
        found: inbox.webhook_url.clone(),
        expected: expected.to_owned(),
    })
}

/// `/api/v1/accounts/{a}/inboxes`, or `/{i}` of it.
pub(super) fn inboxes_endpoint(settings: &IntegrationSettings, inbox_id: Option<i64>) -> Url {
    let account = settings.account_id.get().to_string();
    let inbox = inbox_id.map(|id| id.to_string()).unwrap_or_default();
    settings
        .chatwoot_url
        .endpoint(&["api", "v1", "accounts", &account, "inboxes", &inbox])
}

impl HttpChatwootChecker {
    /// The report of a run that `run` ended, with its failure, if any.
    fn conclude(
        target: &CheckTarget<'_>,
        mut report: CheckReport,
        ran: Result<(), StepFailure>,
    ) -> CheckReport {
        let url = target.settings.chatwoot_url.as_str();
        match ran {
            Ok(()) => log::debug!("chatwoot check of {url} passed"),
            Err((name, failure)) => {
                log::debug!(
                    "chatwoot check of {url} failed at {}: {failure:?}",
                    name.as_str()
                );
                report.fail(name, failure);
            }
        }
        report
    }
}

impl ChatwootChecker for HttpChatwootChecker {
    async fn check(&self, target: &CheckTarget<'_>) -> CheckReport {
        let mut report = CheckReport::new();
        let ran = self.run(target, &mut report).await;
        Self::conclude(target, report, ran)
    }

    /// Each request has the timeout on its own, so a run of four could
    /// take four times as long; here the run as a whole has it. Checks pass
    /// into the report as they pass, so when time is up the first one not
    /// passed is the one under way.
    async fn check_within_timeout(&self, target: &CheckTarget<'_>) -> CheckReport {
        let mut report = CheckReport::new();
        let bounded =
            tokio::time::timeout(self.config.timeout, self.run(target, &mut report)).await;
        let ran = bounded.unwrap_or_else(|_| {
            let under_way = CheckName::ALL
                .into_iter()
                .find(|&name| applies(target, name) && *report.outcome(name) == StepOutcome::NotRun)
                .unwrap_or(CheckName::Reachable);
            let timeout_ms = self.config.timeout_ms();
            if under_way == CheckName::WebhookTarget {
                // Resolving the webhook's host, not waiting for Chatwoot.
                let host = target
                    .expected_webhook
                    .and_then(|url| Url::parse(url).ok())
                    .and_then(|url| url.host_str().map(str::to_owned))
                    .unwrap_or_default();
                let unknown = Undetermined::LookupTimedOut { host, timeout_ms };
                report.undetermined(CheckName::WebhookTarget, unknown);
                return Ok(());
            }
            Err((under_way, CheckFailure::TimedOut { timeout_ms }))
        });
        Self::conclude(target, report, ran)
    }

    async fn provision_inbox(
        &self,
        request: &InboxRequest<'_>,
    ) -> Result<ProvisionedInbox, CheckFailure> {
        let result = self.provision(request).await;
        let url = request.settings.chatwoot_url.as_str();
        match &result {
            Ok(inbox) => log::debug!("chatwoot inbox of {url}: {}", inbox.id.get()),
            Err(failure) => log::debug!("chatwoot inbox of {url} not provided: {failure:?}"),
        }
        result
    }

    async fn point_webhook(
        &self,
        request: &InboxRequest<'_>,
        inbox: InboxId,
    ) -> Result<(), CheckFailure> {
        let result = self.point(request, inbox).await;
        if let Err(failure) = &result {
            let url = request.settings.chatwoot_url.as_str();
            log::debug!(
                "webhook of chatwoot inbox {} of {url} not changed: {failure:?}",
                inbox.get()
            );
        }
        result
    }
}

async fn refusal_of(answer: Answer<'_>) -> Result<Refusal, CheckFailure> {
    Ok(match answer.body().await? {
        Body::Complete(body) => answers::refusal(Some(&body)),
        Body::TooLarge => answers::refusal(None),
    })
}

pub(super) fn unexpected_status(answer: &Answer<'_>) -> CheckFailure {
    CheckFailure::UnexpectedAnswer {
        method: answer.method,
        path: answer.path.clone(),
        status: answer.status.as_u16(),
    }
}

fn token_failure(refusal: Refusal, version: &str) -> CheckFailure {
    let version = version.to_owned();
    match refusal {
        Refusal::BotToken => CheckFailure::BotToken { version },
        Refusal::SignIn => CheckFailure::TokenHeaderDropped { version },
        Refusal::InvalidToken
        | Refusal::AccountForbidden
        | Refusal::AccountSuspended
        | Refusal::ActionForbidden
        | Refusal::Unknown => CheckFailure::TokenRejected { version },
    }
}

fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}
