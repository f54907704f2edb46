//! What Chatwoot 4.13 and later changed under gateways, as the check meets
//! it: an agent bot that makes every conversation `pending`, and
//! rack-attack's 429 that says nothing about the settings.

#[path = "chatwoot_support/mod.rs"]
mod support;

use application::{CheckFailure, CheckName, CheckReport, StepOutcome};
use chatwoot_double::{AgentBot, ChatwootDouble};
use domain::StartConversationAs;
use support::*;
use wiremock::ResponseTemplate;

const AGENT_BOT_PATH: &str = "/api/v1/accounts/12/inboxes/3/agent_bot";

fn captain() -> AgentBot {
    AgentBot {
        id: 7,
        name: "Captain".to_owned(),
    }
}

async fn check_inbox_3(
    double: &ChatwootDouble,
    token: &str,
    start_as: StartConversationAs,
) -> CheckReport {
    let mut settings = settings_with_token(&double.url(), token, ACCOUNT, Some(INBOX));
    settings.options.start_conversation_as = start_as;
    report(&checker(), &settings, Some(WEBHOOK)).await
}

#[tokio::test]
async fn an_agent_bot_that_overrides_open_fails_its_check_and_never_refuses_the_settings() {
    let double = chatwoot().await;
    double.handle().set_agent_bot(INBOX, captain());

    for token in [TOKEN, AGENT_TOKEN] {
        let report = check_inbox_3(&double, token, StartConversationAs::Open).await;

        let expected = CheckFailure::AgentBotForcesPending {
            inbox_id: INBOX,
            bot: named(7, Some("Captain")),
        };
        assert_eq!(
            report.outcome(CheckName::AgentBot),
            &StepOutcome::Failed(expected.clone()),
            "{token}"
        );
        assert_eq!(report.outcome(CheckName::Webhook), &StepOutcome::Passed);
        assert_eq!(report.healthy(), Some(false));
        assert_message(
            "agent bot",
            &expected,
            "integrationOptions.startConversationAs is open, but inbox 3 has the agent bot \"Captain\" (id 7), so Chatwoot opens every new conversation there as pending",
            &[
                "set integrationOptions.startConversationAs to pending",
                "remove the bot from the inbox in Chatwoot",
                "Bot Configuration",
            ],
            token,
        );
        assert_eq!(report.into_result(), Ok(()), "a bot is a legitimate choice");
    }
    let received = requests_received(double.server()).await;
    assert_eq!(
        received.last().map(String::as_str),
        Some(format!("GET {AGENT_BOT_PATH}").as_str())
    );
}

#[tokio::test]
async fn an_agent_bot_passes_with_pending_and_no_bot_passes_with_open() {
    let with_bot = chatwoot().await;
    with_bot.handle().set_agent_bot(INBOX, captain());
    let without = chatwoot().await;

    for (double, start_as) in [
        (&with_bot, StartConversationAs::Pending),
        (&without, StartConversationAs::Open),
    ] {
        let report = check_inbox_3(double, TOKEN, start_as).await;

        assert_eq!(
            report.outcome(CheckName::AgentBot),
            &StepOutcome::Passed,
            "{start_as:?}"
        );
        assert_eq!(report.healthy(), Some(true), "{start_as:?}");
    }
}

/// rack-attack's answer: no `Retry-After`.
fn retry_later() -> ResponseTemplate {
    ResponseTemplate::new(429).set_body_raw("Retry later\n", "text/plain")
}

fn throttled(double: &ChatwootDouble, path: &str) -> CheckFailure {
    CheckFailure::Throttled {
        url: double.url(),
        method: "GET",
        path: path.to_owned(),
    }
}

#[tokio::test]
async fn a_429_fails_the_check_that_met_it_refuses_the_settings_and_names_the_way_out() {
    let double = chatwoot().await;
    double.handle().set_throttled(true);

    let report = check_inbox_3(&double, TOKEN, StartConversationAs::Open).await;

    let failure = throttled(&double, "/api");
    assert_eq!(report.outcome(CheckName::Reachable), &StepOutcome::Passed);
    assert_eq!(
        report.outcome(CheckName::Chatwoot),
        &StepOutcome::Failed(failure.clone())
    );
    assert!(report.throttled());
    assert_eq!(report.chatwoot_version(), None);
    assert_message(
        "throttled",
        &failure,
        &format!(
            "chatwootURL {} is limiting requests from this service: GET /api answered HTTP 429",
            double.url()
        ),
        &[
            "rack-attack",
            "Try again in a minute",
            "add this service's IP address to RACK_ATTACK_ALLOWED_IPS",
            "or raise RACK_ATTACK_LIMIT in Chatwoot's environment",
        ],
        TOKEN,
    );
    assert_eq!(report.into_result(), Err(failure));
    assert_eq!(requests_received(double.server()).await, ["GET /api"]);
    assert!(paths_that_got_the_token(double.server()).await.is_empty());
}

#[tokio::test]
async fn a_429_later_in_the_run_fails_that_check_even_an_advisory_one() {
    for (path, step) in [
        ("/api/v1/profile", CheckName::Token),
        ("/api/v1/accounts/12/inboxes/3", CheckName::Inbox),
        (AGENT_BOT_PATH, CheckName::AgentBot),
    ] {
        let double = chatwoot().await;
        mount_answers(double.server(), &[("GET", path, retry_later())]).await;

        let report = check_inbox_3(&double, TOKEN, StartConversationAs::Open).await;

        let failure = throttled(&double, path);
        assert_eq!(
            report.outcome(step),
            &StepOutcome::Failed(failure.clone()),
            "{path}"
        );
        assert_eq!(report.into_result(), Err(failure), "{path}");
    }
}

#[tokio::test]
async fn the_doubles_limit_can_pass_after_some_requests() {
    let double = chatwoot().await;
    double.handle().throttle_next(1);

    let first = check_inbox_3(&double, TOKEN, StartConversationAs::Open).await;
    let second = check_inbox_3(&double, TOKEN, StartConversationAs::Open).await;

    assert!(first.throttled());
    assert_eq!(second.healthy(), Some(true));
}
