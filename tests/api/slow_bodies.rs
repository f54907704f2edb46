//! A client that declares a body and then sends it slowly: once the body
//! timeout has passed it is answered 408 in the error shape, and the
//! connection ends, so dribbling bytes cannot hold it.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::*;

const BODY_TIMEOUT_MS: &str = "300";

/// How long the test waits for anything; far beyond the body timeout.
const PATIENCE: Duration = Duration::from_secs(10);

#[actix_web::test]
async fn a_body_that_does_not_arrive_within_the_body_timeout_answers_408() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("APP_HTTP__BODY_TIMEOUT_MS", BODY_TIMEOUT_MS)],
    )
    .await;
    let inst = app.create_instance("slow").await;
    let body = app.valid_set_body().to_string();
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        integration_path(&inst.id),
        inst.token,
        body.len()
    );
    let address = app.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head sent");

    // A byte every 50 ms: the whole body would take far longer than the
    // timeout. Stop as soon as the service answers (or stops reading).
    let mut answer = Vec::new();
    for byte in body.as_bytes() {
        if stream.write_all(&[*byte]).await.is_err() {
            break;
        }
        let mut chunk = [0u8; 4096];
        match tokio::time::timeout(Duration::from_millis(50), stream.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => {
                answer.extend_from_slice(&chunk[..n]);
                break;
            }
            Err(_) => {}
        }
    }
    // The rest of the answer, until the service closes the connection.
    let rest = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await;
    assert!(
        rest.is_ok(),
        "the connection stayed open: {}",
        String::from_utf8_lossy(&answer)
    );

    let text = String::from_utf8(answer).expect("UTF-8");
    assert!(text.starts_with("HTTP/1.1 408 "), "{text}");
    let (_, json) = text.split_once("\r\n\r\n").expect("a body");
    let json: Value = serde_json::from_str(json).expect("JSON");
    assert_error_shape(&json, 408, "Request Timeout");
    assert_eq!(
        json["message"][0],
        format!("the body did not arrive within {BODY_TIMEOUT_MS} ms")
    );
}
