//! The live status of an integration: the checks run now, nothing written.

use application::{AppError, CheckName, CheckReport};

use crate::fakes::{passed_before, Event, Op, World, STATUS_BUDGET};
use crate::support::{sales_webhook_missing, SALES_WEBHOOK, WEBHOOK_TEMPLATE};

#[tokio::test]
async fn the_status_runs_the_checks_now_even_when_disabled_and_writes_nothing() {
    let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
    let (instance, _) = world.instance("sales").await;
    let mut report = passed_before(CheckName::Webhook);
    report.fail(CheckName::Webhook, sales_webhook_missing());
    world.checker.answer(report.clone());

    let absent = world.services.integration_status(&instance).await;
    assert_fails!(absent, AppError::NotFound(_));
    assert!(world.checker.asked().is_empty());

    world.set(&instance, false).await.unwrap();
    world.journal.clear();
    let now = world.clock.advance(1_000);

    let status = world.services.integration_status(&instance).await.unwrap();

    assert!(!status.enabled);
    assert_eq!(status.checked_at, now);
    assert_eq!(status.report, report);
    assert_eq!(status.healthy(), Some(false));
    assert_eq!(
        world.journal.events(),
        [
            Event::Repo(Op::FindIntegration),
            Event::Check(Some(STATUS_BUDGET))
        ],
        "only reads and the check, bounded as a whole by the status budget"
    );
    assert_eq!(
        world.checker.expected_webhooks(),
        [Some(SALES_WEBHOOK.to_owned())]
    );
}

#[tokio::test]
async fn with_checking_off_the_status_knows_nothing_and_asks_no_checker() {
    let world = World::with_checking_off(Some(WEBHOOK_TEMPLATE));
    let instance = world.instance_with_integration(true).await;
    world.journal.clear();

    let status = world.services.integration_status(&instance).await.unwrap();

    assert!(status.enabled);
    assert_eq!(status.healthy(), None);
    assert_eq!(status.report, CheckReport::skipped());
    assert!(status
        .report
        .steps()
        .all(|(_, outcome)| outcome.ok().is_none()));
    assert_eq!(world.journal.events(), [Event::Repo(Op::FindIntegration)]);
    assert!(world.checker.asked().is_empty());
}
