//! The requests of a run in one account, once the server proved to be
//! Chatwoot, and what Chatwoot's refusals mean.

use application::{CheckFailure, Named, NotChatwootAnswer, SecretSeen, Undetermined};
use domain::{IntegrationSettings, SigningSecret};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use super::answers::{self, Account, AgentBot, Inbox, Refusal};
use super::exchange::{Answer, Exchange};
use super::webhook_target;

/// A run against a server that proved to be Chatwoot; `accounts` are the
/// token's user's, once the profile was read.
pub(super) struct Session<'a> {
    pub(super) exchange: Exchange<'a>,
    pub(super) settings: &'a IntegrationSettings,
    pub(super) version: String,
    pub(super) accounts: Vec<Account>,
}

/// Step 2, without the token: is the answer to `GET /api` Chatwoot's, and
/// which version?
pub(super) async fn version(answer: Answer<'_>) -> Result<String, CheckFailure> {
    let path = answer.path.clone();
    if !answer.status.is_success() {
        let found = NotChatwootAnswer::Status {
            code: answer.status.as_u16(),
            reason: answer.status.canonical_reason(),
        };
        return Err(CheckFailure::NotChatwoot { path, found });
    }
    let (content_type, limit_bytes) = (answer.content_type(), answer.limit());
    let found = match answer.body().await? {
        None => NotChatwootAnswer::TooLarge { limit_bytes },
        Some(body) => match answers::version(content_type.as_deref(), &body) {
            Ok(version) => return Ok(version),
            Err(found) => found,
        },
    };
    Err(CheckFailure::NotChatwoot { path, found })
}

impl<'a> Session<'a> {
    /// `/api/v1/accounts/{a}/` and `path`.
    pub(super) fn in_account(&self, path: &[&str]) -> Url {
        let account = self.settings.account_id.get().to_string();
        let segments = [&["api", "v1", "accounts", &account][..], path].concat();
        self.settings.chatwoot_url.endpoint(&segments)
    }

    /// `method url` with the token.
    pub(super) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Answer<'a>, CheckFailure> {
        let token = Some(&self.settings.access_token);
        self.exchange.send(method, url, token, body).await
    }

    /// Step 3: does Chatwoot accept the token, and which accounts may its
    /// user act on?
    pub(super) async fn profile(&self) -> Result<Vec<Account>, CheckFailure> {
        let url = self
            .settings
            .chatwoot_url
            .endpoint(&["api", "v1", "profile"]);
        let answer = self.send(Method::GET, url, None).await?;
        match answer.status {
            StatusCode::UNAUTHORIZED => Err(self.token_failure(refusal_of(answer).await?)),
            status if status.is_success() => answer.json(answers::profile_accounts).await,
            _ => Err(unexpected_status(&answer)),
        }
    }

    /// Step 5: the inbox exists in the account, the user may see it, and it
    /// is an API inbox.
    pub(super) async fn inbox(&self, inbox_id: i64) -> Result<Inbox, CheckFailure> {
        let url = self.in_account(&["inboxes", &inbox_id.to_string()]);
        let answer = self.send(Method::GET, url, None).await?;
        if answer.status == StatusCode::NOT_FOUND {
            let account_id = self.settings.account_id.get();
            return Err(CheckFailure::InboxNotFound {
                account_id,
                inbox_id,
            });
        }
        let not_assigned = CheckFailure::InboxNotAssigned { inbox_id };
        let inbox = self
            .accepted(answer, not_assigned)
            .await?
            .json(answers::inbox)
            .await?;
        if !inbox.is_api() {
            let channel_type = inbox.channel_type;
            return Err(CheckFailure::NotApiInbox {
                inbox_id,
                channel_type,
            });
        }
        Ok(inbox)
    }

    /// The inbox's agent bot, if it has one: with one, Chatwoot opens every
    /// new conversation there as `pending`.
    pub(super) async fn agent_bot(&self, inbox_id: i64) -> Result<Option<AgentBot>, CheckFailure> {
        let url = self.in_account(&["inboxes", &inbox_id.to_string(), "agent_bot"]);
        let answer = self.send(Method::GET, url, None).await?;
        let unexpected = unexpected_status(&answer);
        let answer = self.accepted(answer, unexpected).await?;
        answer.json(answers::agent_bot).await
    }

    /// The answer when it is a success; else Chatwoot's refusal: a 401 as
    /// [`Self::refused`] reads it, any other status unexpected.
    pub(super) async fn accepted(
        &self,
        answer: Answer<'a>,
        otherwise: CheckFailure,
    ) -> Result<Answer<'a>, CheckFailure> {
        match answer.status {
            status if status.is_success() => Ok(answer),
            StatusCode::UNAUTHORIZED => Err(self.refused(answer, otherwise).await),
            _ => Err(unexpected_status(&answer)),
        }
    }

    /// What a 401 to a request in the account means: about the token or the
    /// account when Chatwoot says so, else about the request itself, which
    /// `otherwise` names.
    async fn refused(&self, answer: Answer<'_>, otherwise: CheckFailure) -> CheckFailure {
        let refusal = match refusal_of(answer).await {
            Ok(refusal) => refusal,
            Err(failure) => return failure,
        };
        match refusal {
            Refusal::AccountForbidden => self.not_accessible(),
            Refusal::AccountSuspended => CheckFailure::AccountSuspended {
                account_id: self.settings.account_id.get(),
            },
            Refusal::InvalidToken | Refusal::BotToken | Refusal::SignIn => {
                self.token_failure(refusal)
            }
            Refusal::Other => otherwise,
        }
    }

    fn token_failure(&self, refusal: Refusal) -> CheckFailure {
        let version = self.version.clone();
        match refusal {
            Refusal::BotToken => CheckFailure::BotToken { version },
            Refusal::SignIn => CheckFailure::TokenHeaderDropped { version },
            Refusal::InvalidToken
            | Refusal::AccountForbidden
            | Refusal::AccountSuspended
            | Refusal::Other => CheckFailure::TokenRejected { version },
        }
    }

    /// The account is not one of the user's, who has these.
    pub(super) fn not_accessible(&self) -> CheckFailure {
        CheckFailure::AccountNotAccessible {
            account_id: self.settings.account_id.get(),
            accessible: self
                .accounts
                .iter()
                .map(|account| Named {
                    id: account.id,
                    name: account.name.clone(),
                })
                .collect(),
        }
    }

    /// The `webhookTarget` check of `webhook_url` against this Chatwoot.
    pub(super) async fn webhook_target(
        &self,
        webhook_url: &str,
    ) -> Result<Option<Undetermined>, CheckFailure> {
        webhook_target::judge(self.exchange.config, &self.version, webhook_url).await
    }

    /// What an inbox's JSON showed of its signing secret, and why not.
    pub(super) fn secret_seen(&self, shown: Option<SigningSecret>) -> SecretSeen {
        SecretSeen::of(shown, &self.version, self.role())
    }

    /// The token's role in the settings' account, as the profile gave it.
    pub(super) fn role(&self) -> Option<&str> {
        let account_id = self.settings.account_id.get();
        self.accounts
            .iter()
            .find(|account| account.id == account_id)
            .and_then(|account| account.role.as_deref())
    }
}

async fn refusal_of(answer: Answer<'_>) -> Result<Refusal, CheckFailure> {
    Ok(answers::refusal(answer.body().await?.as_deref()))
}

fn unexpected_status(answer: &Answer<'_>) -> CheckFailure {
    CheckFailure::UnexpectedAnswer {
        method: answer.method,
        path: answer.path.clone(),
        status: answer.status.as_u16(),
    }
}
