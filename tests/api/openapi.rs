//! The OpenAPI document: the committed `openapi.json` is the generated one,
//! the served one is too, and it documents every route of the contract,
//! each of which the router really answers.

use std::path::Path;

use reqwest::Method;
use serde_json::Value;

use crate::support::*;

const REFRESH_HINT: &str = "run `UPDATE_OPENAPI=1 cargo test --test api openapi` to refresh";

/// Every route of the contract with the statuses it can answer, one a
/// line: method, path, statuses. 405 and `default` on each, 500 and 503 on
/// each that reads the database.
const ROUTES: &str = "
post   /api/v2/instance  201 400 401 403 405 408 409 413 415 500 503 default
get    /api/v2/instance  200 401 403 405 500 503 default
get    /api/v2/instance/{instanceId}  200 401 403 404 405 500 503 default
delete /api/v2/instance/{instanceId}  200 401 403 404 405 500 503 default
post   /api/v2/instance/{instanceId}/token  200 401 403 404 405 500 503 default
post   /api/v2/instance/{instanceId}/chatwoot-integration  201 400 401 403 404 405 408 409 413 415 500 503 default
get    /api/v2/instance/{instanceId}/chatwoot-integration  200 401 403 404 405 500 503 default
put    /api/v2/instance/{instanceId}/chatwoot-integration  200 400 401 403 404 405 408 409 413 415 500 503 default
delete /api/v2/instance/{instanceId}/chatwoot-integration  200 401 403 404 405 500 503 default
get    /api/v2/instance/{instanceId}/chatwoot-integration/status  200 401 403 404 405 500 503 default
get    /api/v2/instance/{instanceId}/chatwoot-integration/webhook-secret  200 401 403 404 405 500 503 default
get    /health/live  200 405 default
get    /health/ready  200 405 500 503 default
get    /api/v2/openapi.json  200 405 default
";

/// The rows of [`ROUTES`]: method, path, statuses.
fn routes() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    ROUTES
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut words = line.split_whitespace();
            let method = words.next().expect("a method");
            (method, words.next().expect("a path"), words.collect())
        })
        .collect()
}

fn generated() -> Value {
    http_adapter::openapi::document().clone()
}

#[test]
fn committed_openapi_json_is_the_generated_document() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = generated();
    if std::env::var("UPDATE_OPENAPI").as_deref() == Ok("1") {
        let mut text = serde_json::to_string_pretty(&generated).expect("pretty JSON");
        text.push('\n');
        std::fs::write(&path, text).expect("openapi.json written");
        return;
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}; {REFRESH_HINT}", path.display()));
    let committed: Value = serde_json::from_str(&committed)
        .unwrap_or_else(|e| panic!("openapi.json is not JSON: {e}; {REFRESH_HINT}"));
    // Not assert_eq: the two documents are long, and the hint matters more
    // than a diff of them.
    assert!(
        committed == generated,
        "openapi.json differs from the document generated from the code; {REFRESH_HINT}"
    );
}

#[test]
fn document_lists_every_route_with_its_statuses_and_security() {
    let doc = generated();
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    assert_eq!(doc["info"]["title"], "chatwoot-integration");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        doc["servers"][0]["url"], "/",
        "one server, relative: wherever the document is served"
    );

    let paths = doc["paths"].as_object().expect("paths");
    let documented: usize = paths
        .values()
        .map(|item| item.as_object().expect("path item").len())
        .sum();
    assert_eq!(documented, routes().len(), "no route beyond the contract's");

    for (method, path, statuses) in routes() {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is documented");
        let mut answered: Vec<&str> = operation["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .map(String::as_str)
            .collect();
        answered.sort_unstable();
        assert_eq!(answered, statuses, "statuses of {method} {path}");

        let secured = path.starts_with("/api/v2/") && path != "/api/v2/openapi.json";
        let security = &operation["security"];
        if secured {
            assert_eq!(
                security,
                &serde_json::json!([{"bearer": []}, {"apikey": []}]),
                "{method} {path} takes either token"
            );
        } else {
            assert_eq!(
                security,
                &serde_json::json!([]),
                "{method} {path} needs no token"
            );
        }
        for status in statuses.iter().filter(|s| !s.starts_with('2')) {
            assert_eq!(
                operation["responses"][status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{method} {path} {status} has the error shape"
            );
        }
        for (status, response) in operation["responses"].as_object().expect("responses") {
            assert_eq!(
                response["headers"]["X-Request-Id"]["required"], true,
                "{method} {path} {status} declares the request id"
            );
        }
        assert_eq!(
            operation["responses"]["405"]["headers"]["Allow"]["required"], true,
            "{method} {path} 405 declares Allow"
        );
    }
}

#[test]
fn set_and_put_document_the_503_of_a_throttled_check_with_retry_after_and_the_agent_bot_check() {
    let doc = generated();
    let integration = &doc["paths"]["/api/v2/instance/{instanceId}/chatwoot-integration"];
    for method in ["post", "put"] {
        let unavailable = &integration[method]["responses"]["503"];
        assert_eq!(
            unavailable["headers"]["Retry-After"]["schema"]["type"], "integer",
            "{method}: {unavailable}"
        );
        let description = unavailable["description"].as_str().unwrap_or_default();
        assert!(description.contains("HTTP 429"), "{method}: {description}");
    }
    let names = &doc["components"]["schemas"]["CheckBody"]["properties"]["name"]["enum"];
    assert_eq!(
        names.as_array().and_then(|n| n.last()),
        Some(&Value::from("agentBot")),
        "{names}"
    );
}

#[actix_web::test]
async fn served_document_is_the_generated_one_and_every_documented_route_exists() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/api/v2/openapi.json", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/json",
        "content type"
    );
    assert_eq!(json_body(res).await, generated());

    // The router must answer each documented route itself: its own 404
    // ("Cannot GET ...") and 405 mean the document names a route that is
    // not there.
    let instance = app.create_instance("openapi-probe").await;
    for (method, path, _) in routes() {
        let path = path.replace("{instanceId}", &instance.id);
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let res = app
            .request(method.clone(), &path, Some(ADMIN_TOKEN))
            .send()
            .await
            .expect("request sent");
        let status = res.status().as_u16();
        let body = json_body(res).await;
        let routed = status != 405
            && !(status == 404
                && body["message"][0]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Cannot ")));
        assert!(routed, "{method} {path} is routed: {status} {body}");
    }

    // And every other method answers 405 with `Allow` naming exactly the
    // documented ones.
    let doc = generated();
    let instance = app.create_instance("openapi-allow").await;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let mut documented: Vec<String> = item
            .as_object()
            .expect("path item")
            .keys()
            .map(|m| m.to_uppercase())
            .collect();
        documented.sort();
        let url = path.replace("{instanceId}", &instance.id);
        let res = app
            .request(Method::OPTIONS, &url, Some(ADMIN_TOKEN))
            .send()
            .await
            .expect("request sent");
        assert_eq!(res.status(), 405, "OPTIONS {url}");
        let allow = res.headers()["allow"].to_str().expect("ASCII").to_owned();
        let mut allowed: Vec<String> = allow.split(", ").map(str::to_owned).collect();
        allowed.sort();
        assert_eq!(allowed, documented, "Allow of {path}");
        assert_error(res, 405, "Method Not Allowed").await;
    }
}
