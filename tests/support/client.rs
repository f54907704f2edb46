//! The HTTP client of the tests, for the service in the test process
//! (`TestApp`) and as a child process (`process::Service`) alike: requests
//! with or without a token, the calls the tests make most, and the
//! contract's error shape.

use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::{json, Value};

use super::process::PATIENCE;

pub struct TestClient {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// No redirects followed, and no request waits past [`PATIENCE`].
    pub client: Client,
}

/// A created instance as the tests use it.
#[derive(Clone)]
pub struct TestInstance {
    pub id: String,
    pub token: String,
}

impl TestClient {
    pub fn new(port: u16) -> Self {
        Self {
            base: format!("http://127.0.0.1:{port}"),
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(PATIENCE)
                .build()
                .expect("client"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        sent(self.request(Method::GET, path, token)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        sent(self.request(Method::DELETE, path, token)).await
    }

    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        sent(self.request(method, path, token).json(body)).await
    }

    /// `POST /api/v2/instance` of `body` with `token`.
    pub async fn post_instance(&self, token: &str, body: &Value) -> Response {
        let path = "/api/v2/instance";
        self.send_json(Method::POST, path, Some(token), body).await
    }

    /// Creates an instance with the `admin` token.
    pub async fn create_instance_as(&self, admin: &str, name: &str) -> TestInstance {
        let res = self.post_instance(admin, &json!({ "name": name })).await;
        assert_eq!(res.status(), 201, "creating instance {name}");
        let body = json_body(res).await;
        TestInstance {
            id: body["instanceId"].as_str().expect("instanceId").to_owned(),
            token: body["token"].as_str().expect("token").to_owned(),
        }
    }

    /// The instance's integration, read with its own token.
    pub async fn get_integration(&self, instance: &TestInstance) -> Response {
        self.get(&integration_path(&instance.id), Some(&instance.token))
            .await
    }

    /// Deletes the instance's integration with its own token.
    pub async fn delete_integration(&self, instance: &TestInstance) -> Response {
        self.delete(&integration_path(&instance.id), Some(&instance.token))
            .await
    }

    /// A write of `body` to the integration of `instance_id` with `token`:
    /// `POST` sets, `PUT` updates.
    pub async fn write_integration(
        &self,
        method: Method,
        instance_id: &str,
        token: &str,
        body: &Value,
    ) -> Response {
        let path = integration_path(instance_id);
        self.send_json(method, &path, Some(token), body).await
    }

    /// Set with the instance's own token.
    pub async fn set_integration(&self, instance: &TestInstance, body: &Value) -> Response {
        let TestInstance { id, token } = instance;
        self.write_integration(Method::POST, id, token, body).await
    }

    /// Update with the instance's own token.
    pub async fn update_integration(&self, instance: &TestInstance, body: &Value) -> Response {
        let TestInstance { id, token } = instance;
        self.write_integration(Method::PUT, id, token, body).await
    }
}

/// The response; a request that gets none fails the test, naming its URL.
pub async fn sent(request: RequestBuilder) -> Response {
    request
        .send()
        .await
        .unwrap_or_else(|e| panic!("no response: {e}"))
}

pub fn integration_path(instance_id: &str) -> String {
    format!("/api/v2/instance/{instance_id}/chatwoot-integration")
}

pub fn status_path(instance_id: &str) -> String {
    format!("{}/status", integration_path(instance_id))
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

/// Asserts the contract's error shape with one message, which starts with
/// `start` and contains each of `parts`; returns it.
pub async fn assert_message(
    res: Response,
    (status, reason): (u16, &str),
    start: &str,
    parts: &[&str],
) -> String {
    let messages = assert_error(res, status, reason).await;
    let [message] = messages.as_slice() else {
        panic!("one message: {messages:?}");
    };
    assert!(
        message.starts_with(start),
        "starts with {start:?}: {message}"
    );
    for part in parts {
        assert!(message.contains(part), "says {part:?}: {message}");
    }
    message.clone()
}

/// Asserts that some message names each of `settings` first.
pub fn assert_each_named(messages: &[String], settings: &[&str]) {
    for setting in settings {
        let named = messages
            .iter()
            .any(|m| m.starts_with(&format!("{setting} ")));
        assert!(named, "{setting} named in {messages:?}");
    }
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
