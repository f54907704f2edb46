//! The admin command line prints what the HTTP API answers, and bad
//! configuration stops any command with one line naming the variable.

use serde_json::Value;

use std::path::Path;

use crate::common::{assert_error_shape, sqlite_url};
use crate::support::process::{run, workdir, Finished};

async fn cli(dir: &Path, args: &[&str]) -> Finished {
    let url = sqlite_url(dir, "cli.sqlite");
    run(dir, &[("DATABASE_URL", url.as_str())], args).await
}

#[tokio::test]
async fn instance_commands_print_the_api_json_and_failures_print_the_error_shape() {
    let dir = workdir();
    let dir = dir.path();

    let created = cli(
        dir,
        &[
            "instance",
            "create",
            "--name",
            "cli-line",
            "--description",
            "From the CLI",
        ],
    )
    .await;
    assert!(created.status.success(), "{created:?}");
    let created = created.json();
    let id = created["instanceId"]
        .as_str()
        .expect("instanceId")
        .to_owned();
    let token = created["token"].as_str().expect("token").to_owned();
    assert_eq!(created["name"], "cli-line");
    assert_eq!(created["description"], "From the CLI");
    assert_eq!(token.len(), 64, "{created}");
    assert!(created["createdAt"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));

    let listed = cli(dir, &["instance", "list"]).await;
    assert!(listed.status.success(), "{listed:?}");
    let listed = listed.json();
    let list = listed.as_array().expect("a JSON array");
    assert_eq!(list.len(), 1, "{listed}");
    assert_eq!(list[0]["instanceId"], id.as_str());
    assert!(
        list[0].get("token").is_none(),
        "no token in a list: {listed}"
    );

    let taken = cli(dir, &["instance", "create", "--name", "cli-line"]).await;
    assert!(!taken.status.success(), "{taken:?}");
    assert_error_shape(&taken.json(), 409, "Conflict");

    let invalid = cli(dir, &["instance", "create", "--name", "no spaces allowed"]).await;
    assert!(!invalid.status.success(), "{invalid:?}");
    let messages = assert_error_shape(&invalid.json(), 400, "Bad Request");
    assert!(messages.iter().any(|m| m.contains("name")), "{messages:?}");

    let rotated = cli(dir, &["instance", "rotate-token", &id]).await;
    assert!(rotated.status.success(), "{rotated:?}");
    let rotated = rotated.json();
    assert_eq!(rotated["instanceId"], id.as_str());
    let new_token = rotated["token"].as_str().expect("token");
    assert_eq!(new_token.len(), 64);
    assert_ne!(new_token, token, "a new token");

    let deleted = cli(dir, &["instance", "delete", &id]).await;
    assert!(deleted.status.success(), "{deleted:?}");
    assert_eq!(deleted.json()["instanceId"], id.as_str());

    for args in [
        ["instance", "delete", &id],
        ["instance", "rotate-token", &id],
    ] {
        let gone = cli(dir, &args).await;
        assert!(!gone.status.success(), "{args:?}: {gone:?}");
        assert_error_shape(&gone.json(), 404, "Not Found");
    }
    let malformed = cli(dir, &["instance", "delete", "not-a-uuid"]).await;
    assert!(!malformed.status.success(), "{malformed:?}");
    assert_error_shape(&malformed.json(), 404, "Not Found");

    let empty = cli(dir, &["instance", "list"]).await;
    assert_eq!(empty.json(), Value::Array(vec![]));
}

#[tokio::test]
async fn an_invalid_setting_stops_every_command_with_one_line_naming_the_variable() {
    let dir = workdir();
    let cases = [
        ("LISTEN_ADDR", "nowhere"),
        ("CHATWOOT_VERIFY", "maybe"),
        ("DATABASE_URL", "oracle://db.example/x"),
        ("APP_DATABASE__ACQUIRE_TIMEOUT_MS", "0"),
        ("APP_SECURITY__TOKEN_ENCRYPTION_KEY", "not-a-32-byte-key"),
    ];
    for (variable, value) in cases {
        for command in [&["serve"][..], &["migrate"][..], &["instance", "list"][..]] {
            let finished = run(dir.path(), &[(variable, value)], command).await;
            assert!(
                !finished.status.success(),
                "{variable}={value} {command:?}: {finished:?}"
            );
            let lines: Vec<&str> = finished.stderr.lines().collect();
            assert_eq!(
                lines.len(),
                1,
                "{variable}={value} {command:?}: {finished:?}"
            );
            let named = variable
                .to_lowercase()
                .replace("app_", "")
                .replace("__", ".");
            assert!(
                lines[0].contains(variable) || lines[0].contains(&named),
                "{variable} named in {:?}",
                lines[0]
            );
            assert!(finished.stdout.is_empty(), "{finished:?}");
        }
    }
    assert!(
        !dir.path().join("data").exists(),
        "nothing is created when the configuration is refused"
    );
}
