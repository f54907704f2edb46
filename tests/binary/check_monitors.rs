//! `check` for monitors: `--format prometheus` says what the JSON says,
//! with the same exit code, and an instance whose check met Chatwoot's rate
//! limiter is checked once more after `CHATWOOT_THROTTLE_WAIT_MS`.

use std::collections::BTreeMap;

use prom_text_format_parser::{Metric, Scrape, Type};
use reqwest::Method;
use serde_json::{json, Value};
use tempfile::TempDir;

use crate::common::{service_env, sqlite_url, ADMIN};
use crate::support::chatwoot_double::{self, AgentBot, ChatwootDouble};
use crate::support::process::{run, workdir, Finished, Service};
use crate::support::prometheus::sample_value;
use crate::support::TestInstance;

fn env(url: &str) -> Vec<(&str, &str)> {
    let mut env = service_env(url, "true");
    env.extend([
        ("APP_CHATWOOT__TIMEOUT_MS", "2000"),
        ("CHATWOOT_THROTTLE_WAIT_MS", "200"),
    ]);
    env
}

/// A service on a fresh SQLite file, with one instance whose enabled
/// integration uses the inbox 3 of a healthy Chatwoot double.
struct OneIntegration {
    dir: TempDir,
    url: String,
    double: ChatwootDouble,
    service: Service,
    inst: TestInstance,
}

impl OneIntegration {
    async fn start(name: &str) -> Self {
        let dir = workdir();
        let url = sqlite_url(dir.path(), "check.sqlite");
        let double = chatwoot_double::healthy_double().await;
        let service = Service::start(dir.path(), &env(&url)).await;
        let inst = service.create_instance_as(ADMIN, name).await;
        let body = json!({
            "accountId": chatwoot_double::ACCOUNT,
            "chatwootURL": double.url(),
            "chatwootAccessToken": chatwoot_double::TOKEN,
            "inbox": chatwoot_double::INBOX,
        });
        let res = service
            .write_integration(Method::POST, &inst.id, ADMIN, &body)
            .await;
        assert_eq!(res.status(), 201, "set {name}");
        Self {
            dir,
            url,
            double,
            service,
            inst,
        }
    }

    /// `check` with `args`, on the service's database.
    async fn check(&self, args: &[&str]) -> Finished {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        run(self.dir.path(), &env(&self.url), &all).await
    }
}

fn parse(finished: &Finished) -> Vec<Metric> {
    Scrape::parse(&finished.stdout)
        .unwrap_or_else(|e| panic!("{e:?} in:\n{finished:?}"))
        .metrics
}

/// The one sample of the gauge `name` with exactly these labels.
fn gauge(metrics: &[Metric], name: &str, labels: &[(&str, &str)]) -> f64 {
    let metric = metrics
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no {name} in {metrics:?}"));
    assert_eq!(metric.kind, Type::Gauge, "{name}");
    sample_value(metric, labels)
}

/// Each check that ran, by name, with 1 or 0.
fn checks_that_ran(metrics: &[Metric], instance_id: &str) -> BTreeMap<String, f64> {
    let metric = metrics
        .iter()
        .find(|m| m.name == "chatwoot_integration_check_ok")
        .expect("chatwoot_integration_check_ok");
    metric
        .samples
        .iter()
        .filter(|s| {
            s.labels
                .iter()
                .any(|l| l.key == "instance_id" && l.value == instance_id)
        })
        .map(|s| {
            let check = s.labels.iter().find(|l| l.key == "check").expect("check");
            (check.value.clone(), s.value.value.as_f64())
        })
        .collect()
}

#[tokio::test]
async fn the_prometheus_format_says_what_the_json_says_with_the_same_exit_code() {
    let one = OneIntegration::start("sales-line").await;
    let labels = [
        ("instance_id", one.inst.id.as_str()),
        ("instance_name", "sales-line"),
    ];

    for args in [
        &["--format", "prometheus"][..],
        &["--format", "prometheus", &one.inst.id],
    ] {
        let healthy = one.check(args).await;

        assert!(healthy.status.success(), "{healthy:?}");
        assert!(
            healthy
                .stdout
                .contains("# HELP chatwoot_integration_healthy ")
                && healthy
                    .stdout
                    .contains("# TYPE chatwoot_integration_healthy gauge"),
            "{healthy:?}"
        );
        let metrics = parse(&healthy);
        assert_eq!(
            gauge(&metrics, "chatwoot_integration_healthy", &labels),
            1.0
        );
        assert_eq!(
            gauge(&metrics, "chatwoot_integration_enabled", &labels),
            1.0
        );
        // No CHATWOOT_WEBHOOK_URL: the webhook check does not run.
        let ran = checks_that_ran(&metrics, &one.inst.id);
        let expected: BTreeMap<String, f64> = [
            "reachable",
            "chatwoot",
            "token",
            "account",
            "inbox",
            "agentBot",
        ]
        .into_iter()
        .map(|name| (name.to_owned(), 1.0))
        .collect();
        assert_eq!(ran, expected);
        let json = one.check(&[&one.inst.id]).await.json();
        let checked_at =
            chrono::DateTime::parse_from_rfc3339(json["checkedAt"].as_str().expect("checkedAt"))
                .expect("a timestamp");
        let printed = gauge(
            &metrics,
            "chatwoot_integration_checked_timestamp_seconds",
            &[("instance_id", one.inst.id.as_str())],
        );
        assert!(
            printed > 1.7e9 && printed <= checked_at.timestamp() as f64 + 1.0,
            "{printed} before {checked_at}"
        );
    }

    // An agent bot that overrides `open`: unhealthy, exit 1 in both forms.
    one.double.handle().set_agent_bot(
        chatwoot_double::INBOX,
        AgentBot {
            id: 7,
            name: "Captain".to_owned(),
        },
    );
    let unhealthy = one.check(&["--format", "prometheus"]).await;
    assert_eq!(unhealthy.status.code(), Some(1), "{unhealthy:?}");
    let metrics = parse(&unhealthy);
    assert_eq!(
        gauge(&metrics, "chatwoot_integration_healthy", &labels),
        0.0
    );
    let ran = checks_that_ran(&metrics, &one.inst.id);
    assert_eq!(ran.get("agentBot"), Some(&0.0), "{ran:?}");
    assert_eq!(ran.get("inbox"), Some(&1.0), "{ran:?}");
    let as_json = one.check(&[]).await;
    assert_eq!(as_json.status.code(), Some(1), "{as_json:?}");
    assert_eq!(as_json.json()[0]["checks"][8]["name"], "agentBot");

    let (stopped, _) = one.service.stop().await;
    assert!(stopped.success());
}

/// How many requests reached `GET /api`.
async fn api_requests(double: &ChatwootDouble) -> usize {
    let received = double
        .server()
        .received_requests()
        .await
        .unwrap_or_default();
    received.iter().filter(|r| r.url.path() == "/api").count()
}

#[tokio::test]
async fn an_instance_that_met_a_429_is_checked_once_more_after_the_wait() {
    let one = OneIntegration::start("gw").await;

    // A limit that has passed by the second run.
    one.double.handle().throttle_next(1);
    let before = api_requests(&one.double).await;
    let passed = one.check(&[&one.inst.id]).await;
    assert!(passed.status.success(), "{passed:?}");
    assert_eq!(passed.json()["healthy"], true, "{passed:?}");
    assert_eq!(api_requests(&one.double).await - before, 2, "one more run");
    assert!(
        passed.stderr.contains("CHATWOOT_THROTTLE_WAIT_MS"),
        "{passed:?}"
    );

    // A limit that holds: one more run only, then the status says so.
    one.double.handle().set_throttled(true);
    let before = api_requests(&one.double).await;
    let limited = one.check(&[]).await;
    assert_eq!(limited.status.code(), Some(1), "{limited:?}");
    assert_eq!(
        api_requests(&one.double).await - before,
        2,
        "one more run only"
    );
    let status = &limited.json()[0];
    assert_eq!(status["checks"][1]["name"], "chatwoot", "{status}");
    assert_eq!(status["checks"][1]["ok"], false, "{status}");
    let message = status["checks"][1]["message"].as_str().unwrap_or_default();
    for said in ["HTTP 429", "RACK_ATTACK_ALLOWED_IPS", "RACK_ATTACK_LIMIT"] {
        assert!(message.contains(said), "{said} in {message}");
    }
    assert_eq!(status["checks"][2]["ok"], Value::Null, "{status}");

    let (stopped, _) = one.service.stop().await;
    assert!(stopped.success());
}
