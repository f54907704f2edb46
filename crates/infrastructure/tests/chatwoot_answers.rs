//! How the checker reads each of Chatwoot's answers, body by body: what it
//! takes from them and how it names a body Chatwoot does not send.

#[path = "chatwoot_support/mod.rs"]
mod support;

use application::{
    BodyFound, CheckFailure, CheckName, CheckReport, InboxProvisioner, InboxRequest,
    NotChatwootAnswer, ProvisionedInbox, RoleFound, SecretSeen, StepOutcome,
};
use domain::{InboxName, SigningSecret};
use http_adapter::wording::{self, check_failure};
use support::*;
use wiremock::{MockServer, ResponseTemplate};

const INBOX_3_PATH: &str = "/api/v1/accounts/12/inboxes/3";

fn raw(body: &'static str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_bytes(body)
}

fn json_body(body: &'static str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

/// A server whose answers are `answers` on top of Chatwoot's `GET /api`
/// and profile (the administrator of accounts 12 and 40).
async fn chatwoot_answering(
    answers: &[(&'static str, &'static str, ResponseTemplate)],
) -> MockServer {
    let server = chatwoot_with_profile().await;
    mount_answers(&server, answers).await;
    server
}

async fn report_of(server: &MockServer, account: i64, webhook: Option<&str>) -> CheckReport {
    report(
        &checker(),
        &settings(&server.uri(), account, Some(INBOX)),
        webhook,
    )
    .await
}

fn failed_at(report: &CheckReport, step: CheckName) -> CheckFailure {
    match report.outcome(step) {
        StepOutcome::Failed(failure) => failure.clone(),
        other => panic!("{} {other:?}", step.as_str()),
    }
}

/// The failure of a `GET path` answered with `found`, which reads `words`.
fn unexpected_body(path: &str, found: BodyFound, words: &str) -> CheckFailure {
    assert_eq!(wording::body(&found), words);
    CheckFailure::UnexpectedBody {
        method: "GET",
        path: path.to_owned(),
        found,
    }
}

#[tokio::test]
async fn the_version_may_be_a_string_or_a_number_and_what_came_instead_is_named() {
    let full = r#"{"version":"4.1.0","timestamp":"2025-06-12 13:21:06","queue_services":"ok","data_services":"ok"}"#;
    use NotChatwootAnswer::*;
    let html = (Html, "answered an HTML page");
    let no_version = (NoVersion, "answered JSON without a version");
    let cases: [(ResponseTemplate, Result<&str, (NotChatwootAnswer, &str)>); 10] = [
        (json_body(full), Ok("4.1.0")),
        (json_body(r#"{"version":3}"#), Ok("3")),
        (
            ResponseTemplate::new(200).set_body_raw("<!doctype html><html></html>", "text/html"),
            Err(html.clone()),
        ),
        (raw("  <html>"), Err(html)),
        (
            raw("hello"),
            Err((NotJson, "answered something that is not JSON")),
        ),
        (raw(""), Err((Empty, "answered an empty body"))),
        (json_body(r#"{"ok":true}"#), Err(no_version.clone())),
        (json_body(r#"{"version":null}"#), Err(no_version.clone())),
        (json_body(r#"{"version":true}"#), Err(no_version)),
        (
            json_body("[1]"),
            Err((NotAnObject, "answered JSON that is not an object")),
        ),
    ];
    for (answer, expected) in cases {
        let server = MockServer::start().await;
        mount(&server, "/api", answer).await;

        let report = report_of(&server, ACCOUNT, None).await;

        match expected {
            Ok(version) => assert_eq!(report.chatwoot_version(), Some(version)),
            Err((found, words)) => {
                assert_eq!(wording::not_chatwoot(&found), words);
                let not_chatwoot = CheckFailure::NotChatwoot {
                    path: "/api".into(),
                    found,
                };
                assert_eq!(failed_at(&report, CheckName::Chatwoot), not_chatwoot);
            }
        }
    }
}

#[tokio::test]
async fn profile_accounts_are_read_with_their_names_roles_and_status() {
    let listed = r#"{"id":1,"accounts":[{"id":1,"name":"Acme","role":"administrator","status":"active"},{"id":"7"},{"id":2,"status":"suspended"},{"id":3}]}"#;
    let cases: [(&str, i64, Option<CheckFailure>); 7] = [
        (listed, 1, None),
        (listed, 7, None),
        (listed, 3, None),
        (
            listed,
            99,
            Some(CheckFailure::AccountNotAccessible {
                account_id: 99,
                accessible: vec![
                    named(1, Some("Acme")),
                    named(7, None),
                    named(2, None),
                    named(3, None),
                ],
            }),
        ),
        (
            listed,
            2,
            Some(CheckFailure::AccountSuspended { account_id: 2 }),
        ),
        (
            r#"{"id":1,"accounts":[]}"#,
            1,
            Some(CheckFailure::AccountNotAccessible {
                account_id: 1,
                accessible: Vec::new(),
            }),
        ),
        (
            r#"{"id":1}"#,
            1,
            Some(unexpected_body(
                "/api/v1/profile",
                BodyFound::ProfileWithoutAccounts,
                "a profile without a list of accounts",
            )),
        ),
    ];
    for (profile, account, expected) in cases {
        let server = MockServer::start().await;
        mount(&server, "/api", api_answer()).await;
        mount(&server, "/api/v1/profile", json_body(profile)).await;

        let report = report_of(&server, account, None).await;

        let step = match &expected {
            Some(CheckFailure::UnexpectedBody { .. }) => CheckName::Token,
            _ => CheckName::Account,
        };
        match expected {
            Some(failure) => assert_eq!(failed_at(&report, step), failure, "{account}"),
            None => assert_eq!(report.outcome(step), &StepOutcome::Passed, "{account}"),
        }
    }
    // The role is the account's: administrator of 1, none given in 7.
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(&server, "/api/v1/profile", json_body(listed)).await;
    let name = InboxName::parse("gw").unwrap();
    for (account, role) in [(1, None), (7, Some(RoleFound::NotGiven))] {
        let settings = settings(&server.uri(), account, None);
        let request = InboxRequest {
            settings: &settings,
            name: &name,
            webhook_url: WEBHOOK,
        };
        let failure = checker().provision_inbox(&request).await.unwrap_err();
        match role {
            Some(role) => {
                assert_eq!(wording::role(&role), "(none given)");
                let account_id = account;
                assert_eq!(failure, CheckFailure::NotAdministrator { account_id, role });
            }
            None => assert!(
                matches!(failure, CheckFailure::UnexpectedAnswer { status: 404, .. }),
                "{failure:?}"
            ),
        }
    }
}

#[tokio::test]
async fn inboxes_are_read_with_their_type_webhook_and_secret() {
    let hook = "https://gw.example.com/hook";
    let webhooks: [(&str, Option<&str>); 4] = [
        (
            r#"{"id":3,"name":"WhatsApp","channel_type":"Channel::Api","webhook_url":"https://gw.example.com/hook","inbox_identifier":"x"}"#,
            Some(hook),
        ),
        (
            r#"{"id":3,"name":"a","channel_type":"Channel::Api","webhook_url":null}"#,
            None,
        ),
        (
            r#"{"id":3,"name":"a","channel_type":"Channel::Api","webhook_url":""}"#,
            None,
        ),
        (r#"{"id":3,"name":"a","channel_type":"Channel::Api"}"#, None),
    ];
    for (inbox, found) in webhooks {
        let server = chatwoot_answering(&[("GET", INBOX_3_PATH, json_body(inbox))]).await;

        let report = report_of(&server, ACCOUNT, Some(hook)).await;

        assert_eq!(
            report.outcome(CheckName::Inbox),
            &StepOutcome::Passed,
            "{inbox}"
        );
        match found {
            Some(_) => assert_eq!(report.outcome(CheckName::Webhook), &StepOutcome::Passed),
            None => assert_eq!(
                failed_at(&report, CheckName::Webhook),
                CheckFailure::WebhookMismatch {
                    inbox_id: INBOX,
                    found: None,
                    expected: hook.into(),
                },
                "{inbox}"
            ),
        }
    }

    let secret = "kN3vQ8rT5wY2zA6bC9dE1fG4";
    let secrets = [
        (
            r#"{"id":3,"name":"a","channel_type":"Channel::Api","secret":"kN3vQ8rT5wY2zA6bC9dE1fG4"}"#,
            true,
        ),
        (
            r#"{"id":3,"name":"a","channel_type":"Channel::Api","secret":7}"#,
            false,
        ),
    ];
    for (inbox, shown) in secrets {
        let server = chatwoot_answering(&[("GET", INBOX_3_PATH, json_body(inbox))]).await;

        let report = report_of(&server, ACCOUNT, None).await;

        let seen = report.signing_secret().expect("the inbox was read");
        match seen {
            SecretSeen::Shown(found) => {
                assert!(shown, "{inbox}");
                assert_eq!(found, &SigningSecret::parse(secret).unwrap());
            }
            SecretSeen::Hidden(_) => assert!(!shown, "{inbox}"),
        }
    }
}

#[tokio::test]
async fn an_inbox_chatwoot_would_not_send_is_named() {
    let cases = [
        (
            json_body(r#"{"id":3,"name":"a"}"#),
            BodyFound::InboxWithoutChannelType,
            "an inbox without a channel_type",
        ),
        (
            json_body(r#"{"name":"a","channel_type":"Channel::Api"}"#),
            BodyFound::InboxWithoutId,
            "an inbox without an id",
        ),
        (
            json_body(r#"{"id":0,"channel_type":"Channel::Api"}"#),
            BodyFound::InboxIdNotPositive { id: 0 },
            "an inbox id 0, which is not positive",
        ),
        (raw("<html>"), BodyFound::NotJson, "a body that is not JSON"),
    ];
    for (answer, found, words) in cases {
        let server = chatwoot_answering(&[("GET", INBOX_3_PATH, answer)]).await;

        let report = report_of(&server, ACCOUNT, None).await;

        assert_eq!(
            failed_at(&report, CheckName::Inbox),
            unexpected_body(INBOX_3_PATH, found, words)
        );
    }
}

#[tokio::test]
async fn an_agent_bot_is_an_object_with_an_id() {
    let api_inbox = || json_body(r#"{"id":3,"name":"a","channel_type":"Channel::Api"}"#);
    let bot_path = "/api/v1/accounts/12/inboxes/3/agent_bot";
    let cases: [(ResponseTemplate, Option<&str>); 8] = [
        (
            json_body(
                r#"{"agent_bot":{"id":7,"name":"Captain","description":"","outgoing_url":"https://bot.example.com","account_id":12}}"#,
            ),
            Some("\"Captain\" (id 7)"),
        ),
        (json_body(r#"{"agent_bot":{"id":7}}"#), Some("id 7")),
        (json_body(r#"{"agent_bot":{}}"#), None),
        (json_body(r#"{"agent_bot":null}"#), None),
        (json_body("{}"), None),
        (raw("<html>"), Some("")),
        (json_body(r#"{"agent_bot":"x"}"#), Some("")),
        (json_body(r#"{"agent_bot":{"id":"7"}}"#), Some("")),
    ];
    for (answer, bot) in cases {
        let server = chatwoot_answering(&[
            ("GET", INBOX_3_PATH, api_inbox()),
            ("GET", bot_path, answer),
        ])
        .await;

        let report = report_of(&server, ACCOUNT, None).await;

        match bot {
            None => assert_eq!(report.outcome(CheckName::AgentBot), &StepOutcome::Passed),
            Some("") => assert!(
                matches!(
                    failed_at(&report, CheckName::AgentBot),
                    CheckFailure::UnexpectedBody { .. }
                ),
                "{report:?}"
            ),
            Some(bot) => {
                let failure = failed_at(&report, CheckName::AgentBot);
                assert!(
                    matches!(failure, CheckFailure::AgentBotForcesPending { inbox_id, .. } if inbox_id == INBOX),
                    "{failure:?}"
                );
                let worded = check_failure(&failure);
                assert!(
                    worded.contains(&format!("the agent bot {bot},")),
                    "{worded}"
                );
            }
        }
    }
}

async fn provision_named(
    server: &MockServer,
    name: &str,
) -> Result<ProvisionedInbox, CheckFailure> {
    let settings = settings(&server.uri(), ACCOUNT, None);
    let name = InboxName::parse(name).unwrap();
    let request = InboxRequest {
        settings: &settings,
        name: &name,
        webhook_url: WEBHOOK,
    };
    checker().provision_inbox(&request).await
}

#[tokio::test]
async fn a_list_of_inboxes_is_its_payload() {
    let list = json_body(
        r#"{"payload":[{"id":1,"name":"a","channel_type":"Channel::Api"},{"id":2,"name":"b","channel_type":"Channel::Email"}]}"#,
    );
    let inboxes = "/api/v1/accounts/12/inboxes";
    let server = chatwoot_answering(&[("GET", inboxes, list)]).await;

    let found = provision_named(&server, "a").await.unwrap();
    assert_eq!((found.id.get(), found.needs_webhook), (1, true));
    assert_eq!(
        provision_named(&server, "b").await,
        Err(CheckFailure::InboxNameTaken {
            name: "b".into(),
            inbox_id: 2,
            channel_type: "Channel::Email".into(),
        })
    );

    let server = chatwoot_answering(&[("GET", inboxes, json_body("[]"))]).await;
    assert_eq!(
        provision_named(&server, "a").await,
        Err(unexpected_body(
            inboxes,
            BodyFound::InboxListWithoutPayload,
            "a list of inboxes without a payload"
        ))
    );
}

#[tokio::test]
async fn a_refused_creation_is_named_with_chatwoots_message_or_error() {
    let inboxes = "/api/v1/accounts/12/inboxes";
    for (answer, reason, words) in [
        (
            r#"{"message":"Name can't be blank","attributes":["name"]}"#,
            Some("Name can't be blank"),
            "Name can't be blank",
        ),
        (
            r#"{"error":"Account limit exceeded"}"#,
            Some("Account limit exceeded"),
            "Account limit exceeded",
        ),
        ("nope", None, "HTTP 422"),
    ] {
        let server = chatwoot_answering(&[
            ("GET", inboxes, json_body(r#"{"payload":[]}"#)),
            (
                "POST",
                inboxes,
                ResponseTemplate::new(422).set_body_bytes(answer),
            ),
        ])
        .await;

        let refused = CheckFailure::InboxRefused {
            name: "gw".into(),
            reason: reason.map(str::to_owned),
        };
        let message = check_failure(&refused);
        assert!(message.ends_with(&format!(": {words}")), "{message}");
        assert_eq!(provision_named(&server, "gw").await, Err(refused));
    }
}

#[tokio::test]
async fn chatwoot_refusals_are_told_apart() {
    let version = || VERSION.to_owned();
    let not_assigned = CheckFailure::InboxNotAssigned { inbox_id: INBOX };
    let cases = [
        (
            r#"{"error":"Account is suspended"}"#,
            CheckFailure::AccountSuspended {
                account_id: ACCOUNT,
            },
        ),
        (
            r#"{"error":"Invalid Access Token"}"#,
            CheckFailure::TokenRejected { version: version() },
        ),
        (
            r#"{"error":"Access to this endpoint is not authorized for bots"}"#,
            CheckFailure::BotToken { version: version() },
        ),
        (
            r#"{"errors":["You need to sign in or sign up before continuing."]}"#,
            CheckFailure::TokenHeaderDropped { version: version() },
        ),
        (
            r#"{"error":"You are not authorized to access this account"}"#,
            CheckFailure::AccountNotAccessible {
                account_id: ACCOUNT,
                accessible: acme_and_support(),
            },
        ),
        (
            r#"{"error":"You are not authorized to do this action"}"#,
            not_assigned.clone(),
        ),
        ("nope", not_assigned.clone()),
    ];
    for (body, expected) in cases {
        let answer = ResponseTemplate::new(401).set_body_bytes(body);
        let server = chatwoot_answering(&[("GET", INBOX_3_PATH, answer)]).await;

        let report = report_of(&server, ACCOUNT, None).await;

        assert_eq!(failed_at(&report, CheckName::Inbox), expected, "{body}");
    }

    // A refusal too long to read says nothing about why.
    let long = format!(
        r#"{{"error":"Invalid Access Token","pad":"{}"}}"#,
        "x".repeat(2048)
    );
    let answer = ResponseTemplate::new(401).set_body_bytes(long);
    let server = chatwoot_answering(&[("GET", INBOX_3_PATH, answer)]).await;
    let checker = checker_with(|config| config.max_body_bytes = 1024);
    let settings = settings(&server.uri(), ACCOUNT, Some(INBOX));
    let report = report(&checker, &settings, None).await;
    assert_eq!(failed_at(&report, CheckName::Inbox), not_assigned);
}

#[tokio::test]
async fn a_limit_is_named_in_the_largest_exact_unit() {
    let server = chatwoot_with_profile().await;
    for (limit, named) in [
        (1024 * 1024, "1 MiB"),
        (64 * 1024, "64 KiB"),
        (1000, "1000 bytes"),
    ] {
        let long = "x".repeat(limit + 1);
        let answer = ResponseTemplate::new(200).set_body_raw(long, "application/json");
        mount(&server, INBOX_3_PATH, answer).await;
        let checker = checker_with(|config| config.max_body_bytes = limit);
        let settings = settings(&server.uri(), ACCOUNT, Some(INBOX));

        let report = report(&checker, &settings, None).await;

        let words = format!("more than {named}");
        let found = BodyFound::TooLarge { limit_bytes: limit };
        assert_eq!(
            failed_at(&report, CheckName::Inbox),
            unexpected_body(INBOX_3_PATH, found, &words)
        );
        server.reset().await;
        mount(&server, "/api", api_answer()).await;
        let profile = profile_answer(&[(ACCOUNT, "Acme")]);
        mount(&server, "/api/v1/profile", profile).await;
    }
}
