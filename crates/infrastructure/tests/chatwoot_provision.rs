//! autoCreate against a server answering as Chatwoot's code does: the API
//! inbox of a name is reused (its webhook repaired once claimed) or created,
//! and every refusal names the setting to change.

#[path = "chatwoot_support/mod.rs"]
mod support;

use application::{BodyFound, CheckFailure, CheckName, InboxProvisioner, InboxRequest, RoleFound};
use chatwoot_double::{ChatwootDouble, Inbox, CHANNEL_API, CHANNEL_WEB_WIDGET};
use domain::{InboxId, InboxName};
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;

const LIST: &str = "GET /api/v1/accounts/12/inboxes";
const CREATE: &str = "POST /api/v1/accounts/12/inboxes";
const OLD_HOOK: &str = "https://old.example.com/hook";

struct Case {
    name: &'static str,
    token: &'static str,
    account: i64,
    inbox_name: &'static str,
    setup: fn(&ChatwootDouble),
    answers: Vec<(&'static str, &'static str, ResponseTemplate)>,
    /// The inbox id answered, or the failure and how its message reads.
    expect: Result<i64, CheckFailure>,
    starts: &'static str,
    says: &'static [&'static str],
    /// `METHOD /path`, in order.
    requests: &'static [&'static str],
}

impl Case {
    fn new(name: &'static str, inbox_name: &'static str) -> Self {
        Self {
            name,
            token: TOKEN,
            account: ACCOUNT,
            inbox_name,
            setup: |_| {},
            answers: Vec::new(),
            expect: Err(CheckFailure::ProvisioningOff),
            starts: "",
            says: &[],
            requests: &[],
        }
    }

    fn token(self, token: &'static str) -> Self {
        Self { token, ..self }
    }

    fn account(self, account: i64) -> Self {
        Self { account, ..self }
    }

    fn setup(self, setup: fn(&ChatwootDouble)) -> Self {
        Self { setup, ..self }
    }

    fn answer(mut self, verb: &'static str, at: &'static str, answer: ResponseTemplate) -> Self {
        self.answers.push((verb, at, answer));
        self
    }

    fn gives(self, inbox: i64, requests: &'static [&'static str]) -> Self {
        Self {
            expect: Ok(inbox),
            requests,
            ..self
        }
    }

    fn fails(
        self,
        failure: CheckFailure,
        starts: &'static str,
        says: &'static [&'static str],
        requests: &'static [&'static str],
    ) -> Self {
        Self {
            expect: Err(failure),
            starts,
            says,
            requests,
            ..self
        }
    }

    async fn run(self) {
        let name = self.name;
        let double = chatwoot().await;
        (self.setup)(&double);
        mount_answers(double.server(), &self.answers).await;

        let result = provision(&double, self.token, self.account, self.inbox_name).await;

        assert_eq!(result.map(InboxId::get), self.expect, "{name}");
        match self.expect {
            Ok(id) => {
                let inbox = double.inbox(id).expect("the inbox exists");
                assert_eq!(inbox.name, self.inbox_name, "{name}");
                assert_eq!(inbox.channel_type, CHANNEL_API, "{name}");
                assert_eq!(inbox.webhook_url.as_deref(), Some(WEBHOOK), "{name}");
            }
            Err(failure) => assert_message(name, &failure, self.starts, self.says, self.token),
        }
        assert_eq!(
            requests_received(double.server()).await,
            self.requests,
            "{name}"
        );
    }
}

/// What autoCreate asks of the checker, without the claim in between:
/// find or create the inbox, then point its webhook here when needed.
async fn provision(
    double: &ChatwootDouble,
    token: &str,
    account: i64,
    inbox_name: &str,
) -> Result<InboxId, CheckFailure> {
    let settings = settings_with_token(&double.url(), token, account, None);
    let name = InboxName::parse(inbox_name).unwrap();
    let request = InboxRequest {
        settings: &settings,
        name: &name,
        webhook_url: WEBHOOK,
    };
    let checker = checker();
    let found = checker.provision_inbox(&request).await?;
    if found.needs_webhook {
        checker.point_webhook(&request, found.id).await?;
    }
    Ok(found.id)
}

const LISTED: &[&str] = &["GET /api", "GET /api/v1/profile", LIST];

/// The requests of reusing inbox 6 or 5: listed, then proved again before
/// the webhook changes.
const REPOINTED_6: &[&str] = &[
    "GET /api",
    "GET /api/v1/profile",
    LIST,
    "GET /api",
    "GET /api/v1/profile",
    "PATCH /api/v1/accounts/12/inboxes/6",
];
const REPOINTED_5: &[&str] = &[
    "GET /api",
    "GET /api/v1/profile",
    LIST,
    "GET /api",
    "GET /api/v1/profile",
    "PATCH /api/v1/accounts/12/inboxes/5",
];

#[tokio::test]
async fn the_api_inbox_of_the_name_is_reused_with_its_webhook_repaired_or_else_created() {
    let cases = [
        Case::new("no inbox of that name: one is created", "Sales")
            .gives(7, &["GET /api", "GET /api/v1/profile", LIST, CREATE]),
        Case::new(
            "an API inbox already sending replies to the gateway",
            "WhatsApp",
        )
        .gives(INBOX, LISTED),
        Case::new("an API inbox sending replies elsewhere", "Old").gives(6, REPOINTED_6),
        Case::new("an API inbox without a webhook", "Support").gives(5, REPOINTED_5),
        Case::new("two API inboxes of one name: the oldest", "WhatsApp")
            .setup(|double| double.add_inbox(Inbox::api(9, ACCOUNT, "WhatsApp", Some(OLD_HOOK))))
            .gives(INBOX, LISTED),
        Case::new(
            "an API inbox and one of another type of one name",
            "Support",
        )
        .setup(|double| double.add_inbox(Inbox::of_type(2, ACCOUNT, "Support", CHANNEL_WEB_WIDGET)))
        .gives(5, REPOINTED_5),
        Case::new("the name of an inbox in another account", "Elsewhere")
            .setup(|double| double.add_inbox(Inbox::api(8, 40, "Elsewhere", Some(WEBHOOK))))
            .gives(9, &["GET /api", "GET /api/v1/profile", LIST, CREATE]),
    ];
    for case in cases {
        case.run().await;
    }
}

#[tokio::test]
async fn what_keeps_an_inbox_from_being_found_or_created_is_named() {
    let cases = [
        Case::new("an inbox of another type has the name", "Cloud").fails(
            CheckFailure::InboxNameTaken {
                name: "Cloud".into(),
                inbox_id: 4,
                channel_type: "Channel::Whatsapp".into(),
            },
            "nameInbox \"Cloud\" is the name of inbox 4, a Channel::Whatsapp inbox",
            &["the gateway needs an API inbox", "choose another nameInbox"],
            LISTED,
        ),
        Case::new("an agent's token", "Sales").token(AGENT_TOKEN).fails(
            CheckFailure::NotAdministrator {
                account_id: ACCOUNT,
                role: RoleFound::Named("agent".into()),
            },
            "chatwootAccessToken has the role agent in account 12",
            &["creating inboxes needs an administrator's token"],
            &["GET /api", "GET /api/v1/profile"],
        ),
        Case::new("a name Chatwoot refuses", "-gw").fails(
            CheckFailure::InboxRefused {
                name: "-gw".into(),
                reason: Some("Name should not start or end with symbols, and it should not have < > / \\\\ @ characters.".into()),
            },
            "nameInbox \"-gw\" was refused by Chatwoot",
            &["should not start or end with symbols"],
            &["GET /api", "GET /api/v1/profile", LIST, CREATE],
        ),
        Case::new("the role changed before the write", "Old")
            .answer(
                "PATCH",
                "/api/v1/accounts/12/inboxes/6",
                unauthorized(json!({"error": "You are not authorized to do this action"})),
            )
            .fails(
                CheckFailure::NotAdministrator {
                    account_id: ACCOUNT,
                    role: RoleFound::RefusedInboxChange,
                },
                "chatwootAccessToken",
                &[],
                REPOINTED_6,
            ),
        Case::new("a Chatwoot that ignores the new webhook", "Old")
            .answer(
                "PATCH",
                "/api/v1/accounts/12/inboxes/6",
                ResponseTemplate::new(200).set_body_json(json!({
                    "id": 6, "name": "Old", "channel_type": "Channel::Api", "webhook_url": OLD_HOOK
                })),
            )
            .fails(
                CheckFailure::WebhookMismatch {
                    inbox_id: 6,
                    found: Some(OLD_HOOK.into()),
                    expected: WEBHOOK.into(),
                },
                "inbox 6 sends replies to https://old.example.com/hook",
                &["Settings, then Inboxes, then the inbox, then its Settings tab"],
                REPOINTED_6,
            ),
        Case::new("an invalid token: nothing listed", "Sales")
            .token("wrong-token")
            .fails(
                CheckFailure::TokenRejected {
                    version: VERSION.into(),
                },
                "chatwootAccessToken",
                &["Invalid Access Token"],
                &["GET /api", "GET /api/v1/profile"],
            ),
        Case::new("an account of someone else: nothing listed", "Sales")
            .account(99)
            .fails(
                CheckFailure::AccountNotAccessible {
                    account_id: 99,
                    accessible: acme_and_support(),
                },
                "accountId 99",
                &[],
                &["GET /api", "GET /api/v1/profile"],
            ),
        Case::new("a list that is not Chatwoot's", "Sales")
            .answer(
                "GET",
                "/api/v1/accounts/12/inboxes",
                ResponseTemplate::new(200).set_body_json(json!([])),
            )
            .fails(
                CheckFailure::UnexpectedBody {
                    method: "GET",
                    path: "/api/v1/accounts/12/inboxes".into(),
                    found: BodyFound::InboxListWithoutPayload,
                },
                "chatwootURL",
                &[],
                LISTED,
            ),
        Case::new("a creation failing on Chatwoot's side", "Sales")
            .answer(
                "POST",
                "/api/v1/accounts/12/inboxes",
                ResponseTemplate::new(500),
            )
            .fails(
                CheckFailure::UnexpectedAnswer {
                    method: "POST",
                    path: "/api/v1/accounts/12/inboxes".into(),
                    status: 500,
                },
                "chatwootURL answered POST /api/v1/accounts/12/inboxes with an unexpected HTTP 500",
                &[],
                &["GET /api", "GET /api/v1/profile", LIST, CREATE],
            ),
    ];
    for case in cases {
        case.run().await;
    }
}

#[tokio::test]
async fn a_retry_finds_the_inbox_it_created_by_name() {
    let double = chatwoot().await;

    let first = provision(&double, TOKEN, ACCOUNT, "Sales").await;
    let second = provision(&double, TOKEN, ACCOUNT, "Sales").await;

    assert_eq!(first, second);
    let named: Vec<_> = double
        .inboxes(ACCOUNT)
        .into_iter()
        .filter(|inbox| inbox.name == "Sales")
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    let creations = requests_received(double.server())
        .await
        .into_iter()
        .filter(|request| request == CREATE)
        .count();
    assert_eq!(creations, 1);
}

#[tokio::test]
async fn the_created_inbox_passes_the_check_with_the_webhook() {
    let double = chatwoot().await;

    let inbox = provision(&double, TOKEN, ACCOUNT, "Sales").await.unwrap();
    let settings = settings(&double.url(), ACCOUNT, Some(inbox.get()));
    let report = report(&checker(), &settings, Some(WEBHOOK)).await;

    assert_eq!(report.healthy(), Some(true));
    // The signature is judged by the application, against what it stored.
    assert!(report
        .steps()
        .filter(|(name, _)| *name != CheckName::Signature)
        .all(|(_, outcome)| outcome.ok() == Some(true)));
}

#[tokio::test]
async fn an_existing_inbox_is_found_unchanged_until_its_webhook_is_pointed() {
    let double = chatwoot().await;
    let settings = settings_with_token(&double.url(), TOKEN, ACCOUNT, None);
    let name = InboxName::parse("Old").unwrap();
    let request = InboxRequest {
        settings: &settings,
        name: &name,
        webhook_url: WEBHOOK,
    };

    let found = checker().provision_inbox(&request).await.expect("found");

    let id = InboxId::new(6).unwrap();
    assert_eq!((found.id, found.needs_webhook), (id, true));
    assert_eq!(requests_received(double.server()).await, LISTED);
    let inbox = double.inbox(6).expect("inbox 6");
    assert_eq!(inbox.webhook_url.as_deref(), Some(OLD_HOOK), "left alone");

    checker().point_webhook(&request, id).await.unwrap();

    let inbox = double.inbox(6).expect("inbox 6");
    assert_eq!(inbox.webhook_url.as_deref(), Some(WEBHOOK));
}
