//! `chatwoot-integration check [INSTANCE_ID]`: the status JSON of one
//! integration or of every live one, exit 0 only when every enabled
//! integration is healthy, and at most four instances checked at once.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_error_shape, raw_rows, service_env, sqlite_url, ADMIN};
use crate::support::chatwoot_double;
use crate::support::process::{run, workdir, Finished, Service};
use crate::support::TestInstance;

fn env<'a>(url: &'a str, verify: &'static str) -> Vec<(&'a str, &'a str)> {
    let mut env = service_env(url, verify);
    env.push(("APP_CHATWOOT__TIMEOUT_MS", "2000"));
    env
}

async fn check(dir: &Path, url: &str, verify: &'static str, args: &[&str]) -> Finished {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    run(dir, &env(url, verify), &all).await
}

async fn set(service: &Service, name: &str, body: &Value) -> TestInstance {
    let inst = service.create_instance_as(ADMIN, name).await;
    let res = service
        .write_integration(Method::POST, &inst.id, ADMIN, body)
        .await;
    assert_eq!(res.status(), 201, "set {name}");
    inst
}

/// The `instanceId` of each status printed, in order.
fn instance_ids(listed: &Value) -> Vec<Value> {
    let statuses = listed.as_array().expect("an array");
    statuses
        .iter()
        .map(|status| status["instanceId"].clone())
        .collect()
}

fn healthy(status: &Value) -> &Value {
    &status["healthy"]
}

#[tokio::test]
async fn check_prints_the_status_and_exits_0_only_when_every_enabled_integration_is_healthy() {
    let dir = workdir();
    let dir = dir.path();
    let url = sqlite_url(dir, "check.sqlite");
    let chatwoot = chatwoot_double::healthy().await;
    let service = Service::start(dir, &env(&url, "true")).await;
    let body = json!({
        "accountId": chatwoot_double::ACCOUNT,
        "chatwootURL": chatwoot.uri(),
        "chatwootAccessToken": chatwoot_double::TOKEN,
        "inbox": chatwoot_double::INBOX,
    });
    let first = set(&service, "first", &body).await;
    let bare = service.create_instance_as(ADMIN, "bare").await;
    let mut no_inbox = body.clone();
    no_inbox["inbox"] = Value::Null;
    let second = set(&service, "second", &no_inbox).await;

    let all = check(dir, &url, "true", &[]).await;
    assert!(all.status.success(), "{all:?}");
    // Without CHATWOOT_WEBHOOK_URL the webhooks are not judged: said once.
    let unjudged = "CHATWOOT_WEBHOOK_URL is not set, so no inbox's webhook was checked";
    assert_eq!(all.stderr.matches(unjudged).count(), 1, "{all:?}");
    let listed = all.json();
    assert_eq!(
        instance_ids(&listed),
        [json!(first.id), json!(second.id)],
        "live ones, in list order"
    );
    for status in listed.as_array().expect("an array") {
        assert_eq!(healthy(status), true, "{status}");
        assert_eq!(
            status["checks"].as_array().map(Vec::len),
            Some(9),
            "{status}"
        );
    }

    let one = check(dir, &url, "true", &[&first.id]).await;
    assert!(one.status.success(), "{one:?}");
    let one = one.json();
    assert!(one.get("instanceId").is_none(), "{one}");
    assert_eq!(one["chatwootVersion"], chatwoot_double::VERSION);
    assert_eq!(
        one["checks"][4],
        json!({"name": "inbox", "ok": true, "message": null})
    );

    for missing in [bare.id.as_str(), "not-a-uuid"] {
        let refused = check(dir, &url, "true", &[missing]).await;
        assert!(!refused.status.success(), "{refused:?}");
        assert_error_shape(&refused.json(), 404, "Not Found");
    }

    // A disabled integration that does not work is shown, and does not count.
    let down = json!({"enabled": false, "chatwootURL": "http://127.0.0.1:9"});
    let res = service
        .write_integration(Method::PUT, &second.id, ADMIN, &down)
        .await;
    assert_eq!(res.status(), 200);
    let all = check(dir, &url, "true", &[]).await;
    assert!(all.status.success(), "{all:?}");
    let listed = all.json();
    assert_eq!(listed[1]["enabled"], false, "{listed}");
    assert_eq!(healthy(&listed[1]), false, "{listed}");

    // An enabled one that fails makes it exit 1.
    Mock::given(method("GET"))
        .and(path("/api/v1/profile"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"error": "Invalid Access Token"})),
        )
        .mount(&chatwoot)
        .await;
    let failing = check(dir, &url, "true", &[]).await;
    assert_eq!(failing.status.code(), Some(1), "{failing:?}");
    let listed = failing.json();
    assert_eq!(healthy(&listed[0]), false, "{listed}");
    assert_eq!(listed[0]["checks"][2]["ok"], false, "{listed}");

    // Unchecked is not healthy: exit 1, and stderr says why.
    let unchecked = check(dir, &url, "false", &[&first.id]).await;
    assert_eq!(unchecked.status.code(), Some(1), "{unchecked:?}");
    assert_eq!(healthy(&unchecked.json()), &Value::Null);
    assert!(
        unchecked.stderr.contains("CHATWOOT_VERIFY=false"),
        "{unchecked:?}"
    );

    let mut with_template = env(&url, "true");
    with_template.push((
        "CHATWOOT_WEBHOOK_URL",
        "https://gw.example.com/hook/{instanceId}",
    ));
    let judged = run(dir, &with_template, &["check", &second.id]).await;
    assert!(!judged.stderr.contains(unjudged), "{judged:?}");

    let (stopped, _) = service.stop().await;
    assert!(stopped.success());
}

/// A check refused for its database: exit 2, nothing on stdout, one line
/// on stderr naming DATABASE_URL, which is returned.
fn refused(checked: &Finished) -> String {
    assert_eq!(checked.status.code(), Some(2), "{checked:?}");
    assert_eq!(checked.stdout, "", "{checked:?}");
    let lines: Vec<_> = checked.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{checked:?}");
    assert!(lines[0].starts_with("DATABASE_URL: "), "{checked:?}");
    lines[0].to_owned()
}

/// `check` never creates a database nor applies migrations: a wrong
/// DATABASE_URL is exit 2 with one line saying what is wrong, not an empty
/// `[]` that a cron job would read as all well.
#[tokio::test]
async fn check_on_a_missing_or_empty_database_is_exit_2_and_creates_nothing() {
    let dir = workdir();
    let dir = dir.path();
    let missing = dir.join("nowhere").join("wrong.sqlite");
    let url = format!("sqlite://{}", missing.display());

    let line = refused(&check(dir, &url, "false", &[]).await);

    assert!(line.contains("does not exist"), "{line}");
    assert!(!missing.exists(), "no file created");
    assert!(!dir.join("nowhere").exists(), "no folder created");

    let empty = dir.join("empty.sqlite");
    std::fs::File::create(&empty).expect("an empty file");
    let url = sqlite_url(dir, "empty.sqlite");
    for args in [&[][..], &["9b2f0000-0000-4000-8000-000000000000"][..]] {
        let line = refused(&check(dir, &url, "false", args).await);

        assert!(line.contains("no schema"), "{line}");
    }
    assert_eq!(
        std::fs::metadata(&empty).expect("the file").len(),
        0,
        "no table created"
    );

    // A database of an older version: told to migrate, not migrated.
    let migrated = run(dir, &env(&url, "false"), &["migrate"]).await;
    assert!(migrated.status.success(), "{migrated:?}");
    let last = "m20261201_000003_one_live_integration_per_inbox";
    raw_rows(
        &url,
        &format!("DELETE FROM seaql_migrations WHERE version = '{last}'"),
    )
    .await;
    let line = refused(&check(dir, &url, "false", &[]).await);
    assert!(line.contains(last), "{line}");
    assert!(line.contains("chatwoot-integration migrate"), "{line}");
    let versions = raw_rows(&url, "SELECT version FROM seaql_migrations").await;
    assert!(
        !versions.iter().any(|row| row[0] == last),
        "check applied nothing: {versions:?}"
    );
}

/// A stand-in for Chatwoot that holds every connection a while before it
/// answers `GET /api` (and anything else) like Chatwoot's `/api`, and
/// counts the connections open at once.
async fn counting_chatwoot() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let open = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let seen = most.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (open, most) = (open.clone(), most.clone());
            tokio::spawn(async move {
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                tokio::time::sleep(Duration::from_millis(300)).await;
                let body = r#"{"version":"4.1.0"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                open.fetch_sub(1, Ordering::SeqCst);
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    (format!("http://{address}"), seen)
}

#[tokio::test]
async fn check_runs_at_most_four_instances_at_once_and_prints_them_in_order() {
    let dir = workdir();
    let dir = dir.path();
    let url = sqlite_url(dir, "check.sqlite");
    let (chatwoot, most_at_once) = counting_chatwoot().await;
    let service = Service::start(dir, &env(&url, "true")).await;
    let mut ids = Vec::new();
    for n in 0..7 {
        // Disabled: saved without asking Chatwoot, checked all the same.
        let body = json!({
            "enabled": false,
            "accountId": n + 1,
            "chatwootURL": chatwoot,
            "chatwootAccessToken": "token",
        });
        ids.push(json!(set(&service, &format!("gw-{n}"), &body).await.id));
    }

    let all = check(dir, &url, "true", &[]).await;

    assert_eq!(instance_ids(&all.json()), ids, "{all:?}");
    let most = most_at_once.load(Ordering::SeqCst);
    assert!(most <= 4, "{most} instances checked at once");
    assert!(most >= 2, "checked one by one");
    let (stopped, _) = service.stop().await;
    assert!(stopped.success());
}
