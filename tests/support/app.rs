//! The real application, started in-process on port 0 with its own
//! database and its own Chatwoot double.

use std::collections::HashMap;

use actix_web::dev::ServerHandle;
use chatwoot_integration::Application;
use infrastructure::settings::Settings;
use reqwest::{Client, Method, RequestBuilder, Response};
use secrecy::SecretString;
use serde_json::{json, Value};
use wiremock::MockServer;

use super::chatwoot_double;
use super::databases::{Backend, TestDatabase};

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef";

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub chatwoot: MockServer,
    pub db: TestDatabase,
    /// `http://127.0.0.1:port` of `GET /metrics`, with `METRICS_ADDR` set.
    pub metrics_address: Option<String>,
    handle: ServerHandle,
    metrics_handle: Option<ServerHandle>,
}

/// A created instance as the tests use it.
pub struct TestInstance {
    pub id: String,
    pub token: String,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// `extra` are environment settings on top of the test defaults, e.g.
    /// `("CHATWOOT_VERIFY", "false")`.
    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> Self {
        let db = TestDatabase::create(backend).await;
        let chatwoot = chatwoot_double::healthy().await;
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
            address: format!("http://127.0.0.1:{}", app.port),
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            chatwoot,
            db,
            metrics_address,
            handle,
            metrics_handle,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        self.request(method, path, token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::DELETE, path, token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn create_instance(&self, name: &str) -> TestInstance {
        let res = self
            .send_json(
                Method::POST,
                "/api/v2/instance",
                Some(ADMIN_TOKEN),
                &json!({ "name": name }),
            )
            .await;
        assert_eq!(res.status(), 201, "creating instance {name}");
        let body: Value = res.json().await.expect("json");
        TestInstance {
            id: body["instanceId"].as_str().expect("instanceId").to_owned(),
            token: body["token"].as_str().expect("token").to_owned(),
        }
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

    pub async fn set_integration(&self, instance: &TestInstance, body: &Value) -> Response {
        self.send_json(
            Method::POST,
            &integration_path(&instance.id),
            Some(&instance.token),
            body,
        )
        .await
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

pub fn integration_path(instance_id: &str) -> String {
    format!("/api/v2/instance/{instance_id}/chatwoot-integration")
}

/// Reads a JSON body, failing the test with the raw text if it is not JSON.
pub async fn json_body(res: Response) -> Value {
    let text = res.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts the contract's error shape and returns its messages.
pub async fn assert_error(res: Response, status: u16, reason: &str) -> Vec<String> {
    assert_eq!(res.status().as_u16(), status, "status");
    assert_error_shape(&json_body(res).await, status, reason)
}

/// Asserts that a body is the contract's error shape (exactly `message`,
/// `error`, `statusCode`); returns its messages.
pub fn assert_error_shape(body: &Value, status: u16, reason: &str) -> Vec<String> {
    assert_eq!(body["statusCode"], status, "statusCode in {body}");
    assert_eq!(body["error"], reason, "error in {body}");
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(3),
        "exactly message, error, statusCode: {body}"
    );
    body["message"]
        .as_array()
        .unwrap_or_else(|| panic!("message must be an array: {body}"))
        .iter()
        .map(|m| m.as_str().expect("message strings").to_owned())
        .collect()
}
