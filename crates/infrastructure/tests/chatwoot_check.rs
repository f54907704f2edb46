//! The Chatwoot check against a server answering as Chatwoot's code does,
//! one case per setting or answer, with the step each one stops at.

#[path = "chatwoot_support/mod.rs"]
mod support;

use application::{BodyFound, CheckFailure, CheckName, NotChatwootAnswer, StepOutcome};
use chatwoot_double::ChatwootDouble;
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;

/// One check: the settings, what Chatwoot answers on top of the double's
/// defaults, and what the check must find.
struct Case {
    name: &'static str,
    /// The path part of `chatwootURL`; the double is served under it.
    url_path: &'static str,
    /// Serve the double at the root even when `url_path` has a path.
    double_at_root: bool,
    token: &'static str,
    account: i64,
    inbox: Option<i64>,
    webhook: Option<&'static str>,
    setup: fn(&ChatwootDouble),
    answers: Vec<(&'static str, &'static str, ResponseTemplate)>,
    /// The check that fails, its failure, how its message starts and what
    /// else it says; `None` when every check that applies passes.
    failure: Option<(CheckName, CheckFailure)>,
    starts: &'static str,
    says: &'static [&'static str],
    version: Option<&'static str>,
    /// `METHOD /path`, in order.
    requests: &'static [&'static str],
}

impl Case {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            url_path: "",
            double_at_root: false,
            token: TOKEN,
            account: ACCOUNT,
            inbox: None,
            webhook: None,
            setup: |_| {},
            answers: Vec::new(),
            failure: None,
            starts: "",
            says: &[],
            version: Some(VERSION),
            requests: &[],
        }
    }

    fn token(self, token: &'static str) -> Self {
        Self { token, ..self }
    }

    fn account(self, account: i64) -> Self {
        Self { account, ..self }
    }

    fn inbox(self, inbox: i64) -> Self {
        Self {
            inbox: Some(inbox),
            ..self
        }
    }

    fn webhook(self, webhook: &'static str) -> Self {
        Self {
            webhook: Some(webhook),
            ..self
        }
    }

    fn url_path(self, url_path: &'static str) -> Self {
        Self { url_path, ..self }
    }

    /// Serves the double at the root, so `url_path` leads nowhere.
    fn double_at_root(self) -> Self {
        Self {
            double_at_root: true,
            ..self
        }
    }

    fn setup(self, setup: fn(&ChatwootDouble)) -> Self {
        Self { setup, ..self }
    }

    /// Chatwoot answers `verb at` with `answer` instead.
    fn answer(mut self, verb: &'static str, at: &'static str, answer: ResponseTemplate) -> Self {
        self.answers.push((verb, at, answer));
        self
    }

    fn fails(
        self,
        step: CheckName,
        failure: CheckFailure,
        starts: &'static str,
        says: &'static [&'static str],
    ) -> Self {
        Self {
            failure: Some((step, failure)),
            starts,
            says,
            ..self
        }
    }

    fn version(self, version: Option<&'static str>) -> Self {
        Self { version, ..self }
    }

    fn requests(self, requests: &'static [&'static str]) -> Self {
        Self { requests, ..self }
    }

    /// Whether the checker runs `step` for these settings (the signature
    /// is judged by the application, never by the checker).
    fn applies(&self, step: CheckName) -> bool {
        match step {
            CheckName::Inbox | CheckName::AgentBot => self.inbox.is_some(),
            CheckName::Webhook => self.inbox.is_some() && self.webhook.is_some(),
            CheckName::WebhookTarget => self.webhook.is_some(),
            CheckName::Signature => false,
            _ => true,
        }
    }

    fn expected(&self, step: CheckName) -> StepOutcome {
        match &self.failure {
            _ if !self.applies(step) => StepOutcome::NotRun,
            Some((failed, failure)) if step == *failed => StepOutcome::Failed(failure.clone()),
            Some((failed, _)) if step < *failed && self.applies(step) => StepOutcome::Passed,
            None if self.applies(step) => StepOutcome::Passed,
            _ => StepOutcome::NotRun,
        }
    }

    async fn run(self) {
        let name = self.name;
        let prefix = if self.double_at_root {
            ""
        } else {
            self.url_path.trim_end_matches('/')
        };
        let double = chatwoot_under(prefix).await;
        (self.setup)(&double);
        mount_answers(double.server(), &self.answers).await;
        let url = format!("{}{}", double.server().uri(), self.url_path);
        let settings = settings_with_token(&url, self.token, self.account, self.inbox);

        let report = report(&checker(), &settings, self.webhook).await;

        for (step, outcome) in report.steps() {
            assert_eq!(outcome, &self.expected(step), "{name}: {}", step.as_str());
        }
        assert_eq!(report.healthy(), Some(self.failure.is_none()), "{name}");
        assert_eq!(report.chatwoot_version(), self.version, "{name}");
        if let Some((_, failure)) = &self.failure {
            assert_message(name, failure, self.starts, self.says, self.token);
        }
        let received = requests_received(double.server()).await;
        assert_eq!(received, self.requests, "{name}");
        // Only a server that proved to be Chatwoot gets the token.
        let with_token = paths_that_got_the_token(double.server()).await;
        let expected_with_token: Vec<String> = received
            .iter()
            .filter(|request| !request.ends_with("/api"))
            .map(|request| request.split_once(' ').map_or("", |(_, p)| p).to_owned())
            .collect();
        assert_eq!(with_token, expected_with_token, "{name}");
    }
}

const PROFILE: &[&str] = &["GET /api", "GET /api/v1/profile"];
const INBOX_3: &[&str] = &[
    "GET /api",
    "GET /api/v1/profile",
    "GET /api/v1/accounts/12/inboxes/3",
];
const INBOX_3_AND_BOT: &[&str] = &[
    "GET /api",
    "GET /api/v1/profile",
    "GET /api/v1/accounts/12/inboxes/3",
    "GET /api/v1/accounts/12/inboxes/3/agent_bot",
];

fn html(body: &'static str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "text/html")
}

#[tokio::test]
async fn settings_chatwoot_accepts_pass_every_check_that_applies() {
    let cases = [
        Case::new("without an inbox, only the profile gets the token").requests(PROFILE),
        Case::new("an inbox of the administrator's account")
            .inbox(INBOX)
            .requests(INBOX_3_AND_BOT),
        Case::new("an inbox the agent is assigned to")
            .token(AGENT_TOKEN)
            .inbox(INBOX)
            .requests(INBOX_3_AND_BOT),
        Case::new("an API inbox whose webhook is the instance's URL")
            .inbox(INBOX)
            .webhook(WEBHOOK)
            .requests(INBOX_3_AND_BOT),
        Case::new("an agent sees the webhook too")
            .token(AGENT_TOKEN)
            .inbox(INBOX)
            .webhook(WEBHOOK)
            .requests(INBOX_3_AND_BOT),
        Case::new("any webhook is fine without a template")
            .inbox(6)
            .requests(&[
                "GET /api",
                "GET /api/v1/profile",
                "GET /api/v1/accounts/12/inboxes/6",
                "GET /api/v1/accounts/12/inboxes/6/agent_bot",
            ]),
        Case::new("a URL with a subpath and a trailing slash gets single-slash paths")
            .url_path("/chat/")
            .inbox(INBOX)
            .requests(&[
                "GET /chat/api",
                "GET /chat/api/v1/profile",
                "GET /chat/api/v1/accounts/12/inboxes/3",
                "GET /chat/api/v1/accounts/12/inboxes/3/agent_bot",
            ]),
    ];
    for case in cases {
        case.run().await;
    }
}

#[tokio::test]
async fn a_server_that_is_not_chatwoot_is_named_and_gets_no_token() {
    let not_chatwoot = |found| CheckFailure::NotChatwoot {
        path: "/api".into(),
        found,
    };
    let cases = [
        Case::new("an HTML page")
            .answer(
                "GET",
                "/api",
                html("<!DOCTYPE html><html><body>Welcome to nginx!</body></html>"),
            )
            .fails(
                CheckName::Chatwoot,
                not_chatwoot(NotChatwootAnswer::Html),
                "chatwootURL is not a Chatwoot server",
                &["GET /api answered an HTML page"],
            ),
        Case::new("JSON without a version")
            .answer(
                "GET",
                "/api",
                ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})),
            )
            .fails(
                CheckName::Chatwoot,
                not_chatwoot(NotChatwootAnswer::NoVersion),
                "chatwootURL",
                &["GET /api answered JSON without a version"],
            ),
        Case::new("plain text")
            .answer(
                "GET",
                "/api",
                ResponseTemplate::new(200).set_body_string("hello"),
            )
            .fails(
                CheckName::Chatwoot,
                not_chatwoot(NotChatwootAnswer::NotJson),
                "chatwootURL",
                &["GET /api answered something that is not JSON"],
            ),
        Case::new("a 404 at a subpath")
            .url_path("/chat")
            .double_at_root()
            .fails(
                CheckName::Chatwoot,
                CheckFailure::NotChatwoot {
                    path: "/chat/api".into(),
                    found: NotChatwootAnswer::Status {
                        code: 404,
                        reason: Some("Not Found"),
                    },
                },
                "chatwootURL",
                &["GET /chat/api answered HTTP 404 Not Found"],
            )
            .requests(&["GET /chat/api"]),
    ];
    for case in cases {
        let case = if case.requests.is_empty() {
            case.requests(&["GET /api"])
        } else {
            case
        };
        case.version(None).run().await;
    }
}

#[tokio::test]
async fn a_token_chatwoot_refuses_is_named_with_the_reason_it_gives() {
    let version = || VERSION.to_owned();
    let cases = [
        Case::new("an invalid access token, inbox not asked for")
            .token("wrong-token")
            .inbox(INBOX)
            .fails(
                CheckName::Token,
                CheckFailure::TokenRejected { version: version() },
                "chatwootAccessToken",
                &["rejected by Chatwoot 4.1.0"],
            ),
        Case::new("a numeric version is Chatwoot's and is named")
            .token("wrong-token")
            .answer(
                "GET",
                "/api",
                ResponseTemplate::new(200).set_body_json(json!({"version": 3.1})),
            )
            .fails(
                CheckName::Token,
                CheckFailure::TokenRejected {
                    version: "3.1".into(),
                },
                "chatwootAccessToken",
                &["Chatwoot 3.1"],
            )
            .version(Some("3.1")),
        Case::new("an agent bot's token").token(BOT_TOKEN).fails(
            CheckName::Token,
            CheckFailure::BotToken { version: version() },
            "chatwootAccessToken",
            &["agent bot or platform token", "user's access token"],
        ),
        Case::new("a 401 asking to sign in: a proxy dropped the header")
            .answer(
                "GET",
                "/api/v1/profile",
                unauthorized(
                    json!({"errors": ["You need to sign in or sign up before continuing."]}),
                ),
            )
            .fails(
                CheckName::Token,
                CheckFailure::TokenHeaderDropped { version: version() },
                "chatwootAccessToken",
                &["underscores_in_headers on", "api_access_token"],
            ),
        Case::new("a 401 with an unknown body")
            .answer(
                "GET",
                "/api/v1/profile",
                ResponseTemplate::new(401).set_body_string("nope"),
            )
            .fails(
                CheckName::Token,
                CheckFailure::TokenRejected { version: version() },
                "chatwootAccessToken",
                &[],
            ),
        Case::new("an unexpected status from the profile")
            .answer("GET", "/api/v1/profile", ResponseTemplate::new(502))
            .fails(
                CheckName::Token,
                CheckFailure::UnexpectedAnswer {
                    method: "GET",
                    path: "/api/v1/profile".into(),
                    status: 502,
                },
                "chatwootURL",
                &["GET /api/v1/profile with an unexpected HTTP 502"],
            ),
        Case::new("a profile that is not JSON")
            .answer(
                "GET",
                "/api/v1/profile",
                ResponseTemplate::new(200).set_body_string("<html>"),
            )
            .fails(
                CheckName::Token,
                CheckFailure::UnexpectedBody {
                    method: "GET",
                    path: "/api/v1/profile".into(),
                    found: BodyFound::NotJson,
                },
                "chatwootURL",
                &["a body that is not JSON"],
            ),
    ];
    for case in cases {
        case.requests(PROFILE).run().await;
    }
}

#[tokio::test]
async fn an_account_the_user_does_not_have_is_refused_listing_the_users_accounts() {
    let cases = [
        Case::new("an account of someone else, inbox not asked for")
            .account(99)
            .inbox(INBOX)
            .fails(
                CheckName::Account,
                CheckFailure::AccountNotAccessible {
                    account_id: 99,
                    accessible: acme_and_support(),
                },
                "accountId 99 is not an account",
                &["12 (Acme), 40 (Support)"],
            ),
        Case::new("a user without accounts")
            .token("lonely-token")
            .setup(|double| double.add_user("lonely-token", &[]))
            .fails(
                CheckName::Account,
                CheckFailure::AccountNotAccessible {
                    account_id: ACCOUNT,
                    accessible: Vec::new(),
                },
                "accountId 12",
                &["the user's accounts: none"],
            ),
    ];
    for case in cases {
        case.requests(PROFILE).run().await;
    }
}

#[tokio::test]
async fn a_suspended_account_is_named_with_who_can_lift_the_suspension() {
    const SAYS: &[&str] = &[
        "is suspended in Chatwoot",
        "(Account is suspended)",
        "super admin",
        "Unsuspend",
        "or set accountId to an active account",
    ];
    let suspended = CheckFailure::AccountSuspended {
        account_id: ACCOUNT,
    };
    let cases = [
        Case::new("the profile lists the account as suspended")
            .inbox(INBOX)
            .setup(|double| double.handle().suspend_account(ACCOUNT))
            .fails(CheckName::Account, suspended.clone(), "accountId 12 ", SAYS)
            .requests(PROFILE),
        // A profile without the status, then Chatwoot's refusal of the
        // account's routes.
        Case::new("the inbox request refused: Account is suspended")
            .inbox(INBOX)
            .answer(
                "GET",
                "/api/v1/accounts/12/inboxes/3",
                unauthorized(json!({"error": "Account is suspended"})),
            )
            .fails(CheckName::Inbox, suspended, "accountId 12 ", SAYS)
            .requests(INBOX_3),
    ];
    for case in cases {
        case.run().await;
    }
}

#[tokio::test]
async fn an_inbox_that_cannot_take_the_gateways_messages_is_named_with_the_fix() {
    let inbox_path = "/api/v1/accounts/12/inboxes/3";
    let cases = [
        Case::new("an inbox missing from the account")
            .inbox(404)
            .fails(
                CheckName::Inbox,
                CheckFailure::InboxNotFound {
                    account_id: ACCOUNT,
                    inbox_id: 404,
                },
                "inbox 404 does not exist in Chatwoot account 12",
                &[],
            )
            .requests(&[
                "GET /api",
                "GET /api/v1/profile",
                "GET /api/v1/accounts/12/inboxes/404",
            ]),
        Case::new("an inbox the agent is not assigned to")
            .token(AGENT_TOKEN)
            .inbox(5)
            .fails(
                CheckName::Inbox,
                CheckFailure::InboxNotAssigned { inbox_id: 5 },
                "inbox 5 is not assigned",
                &["add the user as an agent of that inbox"],
            )
            .requests(&[
                "GET /api",
                "GET /api/v1/profile",
                "GET /api/v1/accounts/12/inboxes/5",
            ]),
        Case::new("a WhatsApp Cloud inbox, webhook not checked")
            .inbox(4)
            .webhook(WEBHOOK)
            .fails(
                CheckName::Inbox,
                CheckFailure::NotApiInbox {
                    inbox_id: 4,
                    channel_type: "Channel::Whatsapp".into(),
                },
                "inbox 4 is a Channel::Whatsapp inbox",
                &[
                    "the gateway needs an API inbox (Channel::Api)",
                    "Settings, then Inboxes, then Add Inbox, then API",
                ],
            )
            .requests(&[
                "GET /api",
                "GET /api/v1/profile",
                "GET /api/v1/accounts/12/inboxes/4",
            ]),
        Case::new("an inbox request refused for the account")
            .inbox(INBOX)
            .answer(
                "GET",
                inbox_path,
                unauthorized(json!({"error": "You are not authorized to access this account"})),
            )
            .fails(
                CheckName::Inbox,
                CheckFailure::AccountNotAccessible {
                    account_id: ACCOUNT,
                    accessible: acme_and_support(),
                },
                "accountId 12",
                &[],
            )
            .requests(INBOX_3),
        Case::new("an unexpected status from the inbox")
            .inbox(INBOX)
            .answer("GET", inbox_path, ResponseTemplate::new(500))
            .fails(
                CheckName::Inbox,
                CheckFailure::UnexpectedAnswer {
                    method: "GET",
                    path: inbox_path.into(),
                    status: 500,
                },
                "chatwootURL",
                &[],
            )
            .requests(INBOX_3),
        Case::new("an inbox without a channel type")
            .inbox(INBOX)
            .answer(
                "GET",
                inbox_path,
                ResponseTemplate::new(200).set_body_json(json!({"id": 3, "name": "WhatsApp"})),
            )
            .fails(
                CheckName::Inbox,
                CheckFailure::UnexpectedBody {
                    method: "GET",
                    path: inbox_path.into(),
                    found: BodyFound::InboxWithoutChannelType,
                },
                "chatwootURL",
                &["with an inbox without a channel_type, which is not an answer Chatwoot gives"],
            )
            .requests(INBOX_3),
    ];
    for case in cases {
        case.run().await;
    }
}

#[tokio::test]
async fn an_inbox_sending_replies_elsewhere_is_named_with_both_urls_and_the_fix() {
    const FIX: &str = "in Chatwoot, set its Webhook URL under Settings, then Inboxes, then the inbox, then its Settings tab";
    let cases = [
        Case::new("a webhook to an old host")
            .inbox(6)
            .requests(&[
                "GET /api",
                "GET /api/v1/profile",
                "GET /api/v1/accounts/12/inboxes/6",
            ])
            .fails(
                CheckName::Webhook,
                CheckFailure::WebhookMismatch {
                    inbox_id: 6,
                    found: Some("https://old.example.com/hook".into()),
                    expected: WEBHOOK.into(),
                },
                "inbox 6 sends replies to https://old.example.com/hook, not to https://gw.example.com/chatwoot/webhook/9b2f;",
                &[FIX],
            ),
        Case::new("no webhook at all")
            .inbox(5)
            .requests(&[
                "GET /api",
                "GET /api/v1/profile",
                "GET /api/v1/accounts/12/inboxes/5",
            ])
            .fails(
                CheckName::Webhook,
                CheckFailure::WebhookMismatch {
                    inbox_id: 5,
                    found: None,
                    expected: WEBHOOK.into(),
                },
                "inbox 5 has no webhook URL set, where https://gw.example.com/chatwoot/webhook/9b2f is expected;",
                &[FIX],
            ),
        Case::new("the same URL with a trailing slash")
            .inbox(7)
            .requests(&[
                "GET /api",
                "GET /api/v1/profile",
                "GET /api/v1/accounts/12/inboxes/7",
            ])
            .setup(|double| {
                double.add_inbox(chatwoot_double::Inbox::api(
                    7,
                    ACCOUNT,
                    "Trailing",
                    Some("https://gw.example.com/chatwoot/webhook/9b2f/"),
                ))
            })
            .fails(
                CheckName::Webhook,
                CheckFailure::WebhookMismatch {
                    inbox_id: 7,
                    found: Some("https://gw.example.com/chatwoot/webhook/9b2f/".into()),
                    expected: WEBHOOK.into(),
                },
                "inbox 7 sends replies to",
                &[FIX],
            ),
    ];
    for case in cases {
        case.webhook(WEBHOOK).run().await;
    }
}
