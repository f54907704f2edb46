//! Log hygiene at the most verbose level: no admin token, instance token,
//! Chatwoot access token or webhook signing secret in anything the process
//! writes, except the one
//! stdout line that hands out a generated admin token. Every request has a
//! request id in its access log line and in `X-Request-Id`.

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{service_env, sqlite_url, ADMIN};
use crate::support::chatwoot_double;
use crate::support::process::{run, workdir, Service};
use crate::support::{integration_path, TestInstance};

fn assert_absent(secrets: &[&str], text: &str, what: &str) {
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "{what} contains the secret {secret:?}:\n{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_trace_level_no_token_reaches_stdout_or_stderr_on_any_route_or_command() {
    // 4.13: the inbox's JSON carries its signing secret, which is stored.
    let double = chatwoot_double::healthy_double().await;
    double.set_version("4.13.0");
    let signing_secret = double.inbox(chatwoot_double::INBOX).expect("inbox").secret;
    let chatwoot = double.into_server();
    let dir = workdir();
    let url = sqlite_url(dir.path(), "hygiene.sqlite");
    let mut env = service_env(&url, "true");
    env.push(("RUST_LOG", "trace"));
    let service = Service::start(dir.path(), &env).await;

    let TestInstance {
        id,
        token: first_token,
    } = service.create_instance_as(ADMIN, "hygiene").await;
    let path = integration_path(&id);
    let set_body = json!({
        "accountId": chatwoot_double::ACCOUNT,
        "chatwootURL": chatwoot.uri(),
        "chatwootAccessToken": chatwoot_double::TOKEN,
        "inbox": chatwoot_double::INBOX,
    });
    let send = |method: Method, path: String, token: String, body: Option<Value>| {
        let mut request = service.request(method, &path, None).header("apikey", token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    let mut statuses = Vec::new();
    for (method, path, token, body) in [
        (
            Method::GET,
            "/api/v2/instance".to_owned(),
            ADMIN.to_owned(),
            None,
        ),
        (
            Method::GET,
            format!("/api/v2/instance/{id}"),
            first_token.clone(),
            None,
        ),
        (
            Method::POST,
            path.clone(),
            first_token.clone(),
            Some(set_body.clone()),
        ),
        (Method::GET, path.clone(), first_token.clone(), None),
        (
            Method::GET,
            format!("{path}/webhook-secret"),
            first_token.clone(),
            None,
        ),
        (
            Method::GET,
            format!("{path}/status"),
            first_token.clone(),
            None,
        ),
        (
            Method::PUT,
            path.clone(),
            first_token.clone(),
            Some(
                json!({"chatwootAccessToken": chatwoot_double::TOKEN, "integrationOptions": {"enabledGroup": true}}),
            ),
        ),
        (Method::DELETE, path.clone(), first_token.clone(), None),
        (
            Method::POST,
            path.clone(),
            ADMIN.to_owned(),
            Some(set_body.clone()),
        ),
        (
            Method::GET,
            format!("/api/v2/instance/{id}"),
            "wrong-token".to_owned(),
            None,
        ),
    ] {
        let res = send(method.clone(), path.clone(), token, body)
            .await
            .expect("request");
        let status = res.status().as_u16();
        if path.ends_with("/webhook-secret") {
            let served = res.text().await.expect("body");
            assert!(
                served.contains(&signing_secret),
                "the secret was stored: {served}"
            );
        }
        statuses.push((method, path, status));
    }
    assert_eq!(
        statuses.iter().map(|(_, _, s)| *s).collect::<Vec<_>>(),
        vec![200, 200, 201, 200, 200, 200, 200, 200, 201, 401],
        "{statuses:?}"
    );
    assert!(
        chatwoot
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .any(|r| r.url.path() == "/api/v1/profile"),
        "the token was really sent to Chatwoot"
    );

    let rotated: Value = service
        .request(
            Method::POST,
            &format!("/api/v2/instance/{id}/token"),
            Some(ADMIN),
        )
        .send()
        .await
        .expect("rotate")
        .json()
        .await
        .expect("JSON");
    let second_token = rotated["token"].as_str().expect("token").to_owned();
    let own = service
        .get(&format!("/api/v2/instance/{id}"), Some(&second_token))
        .await;
    assert_eq!(own.status(), 200);

    // The request id: the caller's, echoed and logged; else a generated one.
    let tagged = service
        .request(Method::GET, "/health/live", None)
        .header("X-Request-Id", "hygiene-req-42")
        .send()
        .await
        .expect("live");
    assert_eq!(tagged.headers()["x-request-id"], "hygiene-req-42");
    let untagged = service.get(&path, Some(&second_token)).await;
    let generated = untagged.headers()["x-request-id"]
        .to_str()
        .expect("ASCII id")
        .to_owned();
    assert_eq!(generated.len(), 36, "a UUID: {generated}");

    let deleted = service
        .request(
            Method::DELETE,
            &format!("/api/v2/instance/{id}"),
            Some(ADMIN),
        )
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), 200);
    let (status, process) = service.stop().await;
    assert!(status.success(), "{status}");

    let (stdout, stderr) = (process.stdout(), process.stderr());
    for id in ["hygiene-req-42", generated.as_str()] {
        assert!(
            stderr
                .lines()
                .any(|line| line.contains(&format!("request_id={id} ")) && line.contains("GET /")),
            "an access log line with request_id={id}:\n{stderr}"
        );
    }
    let access_lines: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("INFO  actix_web::middleware::logger]"))
        .collect();
    assert!(
        access_lines.len() >= 13,
        "one access line per request:\n{stderr}"
    );
    for line in &access_lines {
        let id = line
            .split("request_id=")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap_or_default();
        assert!(!id.is_empty() && id != "-", "a request id in {line}");
    }
    let secrets = [
        ADMIN,
        first_token.as_str(),
        second_token.as_str(),
        chatwoot_double::TOKEN,
        signing_secret.as_str(),
    ];
    assert_absent(&secrets, &stdout, "the service's stdout");
    assert_absent(&secrets, &stderr, "the service's stderr");
    assert!(
        stderr.contains("TRACE") || stderr.contains("DEBUG"),
        "the log really was verbose"
    );

    // The command line at trace level: a token appears only where the API
    // itself returns it, once, on stdout.
    let created = run(
        dir.path(),
        &env,
        &["instance", "create", "--name", "cli-hygiene"],
    )
    .await;
    assert!(created.status.success(), "{created:?}");
    let cli_token = created.json()["token"].as_str().expect("token").to_owned();
    let cli_id = created.json()["instanceId"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(created.stdout.matches(&cli_token).count(), 1, "{created:?}");
    let rotated = run(dir.path(), &env, &["instance", "rotate-token", &cli_id]).await;
    assert!(rotated.status.success(), "{rotated:?}");
    let rotated_token = rotated.json()["token"].as_str().expect("token").to_owned();
    let listed = run(dir.path(), &env, &["instance", "list"]).await;
    let cli_secrets = [
        ADMIN,
        cli_token.as_str(),
        rotated_token.as_str(),
        chatwoot_double::TOKEN,
    ];
    for finished in [&created, &rotated, &listed] {
        assert_absent(&cli_secrets, &finished.stderr, "a command's stderr");
    }
    assert_absent(&cli_secrets, &listed.stdout, "instance list");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_admin_token_is_written_exactly_once_on_stdout_and_never_in_the_log() {
    let dir = workdir();
    let url = sqlite_url(dir.path(), "generated.sqlite");
    let service = Service::start(
        dir.path(),
        &[("DATABASE_URL", url.as_str()), ("RUST_LOG", "trace")],
    )
    .await;
    let stdout = service.process.stdout();
    let token = stdout
        .lines()
        .next()
        .and_then(|line| line.rsplit(' ').next())
        .expect("the token line")
        .to_owned();
    assert_eq!(token.len(), 64, "{stdout}");

    let TestInstance { id, .. } = service.create_instance_as(&token, "generated").await;
    let read = service
        .get(&format!("/api/v2/instance/{id}"), Some(&token))
        .await;
    assert_eq!(read.status(), 200);
    let (status, process) = service.stop().await;
    assert!(status.success(), "{status}");

    assert_eq!(
        process.stdout().matches(&token).count(),
        1,
        "{}",
        process.output()
    );
    assert_absent(&[&token], &process.stderr(), "the log");
}
