//! Encryption at rest of the stored Chatwoot access tokens: ciphertext in
//! the database, clear text in the API; plaintext rows still read; key
//! rotation with `reencrypt-tokens`; a wrong key stops the start, and a row
//! under another key met later is an error an operator can act on.

use std::path::Path;

use reqwest::Method;
use serde_json::Value;

use crate::common::{
    assert_error_shape, raw_rows, service_env, sqlite_url, unchecked_set_body, ADMIN,
};
use crate::support::process::{run, workdir, Service};
use crate::support::{integration_path, TestInstance};

const KEY_A: &str = "3f1d4c5b6a79880796a5b4c3d2e1f00112233445566778899aabbccddeeff001";
/// 32 bytes in base64, the other accepted spelling.
const KEY_B: &str = "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=";
const TOKEN: &str = "cw-secret-at-rest-7d2e";
const KEY_VARIABLE: &str = "APP_SECURITY__TOKEN_ENCRYPTION_KEY";
const PREVIOUS_VARIABLE: &str = "APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS";

struct Setup {
    dir: tempfile::TempDir,
    url: String,
}

impl Setup {
    fn new() -> Self {
        let dir = workdir();
        let url = sqlite_url(dir.path(), "at-rest.sqlite");
        Self { dir, url }
    }

    fn env<'a>(&'a self, keys: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut env = service_env(&self.url, "false");
        env.extend_from_slice(keys);
        env
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    async fn stored_token(&self) -> String {
        let rows = raw_rows(
            &self.url,
            "SELECT chatwoot_access_token FROM chatwoot_integrations",
        )
        .await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        rows[0][0].clone()
    }

    /// Every byte SQLite keeps on disk for this database.
    fn file_bytes(&self) -> Vec<u8> {
        ["at-rest.sqlite", "at-rest.sqlite-wal"]
            .iter()
            .filter_map(|f| std::fs::read(self.path().join(f)).ok())
            .flatten()
            .collect()
    }
}

/// Starts, creates an instance, sets the integration with [`TOKEN`], stops.
async fn store_a_token(setup: &Setup, keys: &[(&str, &str)]) -> String {
    let service = Service::start(setup.path(), &setup.env(keys)).await;
    let TestInstance { id, .. } = service.create_instance_as(ADMIN, "at-rest").await;
    let set = service
        .write_integration(Method::POST, &id, ADMIN, &unchecked_set_body(12, TOKEN))
        .await;
    assert_eq!(set.status(), 201);
    assert_eq!(
        set.json::<Value>().await.expect("JSON")["chatwootAccessToken"],
        TOKEN
    );
    let (status, _) = service.stop().await;
    assert!(status.success());
    id
}

async fn read_token(setup: &Setup, keys: &[(&str, &str)], id: &str) -> String {
    let service = Service::start(setup.path(), &setup.env(keys)).await;
    let res = service.get(&integration_path(id), Some(ADMIN)).await;
    assert_eq!(res.status(), 200, "{}", service.process.output());
    let body: Value = res.json().await.expect("JSON");
    let (status, _) = service.stop().await;
    assert!(status.success());
    body["chatwootAccessToken"]
        .as_str()
        .expect("token")
        .to_owned()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn with_a_key_the_database_holds_ciphertext_and_the_api_returns_the_token_in_clear() {
    let setup = Setup::new();
    let id = store_a_token(&setup, &[(KEY_VARIABLE, KEY_A)]).await;
    let stored = setup.stored_token().await;
    assert!(stored.starts_with("enc:v1:"), "{stored}");
    assert!(!stored.contains(TOKEN));
    assert!(
        !contains(&setup.file_bytes(), TOKEN),
        "the token is nowhere in the database files"
    );
    assert_eq!(
        read_token(&setup, &[(KEY_VARIABLE, KEY_A)], &id).await,
        TOKEN
    );
}

#[tokio::test]
async fn without_a_key_the_token_is_stored_as_given() {
    let setup = Setup::new();
    let id = store_a_token(&setup, &[]).await;
    assert_eq!(setup.stored_token().await, TOKEN);
    assert_eq!(read_token(&setup, &[], &id).await, TOKEN);
}

#[tokio::test]
async fn a_key_turned_on_later_reads_old_rows_and_reencrypt_tokens_rotates_to_a_new_key() {
    let setup = Setup::new();
    let id = store_a_token(&setup, &[]).await;
    assert_eq!(
        read_token(&setup, &[(KEY_VARIABLE, KEY_A)], &id).await,
        TOKEN,
        "plaintext rows still read"
    );

    let sealed = run(
        setup.path(),
        &setup.env(&[(KEY_VARIABLE, KEY_A)]),
        &["reencrypt-tokens"],
    )
    .await;
    assert!(sealed.status.success(), "{sealed:?}");
    assert_eq!(sealed.json(), serde_json::json!({"reencrypted": 1}));
    let under_a = setup.stored_token().await;
    assert!(under_a.starts_with("enc:v1:"), "{under_a}");

    // Rotation: the new key current, the old one only for reading.
    let rotation = [(KEY_VARIABLE, KEY_B), (PREVIOUS_VARIABLE, KEY_A)];
    assert_eq!(
        read_token(&setup, &rotation, &id).await,
        TOKEN,
        "readable mid-rotation"
    );
    let rotated = run(setup.path(), &setup.env(&rotation), &["reencrypt-tokens"]).await;
    assert!(rotated.status.success(), "{rotated:?}");
    let under_b = setup.stored_token().await;
    assert_ne!(under_b, under_a);
    assert_eq!(
        read_token(&setup, &[(KEY_VARIABLE, KEY_B)], &id).await,
        TOKEN,
        "the old key is no longer needed"
    );

    let without_key = run(setup.path(), &setup.env(&[]), &["reencrypt-tokens"]).await;
    assert!(!without_key.status.success(), "{without_key:?}");
    assert!(without_key.stderr.contains(KEY_VARIABLE), "{without_key:?}");
}

/// The message of every refusal of a token no configured key decrypts:
/// it names both settings, so an operator knows where to put the key.
fn names_the_way_out(message: &str) {
    assert!(message.contains(KEY_VARIABLE), "{message}");
    assert!(message.contains(PREVIOUS_VARIABLE), "{message}");
    assert!(!message.contains("enc:v1"), "{message}");
    assert!(!message.contains(TOKEN), "{message}");
}

/// Starts the service with `keys` on the stored rows; it must refuse, with
/// one error line, which is returned.
async fn refused_start(setup: &Setup, keys: &[(&str, &str)]) -> String {
    let mut env = setup.env(keys);
    env.push(("LISTEN_ADDR", "127.0.0.1:0"));
    let started = run(setup.path(), &env, &["serve"]).await;
    assert!(!started.status.success(), "{started:?}");
    assert!(!started.stdout.contains("listening"), "{started:?}");
    let lines: Vec<_> = started
        .stderr
        .lines()
        .filter(|line| line.contains("ERROR"))
        .collect();
    assert_eq!(lines.len(), 1, "{started:?}");
    lines[0].to_owned()
}

#[tokio::test]
async fn a_wrong_key_stops_the_start_with_one_line_naming_the_way_out() {
    let setup = Setup::new();
    store_a_token(&setup, &[(KEY_VARIABLE, KEY_A)]).await;

    let line = refused_start(&setup, &[(KEY_VARIABLE, KEY_B)]).await;

    assert!(
        line.contains("1 stored Chatwoot access token does not decrypt"),
        "{line}"
    );
    names_the_way_out(&line);
}

#[tokio::test]
async fn encrypted_rows_without_any_key_stop_the_start_saying_the_key_is_missing() {
    let setup = Setup::new();
    store_a_token(&setup, &[(KEY_VARIABLE, KEY_A)]).await;

    let line = refused_start(&setup, &[]).await;

    assert!(
        line.contains(&format!("{KEY_VARIABLE} is not set")),
        "{line}"
    );
}

/// A replica with another key writes a row while this one runs: ready
/// answers 503 and requests on that row say what the operator must do,
/// in the error shape; setting it again under this key heals both.
#[tokio::test]
async fn a_row_under_another_key_makes_ready_503_and_requests_say_what_to_do() {
    let setup = Setup::new();
    let service = Service::start(setup.path(), &setup.env(&[(KEY_VARIABLE, KEY_B)])).await;
    let id = store_a_token(&setup, &[(KEY_VARIABLE, KEY_A)]).await;

    for path in [
        integration_path(&id),
        format!("{}/status", integration_path(&id)),
    ] {
        let res = service.get(&path, Some(ADMIN)).await;
        assert_eq!(res.status(), 500, "{path}");
        let body: Value = res.json().await.expect("JSON");
        let messages = assert_error_shape(&body, 500, "Internal Server Error");
        assert_eq!(messages.len(), 1, "{messages:?}");
        names_the_way_out(&messages[0]);
    }
    let ready = service.get("/health/ready", None).await;
    assert_eq!(ready.status(), 503);
    let body: Value = ready.json().await.expect("JSON");
    let messages = assert_error_shape(&body, 503, "Service Unavailable");
    names_the_way_out(&messages[0]);
    let live = service.get("/health/live", None).await;
    assert_eq!(live.status(), 200, "still running");

    // The way out for that integration: set it again, under this key.
    let set = service
        .write_integration(
            Method::POST,
            &id,
            ADMIN,
            &unchecked_set_body(12, "cw-token-set-again"),
        )
        .await;
    assert_eq!(set.status(), 201);
    let read = service.get(&integration_path(&id), Some(ADMIN)).await;
    assert_eq!(read.status(), 200);
    assert_eq!(
        read.json::<Value>().await.expect("JSON")["chatwootAccessToken"],
        "cw-token-set-again"
    );
    let ready = service.get("/health/ready", None).await;
    assert_eq!(ready.status(), 200, "ready again");

    let (status, process) = service.stop().await;
    assert!(status.success());
    let log = process.stderr();
    assert!(log.contains("no configured key decrypts"), "{log}");
    assert!(!log.contains(TOKEN));
}
