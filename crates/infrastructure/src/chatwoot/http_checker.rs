//! The check itself, over HTTP: prove the server is Chatwoot, then ask it
//! about the token, the account and the inbox.

use application::{ChatwootChecker, CheckFailure};
use domain::{HttpUrl, IntegrationSettings};
use reqwest::{Client, StatusCode};

use super::address_policy::{self, Vetted};
use super::answers::{self, Account, Refusal};
use super::client;
use super::config::{human_size, ChatwootCheckConfig};
use super::exchange::{Body, Exchange};

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

    async fn run(&self, settings: &IntegrationSettings) -> Result<(), CheckFailure> {
        let pinned;
        let client = if self.config.refuse_private_addresses {
            let url = settings.chatwoot_url.endpoint(&["api"]);
            match address_policy::vet(&url, self.config.connect_timeout).await? {
                Vetted::IpLiteral => &self.client,
                Vetted::Domain { host, addrs } => {
                    pinned = client::pinned(&self.config, &host, &addrs).map_err(|error| {
                        log::error!(
                            "chatwoot check: could not build a client pinned to {host}: {error}"
                        );
                        CheckFailure::CheckerFault {
                            detail: "its HTTP client could not be built".to_owned(),
                        }
                    })?;
                    &pinned
                }
            }
        } else {
            &self.client
        };
        let exchange = Exchange {
            client,
            config: &self.config,
        };

        let version = self.probe(&exchange, &settings.chatwoot_url).await?;
        let accounts = self.profile(&exchange, settings, &version).await?;
        let account_id = settings.account_id.get();
        if !accounts.iter().any(|account| account.id == account_id) {
            return Err(CheckFailure::AccountNotAccessible {
                account_id,
                accessible: answers::describe_accounts(&accounts),
            });
        }
        match settings.inbox_id {
            Some(_) => self.inbox(&exchange, settings, &version, &accounts).await,
            None => Ok(()),
        }
    }

    /// Step 1, without the token: is this a Chatwoot server, and which one?
    async fn probe(&self, exchange: &Exchange<'_>, base: &HttpUrl) -> Result<String, CheckFailure> {
        let answer = exchange.get(base.endpoint(&["api"]), None).await?;
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

    /// Step 2: does Chatwoot accept the token, and which accounts may its
    /// user act on?
    async fn profile(
        &self,
        exchange: &Exchange<'_>,
        settings: &IntegrationSettings,
        version: &str,
    ) -> Result<Vec<Account>, CheckFailure> {
        let url = settings.chatwoot_url.endpoint(&["api", "v1", "profile"]);
        let answer = exchange.get(url, Some(&settings.access_token)).await?;
        let path = answer.path.clone();
        let status = answer.status;
        if status == StatusCode::UNAUTHORIZED {
            let refusal = refusal_of(answer).await?;
            return Err(token_failure(refusal, version));
        }
        if !status.is_success() {
            return Err(CheckFailure::UnexpectedAnswer {
                path,
                status: status.as_u16(),
            });
        }
        match answer.body().await? {
            Body::TooLarge => Err(CheckFailure::UnexpectedBody {
                path,
                detail: format!("more than {}", human_size(self.config.max_body_bytes)),
            }),
            Body::Complete(body) => answers::profile_accounts(&body)
                .map_err(|detail| CheckFailure::UnexpectedBody { path, detail }),
        }
    }

    /// Step 3: does the inbox exist in the account, and may the user see it?
    async fn inbox(
        &self,
        exchange: &Exchange<'_>,
        settings: &IntegrationSettings,
        version: &str,
        accounts: &[Account],
    ) -> Result<(), CheckFailure> {
        let Some(inbox) = settings.inbox_id else {
            return Ok(());
        };
        let (account_id, inbox_id) = (settings.account_id.get(), inbox.get());
        let (account_segment, inbox_segment) = (account_id.to_string(), inbox_id.to_string());
        let url = settings.chatwoot_url.endpoint(&[
            "api",
            "v1",
            "accounts",
            &account_segment,
            "inboxes",
            &inbox_segment,
        ]);
        let answer = exchange.get(url, Some(&settings.access_token)).await?;
        let status = answer.status;
        if status.is_success() {
            return Ok(());
        }
        match status {
            StatusCode::NOT_FOUND => Err(CheckFailure::InboxNotFound {
                account_id,
                inbox_id,
            }),
            StatusCode::UNAUTHORIZED => match refusal_of(answer).await? {
                Refusal::AccountForbidden => Err(CheckFailure::AccountNotAccessible {
                    account_id,
                    accessible: answers::describe_accounts(accounts),
                }),
                refusal @ (Refusal::InvalidToken | Refusal::BotToken | Refusal::SignIn) => {
                    Err(token_failure(refusal, version))
                }
                Refusal::ActionForbidden | Refusal::Unknown => {
                    Err(CheckFailure::InboxNotAssigned { inbox_id })
                }
            },
            _ => Err(CheckFailure::UnexpectedAnswer {
                path: answer.path,
                status: status.as_u16(),
            }),
        }
    }
}

impl ChatwootChecker for HttpChatwootChecker {
    async fn check(&self, settings: &IntegrationSettings) -> Result<(), CheckFailure> {
        let result = self.run(settings).await;
        match &result {
            Ok(()) => log::debug!(
                "chatwoot check of {} passed",
                settings.chatwoot_url.as_str()
            ),
            Err(failure) => log::debug!(
                "chatwoot check of {} failed: {failure}",
                settings.chatwoot_url.as_str()
            ),
        }
        result
    }
}

async fn refusal_of(answer: super::exchange::Answer<'_>) -> Result<Refusal, CheckFailure> {
    Ok(match answer.body().await? {
        Body::Complete(body) => answers::refusal(Some(&body)),
        Body::TooLarge => answers::refusal(None),
    })
}

fn token_failure(refusal: Refusal, version: &str) -> CheckFailure {
    let version = version.to_owned();
    match refusal {
        Refusal::BotToken => CheckFailure::BotToken { version },
        Refusal::SignIn => CheckFailure::TokenHeaderDropped { version },
        Refusal::InvalidToken
        | Refusal::AccountForbidden
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
