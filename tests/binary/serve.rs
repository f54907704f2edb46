//! The README's serve command from a fresh folder, restarts and migrations.

use reqwest::Method;
use serde_json::Value;

use crate::common::{raw_rows, service_env, sqlite_url, unchecked_set_body, ADMIN};
use crate::support::process::{run, workdir, Service};
use crate::support::{integration_path, TestInstance};

const MIGRATIONS: &str = "SELECT version, applied_at FROM seaql_migrations ORDER BY version";

#[tokio::test]
async fn the_readme_serve_command_works_from_an_empty_folder_without_any_setting() {
    let dir = workdir();
    // No DATABASE_URL, no ADMIN_TOKEN, no config folder: only a port of
    // its own, as 8080 may be taken.
    let service = Service::start(dir.path(), &[]).await;

    assert!(
        dir.path()
            .join("data/chatwoot-integration.sqlite")
            .is_file(),
        "the default SQLite file is created under ./data/"
    );
    let ready = service.get("/health/ready", None).await;
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<Value>().await.expect("JSON"),
        serde_json::json!({"status": "ok"})
    );

    let stdout = service.process.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stdout: {stdout}");
    let token = lines[0]
        .rsplit(' ')
        .next()
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| panic!("a 64-hex token at the end of {stdout:?}"));

    let as_admin = service.get("/api/v2/instance", Some(token)).await;
    assert_eq!(as_admin.status(), 200, "the printed token is the admin's");
    let stranger = service.get("/api/v2/instance", Some(&"0".repeat(64))).await;
    assert_eq!(stranger.status(), 401);

    let (status, _) = service.stop().await;
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn a_restart_keeps_the_data_and_does_not_apply_the_migrations_again() {
    let dir = workdir();
    let url = sqlite_url(dir.path(), "restart.sqlite");
    let env = service_env(&url, "false");

    let first = Service::start(dir.path(), &env).await;
    let TestInstance { id, token } = first.create_instance_as(ADMIN, "restart-me").await;
    let set = first
        .write_integration(
            Method::POST,
            &id,
            &token,
            &unchecked_set_body(12, "cw-restart-token"),
        )
        .await;
    assert_eq!(set.status(), 201);
    let before: Value = first
        .get(&integration_path(&id), Some(&token))
        .await
        .json()
        .await
        .expect("JSON");
    let (status, _) = first.stop().await;
    assert!(status.success(), "first run exits 0: {status}");
    let migrations = raw_rows(&url, MIGRATIONS).await;
    assert!(!migrations.is_empty(), "the first start applied migrations");

    let second = Service::start(dir.path(), &env).await;
    let after = second.get(&integration_path(&id), Some(&token)).await;
    assert_eq!(after.status(), 200, "the instance token still works");
    assert_eq!(after.json::<Value>().await.expect("JSON"), before);
    let (status, _) = second.stop().await;
    assert!(status.success(), "second run exits 0: {status}");

    assert_eq!(
        raw_rows(&url, MIGRATIONS).await,
        migrations,
        "the second start applied nothing"
    );
}

#[tokio::test]
async fn migrate_twice_on_the_same_database_exits_zero_and_changes_nothing_the_second_time() {
    let dir = workdir();
    let url = sqlite_url(dir.path(), "migrate.sqlite");
    let env = [("DATABASE_URL", url.as_str())];

    let first = run(dir.path(), &env, &["migrate"]).await;
    assert!(first.status.success(), "{first:?}");
    let migrations = raw_rows(&url, MIGRATIONS).await;
    assert!(migrations.len() >= 2, "{migrations:?}");

    let second = run(dir.path(), &env, &["migrate"]).await;
    assert!(second.status.success(), "{second:?}");
    assert_eq!(raw_rows(&url, MIGRATIONS).await, migrations);
}

#[tokio::test]
async fn the_hidden_healthcheck_command_succeeds_only_while_the_service_answers() {
    let dir = workdir();
    let url = sqlite_url(dir.path(), "health.sqlite");
    let service = Service::start(dir.path(), &[("DATABASE_URL", url.as_str())]).await;
    let on_loopback = format!("127.0.0.1:{}", service.port);
    // What the container sets: every interface, probed on loopback.
    let on_every_interface = format!("0.0.0.0:{}", service.port);
    for addr in [&on_loopback, &on_every_interface] {
        let probe = run(
            dir.path(),
            &[("LISTEN_ADDR", addr.as_str())],
            &["healthcheck"],
        )
        .await;
        assert!(probe.status.success(), "{addr}: {probe:?}");
    }
    let (status, _) = service.stop().await;
    assert!(status.success());

    let probe = run(
        dir.path(),
        &[("LISTEN_ADDR", on_loopback.as_str())],
        &["healthcheck"],
    )
    .await;
    assert!(
        !probe.status.success(),
        "nothing listens any more: {probe:?}"
    );
    assert!(probe.stderr.contains("unhealthy"), "{probe:?}");
}
