//! The real application, started in-process on port 0 with its own
//! database and its own Chatwoot double.

use std::collections::HashMap;
use std::ops::Deref;

use actix_web::dev::ServerHandle;
use chatwoot_integration::Application;
use infrastructure::settings::Settings;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{json, Value};
use wiremock::MockServer;

use super::chatwoot_double;
use super::client::{TestClient, TestInstance};
use super::databases::{Backend, TestDatabase};

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef";

pub struct TestApp {
    http: TestClient,
    pub chatwoot: MockServer,
    /// Changes the double behind `chatwoot` (limits, suspensions, bots).
    pub chatwoot_handle: chatwoot_double::DoubleHandle,
    pub db: TestDatabase,
    /// `http://127.0.0.1:port` of `GET /metrics`, with `METRICS_ADDR` set.
    pub metrics_address: Option<String>,
    handle: ServerHandle,
    metrics_handle: Option<ServerHandle>,
}

/// The app is called through its client: `app.get(...)`, `app.request(...)`.
impl Deref for TestApp {
    type Target = TestClient;

    fn deref(&self) -> &TestClient {
        &self.http
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// `extra` are environment settings on top of the test defaults, e.g.
    /// `("CHATWOOT_VERIFY", "false")`.
    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> Self {
        let db = TestDatabase::create(backend).await;
        let double = chatwoot_double::healthy_double().await;
        let chatwoot_handle = double.handle();
        let chatwoot = double.into_server();
        let mut env: HashMap<String, String> = [
            ("DATABASE_URL", db.url.as_str()),
            ("LISTEN_ADDR", "127.0.0.1:0"),
            ("ADMIN_TOKEN", ADMIN_TOKEN),
            ("CHATWOOT_VERIFY", "true"),
            ("APP_HTTP__WORKERS", "2"),
            ("APP_DATABASE__MAX_CONNECTIONS", "8"),
            ("APP_CHATWOOT__TIMEOUT_MS", "2000"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (k, v) in extra {
            env.insert((*k).to_owned(), (*v).to_owned());
        }
        let no_config = tempfile::tempdir().expect("empty config dir");
        let settings = Settings::load_from(no_config.path(), &env).expect("test settings");
        let app = Application::build(&settings, &SecretString::from(ADMIN_TOKEN))
            .await
            .expect("application starts");
        let handle = app.server.handle();
        actix_web::rt::spawn(app.server);
        let metrics_address = app
            .metrics
            .as_ref()
            .map(|metrics| format!("http://127.0.0.1:{}", metrics.port));
        let metrics_handle = app.metrics.map(|metrics| {
            let handle = metrics.server.handle();
            actix_web::rt::spawn(metrics.server);
            handle
        });
        Self {
            http: TestClient::new(app.port),
            chatwoot,
            chatwoot_handle,
            db,
            metrics_address,
            handle,
            metrics_handle,
        }
    }

    /// Creates an instance as the admin.
    pub async fn create_instance(&self, name: &str) -> TestInstance {
        self.create_instance_as(ADMIN_TOKEN, name).await
    }

    /// An instance with the integration of [`Self::valid_set_body`].
    pub async fn instance_with_integration(&self, name: &str) -> TestInstance {
        let inst = self.create_instance(name).await;
        let res = self.set_integration(&inst, &self.valid_set_body()).await;
        assert_eq!(res.status(), 201, "setting the integration of {name}");
        inst
    }

    /// Whether the Chatwoot double has had no request at all.
    pub async fn chatwoot_untouched(&self) -> bool {
        let received = self.chatwoot.received_requests().await;
        received.unwrap_or_default().is_empty()
    }

    /// Asks the Chatwoot double, as its administrator, to create or change
    /// an inbox of account 12, the way Chatwoot's own API does it.
    pub async fn chatwoot_admin(&self, method: Method, path: &str, body: Value) {
        let res = self
            .chatwoot_as_admin(method, path)
            .json(&body)
            .send()
            .await
            .expect("chatwoot answers");
        assert_eq!(res.status(), 200, "chatwoot {path}");
    }

    /// The inboxes of account 12 as Chatwoot lists them to its administrator.
    pub async fn chatwoot_inboxes(&self) -> Vec<Value> {
        let res = self
            .chatwoot_as_admin(Method::GET, "inboxes")
            .send()
            .await
            .expect("chatwoot answers");
        let listed: Value = res.json().await.expect("chatwoot answers JSON");
        listed["payload"].as_array().cloned().unwrap_or_default()
    }

    fn chatwoot_as_admin(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let url = format!(
            "{}/api/v1/accounts/{}/{path}",
            self.chatwoot.uri(),
            chatwoot_double::ACCOUNT
        );
        self.client
            .request(method, url)
            .header("api_access_token", chatwoot_double::TOKEN)
    }

    /// A Set body that the healthy Chatwoot double accepts.
    pub fn valid_set_body(&self) -> Value {
        json!({
            "accountId": chatwoot_double::ACCOUNT,
            "chatwootURL": self.chatwoot.uri(),
            "chatwootAccessToken": chatwoot_double::TOKEN,
            "inbox": chatwoot_double::INBOX,
        })
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting; the database is dropped right after.
        drop(self.handle.stop(false));
        if let Some(metrics) = &self.metrics_handle {
            drop(metrics.stop(false));
        }
    }
}
